// How closely a definition is related to where the cursor is, by the words of names: the words it
// shares with the enclosing functions' names and the current file's name, and whether its file's
// name shares one with the current file's. Code calls what it is named after: `TestParseDate` in
// localtime_test.go calls `ParseLocalDate` of localtime.go, `test_parse_header` calls
// `parse_header`, `parseDate` calls `parseLocalDate`. For a line not yet typed, this orders the
// many definitions a whole package offers (a Go package's files, a module's API), where the order of
// the files would otherwise pick.

import { nameStems } from './questionTerms';

/** Words that name no subject: test scaffolding and generic verbs. */
const GENERIC = new Set(['test', 'tests', 'benchmark', 'bench', 'example', 'fuzz', 'spec', 'new', 'make', 'init', 'main', 'run', 'self', 'impl', 'util', 'utils', 'helper', 'helpers', 'index']);

/** Stems of a name's words that say something. */
function subjectStems(name: string): string[] {
  return nameStems(name).filter((s) => s.length >= 3 && !GENERIC.has(s));
}

/** Equal stems, or one the start of the other when both are long enough (encod, encoder). */
function sameStem(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.startsWith(short);
}

/** A file's name without folder and extension (the module name an import may use): a/localtime_test.go -> localtime_test. */
export function fileBaseName(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
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
 * Definitions no code calls by name: test runners find them (Go's `TestX`, `BenchmarkX`, `ExampleX`,
 * `FuzzX` in _test.go files; Python's `test_x` in test files).
 */
export function isTestEntryPoint(name: string, file: string): boolean {
  if (file.endsWith('_test.go')) return /^(Test|Benchmark|Example|Fuzz)(?![a-z])/.test(name);
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (/^test_.*\.py$|_test\.py$/.test(base)) return /^test/.test(name);
  return false;
}
