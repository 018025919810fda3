// How closely a definition is related to where the cursor is, by the words of names: the words it
// shares with the enclosing functions' names and the current file's name, and whether its file's
// name shares one with the current file's. Code calls what it is named after: `TestParseDate` in
// localtime_test.go calls `ParseLocalDate` of localtime.go, `test_parse_header` calls
// `parse_header`, `parseDate` calls `parseLocalDate`. For a line not yet typed, this orders the
// many definitions a whole package offers (a Go package's files, a module's API), where the order of
// the files would otherwise pick.

import { baseOf } from './languages/importPaths';
import { stem, STOP_WORDS, subWords } from './questionTerms';

/**
 * Words that name no subject: test scaffolding, generic verbs, and the 12 languages' keywords,
 * built-in types and values (the lines above the cursor lend every word they hold).
 */
const GENERIC = new Set([
  'test', 'tests', 'benchmark', 'bench', 'example', 'fuzz', 'spec', 'new', 'make', 'init', 'main', 'run', 'self', 'this',
  'impl', 'util', 'utils', 'helper', 'helpers', 'index', 'string', 'str', 'int', 'integer', 'float', 'double', 'bool',
  'boolean', 'byte', 'char', 'void', 'error', 'err', 'object', 'any', 'none', 'nil', 'null', 'true', 'false', 'len',
  'interface', 'struct', 'func', 'function', 'return', 'static', 'final', 'public', 'private', 'protected', 'const',
  'var', 'let', 'else', 'elif', 'for', 'while', 'switch', 'case', 'break', 'continue', 'class', 'def', 'import',
  'from', 'package', 'await', 'async', 'yield', 'try', 'catch', 'except', 'finally', 'raise', 'throw', 'throws',
  'with', 'not', 'and', 'lambda', 'pass', 'global', 'nonlocal', 'assert', 'del', 'delete', 'typeof', 'instanceof',
  'extends', 'implements', 'override', 'virtual', 'abstract', 'readonly', 'export', 'default', 'mut', 'pub',
  'match', 'use', 'mod', 'crate', 'where', 'enum', 'trait', 'type', 'range', 'defer', 'chan', 'select', 'map',
  'goto', 'fallthrough', 'unsafe', 'namespace', 'using', 'sizeof', 'auto', 'unsigned', 'signed', 'long', 'short',
  'begin', 'end', 'elsif', 'unless', 'until', 'then', 'echo', 'array', 'foreach', 'elseif', 'endif', 'undefined',
  'uint', 'int64', 'int32', 'uint64', 'uint32', 'float64', 'float32', 'rune', 'usize', 'isize', 'u8', 'i32', 'i64', 'f64',
]);

/** Memo of subjectStems across requests (names recur), dropped whole when it grows past its cap. */
const stemsOfName = new Map<string, string[]>();
const MAX_MEMO_NAMES = 50_000;

/** Stems of a name's words that say something. */
function subjectStems(name: string): string[] {
  let stems = stemsOfName.get(name);
  if (stems === undefined) {
    const found = new Set<string>();
    for (const word of subWords(name)) {
      if (STOP_WORDS.has(word) || GENERIC.has(word)) continue;
      const s = stem(word);
      if (s.length >= 3 && !GENERIC.has(s)) found.add(s);
    }
    stems = [...found];
    if (stemsOfName.size >= MAX_MEMO_NAMES) stemsOfName.clear();
    stemsOfName.set(name, stems);
  }
  return stems;
}

/** Equal stems, or one the start of the other when both are long enough (encod, encoder). */
function sameStem(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.startsWith(short);
}

/** A file's name without folder and extension (the module name an import may use): a/localtime_test.go -> localtime_test. */
export function fileBaseName(file: string): string {
  const base = baseOf(file);
  const dot = base.indexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

export class NameAffinity {
  private readonly stems: string[];
  private readonly fileStems: string[];
  /** Answers per name and per file: a package offers hundreds of definitions from a few files. */
  private readonly byName = new Map<string, number>();
  private readonly byFile = new Map<string, boolean>();

  /** `names`: the enclosing functions' and classes' names; `file`: the current file. */
  constructor(
    names: readonly string[],
    private readonly file: string,
  ) {
    this.fileStems = subjectStems(fileBaseName(file));
    this.stems = [...new Set([...names.flatMap(subjectStems), ...this.fileStems])];
  }

  /** Words of `name` shared with the context, plus one when `file` (another file) is named alike. */
  of(name: string, file: string): number {
    let byName = this.byName.get(name);
    if (byName === undefined) {
      byName = subjectStems(name).filter((s) => this.stems.some((c) => sameStem(c, s))).length;
      this.byName.set(name, byName);
    }
    let byFile = this.byFile.get(file);
    if (byFile === undefined) {
      byFile = file !== this.file && subjectStems(fileBaseName(file)).some((s) => this.fileStems.some((c) => sameStem(c, s)));
      this.byFile.set(file, byFile);
    }
    return byName + (byFile ? 1 : 0);
  }
}

/**
 * Definitions no code calls by name: test runners find them by their names (Go's `TestX`,
 * `BenchmarkX`, `ExampleX`, `FuzzX` in _test.go files; `test_x` and `TestX` classes in Python's test
 * files; minitest's `test_x` in Ruby's; PHPUnit's `testX` in *Test.php; JUnit 3's and NUnit's
 * `testX` in *Test(s).java / .cs). Tests found by annotation (`@Test`, `#[test]`) are not told by name.
 */
export function isTestEntryPoint(name: string, file: string): boolean {
  if (file.endsWith('_test.go')) return /^(Test|Benchmark|Example|Fuzz)(?!\p{Ll})/u.test(name);
  const base = baseOf(file);
  if (/^test_.*\.py$|_test\.py$/.test(base)) return /^(test|Test[A-Z_]|Test$)/.test(name);
  if (/^test_.*\.rb$|_test\.rb$/.test(base)) return /^test_/.test(name);
  if (/Tests?\.(php|java|cs|kt)$/.test(base)) return /^test[A-Z_]/.test(name);
  return false;
}
