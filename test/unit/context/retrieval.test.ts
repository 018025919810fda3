// Tests for retrieval over real indexes (in-process ContextWorkspace, real tree-sitter): in each of
// the 12 fixture workspaces a cursor at a call of a function defined in another file retrieves that
// definition through the import; excluded files never appear; code the prompt already shows is not
// repeated; the budget holds and the prompt carries every chosen snippet whole; the context block
// is byte-identical while typing doesn't change the retrieved set; recent edits, enclosing scopes,
// outlines of long classes, and text-only context for languages without a grammar.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { buildPrompt } from '../../../src/core/completion/promptBuilder';
import type { CompletionRequest } from '../../../src/core/kernel/completionTypes';
import type { ContextLanguage, ContextRequest, ContextResult } from '../../../src/core/context/contextTypes';
import { ContextWorkspace } from '../../../src/core/context/contextWorkspace';
import { snippetOverheadTokens } from '../../../src/core/context/retrieval';
import { tokenWeight } from '../../../src/core/kernel/tokenEstimate';
import {
  contextFixture,
  contextFixturesDir,
  FIXTURE_CURSOR_MARKER,
  FIXTURE_TOTAL_NAME,
  grammarDir,
} from '../../support/repoRoot';
import { FixtureWorkspaces, fixtureSourceFiles } from '../../support/fixtureWorkspaces';

const LANGUAGES = Object.keys(FIXTURE_TOTAL_NAME) as ContextLanguage[];
const BUDGETS = { prefixTokens: 1024, suffixTokens: 8, farSuffixTokens: 256, contextTokens: 512 };

/** The fixture file with the cursor marker, and the cursor just inside the call on that line. */
function cursorRequest(language: ContextLanguage, budgetTokens = 512): ContextRequest {
  const file = fixtureSourceFiles(language).find((f) => readFileSync(contextFixture(language, f), 'utf8').includes(FIXTURE_CURSOR_MARKER));
  assert.ok(file, `no ${FIXTURE_CURSOR_MARKER} in the ${language} fixture`);
  const text = readFileSync(contextFixture(language, file), 'utf8');
  const marker = text.indexOf(FIXTURE_CURSOR_MARKER);
  const call = text.lastIndexOf(FIXTURE_TOTAL_NAME[language], marker);
  assert.ok(call >= 0 && text.lastIndexOf('\n', marker) < call, `${file}: the marker line doesn't call ${FIXTURE_TOTAL_NAME[language]}`);
  return { file, languageId: '', text, offset: call + 3, budgetTokens };
}

function describeSnippets(result: ContextResult): string {
  return JSON.stringify(result.snippets.map((s) => `${s.file}:${s.startLine}-${s.endLine} ${s.reason}`));
}

