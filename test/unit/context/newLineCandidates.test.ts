// Tests for the candidates of a line not yet typed (newLineCandidates.ts through retrieval): in each
// of the 12 fixture workspaces, the using file cut at the call line (the callee not typed yet) still
// retrieves the callee's definition, as cheap signature lines; a typed line gets none of them; and
// the pieces: the imported names, the enclosing signature's types with their members, names used
// elsewhere in the file, and isLineNotYetTyped.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ContextLanguage, FileSymbols, ImportStatement, IndexedDefinition } from '../../../src/core/context/contextTypes';
import type { ParsedDocument } from '../../../src/core/context/documentTrees';
import { isLineNotYetTyped, newLineCandidates } from '../../../src/core/context/newLineCandidates';
import { describeSnippets, FixtureWorkspaces, fixtureSourceFiles, retrieveAtCursor } from '../../support/fixtureWorkspaces';
import { contextFixture, FIXTURE_CURSOR_MARKER, FIXTURE_TOTAL_NAME } from '../../support/repoRoot';

const LANGUAGES = Object.keys(FIXTURE_TOTAL_NAME) as ContextLanguage[];

/** The using file cut just before its call line, 40 comment lines further down, the cursor indented on a fresh line. */
function freshLineAtCall(language: ContextLanguage): { file: string; text: string; definitionsFile: string } {
  const files = fixtureSourceFiles(language);
  const file = files.find((f) => readFileSync(contextFixture(language, f), 'utf8').includes(FIXTURE_CURSOR_MARKER))!;
  const full = readFileSync(contextFixture(language, file), 'utf8');
  const lineStart = full.lastIndexOf('\n', full.indexOf(FIXTURE_CURSOR_MARKER)) + 1;
  const indent = /^[ \t]*/.exec(full.slice(lineStart))![0];
  // Comment lines push the imports out of the lines near the cursor, as in a real file.
  const comment = language === 'python' || language === 'ruby' ? '#' : '//';
  const padding = Array.from({ length: 40 }, (_, i) => `${indent}${comment} step ${i}\n`).join('');
  const text = full.slice(0, lineStart) + padding + indent;
  const name = FIXTURE_TOTAL_NAME[language];
  const definitionsFile = files.find(
    (f) => f !== file && /pric/i.test(f) && new RegExp(`\\b${name}\\b`).test(readFileSync(contextFixture(language, f), 'utf8')) && !f.endsWith('.h') && !f.endsWith('.hpp'),
  )!;
  return { file, text, definitionsFile };
}


/** Twenty small functions: a module whose API is more than a whole-module import offers. */
const FILLER = {
  python: Array.from({ length: 20 }, (_, i) => `def tool${i}(n: int) -> int:\n    return n + ${i}\n\n\n`).join(''),
  typescript: Array.from({ length: 20 }, (_, i) => `export function tool${i}(n: number): number {\n  return n + ${i};\n}\n`).join(''),
  go: 'package pricing\n\n' + Array.from({ length: 20 }, (_, i) => `func Tool${i}(n int) int {\n\treturn n + ${i}\n}\n\n`).join(''),
};

