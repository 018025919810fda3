// The whole codebase-context state of one workspace folder, behind one face: the symbol index (filled
// by a full scan and kept fresh by file events), the open documents (whose live text wins over disk),
// recent edits and views, the similar-code index, the parse trees of open documents and the
// persisted cache. It is what retrieval and codebase search read from (RetrievalSources), and it runs
// the same in-process (CLI, tests, benchmark) and inside the index worker thread.
//
// It composes the parts and holds no logic of theirs: WorkspaceState owns the shared state,
// IndexRun the full index, OpenDocuments the editors' documents, FileEvents the watcher's events,
// DiskSync the one-file step they share.
//
// Privacy rule, enforced at every entry point: a path the filter skips (secret-looking names,
// .gitignore'd, excluded by settings) or content it skips (binary, minified, generated, too large,
// carrying a key) is never indexed, never fed to the similar-code index or recent ranges, and
// textOf() never returns it, even when the user opens it in an editor.

import * as fs from 'node:fs';
import { searchCodebase as searchIndex } from './codebaseSearch';
import type {
  CodebaseAnswerContext,
  CodebaseQuery,
  ContextLanguage,
  ContextRequest,
  ContextResult,
  FileSymbols,
  IndexedDefinition,
  IndexProgress,
  LineChange,
  SkipReason,
} from './contextTypes';
import { DiskSync } from './diskSync';
import { DiskTexts, type DiskText } from './diskTexts';
import type { ParsedDocument } from './documentTrees';
import { FileEvents } from './fileEvents';
import { contentSkipReason, DEFAULT_CONTEXT_EXCLUDES, DEFAULT_MAX_FILE_BYTES } from './fileFilter';
import { type ImportLookup, resolveImport } from './importResolver';
import { IndexRun, type IndexAllOptions } from './indexRun';
import { ManifestFiles, MAX_MANIFEST_BYTES } from './manifestFiles';
import { ResolvedImports } from './resolvedImports';
import { looksLikeSecretContent } from './secretFiles';
import { OpenDocuments } from './openDocuments';
import type { RecentRanges } from './recentRanges';
import { retrieveContext, type RetrievalSources } from './retrieval';
import type { SimilarCodeIndex } from './similarCode';
import type { WorkspaceIndex } from './workspaceIndex';
import { splitLines } from '../kernel/textLines';
import { describe, normalizeRel, WorkspaceState, type IndexFolder, type SymbolExtractorFn } from './workspaceState';

export type { IndexAllOptions } from './indexRun';
export type { IndexFolder, SymbolExtractorFn } from './workspaceState';

/**
 * 50k files. Index memory is roughly 1-3 KB a file (symbols, identifiers, paths), so 50k files stay
 * within ~150 MB of worker heap, and a first full parse at ~200-400 files/s takes 2-4 minutes; the
 * scanner's order is deterministic, so a capped scan keeps the same files every time. Larger
 * monorepos should exclude folders instead (bantam.context.exclude).
 */
export const DEFAULT_MAX_FILES = 50_000;

export interface ContextWorkspaceOptions {
  /** Absolute path of the workspace folder (with `excludeGlobs`), unless `folders` is given. */
  root: string;
  /**
   * Every folder of a multi-root workspace, each with its own excludes: files are then named
   * `folderName/path` (kernel/workspaceRoots.ts). Overrides `root` and `excludeGlobs`.
   */
  folders?: readonly IndexFolder[];
  /** Folder with web-tree-sitter.wasm, tree-sitter-<language>.wasm and queries/. */
  grammarDir: string;
  /** Where the index cache is persisted; none means no persistence. */
  storageDir?: string;
  /** Default DEFAULT_CONTEXT_EXCLUDES. */
  excludeGlobs?: readonly string[];
  /** Default DEFAULT_MAX_FILE_BYTES. */
  maxFileBytes?: number;
  /** Default DEFAULT_MAX_FILES. */
  maxFiles?: number;
  log?: (line: string) => void;
  /** Clock for recent edits and views (ms). */
  now?: () => number;
  /** Default: tree-sitter extraction with the grammars in grammarDir. */
  extract?: SymbolExtractorFn;
  documentExtractDelayMs?: number;
  progressIntervalMs?: number;
  saveIntervalMs?: number;
}

