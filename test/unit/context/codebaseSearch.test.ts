// Tests for codebase search ("Ask About Codebase"): ranking on small synthetic indexes (exact
// identifiers over shared words, snake/camel spellings, rare words over common ones, paths, the
// active and open files, one import hop), packing (the budget holds for every budget, snippets are
// whole and never overlap, picks of one file merge, the file cap), robustness (empty, stop-word-only
// and odd questions), and the 12 real fixture workspaces through ContextWorkspace (the total's
// definition comes first; ignored/ and .env never appear; open documents' unsaved text wins).
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GAP_MARKER } from '../../../src/core/context/codebasePacker';
import { searchCodebase, type CodebaseSearchSources } from '../../../src/core/context/codebaseSearch';
import type {
  CodebaseAnswerContext,
  CodebaseQuery,
  ContextLanguage,
  FileSymbols,
  SymbolDefinition,
} from '../../../src/core/context/contextTypes';
import { ContextWorkspace } from '../../../src/core/context/contextWorkspace';
import { resolveImport } from '../../../src/core/context/importResolver';
import { languageForPath } from '../../../src/core/context/languages/registry';
import { snippetOverheadTokens } from '../../../src/core/context/retrieval';
import { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { contextFixture, FIXTURE_TOTAL_NAME, grammarDir } from '../../support/repoRoot';

// ---- a synthetic index: files with hand-written symbols ----

type Def = [name: string, kind: SymbolDefinition['kind'], startLine: number, endLine: number, container?: string];
interface SyntheticFile {
  text: string;
  defs: Def[];
  imports?: [source: string, line: number][];
  identifiers?: string[];
}

function synthetic(files: Record<string, SyntheticFile>, order: string[] = Object.keys(files)): CodebaseSearchSources {
  const index = new WorkspaceIndex();
  for (const file of order) {
    const f = files[file];
    const symbols: FileSymbols = {
      language: languageForPath(file) ?? 'typescript',
      definitions: f.defs.map(([name, kind, startLine, endLine, container]) => ({
        name,
        kind,
        startLine,
        endLine,
        signature: f.text.split('\n')[startLine - 1]?.trim() ?? '',
        ...(container ? { container } : {}),
      })),
      imports: (f.imports ?? []).map(([source, line]) => ({ source, names: [], line })),
      identifiers: f.identifiers ?? [],
      hasErrors: false,
    };
    index.set(file, file, symbols);
  }
  return {
    entries: () => index.values(),
    symbolsOf: (file) => index.get(file)?.symbols,
    resolveImport: (from: string, language: ContextLanguage, source: string) => resolveImport(from, language, source, index.fileSet),
    textOf: (file) => (index.has(file) ? files[file]?.text : undefined),
  };
}

const SHOP: Record<string, SyntheticFile> = {
  'src/pricing.ts': {
    text: [
      'export function computeTotal(items: number[]): number {',
      '  return items.reduce((a, b) => a + b, 0) * TAX;',
      '}',
      'export const TAX = 1.2;',
      'export function formatPrice(p: number): string {',
      '  return p.toFixed(2);',
      '}',
      '',
    ].join('\n'),
    defs: [
      ['computeTotal', 'function', 1, 3],
      ['TAX', 'constant', 4, 4],
      ['formatPrice', 'function', 5, 7],
    ],
  },
  'src/cart.ts': {
    text: [
      "import { computeTotal } from './pricing';",
      'export class Cart {',
      '  items: number[] = [];',
      '  total(): number {',
      '    return computeTotal(this.items);',
      '  }',
      '}',
    ].join('\n'),
    defs: [
      ['Cart', 'class', 2, 7],
      ['items', 'field', 3, 3, 'Cart'],
      ['total', 'method', 4, 6, 'Cart'],
    ],
    imports: [['./pricing', 1]],
    identifiers: ['computeTotal', 'Cart', 'items', 'total'],
  },
  'src/report.ts': {
    text: [
      'export function totalWeight(w: number[]): number {',
      '  return w.length;',
      '}',
      'export function renderReport(): string {',
      "  return 'report';",
      '}',
    ].join('\n'),
    defs: [
      ['totalWeight', 'function', 1, 3],
      ['renderReport', 'function', 4, 6],
    ],
  },
  'lib/compute_stats.py': {
    text: ['def compute_mean(xs):', '    return sum(xs) / len(xs)', ''].join('\n'),
    defs: [['compute_mean', 'function', 1, 2]],
  },
};

const ask = (sources: CodebaseSearchSources, question: string, extra: Partial<CodebaseQuery> = {}): CodebaseAnswerContext =>
  searchCodebase({ question, budgetTokens: 2000, ...extra }, sources);

const first = (r: CodebaseAnswerContext) => r.snippets[0];
const list = (r: CodebaseAnswerContext) => JSON.stringify(r.snippets.map((s) => `${s.file}:${s.startLine}-${s.endLine} ${s.kind} ${s.reason}`));

/** Every line of every snippet is the file's line at that number (gaps marked), no two overlap, the budget holds. */
function assertWhole(result: CodebaseAnswerContext, texts: (file: string) => string | undefined, budget: number): void {
  const spent = result.snippets.reduce((sum, s) => sum + s.tokens + snippetOverheadTokens(s), 0);
  assert.equal(result.tokens, spent, 'tokens is what the snippets cost');
  assert.ok(spent <= budget, `spent ${spent} of ${budget}`);
  for (const s of result.snippets) {
    const fileLines = texts(s.file)!.split(/\r?\n/);
    const lines = s.text.split('\n');
    assert.equal(lines[0], fileLines[s.startLine - 1], `${s.file}:${s.startLine} starts the snippet`);
    assert.equal(lines[lines.length - 1], fileLines[s.endLine - 1], `${s.file}:${s.endLine} ends the snippet`);
    let at = s.startLine;
    for (const line of lines.slice(1)) {
      if (line === GAP_MARKER) {
        assert.equal(s.kind, 'outline');
        continue;
      }
      const next = fileLines.indexOf(line, at);
      assert.ok(next >= at, `${s.file}: "${line}" follows line ${at}`);
      at = next + 1;
    }
    for (const other of result.snippets) {
      if (other !== s && other.file === s.file) {
        assert.ok(other.endLine < s.startLine || other.startLine > s.endLine, `${list(result)} overlap`);
      }
    }
  }
}

describe('codebase search', () => {
  describe('ranking on a synthetic index', () => {
    const shop = synthetic(SHOP);
    const cases: { question: string; extra?: Partial<CodebaseQuery>; file: string; startLine: number; reason: RegExp }[] = [
      { question: 'how is the total computed?', file: 'src/pricing.ts', startLine: 1, reason: /defines computeTotal \(matches 'computed', 'total'\)/ },
      { question: 'where is computeTotal defined', file: 'src/pricing.ts', startLine: 1, reason: /defines computeTotal \(named in the question\)/ },
      { question: 'where is compute_total defined?', file: 'src/pricing.ts', startLine: 1, reason: /defines computeTotal \(asked as compute_total\)/ },
      { question: 'what does cart.ts do', file: 'src/cart.ts', startLine: 1, reason: /file name matches 'cart\.ts'/ },
      { question: 'what does `Cart.total` return', file: 'src/cart.ts', startLine: 4, reason: /defines Cart\.total \(named in the question\)/ },
      { question: 'how is the mean computed', file: 'lib/compute_stats.py', startLine: 1, reason: /defines compute_mean/ },
      { question: 'explain src/report.ts', file: 'src/report.ts', startLine: 1, reason: /path 'src\/report\.ts' named in the question/ },
      { question: 'how are prices formatted', file: 'src/pricing.ts', startLine: 5, reason: /defines formatPrice/ },
    ];
    for (const c of cases) {
      it(`${JSON.stringify(c.question)} -> ${c.file}:${c.startLine}`, () => {
        const result = ask(shop, c.question, c.extra);
        const top = first(result);
        assert.ok(top, 'something was found');
        assert.equal(top.file, c.file, list(result));
        assert.ok(top.startLine <= c.startLine && c.startLine <= top.endLine, list(result));
        assert.match(top.reason, c.reason, list(result));
      });
    }

    it('an exact identifier beats a name that shares its words', () => {
      const r = ask(shop, 'where is totalWeight used');
      assert.equal(first(r).file, 'src/report.ts', list(r));
      const weights = r.snippets.map((s) => s.score);
      assert.ok(first(r).score > 2 * (weights[1] ?? 0), list(r));
    });

    it('a word rare among definition names counts more than a common one', () => {
      const files: Record<string, SyntheticFile> = {};
      for (const n of ['Count', 'Kind', 'Depth', 'Parent', 'Children', 'Index', 'Label', 'Weight']) {
        files[`src/node${n}.ts`] = { text: `export function node${n}() {}\n`, defs: [[`node${n}`, 'function', 1, 1]] };
      }
      files['src/tree.ts'] = { text: 'export function renderTree() {}\n', defs: [['renderTree', 'function', 1, 1]] };
      const r = ask(synthetic(files), 'how are the nodes rendered?');
      assert.equal(first(r).file, 'src/tree.ts', list(r));
    });

    it('stop words are ignored: the same answer with or without them', () => {
      const plain = ask(shop, 'total computed');
      const wordy = ask(shop, 'So, where exactly is the total being computed in this codebase, and how does it work?');
      assert.deepEqual(wordy.terms, ['total', 'computed']);
      assert.deepEqual(wordy.snippets, plain.snippets);
    });

    it('follows one import hop: who uses the definition, what its file imports', () => {
      const r = ask(shop, 'where is computeTotal defined');
      const use = r.snippets.find((s) => s.file === 'src/cart.ts');
      assert.ok(use, list(r));
      assert.match(use.reason, /uses computeTotal \(imports src\/pricing\.ts\)/);
      assert.ok(use.text.includes('return computeTotal(this.items);'));
      const back = ask(shop, 'what is the Cart class');
      assert.ok(back.snippets.some((s) => s.file === 'src/pricing.ts' && /imported by src\/cart\.ts/.test(s.reason)), list(back));
    });

    it("a Go file's own package (its folder) is not expanded as what it imports", () => {
      const pkg = synthetic({
        'store/open.go': { text: 'package store\nfunc OpenStore() {}\n', defs: [['OpenStore', 'function', 2, 2]], imports: [['.', 1]] },
        'store/close.go': { text: 'package store\nfunc CloseAll() {}\n', defs: [['CloseAll', 'function', 2, 2]], imports: [['.', 1]] },
      });
      const r = ask(pkg, 'where is OpenStore defined');
      assert.ok(r.snippets.some((s) => s.file === 'store/open.go'), list(r));
      assert.ok(!r.snippets.some((s) => /imported by/.test(s.reason)), list(r));
    });

    it('the active file gets a bonus; open files get one when they match', () => {
      const tie: Record<string, SyntheticFile> = {
        'a/one.ts': { text: 'export function loadUser() {}\n', defs: [['loadUser', 'function', 1, 1]] },
        'b/two.ts': { text: 'export function loadUser() {}\n', defs: [['loadUser', 'function', 1, 1]] },
        'c/three.ts': { text: 'export function other() {}\n', defs: [['other', 'function', 1, 1]] },
      };
      const sources = synthetic(tie);
      assert.equal(first(ask(sources, 'how is the user loaded')).file, 'a/one.ts', 'ties break by path');
      assert.equal(first(ask(sources, 'how is the user loaded', { openFiles: ['b/two.ts'] })).file, 'b/two.ts');
      const active = ask(sources, 'how is the user loaded', { activeFile: 'b/two.ts' });
      assert.equal(first(active).file, 'b/two.ts');
      assert.match(first(active).reason, /active file/);
      const openOnly = ask(sources, 'how is the user loaded', { openFiles: ['c/three.ts'] });
      assert.ok(!openOnly.snippets.some((s) => s.file === 'c/three.ts'), 'an open file that matches nothing stays out');
    });

    it('is deterministic whatever order the index was filled in', () => {
      const reversed = synthetic(SHOP, Object.keys(SHOP).reverse());
      for (const q of ['how is the total computed?', 'what does cart.ts do', 'compute']) {
        assert.deepEqual(ask(reversed, q), ask(shop, q));
      }
    });

    const quiet: { question: string; activeFile?: string; expect: string[] }[] = [
      { question: '', expect: [] },
      { question: '   ', expect: [] },
      { question: 'what is this and how does it work?', expect: [] },
      { question: 'what is this and how does it work?', activeFile: 'src/pricing.ts', expect: ['src/pricing.ts outline'] },
      { question: '', activeFile: 'src/cart.ts', expect: ['src/cart.ts outline'] },
      { question: '', activeFile: 'not/indexed.ts', expect: [] },
      { question: 'zebra quux', expect: [] },
      { question: '((( ``` ))) ?? .. // \\\\ ::', expect: [] },
    ];
    for (const c of quiet) {
      it(`question ${JSON.stringify(c.question)}${c.activeFile ? ` in ${c.activeFile}` : ''}: ${c.expect.join(', ') || 'nothing'}`, () => {
        const r = ask(shop, c.question, c.activeFile ? { activeFile: c.activeFile } : {});
        assert.deepEqual(r.snippets.map((s) => `${s.file} ${s.kind}`), c.expect);
        assert.equal(r.filesConsidered, 4);
        if (c.activeFile && c.expect.length > 0) assert.equal(first(r).reason, 'active file');
      });
    }

    it('never throws on odd input', () => {
      const odd = ['a'.repeat(100_000), 'e.g. i.e. x.y.z', '`unclosed', '$$$ __ --', '\u0000\u0001', 'Ünïcödé naïve café', '🙂 totals 🙂'];
      for (const q of odd) assert.ok(Array.isArray(ask(shop, q).snippets));
      assert.deepEqual(searchCodebase({ question: 'total', budgetTokens: Number.NaN }, shop).snippets, []);
      assert.deepEqual(searchCodebase({ question: 'total', budgetTokens: -5 }, shop).snippets, []);
    });
  });

  describe('packing', () => {
    const shop = synthetic(SHOP);
    const text = (file: string) => SHOP[file]?.text;

    for (const budget of [0, 5, 12, 20, 30, 45, 60, 80, 120, 200, 400, 2000]) {
      it(`budget ${budget}: respected, snippets whole, no overlaps`, () => {
        for (const q of ['how is the total computed?', 'what does cart.ts do', 'compute total cart report price']) {
          const r = searchCodebase({ question: q, budgetTokens: budget }, shop);
          assertWhole(r, text, budget);
        }
      });
    }

    it('a small budget drops what does not fit and says so', () => {
      const all = searchCodebase({ question: 'compute total cart report price', budgetTokens: 5000 }, shop);
      const few = searchCodebase({ question: 'compute total cart report price', budgetTokens: 40 }, shop);
      assert.equal(all.truncated, false, list(all));
      assert.equal(few.truncated, true);
      assert.ok(few.snippets.length < all.snippets.length);
    });

    it('a small file matched by name comes whole, as one snippet with what else was picked in it', () => {
      const r = ask(shop, 'what does cart.ts do, and Cart.total?');
      const cart = r.snippets.filter((s) => s.file === 'src/cart.ts');
      assert.equal(cart.length, 1, list(r));
      assert.equal(cart[0].kind, 'file');
      assert.equal(cart[0].text, SHOP['src/cart.ts'].text);
      assert.match(cart[0].reason, /file name matches 'cart\.ts'/);
      assert.match(cart[0].reason, /defines Cart\.total/);
    });

    it('a long class comes as an outline of its members; a member asked for is shown whole inside it', () => {
      const body: string[] = ['export class Ledger {'];
      const defs: Def[] = [['Ledger', 'class', 1, 0]];
      for (let m = 0; m < 12; m++) {
        const start = body.length + 1;
        body.push(`  entry${m}(x: number): number {`, ...Array.from({ length: 6 }, (_, k) => `    x += ${k};`), '    return x;', '  }');
        defs.push([`entry${m}`, 'method', start, body.length, 'Ledger']);
      }
      body.push('}');
      defs[0][3] = body.length;
      // Not named for the class: a file the question names comes whole when small.
      const files = { 'src/books.ts': { text: body.join('\n'), defs } };
      const sources = synthetic(files);
      const outline = ask(sources, 'what is the Ledger');
      assert.equal(first(outline).kind, 'outline', list(outline));
      assert.ok(first(outline).text.includes('  entry11(x: number): number {'));
      assert.ok(!first(outline).text.includes('x += 3;'));
      assertWhole(outline, () => files['src/books.ts'].text, 2000);
      const both = ask(sources, 'what is the Ledger, and entry5?');
      assert.equal(both.snippets.length, 1, list(both));
      assert.ok(both.snippets[0].text.includes('    x += 3;'), 'entry5 whole');
      assert.match(both.snippets[0].reason, /defines entry5/);
      assertWhole(both, () => files['src/books.ts'].text, 2000);
    });

    it('maxFiles caps the distinct files', () => {
      const r = searchCodebase({ question: 'compute total cart report price', budgetTokens: 5000, maxFiles: 2 }, shop);
      assert.equal(new Set(r.snippets.map((s) => s.file)).size, 2);
      assert.equal(r.truncated, true);
    });

    it('orders by score, then path, then line', () => {
      const r = searchCodebase({ question: 'compute total cart report price', budgetTokens: 5000 }, shop);
      for (let i = 1; i < r.snippets.length; i++) {
        const a = r.snippets[i - 1];
        const b = r.snippets[i];
        assert.ok(a.score > b.score || (a.score === b.score && (a.file < b.file || (a.file === b.file && a.startLine < b.startLine))), list(r));
      }
    });
  });

  describe('on the fixture workspaces', function () {
    this.timeout(60_000);
    const SECRET = 'fixture-not-a-real-secret';
    const workspaces = new Map<ContextLanguage, ContextWorkspace>();
    async function indexed(language: ContextLanguage): Promise<ContextWorkspace> {
      let ws = workspaces.get(language);
      if (!ws) {
        ws = new ContextWorkspace({ root: contextFixture(language), grammarDir, documentExtractDelayMs: 0 });
        assert.equal((await ws.indexAll()).phase, 'done');
        workspaces.set(language, ws);
      }
      return ws;
    }
    after(() => {
      for (const ws of workspaces.values()) ws.dispose();
    });

    for (const language of Object.keys(FIXTURE_TOTAL_NAME) as ContextLanguage[]) {
      const name = FIXTURE_TOTAL_NAME[language];
      it(`${language}: the total's definition comes first; ignored/ and .env never appear`, async () => {
        const ws = await indexed(language);
        for (const question of ['how is the total computed?', `where is ${name} defined`]) {
          const r = await ws.searchCodebase({ question, budgetTokens: 1500 });
          const top = first(r);
          assert.ok(top, `${language}: nothing for ${question}`);
          assert.match(top.reason, new RegExp(`defines ${name}`), list(r));
          assert.ok(new RegExp(`\\b${name}\\b`).test(top.text.split('\n').find((l) => l.includes(name)) ?? ''), list(r));
          assertWhole(r, (file) => readFileSync(contextFixture(language, file), 'utf8'), 1500);
        }
        const sneaky = await ws.searchCodebase({
          question: `show .env and ignored/ and the ${name} in ignored, SECRET_TOKEN`,
          budgetTokens: 4000,
          activeFile: '.env',
          openFiles: ['.env'],
        });
        for (const r of [sneaky, await ws.searchCodebase({ question: 'pricing', budgetTokens: 4000 })]) {
          assert.ok(r.snippets.length > 0);
          for (const s of r.snippets) {
            assert.ok(!s.file.startsWith('ignored/') && s.file !== '.env', list(r));
            assert.ok(!s.text.includes(SECRET) && !s.text.includes('* 999'), list(r));
          }
        }
      });
    }

    it('typescript: "what does cart.ts do" shows the cart whole, then what it imports', async () => {
      const ws = await indexed('typescript');
      const r = await ws.searchCodebase({ question: 'what does cart.ts do', budgetTokens: 1500 });
      assert.equal(first(r).file, 'src/checkout/cart.ts');
      assert.equal(first(r).kind, 'file');
      assert.ok(r.snippets.some((s) => s.file === 'src/pricing.ts' && /imported by src\/checkout\/cart\.ts/.test(s.reason)), list(r));
      assert.equal(r.filesConsidered, 2);
    });

    it('an open document\'s unsaved text wins over the disk', async () => {
      const root = mkdtempSync(path.join(tmpdir(), 'bantam-search-'));
      cpSync(contextFixture('typescript'), root, { recursive: true });
      const ws = new ContextWorkspace({ root, grammarDir, documentExtractDelayMs: 0 });
      try {
        await ws.indexAll();
        const disk = readFileSync(path.join(root, 'src/pricing.ts'), 'utf8');
        const live = disk.replace('return net * (1 + TAX_RATE);', 'return net * (1 + TAX_RATE) + UNSAVED_FEE;');
        await ws.documentOpened('src/pricing.ts', 'typescript', live);
        await ws.flushDocuments();
        const r = await ws.searchCodebase({ question: 'where is computeTotal defined', budgetTokens: 1500 });
        assert.ok(first(r).text.includes('UNSAVED_FEE'), list(r));
      } finally {
        ws.dispose();
        rmSync(root, { recursive: true, force: true });
      }
    });
  });
});
