// bench:context's recall part: which call sites it samples (callee defined, unambiguously, in another
// file), the file as the editor holds it at each moment, what counts as a hit, and the baseline.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { callSitesIn, codeTest, retrievedDefinition, sampleCallSites, truncatedAt, type CallSite } from '../../../bench/callSites';
import { JaccardBaseline } from '../../../bench/jaccardBaseline';
import { ContextWorkspace } from '../../../src/core/context/contextWorkspace';
import { grammarDir } from '../../support/repoRoot';

const FILES: Record<string, string> = {
  'src/pricing.ts': [
    'export function computeTotal(prices: number[]): number {',
    '  return prices.reduce((a, b) => a + b, 0);',
    '}',
    '',
    'export class Renderer {',
    '  render(total: number): string {',
    '    return `${total}`;',
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/helpers.ts': 'export function helper(): number {\n  return 1;\n}\n\nexport function formatReceipt(): string {\n  return "";\n}\n',
  'src/store.ts': 'export class Store {\n  get(key: string): number {\n    return key.length;\n  }\n}\n',
  'src/more.ts': 'export function helper(): number {\n  return 2;\n}\n',
  'src/app.ts': [
    "import { computeTotal, Renderer } from './pricing';",
    "import { helper } from './helpers';",
    '',
    'function localOnly(): number {',
    '  return 3;',
    '}',
    '',
    'export function main(cache: Map<string, number>, renderer: Renderer): string {',
    '  const total = computeTotal([1, 2, localOnly(), helper()]);',
    "  cache.get('x');",
    '  // formatReceipt() in a comment is no call',
    '  return renderer.render(total);',
    '}',
    '',
  ].join('\n'),
  'src/overloads.ts': 'export function css(name: string): string;\nexport function css(name: string, value: string): void;\nexport function css(name: string, value?: string): string | void {\n  return value ?? name;\n}\n',
  'src/shapes.ts': 'export class Square {\n  draw(): void {}\n}\n\nexport class Circle {\n  draw(): void {}\n}\n',
  'src/checks.ts': [
    "import { formatReceipt } from './helpers';",
    "import { css } from './overloads';",
    '',
    'export function check(shape: any): string {',
    '  const ok = true; // formatReceipt() after code is no call',
    '  const label = "formatReceipt() in a string";',
    '  shape.draw();',
    "  css('color');",
    '  return formatReceipt() + label + String(ok);',
    '}',
    '',
  ].join('\n'),
  'lib/shapes.py': 'def area(width, height):\n    return width * height\n\n\nclass Cursor:\n    def sorted(self):\n        return 1\n',
  'lib/fmt.py': 'def format(value):\n    return str(value)\n',
  'lib/imported.py': 'import lib.missing as m\nfrom lib.fmt import format\n\n\ndef show(w):\n    m.area(w, 2)\n    return format(w)\n',
  'src/template.ts': "import { computeTotal } from './pricing';\n\nexport function label(): string {\n  return `total: ${computeTotal([1, 2])}`;\n}\n",
  'go.mod': 'module example.com/shop\n\ngo 1.21\n',
  'gopkg/runner.go': 'package gopkg\n\ntype Runner struct{}\n\nfunc (r *Runner) Run() {}\n\nfunc (r *Runner) Failed() bool {\n\treturn false\n}\n',
  'gopkg/runner_test.go': 'package gopkg\n\nimport "testing"\n\nfunc TestRunner(t *testing.T) {\n\tt.Run("a", nil)\n\tr := &Runner{}\n\tr.Run()\n\tif r.Failed() {\n\t\tt.Fail()\n\t}\n}\n',
  'lib/walk.py': [
    'import os',
    'from lib.shapes import area, Cursor',
    '',
    '',
    'def walk(w, it, cursor: Cursor):',
    '    os.area(w)',
    '    sorted(it)',
    '    cursor.sorted()',
    '    return area(w, 1)',
    '',
  ].join('\n'),
  'lib/report.py': 'from lib.shapes import area\n\n\ndef report(w, h):\n    print("size")\n    return area(w, h)\n',
};

describe('recall benchmark call sites', function () {
  this.timeout(60_000);
  let root: string;
  let ws: ContextWorkspace;
  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'bantam-callsites-'));
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    ws = new ContextWorkspace({ root, grammarDir, documentExtractDelayMs: 0 });
    await ws.indexAll();
  });
  after(() => {
    ws.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  const sitesOf = (file: string): ReturnType<typeof callSitesIn> => callSitesIn(file, FILES[file]!, ws);

  describe('callSitesIn', () => {
    const cases: { file: string; callee: string; line: number; nameEnd: number; definedIn: string }[] = [
      { file: 'src/app.ts', callee: 'computeTotal', line: 9, nameEnd: 28, definedIn: 'src/pricing.ts' },
      { file: 'src/app.ts', callee: 'render', line: 12, nameEnd: 24, definedIn: 'src/pricing.ts' },
      { file: 'lib/report.py', callee: 'area', line: 6, nameEnd: 15, definedIn: 'lib/shapes.py' },
    ];
    for (const c of cases) {
      it(`${c.file}: samples ${c.callee}, defined in ${c.definedIn}, on line ${c.line}`, () => {
        const site = sitesOf(c.file).sites.find((s) => s.callee === c.callee);
        assert.ok(site, `no site for ${c.callee}`);
        assert.equal(site.line, c.line);
        assert.equal(site.nameEnd, c.nameEnd);
        assert.deepEqual([...new Set(site.definitions.map((d) => d.file))], [c.definedIn]);
        assert.equal(FILES[c.file]!.split('\n')[c.line - 1]!.slice(site.nameEnd - c.callee.length, site.nameEnd), c.callee);
      });
    }

    it('leaves out callees of this file, built-in member calls, comments and names defined in several files', () => {
      const { sites, ambiguous } = sitesOf('src/app.ts');
      assert.deepEqual(sites.map((s) => s.callee).sort(), ['computeTotal', 'render']);
      assert.equal(ambiguous, 1, 'helper is defined in two files');
      assert.equal(sites.filter((s) => s.callee === 'computeTotal').length, 1, 'one site per callee per file');
    });

    it("counts a call only in code, by the syntax tree: not in a trailing comment or a string", async () => {
      const text = FILES['src/checks.ts']!;
      const isCode = await codeTest(ws, 'src/checks.ts', 'typescript', text);
      assert.ok(isCode);
      const site = callSitesIn('src/checks.ts', text, ws, { isCode }).sites.find((s) => s.callee === 'formatReceipt');
      assert.equal(site?.line, 9, 'the call in the return, not the comment (5) or the string (6)');
      assert.equal(callSitesIn('src/checks.ts', text, ws).sites.find((s) => s.callee === 'formatReceipt')?.line, 5, 'without the tree, the comment is taken');
    });

    it('takes overloads in one file as one definition, and a method of two types in one file as ambiguous', async () => {
      const text = FILES['src/checks.ts']!;
      const { sites, ambiguous } = callSitesIn('src/checks.ts', text, ws, { isCode: await codeTest(ws, 'src/checks.ts', 'typescript', text) });
      const css = sites.find((s) => s.callee === 'css');
      assert.equal(css?.definitions.length, 3, 'three overloads');
      assert.ok(!sites.some((s) => s.callee === 'draw'));
      assert.equal(ambiguous, 1, 'draw: Square.draw or Circle.draw');
    });

    it("leaves out calls through a library's alias and plain calls of a built-in function's name", () => {
      const sites = sitesOf('lib/walk.py').sites.map((s) => `${s.callee}:${s.line}`);
      assert.deepEqual(sites.sort(), ['area:9', 'sorted:8'], 'os.area( is the os module\'s, sorted( a built-in');
    });

    it("tells a library's alias by the project's shape when given, so an import the resolver misses stays a call site", () => {
      const text = FILES['lib/imported.py']!;
      const byResolver = callSitesIn('lib/imported.py', text, ws);
      assert.deepEqual(byResolver.sites.map((s) => s.callee).sort(), ['format'], 'lib.missing resolves nowhere: taken for a library');
      assert.equal(byResolver.excluded['library call'], 1);
      const byShape = callSitesIn('lib/imported.py', text, ws, { project: { tops: new Set(['lib', 'src']) } });
      assert.deepEqual(byShape.sites.map((s) => `${s.callee}:${s.line}`).sort(), ['area:6', 'format:7'], "lib is the project's: m.area( counts");
    });

    it("a built-in function's name the file imports is the project's", () => {
      const sites = callSitesIn('lib/imported.py', FILES['lib/imported.py']!, ws).sites;
      assert.deepEqual(sites.map((s) => `${s.callee}:${s.line}`), ['format:7']);
    });

    it("Go's testing methods are left out only on the test's t", () => {
      const { sites, excluded } = callSitesIn('gopkg/runner_test.go', FILES['gopkg/runner_test.go']!, ws);
      assert.deepEqual(sites.map((s) => `${s.callee}:${s.line}`).sort(), ['Failed:9', 'Run:8'], 'r.Run and r.Failed are the project\'s');
      assert.equal(excluded['built-in method'], 1, 't.Run');
    });

    it('a call inside a template substitution is code', async () => {
      const text = FILES['src/template.ts']!;
      const isCode = await codeTest(ws, 'src/template.ts', 'typescript', text);
      assert.deepEqual(callSitesIn('src/template.ts', text, ws, { isCode }).sites.map((s) => `${s.callee}:${s.line}`), ['computeTotal:4']);
    });

    it('finds nothing in a file whose callees are all its own or built-ins', () => {
      assert.deepEqual(sitesOf('src/pricing.ts').sites, []);
    });
  });

  describe('truncatedAt', () => {
    const site = (): CallSite => sitesOf('src/app.ts').sites.find((s) => s.callee === 'render')!;
    const lines = FILES['src/app.ts']!.split('\n');
    it('typed: the lines above, then the call line up to and including the callee name', () => {
      assert.equal(truncatedAt(FILES['src/app.ts']!, site(), 'typed'), [...lines.slice(0, 11), '  return renderer.render'].join('\n'));
    });
    it('newline: the lines above, then only the call line\'s indentation', () => {
      assert.equal(truncatedAt(FILES['src/app.ts']!, site(), 'newline'), [...lines.slice(0, 11), '  '].join('\n'));
    });
  });

  describe('retrievedDefinition', () => {
    const site: CallSite = {
      file: 'src/app.ts',
      line: 9,
      nameEnd: 28,
      callee: 'computeTotal',
      definitions: [{ name: 'computeTotal', kind: 'function', startLine: 1, endLine: 3, signature: '', file: 'src/pricing.ts', language: 'typescript' }],
    };
    const snippet = (file: string, startLine: number, endLine: number, text: string) => ({ file, startLine, endLine, text, reason: '' });
    const cases: { name: string; snippets: ReturnType<typeof snippet>[]; hit: boolean }[] = [
      { name: 'the whole definition', snippets: [snippet('src/pricing.ts', 1, 3, 'export function computeTotal(...)')], hit: true },
      { name: 'a larger range holding its first line', snippets: [snippet('src/pricing.ts', 1, 9, 'computeTotal ... Renderer')], hit: true },
      { name: 'another file', snippets: [snippet('src/more.ts', 1, 3, 'computeTotal')], hit: false },
      { name: 'the right file, other lines', snippets: [snippet('src/pricing.ts', 5, 9, 'class Renderer computeTotal')], hit: false },
      { name: 'the lines without the name (an outline cut before it)', snippets: [snippet('src/pricing.ts', 1, 3, 'export function …')], hit: false },
      { name: 'no snippets', snippets: [], hit: false },
    ];
    for (const c of cases) it(`${c.name}: ${c.hit ? 'hit' : 'miss'}`, () => assert.equal(retrievedDefinition(c.snippets, site), c.hit));
  });

  describe('sampleCallSites', () => {
    const sites = Array.from({ length: 40 }, (_, i) => ({ file: `f${i % 5}.ts`, line: i + 1 }));
    const fileOf = (s: { file: string }): string => s.file;
    it('is the same for a seed, other for another seed, whatever the input order', () => {
      const a = sampleCallSites(sites, fileOf, 8, 16);
      assert.deepEqual(sampleCallSites([...sites].reverse(), fileOf, 8, 16), a);
      assert.notDeepEqual(sampleCallSites(sites, fileOf, 8, 17), a);
    });
    it('draws at most the count, at most perFile from one file, without repeats', () => {
      const picked = sampleCallSites(sites, fileOf, 12, 16, 2);
      assert.equal(picked.length, 10, 'five files, two each');
      assert.equal(new Set(picked).size, picked.length);
      for (let f = 0; f < 5; f++) assert.equal(picked.filter((s) => s.file === `f${f}.ts`).length, 2);
    });
  });

  describe('JaccardBaseline', () => {
    it('sends windows of other files sharing the lines\' words, within the budget', () => {
      const texts = new Map(Object.entries(FILES));
      const baseline = new JaccardBaseline(texts);
      const typed = 'const prices = [1, 2];\nconst total = prices.reduce((a, b) => a + b, 0);\n';
      const [small, large] = baseline.retrieve('src/new.ts', typed, '', [20, 2048]);
      assert.ok(large!.some((s) => s.file === 'src/pricing.ts' && s.text.includes('prices.reduce')), JSON.stringify(large));
      assert.ok(small!.length < large!.length, 'a smaller budget sends less');
    });
  });
});