export interface ContextStats {
  root: string;
  files: number;
  definitions: number;
  openDocuments: number;
  indexing: boolean;
  /** Files whose symbols came from the cache without a parse, since start. */
  cacheHits: number;
  /** Files parsed, since start. */
  parsed: number;
  /** Files whose size and mtime matched the persisted cache, so they were not even read. */
  unchangedSkippedRead: number;
  /** Files left out, by reason, since start (a skipped folder counts once). */
  skipped: Partial<Record<SkipReason, number>>;
  /** Files that could not be read or parsed, since start. */
  failed: number;
  lastProgress: IndexProgress | null;
  memory: {
    /** V8 heap of this isolate (the worker's, inside the index worker). */
    heapUsedMb: number;
    /** Memory outside the V8 heap, including tree-sitter's WebAssembly memory, which never shrinks. */
    externalMb: number;
    /** The whole process (for information: inside a worker it includes the host). */
    rssMb: number;
  };
}

/** A changed open document's symbols are re-extracted this long after the last keystroke. */
const DEFAULT_DOCUMENT_EXTRACT_DELAY_MS = 400;
const DEFAULT_PROGRESS_INTERVAL_MS = 100;
/** During a long first index, the cache is saved this often, so a crash or restart keeps the work. */
const DEFAULT_SAVE_INTERVAL_MS = 60_000;

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;

export class ContextWorkspace implements RetrievalSources {
  readonly root: string;
  readonly recent: RecentRanges;
  readonly similar: SimilarCodeIndex;
  readonly index: WorkspaceIndex;

  private readonly state: WorkspaceState;
  private readonly documents: OpenDocuments;
  private readonly indexRun: IndexRun;
  private readonly fileEvents: FileEvents;
  private disposed = false;
  /** Definition and file names split into stems, kept across codebase searches. */
  private readonly nameStems = new Map<string, string[]>();
  /** What import resolution reads: the indexed paths, their symbols (re-exports), go.mod files. */
  private readonly importLookup: ImportLookup;
  private readonly resolvedImports: ResolvedImports;
  /** Texts of files read from disk for retrieval, kept per version of the file. */
  private readonly diskTexts = new DiskTexts();
  /** Open documents' lines, split once per text. */
  private readonly documentLines = new WeakMap<object, { text: string; lines: string[] }>();

  constructor(options: ContextWorkspaceOptions) {
    const state = new WorkspaceState({
      root: options.root,
      folders: options.folders,
      grammarDir: options.grammarDir,
      storageDir: options.storageDir,
      excludeGlobs: options.excludeGlobs ?? DEFAULT_CONTEXT_EXCLUDES,
      maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
      log: options.log ?? (() => {}),
      clock: options.now ?? Date.now,
      extract: options.extract,
    });
    const disk = new DiskSync(state, (rel: string): boolean => documents.has(rel));
    const documents: OpenDocuments = new OpenDocuments(
      state,
      disk,
      options.documentExtractDelayMs ?? DEFAULT_DOCUMENT_EXTRACT_DELAY_MS,
    );
    this.state = state;
    this.documents = documents;
    this.indexRun = new IndexRun(state, disk, documents, {
      maxFiles: options.maxFiles ?? DEFAULT_MAX_FILES,
      progressIntervalMs: options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
      saveIntervalMs: options.saveIntervalMs ?? DEFAULT_SAVE_INTERVAL_MS,
    });
    this.fileEvents = new FileEvents(state, disk, documents);
    this.root = state.root;
    this.recent = state.recent;
    this.similar = state.similar;
    this.index = state.index;
    const fileSet = state.index.fileSet;
    const manifests = new ManifestFiles((file) => this.manifestText(file), state.clock);
    this.importLookup = {
      has: (file) => fileSet.has(file),
      filesIn: (dir) => fileSet.filesIn(dir),
      pathsEndingWith: (suffix) => fileSet.pathsEndingWith(suffix),
      dirsEndingWith: (suffix) => fileSet.dirsEndingWith(suffix),
      manifestText: (file) => manifests.text(file),
      symbolsOf: (file) => this.symbolsOf(file),
    };
    this.resolvedImports = new ResolvedImports(() => state.index.version, state.clock);
  }

  // ---- full index (indexRun.ts) ----

