// The plain data shared by the codebase-context modules: what the symbol extractor pulls out of one
// file, what the workspace index holds, what retrieval asks for and returns. No behaviour here, so
// the extractor (tree-sitter), the index worker, retrieval, the extension and the CLI all agree on
// one vocabulary. Lines are 1-based and inclusive everywhere; paths are workspace-relative with
// forward slashes.

import type { CompletionRequest, ContextSnippet } from '../kernel/completionTypes';
import type { DefinitionKind } from './languages/languageSpec';
import type { ContextLanguage } from './languages/registry';

// Declared with the language specs: the registry's list is the list of languages, and each spec's
// cursor rules map its syntax nodes to definition kinds.
export type { ContextLanguage, DefinitionKind };

export interface SymbolDefinition {
  name: string;
  kind: DefinitionKind;
  /** The whole definition node (body included). */
  startLine: number;
  endLine: number;
  /** The definition's first line, trimmed, at most 200 characters: what a caller needs to see. */
  signature: string;
  /** Name of the innermost enclosing definition (the class of a method), if any. */
  container?: string;
}

export interface ImportStatement {
  /**
   * The imported module as written, quotes removed: './util', 'os.path', '.models', 'fmt',
   * 'crate::shapes::Circle', 'com.acme.Util', 'util.h', 'App\\Models\\User', './lib/helper'.
   */
  source: string;
  /** Names the statement brings in when the syntax lists them (`{ a, b }`, `from m import a`), else []. */
  names: string[];
  line: number;
  /** The local name a whole module is imported under (`import a.b as m`, `import * as m`), if any. */
  alias?: string;
}

export interface FileSymbols {
  language: ContextLanguage;
  definitions: SymbolDefinition[];
  imports: ImportStatement[];
  /** Distinct identifier names used in the file (not in comments or strings), capped in count. */
  identifiers: string[];
  /** The parse tree had ERROR or MISSING nodes; symbols are still extracted from the rest. */
  hasErrors: boolean;
}

/** A definition as the workspace index returns it: where it lives, too. */
export interface IndexedDefinition extends SymbolDefinition {
  file: string;
  language: ContextLanguage;
}

/** Why a file is left out of the index (and never sent in a prompt). */
export type SkipReason =
  | 'ignored'
  | 'excluded'
  | 'secret'
  /** A symbolic link (on the way) leads outside the workspace. */
  | 'outside'
  | 'too-large'
  | 'binary'
  | 'minified'
  | 'generated';

/** One retrieval question: the cursor in a document. */
export interface ContextRequest {
  /** Workspace-relative path of the document. */
  file: string;
  /** VS Code language id (e.g. 'typescriptreact'); the file extension decides when it is unknown. */
  languageId: string;
  /** The document's current text (open documents may differ from disk). */
  text: string;
  /** Cursor offset in `text`, UTF-16 code units. */
  offset: number;
  budgetTokens: number;
  /**
   * Lines of this document the prompt already carries (prefix window and suffix): snippets of the
   * same file inside them would repeat what the model sees, and would change on every keystroke.
   */
  visibleLines?: { startLine: number; endLine: number };
}

export type SnippetReason = 'definition' | 'scope' | 'recent-edit' | 'recent-view' | 'similar';

/** A snippet as retrieval returns it: the prompt's ContextSnippet plus what it costs and why. */
export interface RetrievedSnippet extends ContextSnippet {
  kind: SnippetReason;
  /** Estimated tokens of `text` (tokenEstimate.ts). */
  tokens: number;
  score: number;
}

export interface ContextResult {
  /** In render order (file, then line), so the same set renders byte-identically. */
  snippets: RetrievedSnippet[];
  tokens: number;
}

