// The languages Bantam has a tree-sitter grammar for, one spec each, and the lookups everything
// else asks: which grammar a file gets (by VS Code language id when the editor knows it, else by
// file extension, as the indexer only has paths) and which languages see each other's definitions,
// so a name used in a .ts file can resolve to a .js definition but never to a Go one; and the fence
// name an edit prompt shows a file in.
import { c } from './c';
import { cpp } from './cpp';
import { csharp } from './csharp';
import { go } from './go';
import { java } from './java';
import { javascript } from './javascript';
import type { LanguageSpec } from './languageSpec';
import { php } from './php';
import { python } from './python';
import { ruby } from './ruby';
import { rust } from './rust';
import { tsx } from './tsx';
import { typescript } from './typescript';

/**
 * Every language spec. The persisted index stores a language as its position here
 * (indexCache.ts), so a new language goes at the end; reordering needs an EXTRACTOR_VERSION bump.
 */
export const LANGUAGE_SPECS = [typescript, tsx, javascript, python, go, rust, java, c, cpp, csharp, ruby, php] as const;

/** The languages Bantam has a tree-sitter grammar for. Any other file gets text-only context. */
export type ContextLanguage = (typeof LANGUAGE_SPECS)[number]['id'];

export const CONTEXT_LANGUAGES: readonly ContextLanguage[] = LANGUAGE_SPECS.map((spec) => spec.id);

const BY_ID: ReadonlyMap<string, LanguageSpec<ContextLanguage>> = new Map(LANGUAGE_SPECS.map((spec) => [spec.id, spec]));

const BY_EXTENSION: ReadonlyMap<string, ContextLanguage> = new Map(
  LANGUAGE_SPECS.flatMap((spec) => spec.extensions.map((extension) => [extension, spec.id] as const)),
);

const FENCE_BY_EXTENSION: ReadonlyMap<string, string> = new Map(LANGUAGE_SPECS.flatMap((spec) => Object.entries(spec.fences)));

const BY_VSCODE_ID: ReadonlyMap<string, ContextLanguage> = new Map(
  LANGUAGE_SPECS.flatMap((spec) => spec.vscodeIds.map((vscodeId) => [vscodeId, spec.id] as const)),
);

/** The spec of a language. */
export function languageSpec(language: ContextLanguage): LanguageSpec<ContextLanguage> {
  return BY_ID.get(language)!;
}

/** The grammar for a path by its extension (case-insensitive); undefined means text-only context. */
export function languageForPath(path: string): ContextLanguage | undefined {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const base = path.slice(slash + 1).toLowerCase();
  const dot = base.lastIndexOf('.');
  // A leading dot is a hidden file's name (".ts" is not a TypeScript file), not an extension.
  if (dot <= 0) return undefined;
  return BY_EXTENSION.get(base.slice(dot));
}

/** The grammar for an open document: its VS Code language id wins, the extension decides otherwise. */
export function languageForDocument(vscodeLanguageId: string, path: string): ContextLanguage | undefined {
  return BY_VSCODE_ID.get(vscodeLanguageId) ?? languageForPath(path);
}

/** Languages with the same group see each other's definitions in workspace-wide name lookup. */
export function lookupGroup(language: ContextLanguage): string {
  return languageSpec(language).lookupGroup;
}

/** The markdown fence name for files with this extension (lower case, with the dot), if a spec names one. */
export function fenceForExtension(extension: string): string | undefined {
  return FENCE_BY_EXTENSION.get(extension);
}