describe('retrieval', function () {
  this.timeout(60_000);
  const workspaces = new FixtureWorkspaces();
  const indexed = (language: ContextLanguage) => workspaces.indexed(language);
  after(() => workspaces.dispose());

  it('has a fixture for every language', () => {
    assert.deepEqual(readdirSync(contextFixturesDir).filter((l) => l in FIXTURE_TOTAL_NAME).sort(), [...LANGUAGES].sort());
  });

  describe('a call of a function defined in another file retrieves its definition', () => {
    for (const language of LANGUAGES) {
      it(`${language}`, async () => {
        const ws = await indexed(language);
        const request = cursorRequest(language);
        const result = await ws.retrieve(request);
        const name = FIXTURE_TOTAL_NAME[language];
        // A snippet the packer combined from several overlapping ones lists each one's reason.
        const reasonFor = (s: { reason: string }) => s.reason.split('; ').find((r) => r.startsWith(`definition of ${name} `));
        const found = result.snippets.find((s) => s.file !== request.file && s.kind === 'definition' && reasonFor(s) !== undefined);
        assert.ok(found, `no definition of ${name} in ${describeSnippets(result)}`);
        assert.match(reasonFor(found)!, /imported from /, 'the definition should be reached through the import');
        assert.ok(found.text.includes(name));
        const onDisk = readFileSync(contextFixture(language, found.file), 'utf8').split('\n');
        assert.equal(found.text.split('\n')[0], onDisk[found.startLine - 1], 'snippet text is the file at its line range');
        assert.ok(found.tokens > 0);
      });
    }
  });

  describe('excluded files never reach a prompt', () => {
    for (const language of LANGUAGES) {
      it(`${language}: nothing from .env or ignored/`, async () => {
        const ws = await indexed(language);
        const result = await ws.retrieve(cursorRequest(language));
        for (const s of result.snippets) {
          assert.ok(!s.file.startsWith('ignored/') && !s.file.includes('/ignored/'), `ignored file ${s.file}`);
          assert.ok(!s.file.endsWith('.env'), `.env in ${describeSnippets(result)}`);
          assert.ok(!s.text.includes('SECRET_TOKEN'));
        }
      });
    }
  });

  it('keeps within the budget, and the prompt carries every chosen snippet whole', async () => {
    for (const budget of [60, 120, 512]) {
      const ws = await indexed('typescript');
      const request = cursorRequest('typescript', budget);
      const result = await ws.retrieve(request);
      assert.ok(result.tokens <= budget, `${result.tokens} tokens for a budget of ${budget}`);
      const sum = result.snippets.reduce((a, s) => a + s.tokens + snippetOverheadTokens(s), 0);
      assert.equal(result.tokens, sum);
      const completion: CompletionRequest = {
        uri: request.file,
        relativePath: request.file,
        languageId: 'typescript',
        text: request.text,
        offset: request.offset,
        selectionEmpty: true,
        explicit: false,
      };
      const prompt = buildPrompt(completion, 'qwen', { ...BUDGETS, contextTokens: budget }, result.snippets);
      for (const s of result.snippets) {
        assert.ok(prompt.text.includes(`<|file_sep|>${s.file}\n${s.text}\n`), `${s.file}:${s.startLine} cut or missing at budget ${budget}`);
      }
      assert.ok(tokenWeight(prompt.text) > 0);
    }
  });

  it('does not repeat lines the prompt already shows', async () => {
    const ws = await indexed('typescript');
    const text = [
      'export function helperFar(a: number): number {',
      '  return a * 2;',
      '}',
      ...Array.from({ length: 40 }, (_, i) => `const filler${i} = ${i};`),
      'export function helperNear(b: number): number {',
      '  return b + 1;',
      '}',
      'const x = helperFar(helperNear(1));',
    ].join('\n');
    await ws.documentOpened('src/local.ts', 'typescript', text);
    await ws.flushDocuments();
    const offset = text.indexOf('helperFar(helperNear') + 4;
    const result = await ws.retrieve({
      file: 'src/local.ts',
      languageId: 'typescript',
      text,
      offset,
      budgetTokens: 512,
      visibleLines: { startLine: 40, endLine: 47 },
    });
    const local = result.snippets.filter((s) => s.file === 'src/local.ts');
    assert.ok(local.some((s) => s.startLine === 1 && s.reason.includes('helperFar')), `far definition missing: ${describeSnippets(result)}`);
    assert.ok(!local.some((s) => s.endLine >= 40), `visible lines repeated: ${describeSnippets(result)}`);
    await ws.documentClosed('src/local.ts');
  });

  it('renders the same context block on every keystroke while the retrieved set is unchanged', async () => {
    const ws = await indexed('typescript');
    const request = cursorRequest('typescript');
    const lineEnd = request.text.indexOf('\n', request.offset);
    const typedAt = lineEnd; // typing at the end of the call line: `  // more`
    const blocks: string[] = [];
    let text = request.text;
    for (const ch of ' // mo') {
      text = text.slice(0, typedAt + blocks.length) + ch + text.slice(typedAt + blocks.length);
      const offset = typedAt + blocks.length + 1;
      const result = await ws.retrieve({ ...request, text, offset, visibleLines: { startLine: 1, endLine: 1 } });
      const completion: CompletionRequest = {
        uri: request.file,
        relativePath: request.file,
        languageId: 'typescript',
        text,
        offset,
        selectionEmpty: true,
        explicit: false,
      };
      const prompt = buildPrompt(completion, 'qwen', BUDGETS, result.snippets);
      blocks.push(prompt.text.slice(0, prompt.text.lastIndexOf(`<|file_sep|>${request.file}\n`)));
    }
    assert.ok(blocks[0]!.includes('computeTotal'), 'the block should carry the imported definition');
    for (const block of blocks) assert.equal(block, blocks[0]);
  });

  it('carries the enclosing scope\'s signature when it is above the prompt window', async () => {
    const ws = await indexed('python');
    const body = Array.from({ length: 30 }, (_, i) => `        total_${i} = ${i}`);
    const text = ['class Register:', '    def ring_up(self, items):', ...body, '        return tot'].join('\n');
    const result = await ws.retrieve({
      file: 'shop/register.py',
      languageId: 'python',
      text,
      offset: text.length,
      budgetTokens: 512,
      visibleLines: { startLine: 20, endLine: 33 },
    });
    const scopes = result.snippets.filter((s) => s.kind === 'scope').map((s) => s.text.trim());
    assert.deepEqual(scopes, ['class Register:', 'def ring_up(self, items):']);
  });

  it('cuts a long class to an outline of its members', async () => {
    const ws = new ContextWorkspace({ root: contextFixture('typescript'), grammarDir, documentExtractDelayMs: 0 });
    try {
      await ws.indexAll(() => undefined);
      const methods = Array.from({ length: 12 }, (_, i) => [`  method${i}(): number {`, `    return ${i};`, '  }'].join('\n'));
      const big = ['export class Ledger {', ...methods, '}', ''].join('\n');
      await ws.documentOpened('src/ledger.ts', 'typescript', big);
      await ws.flushDocuments();
      const user = "import { Ledger } from './ledger';\nconst l = new Ledger();\n";
      const result = await ws.retrieve({ file: 'src/user.ts', languageId: 'typescript', text: user, offset: user.length - 3, budgetTokens: 512 });
      const outline = result.snippets.find((s) => s.file === 'src/ledger.ts');
      assert.ok(outline, describeSnippets(result));
      const lines = outline.text.split('\n');
      assert.equal(lines[0], 'export class Ledger {');
      assert.ok(lines.includes('  method11(): number {'), outline.text);
      assert.ok(!lines.includes('    return 3;'), 'bodies are left out of the outline');
    } finally {
      ws.dispose();
    }
  });

  describe('a method called on a long class comes in place inside the class outline', () => {
    const cases: { language: ContextLanguage; file: string; lines: string[]; user: string; userFile: string; signature: string[]; body: string }[] = [
      {
        language: 'typescript',
        file: 'src/ledger.ts',
        lines: [
          '@sealed',
          'export class Ledger {',
          ...Array.from({ length: 12 }, (_, i) => [`  method${i}(): number {`, `    return ${i};`, '  }']).flat(),
          '}',
        ],
        userFile: 'src/user.ts',
        user: "import { Ledger } from './ledger';\nconst l: Ledger = new Ledger();\nl.method7(",
        signature: ['export class Ledger {'],
        body: '    return 7;',
      },
      {
        language: 'python',
        file: 'shop/ledger.py',
        lines: [
          '@dataclass',
          'class Ledger(',
          '    Base,',
          '):',
          ...Array.from({ length: 12 }, (_, i) => ['    @property', `    def method${i}(self) -> int:`, `        return ${i}`, '']).flat(),
        ],
        userFile: 'shop/user.py',
        user: 'from .ledger import Ledger\nledger: Ledger = Ledger()\nledger.method7(',
        signature: ['class Ledger(', '    Base,', '):'],
        body: '        return 7',
      },
    ];
    for (const c of cases) {
      it(c.language, async () => {
        const ws = new ContextWorkspace({ root: contextFixture(c.language), grammarDir, documentExtractDelayMs: 0 });
        try {
          await ws.indexAll(() => undefined);
          await ws.documentOpened(c.file, c.language, c.lines.join('\n') + '\n');
          await ws.flushDocuments();
          const result = await ws.retrieve({ file: c.userFile, languageId: c.language, text: c.user, offset: c.user.length - 1, budgetTokens: 512 });
          const fromLedger = result.snippets.filter((s) => s.file === c.file);
          assert.equal(fromLedger.length, 1, describeSnippets(result));
          const shown = fromLedger[0]!.text.split('\n');
          // The decorator comes along here (there is room); the whole signature always does.
          const at = shown.indexOf(c.signature[0]!);
          assert.deepEqual(shown.slice(at, at + c.signature.length), c.signature, fromLedger[0]!.text);
          assert.ok(shown.includes(c.body), `the method's body is in place: ${fromLedger[0]!.text}`);
          assert.ok(shown.some((l) => l.includes('method11(')), `the rest of the outline stays: ${fromLedger[0]!.text}`);
          assert.ok(!shown.includes(c.body.replace('7', '3')), 'other bodies stay out');
        } finally {
          ws.dispose();
        }
      });
    }
  });

  it('a language without a grammar still gets recent edits and similar code', async () => {
    const ws = await indexed('typescript');
    const lua = ['function shipping_cost(weight, zone)', '  local base = zone_rates[zone]', '  return base * weight', 'end', ''].join('\n');
    await ws.documentOpened('scripts/shipping.lua', 'lua', lua);
    await ws.documentChanged('scripts/shipping.lua', lua, [{ startLine: 2, endLine: 2, lineDelta: 0 }]);
    const current = 'local cost = shipping_cost(weight, zone_rates[zone]) * base\n';
    const result = await ws.retrieve({ file: 'scripts/order.lua', languageId: 'lua', text: current, offset: current.length - 1, budgetTokens: 512 });
    const kinds = new Set(result.snippets.filter((s) => s.file === 'scripts/shipping.lua').map((s) => s.kind));
    assert.ok(kinds.has('recent-edit') || kinds.has('similar'), describeSnippets(result));
    await ws.documentClosed('scripts/shipping.lua');
  });
});