/** Progress of a full index run, reported to the status bar and the progress notification. */
export interface IndexProgress {
  phase: 'scanning' | 'indexing' | 'done' | 'cancelled';
  /** Files found so far that will be indexed. */
  total: number;
  /** Files processed so far (parsed or taken from the cache). */
  done: number;
  /** Of `done`, files whose symbols came from the persisted cache without a parse. */
  cached: number;
  skipped: number;
  /** Lines of the files processed so far (for the benchmark's lines/s). */
  lines?: number;
  /** The scan stopped at the file cap (bantam.context.maxFiles). */
  capped: boolean;
}

/** A change to an open document, in lines: the edited range as it is now, and the lines it added. */
export interface LineChange {
  /** 1-based first line of the change. */
  startLine: number;
  /** 1-based last line of the change in the new text. */
  endLine: number;
  /** Lines added (negative: removed) by the change. */
  lineDelta: number;
}

/** What the editor tells the context workspace (through the index client) as the user works. */
export interface ContextEvents {
  documentOpened(file: string, languageId: string, text: string): void;
  documentChanged(file: string, text: string, changes: readonly LineChange[]): void;
  documentClosed(file: string): void;
  /** The user looked at these lines for a while. */
  viewed(file: string, startLine: number, endLine: number): void;
  fileCreated(file: string): void;
  fileChanged(file: string): void;
  fileDeleted(file: string): void;
  fileRenamed(from: string, to: string): void;
}

/**
 * A natural-language question about the codebase ("Ask About Codebase", `bantam ask`): which
 * definitions and files to show the model, within a budget. See codebaseSearch.ts.
 */
export interface CodebaseQuery {
  question: string;
  /** Tokens the snippets may cost in all, their file headers included (tokenEstimate.ts). */
  budgetTokens: number;
  /** Workspace-relative path of the active editor's file: favoured, and shown for a question naming nothing. */
  activeFile?: string;
  /** Workspace-relative paths of the other open editors: favoured when they match at all. */
  openFiles?: string[];
  /** Most distinct files among the snippets (default DEFAULT_SEARCH_MAX_FILES in codebaseSearch.ts). */
  maxFiles?: number;
}

/**
 * `definition`: contiguous lines of one or more definitions (a long class as its outline would have
 * gaps: see `outline`); `file`: the whole file; `outline`: chosen lines with gaps between them
 * (signature lines of a file or class, maybe with a definition shown whole among them), each gap
 * shown as a line holding only `⋮`.
 */
export type CodebaseSnippetKind = 'definition' | 'outline' | 'file';

export interface CodebaseSnippet {
  file: string;
  /** 1-based, inclusive: the first and last file line the text shows. */
  startLine: number;
  endLine: number;
  text: string;
  /** Why it was picked, e.g. "defines computeTotal (named in the question)"; several joined by "; ". */
  reason: string;
  /** estimateTokens(text). */
  tokens: number;
  kind: CodebaseSnippetKind;
  /** Relevance (higher first); only comparable within one answer. */
  score: number;
}

export interface CodebaseAnswerContext {
  /** Best first: score, then path, then line. No two overlap (overlapping picks are merged). */
  snippets: CodebaseSnippet[];
  /** Indexed files searched (while indexing runs: those indexed so far). */
  filesConsidered: number;
  /** What the question was reduced to: paths and identifiers as written, then lowercased words. */
  terms: string[];
  /** Something relevant was left out for the budget or the file cap. */
  truncated: boolean;
  /** What the snippets cost: their tokens plus a file header each; never more than the budget. */
  tokens: number;
}

/** Lines of the current document that the prompt carries already (1-based, inclusive). */
export interface VisibleLines {
  startLine: number;
  endLine: number;
}

/** Supplies context snippets for a request (core/context's retrieval, through the index worker). */
export interface ContextSource {
  /**
   * `speculative`: the request is for a document the user has not reached (a prefetch), so its
   * retrieval must not replace the context the user's own line keeps.
   */
  snippets(
    request: CompletionRequest,
    budgetTokens: number,
    signal: AbortSignal,
    visibleLines: VisibleLines,
    speculative?: boolean,
  ): Promise<ContextSnippet[]>;
}
