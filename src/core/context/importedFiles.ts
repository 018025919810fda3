// The files the current file imports, resolved through the index once per request: which file each
// import statement reaches, and which names each statement brings in (`import { a } from './x'`,
// `from .m import a`). Retrieval trusts a definition found in one of these files over a guess by
// name, and an import that names a symbol narrows a name defined in many imported files.

import type { ContextLanguage, FileSymbols, ImportStatement } from './contextTypes';

export interface ImportResolver {
  /** Workspace files an import statement of `fromFile` refers to, best first. */
  resolveImport(fromFile: string, language: ContextLanguage, source: string, names?: readonly string[]): string[];
}

export interface ImportedFiles {
  /** Path -> the import as written (the first statement reaching it). */
  files: Map<string, string>;
  /** Path -> the names statements reaching it import by name (empty: a whole-module import). */
  names: Map<string, Set<string>>;
  /** Each statement with the files it reaches, in file order. */
  statements: { statement: ImportStatement; targets: string[] }[];
}

export function importedFiles(
  file: string,
  language: ContextLanguage,
  symbols: FileSymbols | undefined,
  sources: ImportResolver,
): ImportedFiles {
  const files = new Map<string, string>();
  const names = new Map<string, Set<string>>();
  const statements: ImportedFiles['statements'] = [];
  for (const statement of symbols?.imports ?? []) {
    // The names go along: Python's `from . import models` names a module, not something inside one.
    const targets = sources.resolveImport(file, language, statement.source, statement.names).filter((t) => t !== file);
    statements.push({ statement, targets });
    for (const target of targets) {
      if (!files.has(target)) files.set(target, statement.source);
      let named = names.get(target);
      if (!named) names.set(target, (named = new Set()));
      for (const name of statement.names) named.add(name);
    }
  }
  return { files, names, statements };
}

/** The name a whole-module import is used through: its alias, else its last segment ('./audit', 'os.path', 'net/http'). */
export function moduleAlias(statement: ImportStatement): string {
  return statement.alias ?? statement.source.split(/[./\\:]+/).filter((s) => s !== '').pop() ?? statement.source;
}
