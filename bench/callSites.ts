// Call sites for the recall benchmark (bench/recallBench.ts): where a file calls a function, method
// or class defined in ANOTHER file of its project, the text an editor would hold when the user is
// about to write that call, and whether retrieval's snippets carry the callee's definition.
//
// Ground truth comes from the index itself: a callee counts only when every indexed definition of
// its name lies in one other file and belongs to one type there (so "the definition" is certain
// without a type checker; overloads are one definition), and the calling file neither defines it nor
// is that file. Names that resolve to several files or types are left out of the sample and counted,
// so the report says how many ambiguous call sites it could not judge. A call is code the syntax tree
// says is code: a name followed by `(` in a comment, docstring or string is no call.
import type { ContextSnippet } from '../src/core/kernel/completionTypes';
import type { Node } from 'web-tree-sitter';
import type { ContextLanguage, FileSymbols, IndexedDefinition } from '../src/core/context/contextTypes';
import type { ParsedDocument } from '../src/core/context/documentTrees';
import { lineStartOffset } from '../src/core/kernel/textLines';
import { placeCount } from '../src/core/context/definitionPlaces';
import { moduleAlias } from '../src/core/context/importedFiles';
import { SeededRandom } from './seededRandom';

/** One call of a callee defined in another file. Lines are 1-based; columns 0-based UTF-16. */
export interface CallSite {
  file: string;
  line: number;
  /** Column just past the callee's name on the call line. */
  nameEnd: number;
  callee: string;
  /** The callee's definitions (all in one file other than `file`). */
  definitions: readonly IndexedDefinition[];
}

/** What the sampler reads of an indexed project (ContextWorkspace provides it). */
export interface CallSiteSources {
  symbolsOf(file: string): FileSymbols | undefined;
  definitionsNamed(name: string): readonly IndexedDefinition[];
  /** Workspace files an import of `fromFile` reaches; none for a library outside the workspace. */
  resolveImport(fromFile: string, language: ContextLanguage, source: string, names?: readonly string[]): string[];
}

const CALLABLE_KINDS = new Set<IndexedDefinition['kind']>(['function', 'method', 'class']);

// Words followed by `(` that are syntax, not calls, in the benchmark's languages.
const NOT_CALLS = new Set([
  'if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'def', 'func', 'elif', 'with', 'not',
  'and', 'or', 'in', 'typeof', 'super', 'await', 'yield', 'assert', 'print', 'lambda', 'except', 'new',
  'import', 'require', 'len', 'isinstance', 'make', 'append', 'panic', 'constructor',
]);

// Names of methods of the languages' built-in types (dict.get, Array.push, Promise.then, file.read):
// a member call of one of these most likely calls the built-in, whatever the project defines, and
// without types the benchmark cannot tell, so such member calls are not sampled.
const BUILT_IN_METHODS = new Set([
  'get', 'set', 'has', 'delete', 'add', 'push', 'pop', 'shift', 'unshift', 'slice', 'splice', 'concat',
  'join', 'split', 'map', 'filter', 'reduce', 'forEach', 'some', 'every', 'find', 'includes', 'indexOf',
  'keys', 'values', 'entries', 'items', 'append', 'extend', 'insert', 'remove', 'update', 'copy', 'clear',
  'read', 'write', 'close', 'open', 'on', 'once', 'emit', 'then', 'catch', 'finally', 'toString', 'call',
  'apply', 'bind', 'replace', 'startswith', 'endswith', 'strip', 'lower', 'upper', 'format', 'encode',
  'decode', 'send', 'done', 'result', 'cancel', 'next', 'test', 'exec', 'match', 'parse', 'stringify',
  'end', 'destroy', 'resume', 'pause', 'trim', 'search', 'sort', 'reverse', 'count', 'index', 'setdefault',
  // Node's EventEmitter, and Python's file objects.
  'off', 'addListener', 'removeListener', 'removeAllListeners', 'listeners',
  'fileno', 'flush', 'readline', 'readlines', 'seek', 'tell', 'getvalue',
]);

