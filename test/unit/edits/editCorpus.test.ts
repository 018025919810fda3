// Corpus test: realistic model answers (test/fixtures/edits/<case>/answer.md) run through the whole
// pipeline (parse -> plan against input/) and must produce exactly expected/ (the whole workspace
// afterwards) or, for answers that must be refused, exactly the problems in expected-problems.json
// (message fragments, in order) and no change at all. See test/fixtures/edits/README.md.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { planFromAnswer } from '../../../src/core/edits/editPipeline';
import type { FileChange } from '../../../src/core/edits/editTypes';
import { unifiedDiff } from '../../../src/core/edits/unifiedDiff';
import { repoRoot } from '../../support/repoRoot';

/**
 * The corpus is data the build does not copy. From a private build dir (BANTAM_OUT_DIR) run in that
 * dir, repoRoot falls back to cwd; the checkout whose node_modules resolved `diff` is the other place.
 */
function findCorpus(): string {
  const resolved = require.resolve('diff');
  const viaModules = resolved.slice(0, Math.max(0, resolved.lastIndexOf(`${sep}node_modules${sep}`)));
  const candidates = [repoRoot, viaModules].map((root) => join(root, 'test', 'fixtures', 'edits'));
  return candidates.find((dir) => existsSync(dir)) ?? candidates[0]!;
}

const corpusDir = findCorpus();

/** Every file under `dir`, keyed by its forward-slash path relative to `dir`, read byte-exact as UTF-8. */
function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(relative(dir, full).split('\\').join('/'), readFileSync(full, 'utf8'));
  }
  return files;
}

function applyInMemory(files: Map<string, string>, changes: readonly FileChange[]): Map<string, string> {
  const out = new Map(files);
  for (const c of changes) {
    if (c.after === undefined) out.delete(c.path);
    else out.set(c.path, c.after);
  }
  return out;
}

const sorted = (m: Map<string, string>): Array<[string, string]> => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));

const caseNames = existsSync(corpusDir)
  ? readdirSync(corpusDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()
  : [];

describe('edit corpus', () => {
  it('has at least 20 cases, each with an answer and exactly one kind of expectation', () => {
    assert.ok(caseNames.length >= 20, `found ${caseNames.length} cases in ${corpusDir}`);
    for (const name of caseNames) {
      const dir = join(corpusDir, name);
      assert.ok(existsSync(join(dir, 'answer.md')), `${name}: answer.md`);
      assert.ok(existsSync(join(dir, 'input')), `${name}: input/`);
      assert.notEqual(existsSync(join(dir, 'expected')), existsSync(join(dir, 'expected-problems.json')), `${name}: expected/ xor expected-problems.json`);
    }
  });

  for (const name of caseNames) {
    it(name, async () => {
      const dir = join(corpusDir, name);
      const input = readTree(join(dir, 'input'));
      const answer = readFileSync(join(dir, 'answer.md'), 'utf8');
      const plan = await planFromAnswer(answer, async (path) => input.get(path));

      if (existsSync(join(dir, 'expected'))) {
        assert.deepEqual(plan.messages, []);
        assert.deepEqual(sorted(applyInMemory(input, plan.changes)), sorted(readTree(join(dir, 'expected'))));
        assert.ok(unifiedDiff(plan.changes).startsWith('diff --git '), 'the plan renders as a diff');
      } else {
        const expected = JSON.parse(readFileSync(join(dir, 'expected-problems.json'), 'utf8')) as string[];
        assert.deepEqual(plan.changes, []);
        assert.equal(plan.messages.length, expected.length, JSON.stringify(plan.messages, null, 1));
        expected.forEach((fragment, i) => assert.ok(plan.messages[i]!.includes(fragment), `problem ${i}: ${plan.messages[i]}`));
      }
    });
  }
});