describe('retrieval on a line not yet typed', function () {
  this.timeout(60_000);
  const workspaces = new FixtureWorkspaces();
  const indexed = (language: ContextLanguage) => workspaces.indexed(language);
  after(() => workspaces.dispose());

  describe('the callee, not yet typed, is among the snippets', () => {
    for (const language of LANGUAGES) {
      it(language, async () => {
        const ws = await indexed(language);
        const { file, text } = freshLineAtCall(language);
        await ws.documentOpened(file, '', text);
        await ws.flushDocuments();
        try {
          const result = await ws.retrieve({ file, languageId: '', text, offset: text.length, budgetTokens: 512 });
          const name = FIXTURE_TOTAL_NAME[language];
          const hit = result.snippets.find((s) => s.file !== file && new RegExp(`\\b${name}\\b`).test(s.text));
          assert.ok(hit, `no snippet shows ${name}: ${describeSnippets(result)}`);
          assert.ok(result.tokens <= 512);
        } finally {
          await ws.documentClosed(file);
        }
      });
    }
  });

  describe('a typed line gets none of them', () => {
    for (const language of ['typescript', 'python', 'go'] as ContextLanguage[]) {
      it(language, async () => {
        const ws = await indexed(language);
        const { file, text } = freshLineAtCall(language);
        const typed = `${text}x = 1`;
        const result = await ws.retrieve({ file, languageId: '', text: typed, offset: typed.length, budgetTokens: 512 });
        const fresh = await ws.retrieve({ file, languageId: '', text, offset: text.length, budgetTokens: 512 });
        const isNewLinePick = (reason: string) => /^imported |\(imported\)$|used in this file|^type |^member of /.test(reason);
        assert.ok(fresh.snippets.some((s) => isNewLinePick(s.reason)), describeSnippets(fresh));
        assert.ok(!result.snippets.some((s) => isNewLinePick(s.reason)), describeSnippets(result));
      });
    }
  });

  // Each case: files opened beside the fixture, and a file with the cursor at `|` on a fresh line;
  // `expect` are lines (trimmed) some snippet from another file (or far in this one) must show.
  const CASES: { language: ContextLanguage; cause: string; files: Record<string, string>; file: string; text: string; expect: string[]; absent?: string[] }[] = [
    {
      language: 'typescript',
      cause: "this's class members beyond the near lines",
      files: {},
      file: 'src/ledger.ts',
      text: 'export class Ledger {\n  post(amount: number): void {\n    void amount;\n  }\n' + '  //\n'.repeat(40) + '  close(): void {\n    |\n  }\n}\n',
      expect: ['post(amount: number): void {'],
    },
    {
      language: 'python',
      cause: "self's class members beyond the near lines",
      files: {},
      file: 'shop/till.py',
      text: 'class Till:\n    def open_drawer(self, code: str) -> bool:\n        return True\n\n' + '    # note\n'.repeat(40) + '    def ring(self):\n        |\n',
      expect: ['def open_drawer(self, code: str) -> bool:'],
    },
    {
      language: 'go',
      cause: 'a method receiver type and its methods declared apart',
      files: { 'pricing/ledger.go': 'package pricing\n\ntype Ledger struct {\n\tOwner string\n}\n\nfunc (l *Ledger) Post(amount float64) {\n\t_ = amount\n}\n' },
      file: 'pricing/close.go',
      text: 'package pricing\n\n' + '// note\n'.repeat(40) + 'func (l *Ledger) Close() {\n\t|\n}\n',
      expect: ['func (l *Ledger) Post(amount float64) {', 'type Ledger struct {'],
    },
    {
      language: 'java',
      cause: "this's class members beyond the near lines",
      files: {},
      file: 'src/main/java/com/shop/checkout/Closer.java',
      text: 'package com.shop.checkout;\n\npublic class Closer {\n    public void post(double amount) {\n        System.out.println(amount);\n    }\n' + '    // note\n'.repeat(40) + '    void close() {\n        |\n    }\n}\n',
      expect: ['public void post(double amount) {'],
    },
    {
      language: 'python',
      cause: 'one decorator stays with the signature',
      files: { 'shop/rates.py': 'class Rates:\n    @staticmethod\n    def for_zone(zone: str) -> float:\n        table = {"eu": 1.0, "us": 1.2}\n        rate = table.get(zone, 2.0)\n        rate = rate * 1.0\n        rate = round(rate, 2)\n        rate = max(rate, 0.5)\n        return rate\n' },
      file: 'shop/quote.py',
      text: 'from .rates import Rates\n' + '# note\n'.repeat(40) + 'def quote():\n    |\n',
      expect: ['@staticmethod', 'def for_zone(zone: str) -> float:'],
      absent: ['table = {"eu": 1.0, "us": 1.2}'],
    },
    {
      language: 'python',
      cause: 'a module imported by name offers its functions',
      files: { 'shop/helpers.py': 'def tidy(value: str) -> str:\n    return value.strip()\n' },
      file: 'shop/app.py',
      text: 'from . import helpers\n' + '# note\n'.repeat(40) + 'def main():\n    |\n',
      expect: ['def tidy(value: str) -> str:'],
    },
    {
      language: 'python',
      cause: "a module imported by name offers its top-level functions before its classes' methods",
      // A class of twenty methods ahead of the function: more than a whole-module import offers.
      files: { 'shop/loops.py': 'class Loop:\n' + FILLER.python.replace(/^(?=.)/gm, '    ').replace(/\(n/g, '(self, n') + 'def running_loop() -> Loop:\n    return Loop()\n' },
      file: 'shop/worker.py',
      text: 'from . import loops\n' + '# note\n'.repeat(40) + 'def main():\n    |\n',
      expect: ['def running_loop() -> Loop:'],
    },
    {
      language: 'typescript',
      cause: 'a name used elsewhere in the file, beyond the near lines',
      files: { 'src/audit.ts': 'export function auditTrail(entries: string[], strict: boolean): string[] {\n  const out = entries.filter((e) => e.length > 0);\n  if (strict) out.sort();\n  const more = out.map((e) => e.trim());\n  void more;\n  return out;\n}\n' },
      file: 'src/report.ts',
      text: "import * as audit from './audit';\nexport function first(): string[] {\n  return audit.auditTrail([], false);\n}\n" + '//\n'.repeat(40) + 'export function second(): void {\n  |\n}\n',
      expect: ['export function auditTrail(entries: string[], strict: boolean): string[] {'],
      absent: ['const out = entries.filter((e) => e.length > 0);'],
    },
    {
      language: 'python',
      cause: 'a wrapped signature comes whole, a stack of decorators left out',
      files: { 'shop/service.py': 'import functools\n\n\n@functools.cache\n@functools.wraps(print)\n@functools.lru_cache(maxsize=None)\ndef make_service(\n    name: str,\n    retries: int = 3,\n) -> str:\n    value = name * retries\n    value = value.strip()\n    value = value.lower()\n    value = value.upper()\n    value = value.title()\n    return value\n' },
      file: 'shop/app.py',
      text: 'from .service import make_service\n' + '# note\n'.repeat(40) + 'def main():\n    |\n',
      expect: ['def make_service(', 'retries: int = 3,', ') -> str:'],
      absent: ['@functools.cache', 'value = name * retries'],
    },
    {
      language: 'python',
      cause: "the members of an attribute's type, assigned from an annotated parameter in __init__",
      // Twenty functions ahead of the class: more than a whole-module import offers.
      files: { 'shop/drawer.py': FILLER.python + 'class Drawer:\n    def open_with(self, code: str) -> bool:\n        return bool(code)\n' },
      file: 'shop/till.py',
      text: 'from . import drawer\n\n\nclass Till:\n    def __init__(self, drawer: drawer.Drawer):\n        self._drawer = drawer\n\n' + '    # note\n'.repeat(40) + '    def ring(self):\n        self._drawer\n        |\n',
      expect: ['def open_with(self, code: str) -> bool:'],
    },
    {
      language: 'python',
      cause: "the members of the enclosing class's base, in another file",
      files: { 'shop/register.py': FILLER.python + 'class Register:\n    def print_receipt(self, copies: int) -> None:\n        pass\n' },
      file: 'shop/till.py',
      text: 'from . import register\n\n\nclass Till(register.Register):\n' + '    # note\n'.repeat(40) + '    def ring(self):\n        |\n',
      expect: ['def print_receipt(self, copies: int) -> None:'],
    },
    {
      language: 'typescript',
      cause: "the members of the enclosing class's base's base",
      files: { 'src/register.ts': FILLER.typescript + 'export class Register {\n  printReceipt(copies: number): void {\n    void copies;\n  }\n}\nexport class CashRegister extends Register {}\n' },
      file: 'src/till.ts',
      text: "import * as registers from './register';\nexport class Till extends registers.CashRegister {\n" + '  //\n'.repeat(40) + '  ring(): void {\n    |\n  }\n}\n',
      expect: ['printReceipt(copies: number): void {'],
    },
    {
      language: 'typescript',
      cause: "the members of an attribute's type, constructed in the constructor",
      files: { 'src/drawer.ts': FILLER.typescript + 'export class Drawer {\n  openWith(code: string): boolean {\n    return code.length > 0;\n  }\n}\n' },
      file: 'src/till.ts',
      text: "import * as drawers from './drawer';\nexport class Till {\n  private drawer;\n  constructor() {\n    this.drawer = new drawers.Drawer();\n  }\n" + '  //\n'.repeat(40) + '  ring(): void {\n    |\n  }\n}\n',
      expect: ['openWith(code: string): boolean {'],
    },
    {
      language: 'go',
      cause: "of a large package, the function named like the enclosing test and the file's subject",
      files: { 'pricing/a_tools.go': FILLER.go, 'pricing/localdate.go': 'package pricing\n\ntype LocalDate struct{}\n\nfunc ParseLocalDate(s string) (LocalDate, error) {\n\treturn LocalDate{}, nil\n}\n' },
      file: 'pricing/localdate_test.go',
      text: 'package pricing\n\nimport "testing"\n\n' + '// note\n'.repeat(40) + 'func TestParseDate(t *testing.T) {\n\t|\n}\n',
      expect: ['func ParseLocalDate(s string) (LocalDate, error) {'],
    },
    {
      language: 'go',
      cause: 'of a large package, the function named like the names on the lines just above',
      files: { 'pricing/a_tools.go': FILLER.go, 'pricing/values.go': 'package pricing\n\ntype LocalDate struct{}\n\nconst tokenLocalDate = 3\n\nfunc ParseLocalDate(s string) (LocalDate, error) {\n\treturn LocalDate{}, nil\n}\n' },
      file: 'pricing/reader.go',
      text: 'package pricing\n\n' + '// note\n'.repeat(40) + 'func read(kind int, s string) interface{} {\n\tswitch kind {\n\tcase tokenLocalDate:\n\t\t|\n\t}\n\treturn nil\n}\n',
      expect: ['func ParseLocalDate(s string) (LocalDate, error) {'],
    },
    {
      language: 'go',
      cause: 'never a test entry point of the package (TestX, BenchmarkX, ExampleX)',
      files: { 'pricing/a_test.go': 'package pricing\n\nimport "testing"\n\nfunc TestAlpha(t *testing.T) {}\n\nfunc BenchmarkAlpha(b *testing.B) {}\n\nfunc ExampleAlpha() {}\n\nfunc alphaFixture() int {\n\treturn 1\n}\n' },
      file: 'pricing/b_test.go',
      text: 'package pricing\n\nimport "testing"\n\n' + '// note\n'.repeat(40) + 'func TestBeta(t *testing.T) {\n\t|\n}\n',
      expect: ['func alphaFixture() int {'],
      absent: ['func TestAlpha(t *testing.T) {}', 'func BenchmarkAlpha(b *testing.B) {}', 'func ExampleAlpha() {}'],
    },
    {
      language: 'python',
      cause: "of a module imported whole, the function named like the enclosing test",
      files: { 'shop/headers.py': FILLER.python + 'def parse_header(line: str) -> dict:\n    return {}\n' },
      file: 'shop/test_headers.py',
      text: 'from . import headers\n' + '# note\n'.repeat(40) + 'def test_parse_header():\n    |\n',
      expect: ['def parse_header(line: str) -> dict:'],
    },
    {
      language: 'typescript',
      cause: 'of a module imported whole, the function named like the enclosing function',
      files: { 'src/dates.ts': FILLER.typescript + 'export function parseLocalDate(text: string): Date {\n  return new Date(text);\n}\n' },
      file: 'src/form.ts',
      text: "import * as dates from './dates';\n" + '//\n'.repeat(40) + 'export function readDateField(field: string): void {\n  |\n}\n',
      expect: ['export function parseLocalDate(text: string): Date {'],
    },
    {
      language: 'python',
      cause: "a module imported whole offers its public names before its _private ones",
      files: { 'shop/util.py': FILLER.python.replace(/def tool/g, 'def _tool') + 'class Finalize:\n    def __init__(self, obj, callback):\n        self.obj = obj\n' },
      file: 'shop/popen.py',
      text: 'from . import util\n' + '# note\n'.repeat(40) + 'class Popen:\n    def launch(self):\n        |\n',
      expect: ['class Finalize:'],
    },
    {
      language: 'go',
      cause: "another package's unexported names are never offered",
      files: {
        'go.mod': 'module example.com/shop\n\ngo 1.21\n',
        'tools/tools.go': 'package tools\n\n' + Array.from({ length: 20 }, (_, i) => `func helper${i}(n int) int {\n\treturn n + ${i}\n}\n\n`).join('') + 'func Exported(n int) int {\n\treturn helper0(n)\n}\n',
      },
      file: 'cmd/use.go',
      text: 'package main\n\nimport "example.com/shop/tools"\n\n' + '// note\n'.repeat(40) + 'func main() {\n\t|\n}\n',
      expect: ['func Exported(n int) int {'],
      absent: ['func helper0(n int) int {'],
    },
    {
      language: 'python',
      cause: "never an imported file's dunder (__all__) for the file's own",
      files: { 'shop/other.py': "__all__ = ['other_name']\n\n\ndef other_name():\n    pass\n" },
      file: 'shop/mine.py',
      text: "from . import other\n\n__all__ = ['mine']\n" + '# note\n'.repeat(40) + 'def mine():\n    |\n',
      expect: [],
      absent: ["__all__ = ['other_name']"],
    },
    {
      language: 'go',
      cause: "a package's test entry points take none of its capped candidates",
      // Named like the enclosing function, the tests would rank first and fill the cap.
      files: { 'pricing/a_test.go': 'package pricing\n\nimport "testing"\n\n' + Array.from({ length: 20 }, (_, i) => `func TestPriceOrder${i}(t *testing.T) {}\n\n`).join(''), 'pricing/z.go': 'package pricing\n\nfunc RealThing() int {\n\treturn 1\n}\n' },
      file: 'pricing/orders_test.go',
      text: 'package pricing\n\n' + '// note\n'.repeat(40) + 'func priceOrder() {\n\t|\n}\n',
      expect: ['func RealThing() int {'],
    },
  ];

  describe('each kind of candidate', () => {
    for (const c of CASES) {
      it(`${c.language}: ${c.cause}`, async () => {
        const { result, shown } = await retrieveAtCursor(workspaces, c, 512);
        for (const line of c.expect) assert.ok(shown.has(line), `missing ${JSON.stringify(line)}: ${describeSnippets(result)}`);
        for (const line of c.absent ?? []) assert.ok(!shown.has(line), `${JSON.stringify(line)} should be left out: ${describeSnippets(result)}`);
      });
    }
  });

  it('ranks an imported name not used yet above those the file already uses', async () => {
    const helpers = Array.from({ length: 6 }, (_, i) => `export function helper${i}(value: number): number {\n  return value + ${i};\n}\n`).join('');
    const names = Array.from({ length: 6 }, (_, i) => `helper${i}`);
    const c = {
      language: 'typescript' as ContextLanguage,
      files: { 'src/helpers.ts': helpers },
      file: 'src/main.ts',
      // helper0..helper4 are called already (beyond the near lines); helper5 is imported, not used yet.
      text: `import { ${names.join(', ')} } from './helpers';\n` + names.slice(0, 5).map((n) => `${n}(1);`).join('\n') + '\n' + '//\n'.repeat(40) + '|\n',
    };
    const { result, shown } = await retrieveAtCursor(workspaces, c, 40);
    assert.ok(shown.has('export function helper5(value: number): number {'), describeSnippets(result));
  });

  describe("ranks the API of the module the file writes most above another module's", () => {
    // Straight on newLineCandidates: which of two whole-module imports' functions ranks first. Each
    // case: the import statements (alpha's first) and how the file writes zeta, three times.
    const CASES: { form: string; statements: ImportStatement[]; use: string }[] = [
      { form: 'from . import zeta', statements: [{ source: '.', names: ['alpha'], line: 1 }, { source: '.', names: ['zeta'], line: 2 }], use: 'zeta.other' },
      { form: 'import shop.zeta as z', statements: [{ source: 'shop.alpha', names: [], line: 1 }, { source: 'shop.zeta', names: [], line: 2, alias: 'z' }], use: 'z.other' },
    ];
    const def = (name: string, file: string): IndexedDefinition => ({ name, kind: 'function', startLine: 1, endLine: 2, signature: `def ${name}(n: int) -> int:`, file, language: 'python' });
    const defs = [def('alpha_step', 'shop/alpha.py'), def('zeta_step', 'shop/zeta.py')];
    for (const c of CASES) {
      it(c.form, () => {
        const text = c.statements.map((st) => `# import ${st.source}\n`).join('') + `x = ${c.use}\n`.repeat(3) + '\n';
        const picks = newLineCandidates(
          {
            request: { file: 'shop/main.py', languageId: 'python', text, offset: text.length, budgetTokens: 512 },
            doc: { file: 'shop/main.py', language: 'python', text } as ParsedDocument,
            scopes: [],
            language: 'python',
            imported: { files: new Map(), names: new Map(), statements: c.statements.map((statement, i) => ({ statement, targets: [defs[i]!.file] })) },
            near: new Set(),
            namesAbove: [],
            cursorLine: 6,
            maxMatches: 5,
          },
          {
            symbolsOf: (file) => ({ language: 'python', definitions: defs.filter((d) => d.file === file), imports: [], identifiers: [], hasErrors: false }) as FileSymbols,
            definitionsNamed: (name) => defs.filter((d) => d.name === name),
          },
        );
        assert.deepEqual(picks.map((p) => p.def.name), ['zeta_step', 'alpha_step']);
      });
    }
  });

  it('lifts a candidate whose name shares words with the lines above over one of the same kind', () => {
    const def = (name: string, startLine: number): IndexedDefinition => ({ name, kind: 'function', startLine, endLine: startLine + 1, signature: `def ${name}():`, file: 'shop/tools.py', language: 'python' });
    const defs = [def('alpha_step', 1), def('parse_header', 5)];
    const text = '# from .tools import alpha_step, parse_header\nline = parse_header_line\n\n';
    const picks = (namesAbove: string[]) =>
      newLineCandidates(
        {
          request: { file: 'shop/main.py', languageId: 'python', text, offset: text.length, budgetTokens: 512 },
          doc: { file: 'shop/main.py', language: 'python', text } as ParsedDocument,
          scopes: [],
          language: 'python',
          imported: { files: new Map(), names: new Map(), statements: [{ statement: { source: '.tools', names: ['alpha_step', 'parse_header'], line: 1 }, targets: ['shop/tools.py'] }] },
          near: new Set(),
          namesAbove,
          cursorLine: 4,
          maxMatches: 5,
        },
        {
          symbolsOf: (file) => ({ language: 'python', definitions: defs.filter((d) => d.file === file), imports: [], identifiers: [], hasErrors: false }) as FileSymbols,
          definitionsNamed: (name) => defs.filter((d) => d.name === name),
        },
      ).map((p) => p.def.name);
    assert.deepEqual(picks([]), ['alpha_step', 'parse_header'], 'alike, in file order');
    assert.deepEqual(picks(['line', 'parse_header_line']), ['parse_header', 'alpha_step']);
  });

  it('tells a line not yet typed', () => {
    const table: [string, boolean][] = [
      ['a\n|', true],
      ['a\n    |', true],
      ['a\n\t|b()', true],
      ['|', true],
      ['a\n  x|', false],
      ['a\n  foo.|', false],
    ];
    for (const [marked, expected] of table) {
      const offset = marked.indexOf('|');
      assert.equal(isLineNotYetTyped(marked.replace('|', ''), offset), expected, JSON.stringify(marked));
    }
  });
});