// Go's testing.T and testing.B, called on the test's `t` or `b` in a _test.go file.
const GO_TESTING_METHODS = new Set([
  'Run', 'Error', 'Errorf', 'Fatal', 'Fatalf', 'Failed', 'Helper', 'Skip', 'Skipf', 'Log', 'Logf', 'Cleanup',
  'ResetTimer', 'StopTimer', 'StartTimer', 'Parallel', 'TempDir', 'Setenv', 'Name', 'Fail', 'FailNow',
]);
const GO_TESTING_RECEIVERS = new Set(['t', 'b', 'tb', 'f']);

// Each language's built-in functions (Python's `next(it)`, JavaScript's `String(x)`, Go's `copy`):
// a plain call of one of these names calls the built-in, unless the file imports that name.
const BUILT_IN_FUNCTIONS: Partial<Record<ContextLanguage, ReadonlySet<string>>> = {
  python: new Set([
    'next', 'iter', 'getattr', 'setattr', 'hasattr', 'str', 'int', 'float', 'bool', 'repr', 'type', 'list', 'dict',
    'set', 'tuple', 'sorted', 'min', 'max', 'any', 'all', 'range', 'id', 'hash', 'open', 'zip', 'enumerate', 'map',
    'filter', 'vars', 'dir', 'callable', 'issubclass', 'format', 'round', 'abs', 'sum',
  ]),
  go: new Set(['copy', 'delete', 'cap', 'close', 'recover', 'new', 'min', 'max', 'clear']),
};
const JS_BUILT_IN_FUNCTIONS = new Set([
  'parseInt', 'parseFloat', 'String', 'Number', 'Boolean', 'Array', 'Object', 'Symbol', 'setTimeout', 'clearTimeout',
  'setInterval', 'clearInterval', 'isNaN', 'isFinite', 'structuredClone', 'queueMicrotask', 'setImmediate',
]);
BUILT_IN_FUNCTIONS.typescript = JS_BUILT_IN_FUNCTIONS;
BUILT_IN_FUNCTIONS.javascript = JS_BUILT_IN_FUNCTIONS;

/** Why an occurrence that names a project's callee is not sampled. */
export type Exclusion = 'not code' | 'built-in method' | 'built-in function' | 'library call';

/** What the sampler knows of the project apart from the resolver under test. */
export interface ProjectShape {
  /** First path segments of the project's files and root modules (`email`, `lib`, `utils` of utils.py). */
  tops: ReadonlySet<string>;
  /** go.mod's module path, if any. */
  goModule?: string;
}