  /**
   * Scans the workspace and brings the index up to date: unchanged files come from the cache
   * (without even a read when size and mtime match), changed ones are parsed, vanished ones drop
   * out. A second call cancels the first. Resolves with phase 'cancelled' when `signal` aborts.
   */
  indexAll(
    onProgress?: (p: IndexProgress) => void,
    signal?: AbortSignal,
    options?: IndexAllOptions,
  ): Promise<IndexProgress> {
    return this.indexRun.indexAll(onProgress, signal, options);
  }

  /** True while a full index runs. */
  get indexing(): boolean {
    return this.indexRun.indexing;
  }

  // ---- file events from a file watcher (fileEvents.ts) ----

  /** A file changed on disk: re-read it, re-extract if its content changed. Open documents ignore disk. */
  fileChanged(file: string): Promise<void> {
    this.forgetText(file);
    return this.fileEvents.fileChanged(file);
  }

  fileCreated(file: string): Promise<void> {
    this.forgetText(file);
    return this.fileEvents.fileCreated(file);
  }

  /** A file (or a whole folder) was deleted. */
  fileDeleted(file: string): Promise<void> {
    this.forgetText(file, true);
    return this.fileEvents.fileDeleted(file);
  }

  /** A file or folder moved. Its symbols move with it unless the new path is not indexable. */
  fileRenamed(from: string, to: string): Promise<void> {
    this.forgetText(from, true);
    this.forgetText(to, true);
    return this.fileEvents.fileRenamed(from, to);
  }

  /** Drops a file's (or, for a folder, every file's under it) text read from disk. */
  private forgetText(file: string, folderToo = false): void {
    const rel = normalizeRel(file);
    if (rel === undefined) return;
    if (folderToo) this.diskTexts.clear();
    else this.diskTexts.delete(rel);
  }

  // ---- open documents (openDocuments.ts) ----

  /** A document was opened (or its language changed). Its live text wins over disk until closed. */
  documentOpened(file: string, languageId: string, text: string): Promise<void> {
    return this.documents.documentOpened(file, languageId, text);
  }

  /** The document's text changed; `changes` as the document tracker reports them (contextTypes). */
  documentChanged(file: string, text: string, changes: readonly LineChange[]): Promise<void> {
    return this.documents.documentChanged(file, text, changes);
  }

  /** The document was closed: disk is the truth again. */
  documentClosed(file: string): Promise<void> {
    return this.documents.documentClosed(file);
  }

  /** The user looked at lines of a file (visible range of an editor). */
  viewed(file: string, startLine: number, endLine: number): Promise<void> {
    return this.documents.viewed(file, startLine, endLine);
  }

  /** Runs pending (debounced) symbol extractions of open documents now and waits for them. */
  flushDocuments(): Promise<void> {
    return this.documents.flushDocuments();
  }

  // ---- retrieval ----

  async retrieve(request: ContextRequest): Promise<ContextResult> {
    await this.state.ready();
    return retrieveContext(request, this);
  }

  /**
   * "Ask About Codebase": the definitions and files most relevant to a question, within its budget
   * (codebaseSearch.ts). Answers from what is indexed so far while a full index runs.
   */
  async searchCodebase(query: CodebaseQuery): Promise<CodebaseAnswerContext> {
    await this.state.ready();
    return searchIndex(query, {
      entries: () => this.index.values(),
      symbolsOf: (file) => this.symbolsOf(file),
      resolveImport: (fromFile, language, source, names) => this.resolveImport(fromFile, language, source, names),
      textOf: (file) => this.textOf(file),
      stemCache: this.nameStems,
    });
  }

  async parse(file: string, language: ContextLanguage, text: string): Promise<ParsedDocument | undefined> {
    const rel = normalizeRel(file);
    if (rel === undefined || !this.documents.usable(rel)) return undefined;
    if (contentSkipReason(rel, text, this.state.maxFileBytes) !== undefined) return undefined;
    try {
      return await this.documents.parse(rel, language, text);
    } catch (e) {
      this.state.log(`parse of ${rel} failed: ${describe(e)}`);
      return undefined;
    }
  }

  symbolsOf(file: string): FileSymbols | undefined {
    return this.index.get(file)?.symbols;
  }

  definitionsNamed(name: string): readonly IndexedDefinition[] {
    return this.index.definitionsNamed(name);
  }

