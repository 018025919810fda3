// Tests for which files an "Edit Across Files" request shows whole and which as excerpts: the active
// file first (its text from the caller, never re-read), then the ranked files while they fit the
// token budget and the file cap, excerpts only for files not shown whole and only within the
// budget, and nothing at all from files the caller cannot read.
import * as assert from 'node:assert/strict';
import { scopeEditFiles } from '../../../src/core/chat/editScope';
import type { PromptSnippet } from '../../../src/core/chat/taskPrompts';
import { estimateTokens } from '../../../src/core/kernel/tokenEstimate';

/** A file of roughly `lines` lines of code. */
const code = (name: string, lines: number) =>
  Array.from({ length: lines }, (_, i) => `export const ${name}${i} = compute(${name}, ${i});`).join('\n') + '\n';

const DISK: Record<string, string> = {
  'src/a.ts': code('a', 10),
  'src/b.ts': code('b', 10),
  'src/big.ts': code('big', 400),
  'src/c.ts': code('c', 10),
};

const snippet = (file: string, startLine = 1): PromptSnippet => ({
  file,
  startLine,
  endLine: startLine + 1,
  text: (DISK[file] ?? 'const gone = 1;\n').split('\n').slice(startLine - 1, startLine + 1).join('\n') + '\n',
  reason: `ranked ${file}`,
});

/** The scope's own cost of a whole file or an excerpt (16 tokens of framing each). */
const cost = (text: string) => estimateTokens(text) + 16;

describe('scopeEditFiles', () => {
  let reads: string[];
  const read = async (path: string) => {
    reads.push(path);
    return DISK[path];
  };
  beforeEach(() => (reads = []));

  it('shows the active file first, with the caller\'s text, then the ranked files in order', async () => {
    const active = { path: 'src/b.ts', text: 'unsaved editor text\n' };
    const ranked = [snippet('src/a.ts'), snippet('src/b.ts'), snippet('src/c.ts')];
    const scope = await scopeEditFiles(ranked, read, { activeFile: active, budgetTokens: 10_000 });
    assert.deepEqual(scope.files.map((f) => f.path), ['src/b.ts', 'src/a.ts', 'src/c.ts']);
    assert.equal(scope.files[0]!.text, 'unsaved editor text\n');
    assert.deepEqual(scope.context, [], 'no excerpts of files shown whole');
    assert.deepEqual(reads, ['src/a.ts', 'src/c.ts'], 'the active file is not read from disk');
    assert.equal(scope.tokens, cost(active.text) + cost(DISK['src/a.ts']!) + cost(DISK['src/c.ts']!));
  });

  it('within the budget: a file too big is shown only as excerpts, smaller files after it still whole', async () => {
    const ranked = [snippet('src/a.ts'), snippet('src/big.ts'), snippet('src/big.ts', 50), snippet('src/c.ts')];
    const budget = cost(DISK['src/a.ts']!) + cost(DISK['src/c.ts']!) + cost(ranked[1]!.text) + cost(ranked[2]!.text);
    assert.ok(cost(DISK['src/big.ts']!) > budget, 'the big file cannot fit');
    const scope = await scopeEditFiles(ranked, read, { budgetTokens: budget });
    assert.deepEqual(scope.files.map((f) => f.path), ['src/a.ts', 'src/c.ts']);
    assert.deepEqual(scope.context, [ranked[1], ranked[2]]);
    assert.equal(scope.tokens, budget);
  });

  const budgets = [1, 50, 120, 200, 400, 1000, 5000];
  for (const budgetTokens of budgets) {
    it(`never goes over a budget of ${budgetTokens} tokens`, async () => {
      const ranked = [snippet('src/big.ts'), snippet('src/a.ts'), snippet('src/big.ts', 200), snippet('src/b.ts'), snippet('src/c.ts', 3)];
      const scope = await scopeEditFiles(ranked, read, { activeFile: { path: 'src/c.ts', text: DISK['src/c.ts']! }, budgetTokens });
      const spent = [...scope.files.map((f) => cost(f.text)), ...scope.context.map((s) => cost(s.text))].reduce((a, b) => a + b, 0);
      assert.equal(scope.tokens, spent);
      assert.ok(spent <= budgetTokens, `${spent} > ${budgetTokens}`);
      const whole = new Set(scope.files.map((f) => f.path));
      assert.ok(scope.context.every((s) => !whole.has(s.file)), 'excerpts only of files not shown whole');
    });
  }

  it('an active file over the budget is not shown, and not swapped for the disk copy either', async () => {
    const active = { path: 'src/a.ts', text: code('edited', 400) };
    const scope = await scopeEditFiles([snippet('src/a.ts'), snippet('src/b.ts')], read, { activeFile: active, budgetTokens: 500 });
    assert.deepEqual(scope.files.map((f) => f.path), ['src/b.ts']);
    assert.deepEqual(reads, ['src/b.ts']);
    assert.deepEqual(scope.context.map((s) => s.file), ['src/a.ts']);
  });

  it('honours maxFiles, showing the rest as excerpts', async () => {
    const ranked = [snippet('src/a.ts'), snippet('src/b.ts'), snippet('src/c.ts')];
    const scope = await scopeEditFiles(ranked, read, { budgetTokens: 10_000, maxFiles: 2 });
    assert.deepEqual(scope.files.map((f) => f.path), ['src/a.ts', 'src/b.ts']);
    assert.deepEqual(scope.context, [ranked[2]]);
  });

  it('leaves out files the caller cannot read (refused or gone), excerpts included', async () => {
    const ranked = [snippet('secret/keys.ts'), snippet('src/a.ts'), snippet('secret/keys.ts', 5)];
    const scope = await scopeEditFiles(ranked, read, { budgetTokens: 10_000 });
    assert.deepEqual(scope.files.map((f) => f.path), ['src/a.ts']);
    assert.deepEqual(scope.context, []);
    assert.deepEqual(reads, ['secret/keys.ts', 'src/a.ts'], 'each file is read once');
  });
});