const CALL_PATTERN = /(\.\s*)?([A-Za-z_$][\w$]*)\s*\(/g;
const COMMENT_LINE = /^\s*(\/\/|#|\*|\/\*)/;

/**
 * Call sites in one file whose callee is defined, unambiguously, in another file of the project.
 * At most one site per callee per file (its first call that counts), so one busy helper does not
 * dominate. `excluded` counts the occurrences of project callees each rule left out.
 */
export function callSitesIn(
  file: string,
  text: string,
  sources: CallSiteSources,
  options: {
    /** Whether the text at this 0-based line and column is code (not a comment or string); default: any is. */
    isCode?: (line: number, column: number) => boolean;
    /** The project's shape, to tell its imports from libraries' without the resolver under test. */
    project?: ProjectShape;
  } = {},
): { sites: CallSite[]; ambiguous: number; excluded: Partial<Record<Exclusion, number>> } {
  const excluded: Partial<Record<Exclusion, number>> = {};
  const symbols = sources.symbolsOf(file);
  if (!symbols) return { sites: [], ambiguous: 0, excluded };
  const used = new Set(symbols.identifiers);
  const definedHere = new Set(symbols.definitions.map((d) => d.name));
  const definitionLines = new Set(symbols.definitions.map((d) => d.startLine));
  const importedNames = new Set(symbols.imports.flatMap((i) => i.names));
  const builtIns = BUILT_IN_FUNCTIONS[symbols.language];
  const seen = new Set<string>();
  const sites: CallSite[] = [];
  let ambiguous = 0;
  const lines = text.split(/\r?\n/);
  const libraries = libraryAliases(file, symbols, sources, options.project);
  const testFile = file.endsWith('_test.go');
  const exclusionOf = (lineText: string, at: number, member: boolean, callee: string, line: number, column: number): Exclusion | undefined => {
    if (member) {
      const receiver = receiverOf(lineText, at);
      if (BUILT_IN_METHODS.has(callee) || (testFile && GO_TESTING_RECEIVERS.has(receiver) && GO_TESTING_METHODS.has(callee))) return 'built-in method';
      if (libraries.has(receiver)) return 'library call';
    } else if (builtIns?.has(callee) && !importedNames.has(callee)) {
      return 'built-in function';
    }
    if (options.isCode && !options.isCode(line, column)) return 'not code';
    return undefined;
  };
  // From the third line on: a call on line 1 has no file before it to truncate to.
  for (let index = 2; index < lines.length; index++) {
    const lineText = lines[index]!;
    if (COMMENT_LINE.test(lineText) || definitionLines.has(index + 1)) continue;
    for (const match of lineText.matchAll(CALL_PATTERN)) {
      const callee = match[2]!;
      if (seen.has(callee) || NOT_CALLS.has(callee) || definedHere.has(callee) || !used.has(callee)) continue;
      const definitions = sources.definitionsNamed(callee).filter((d) => d.language === symbols.language || sameGroup(d.language, symbols.language));
      if (definitions.length === 0 || !definitions.every((d) => CALLABLE_KINDS.has(d.kind)) || definitions.some((d) => d.file === file)) {
        seen.add(callee);
        continue;
      }
      const nameStart = match.index! + (match[1]?.length ?? 0);
      const exclusion = exclusionOf(lineText, match.index!, match[1] !== undefined, callee, index, nameStart);
      if (exclusion) {
        // A later call of the same callee may still count.
        excluded[exclusion] = (excluded[exclusion] ?? 0) + 1;
        continue;
      }
      seen.add(callee);
      if (placeCount(definitions) > 1) {
        ambiguous++;
        continue;
      }
      sites.push({ file, line: index + 1, nameEnd: nameStart + callee.length, callee, definitions });
    }
  }
  return { sites, ambiguous, excluded };
}

/**
 * Whether a 0-based line and column of `file` is code by its syntax tree: not inside a comment or a
 * string (docstrings included). Undefined when the file can't be parsed: then every match counts.
 */
export async function codeTest(
  workspace: { parse(file: string, language: ContextLanguage, text: string): Promise<ParsedDocument | undefined> },
  file: string,
  language: ContextLanguage,
  text: string,
): Promise<((line: number, column: number) => boolean) | undefined> {
  const doc = await workspace.parse(file, language, text);
  if (!doc) return undefined;
  const root = doc.tree.rootNode;
  return (line, column) => {
    const at = lineStartOffset(text, line + 1) + column;
    for (let node: Node | null = root.descendantForIndex(at, at); node; node = node.parent) {
      // `f"{parse(x)}"`, `${format(x)}`: code inside a string.
      if (/interpolation|substitution/.test(node.type)) return true;
      if (/comment|string/.test(node.type)) return false;
    }
    return true;
  };
}

/**
 * The names a file calls libraries outside the project through: the alias or last segment of each
 * whole-module import of a library (Go's `json`, `filepath`; Python's `os`, `socket`; a bare
 * `require('fs')`). `json.Unmarshal(` calls the library's, not a project's `Unmarshal`. Told by the
 * project's shape (its top folders and modules, go.mod's module path), not by the import resolver
 * under test; without a shape, by the resolver.
 */
function libraryAliases(file: string, symbols: FileSymbols, sources: CallSiteSources, project: ProjectShape | undefined): Set<string> {
  const aliases = new Set<string>();
  for (const statement of symbols.imports) {
    if (statement.names.length > 0) continue;
    const alias = moduleAlias(statement);
    const library = project
      ? isLibrary(statement.source, symbols.language, project)
      : sources.resolveImport(file, symbols.language, statement.source, statement.names).length === 0;
    if (library) aliases.add(alias);
  }
  return aliases;
}

function isLibrary(source: string, language: ContextLanguage, project: ProjectShape): boolean {
  if (source.startsWith('.') || source.startsWith('/')) return false;
  if (language === 'go') {
    if (project.goModule && (source === project.goModule || source.startsWith(`${project.goModule}/`))) return false;
    return true; // the standard library ("encoding/json") or another module
  }
  if (language === 'python') return !project.tops.has(source.split('.')[0]!);
  if (language === 'typescript' || language === 'javascript') return true; // a bare specifier: a package
  return !project.tops.has(source.split(/[./\\:]+/)[0]!);
}

/** The identifier right before the `.` of a member call starting at `at` (`json` in `json.Unmarshal(`). */
function receiverOf(line: string, at: number): string {
  return /([A-Za-z_$][\w$]*)\s*$/.exec(line.slice(0, at))?.[1] ?? '';
}

const sameGroup = (a: string, b: string): boolean => (a === 'typescript' || a === 'javascript') && (b === 'typescript' || b === 'javascript');

/**
 * `count` sites drawn without replacement by a seeded shuffle, at most `perFile` from one file, so
 * the sample spreads over the projects and the same seed draws the same sites on every machine.
 * `fileOf` names a site's file uniquely (with its project when several are sampled together).
 */
export function sampleCallSites<T extends { line: number }>(sites: readonly T[], fileOf: (site: T) => string, count: number, seed: number, perFile = 3): T[] {
  const random = new SeededRandom(seed);
  const order = [...sites].sort((a, b) => (fileOf(a) < fileOf(b) ? -1 : fileOf(a) > fileOf(b) ? 1 : a.line - b.line));
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const fromFile = new Map<string, number>();
  const picked: T[] = [];
  for (const site of order) {
    if (picked.length >= count) break;
    const n = fromFile.get(fileOf(site)) ?? 0;
    if (n >= perFile) continue;
    fromFile.set(fileOf(site), n + 1);
    picked.push(site);
  }
  return picked;
}

export type CursorMoment = 'typed' | 'newline';

/**
 * The file as the editor holds it when the call is being written: everything above the call line,
 * then on that line either its text up to and including the callee's name ('typed') or only its
 * indentation, as an editor auto-indents a fresh line ('newline'). Nothing after the cursor: the
 * rest of the file is not written yet. The cursor is at the end.
 */
export function truncatedAt(text: string, site: CallSite, moment: CursorMoment): string {
  const lines = text.split(/\r?\n/);
  const callLine = lines[site.line - 1] ?? '';
  const indent = callLine.length - callLine.trimStart().length;
  const head = lines.slice(0, site.line - 1).join('\n');
  const tail = moment === 'typed' ? callLine.slice(0, site.nameEnd) : callLine.slice(0, indent);
  return site.line > 1 ? `${head}\n${tail}` : tail;
}

/**
 * A hit: a snippet of the definition's file whose lines hold the definition's first line and whose
 * text names the callee (a whole definition, its head, or a class outline listing the method).
 */
export function retrievedDefinition(snippets: readonly ContextSnippet[], site: CallSite): boolean {
  return snippets.some((s) =>
    site.definitions.some((d) => s.file === d.file && s.startLine <= d.startLine && d.startLine <= s.endLine && s.text.includes(site.callee)),
  );
}