  resolveImport(fromFile: string, language: ContextLanguage, source: string, names: readonly string[] = []): string[] {
    return this.resolvedImports.get(fromFile, language, source, names, () =>
      resolveImport(fromFile, language, source, this.importLookup, names),
    );
  }

  /** A manifest's text from disk (go.mod), within the privacy rules, small files only. */
  private manifestText(file: string): string | undefined {
    const state = this.state;
    if (state.pathSkipReason(file) !== undefined || state.linkReasonSync(file) !== undefined) return undefined;
    try {
      const abs = state.absolute(file);
      if (abs === undefined || fs.statSync(abs).size > MAX_MANIFEST_BYTES) return undefined;
      return fs.readFileSync(abs, 'utf8');
    } catch {
      return undefined;
    }
  }

  /** The open document's text, else the file from disk; undefined when it is not usable as context. */
  textOf(file: string): string | undefined {
    const rel = normalizeRel(file);
    if (rel === undefined) return undefined;
    const doc = this.documents.get(rel);
    if (doc) return doc.excluded ? undefined : doc.text;
    return this.diskText(rel)?.text;
  }

  /** Current lines of a file, as textOf's text split by line; the array is shared, never changed. */
  linesOf(file: string): readonly string[] | undefined {
    const rel = normalizeRel(file);
    if (rel === undefined) return undefined;
    const doc = this.documents.get(rel);
    if (!doc) return this.diskText(rel)?.lines;
    if (doc.excluded) return undefined;
    const known = this.documentLines.get(doc);
    if (known && known.text === doc.text) return known.lines;
    const lines = splitLines(doc.text);
    this.documentLines.set(doc, { text: doc.text, lines });
    return lines;
  }

  /** A file's text from disk, within the privacy rules: the path rules every time, the content once per version. */
  private diskText(rel: string): DiskText | undefined {
    const state = this.state;
    if (state.pathSkipReason(rel) !== undefined || state.linkReasonSync(rel) !== undefined) return undefined;
    try {
      const abs = state.absolute(rel);
      if (abs === undefined) return undefined;
      const stat = fs.statSync(abs);
      if (stat.size > state.maxFileBytes) return undefined;
      return this.diskTexts.get(rel, stat, () => {
        const bytes = fs.readFileSync(abs);
        if (contentSkipReason(rel, bytes, state.maxFileBytes) !== undefined) return undefined;
        // The index looks at a file's first 64 KB; text for a prompt is checked whole (once per version).
        const text = bytes.toString('utf8');
        return looksLikeSecretContent(text, Number.POSITIVE_INFINITY) ? undefined : text;
      });
    } catch {
      return undefined;
    }
  }

  now(): number {
    return this.state.clock();
  }

  // ---- lifetime ----

  stats(): ContextStats {
    const m = process.memoryUsage();
    const { counters } = this.state;
    return {
      root: this.root,
      files: this.index.size,
      definitions: this.index.definitions,
      openDocuments: this.documents.size,
      indexing: this.indexing,
      cacheHits: counters.cacheHits,
      parsed: counters.parsed,
      unchangedSkippedRead: counters.unchangedSkippedRead,
      skipped: { ...this.state.skippedByReason },
      failed: counters.failed,
      lastProgress: this.indexRun.lastProgress,
      memory: { heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external), rssMb: mb(m.rss) },
    };
  }

  /** Cancels a running index, waits for it and saves the cache. */
  async close(): Promise<void> {
    const wasIndexing = await this.indexRun.cancel();
    await this.flushDocuments().catch(() => undefined);
    // Prune only when a full index has seen the whole workspace; otherwise (closed before or during
    // the first index) the cache still holds files this session never reached.
    if (this.state.readyStarted) await this.state.save(this.indexRun.completedFullIndex && !wasIndexing);
    this.dispose();
  }

  /** Stops timers and frees parse trees; does not save (see close). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.state.dispose();
    this.diskTexts.clear();
    this.indexRun.abort();
    this.documents.dispose();
  }

  /**
   * Resolves once the filter and the cache are loaded. Events wait for this too, so a caller that
   * awaits it after sending events sees their effect (the worker answers stats this way).
   */
  whenReady(): Promise<void> {
    return this.state.ready();
  }
}
