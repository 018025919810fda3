// The whole codebase-context state of one workspace folder: the symbol index (filled by a full scan
// and kept fresh by file events), the open documents (whose live text wins over disk), recent edits
// and views, the similar-code index, the parse trees of open documents and the persisted cache.
// It is what retrieval reads from (RetrievalSources), and it runs the same in-process (CLI, tests,
// benchmark) and inside the index worker thread.
//
// Privacy rule, enforced here at every entry point: a path the filter skips (secret-looking names,
// .gitignore'd, excluded by settings) or content it skips (binary, minified, generated, too large,
// carrying a key) is never indexed, never fed to the similar-code index or recent ranges, and
// textOf() never returns it, even when the user opens it in an editor.
//
// Robustness: one file can never stop the index. Files too large are skipped by their stat size
// before reading; unreadable files and extractor failures are counted and logged (the first few);
// a syntax error just yields fewer symbols (tree-sitter recovers). The full index yields to the
// event loop between files, so retrieval requests are answered while it runs.
//
// Ordering: every event that touches a file bumps that file's generation; an asynchronous read or
// parse applies its result only if no newer event for the file arrived meanwhile.

import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
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
import { DocumentTrees, type ParsedDocument } from './documentTrees';
import { contentSkipReason, DEFAULT_CONTEXT_EXCLUDES, DEFAULT_MAX_FILE_BYTES, PathFilter } from './fileFilter';
import { resolveImport } from './importResolver';
import { extractorFingerprint, hashContent, IndexCache } from './indexCache';
import { languageForDocument, languageForPath } from './languages/registry';
import { RecentRanges } from './recentRanges';
import { retrieveContext, type RetrievalSources } from './retrieval';
import { SimilarCodeIndex } from './similarCode';
import { extractFileSymbols } from './symbolExtractor';
import { TreeSitterRuntime } from './treeSitterRuntime';
import { WorkspaceIndex } from './workspaceIndex';
import { LinkContainment, linkSkipReason } from './linkContainment';
import { scanWorkspace, type ScannedFile } from './workspaceScanner';
import { linkAbort } from '../kernel/abort';

/**
 * 50k files. Index memory is roughly 1-3 KB a file (symbols, identifiers, paths), so 50k files stay
 * within ~150 MB of worker heap, and a first full parse at ~200-400 files/s takes 2-4 minutes; the
 * scanner's order is deterministic, so a capped scan keeps the same files every time. Larger
 * monorepos should exclude folders instead (bantam.context.exclude).
 */
export const DEFAULT_MAX_FILES = 50_000;
/** Open documents whose parse trees are kept for incremental re-parsing. */
const MAX_DOCUMENT_TREES = 16;
/** A changed open document's symbols are re-extracted this long after the last keystroke. */
const DEFAULT_DOCUMENT_EXTRACT_DELAY_MS = 400;
const DEFAULT_PROGRESS_INTERVAL_MS = 100;
/** During a long first index, the cache is saved this often, so a crash or restart keeps the work. */
const DEFAULT_SAVE_INTERVAL_MS = 60_000;
/** The full index gives the event loop a turn at least this often. */
const YIELD_EVERY_MS = 8;
/** Failures logged one by one per run; the rest are only counted. */
const MAX_LOGGED_FAILURES = 5;

/** Parses a file's text into symbols; injectable so tests can count or fake extractions. */
export type SymbolExtractorFn = (language: ContextLanguage, text: string) => Promise<FileSymbols>;

export interface ContextWorkspaceOptions {
  /** Absolute path of the workspace folder. */
  root: string;
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

export interface IndexAllOptions {
  /** Ignore the cache and what is indexed: re-parse every file ("Rebuild Index"). */
  fresh?: boolean;
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

interface OpenDocument {
  languageId: string;
  language: ContextLanguage | undefined;
  text: string;
  /** Why this document is kept out of everything, or undefined when it may be used. */
  excluded: SkipReason | undefined;
  /** Judged once when it opens: its file is a link leading outside, or to a file the rules leave out. */
  linkReason: SkipReason | undefined;
}

type Outcome = 'unchanged' | 'cached' | 'parsed' | 'skipped' | 'failed' | 'stale' | 'gone';

interface FileStat {
  size: number;
  mtimeMs: number;
  readAt: number;
}

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class ContextWorkspace implements RetrievalSources {
  readonly root: string;
  readonly recent = new RecentRanges();
  readonly similar = new SimilarCodeIndex();
  readonly index = new WorkspaceIndex();

  private readonly grammarDir: string;
  private readonly storageDir: string | undefined;
  private readonly maxFileBytes: number;
  private readonly maxFiles: number;
  private readonly log: (line: string) => void;
  private readonly clock: () => number;
  private readonly extractOverride: SymbolExtractorFn | undefined;
  private readonly documentExtractDelayMs: number;
  private readonly progressIntervalMs: number;
  private readonly saveIntervalMs: number;
  private readonly filter: PathFilter;
  /** Resolves links: nothing is read through one that leads outside the workspace. */
  private readonly links: LinkContainment;

  private readyPromise: Promise<void> | undefined;
  private cache: IndexCache = IndexCache.memory();
  private runtimePromise: Promise<TreeSitterRuntime> | undefined;
  private trees: DocumentTrees | undefined;
  private readonly docs = new Map<string, OpenDocument>();
  private readonly fileStats = new Map<string, FileStat>();
  private readonly generations = new Map<string, number>();
  private generationCounter = 0;
  private readonly extractTimers = new Map<string, NodeJS.Timeout>();
  private readonly pendingExtractions = new Set<Promise<void>>();
  private run: { controller: AbortController; done: Promise<IndexProgress> } | undefined;
  private saving: Promise<unknown> = Promise.resolve();
  private lastProgress: IndexProgress | null = null;
  private disposed = false;
  private completedFullIndex = false;
  private loggedFailures = 0;
  /** Lines of the files read by the running full index (files skipped by stat are not read). */
  private linesRead = 0;
  private readonly counters = { cacheHits: 0, parsed: 0, unchangedSkippedRead: 0, failed: 0 };
  private readonly skippedByReason: Partial<Record<SkipReason, number>> = {};
  /** Definition and file names split into stems, kept across codebase searches. */
  private readonly nameStems = new Map<string, string[]>();

  constructor(options: ContextWorkspaceOptions) {
    this.root = path.resolve(options.root);
    this.links = new LinkContainment(this.root);
    this.grammarDir = options.grammarDir;
    this.storageDir = options.storageDir;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.maxFiles = options.maxFiles ?? DEFAULT_MAX_FILES;
    this.log = options.log ?? (() => {});
    this.clock = options.now ?? Date.now;
    this.extractOverride = options.extract;
    this.documentExtractDelayMs = options.documentExtractDelayMs ?? DEFAULT_DOCUMENT_EXTRACT_DELAY_MS;
    this.progressIntervalMs = options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS;
    this.saveIntervalMs = options.saveIntervalMs ?? DEFAULT_SAVE_INTERVAL_MS;
    this.filter = new PathFilter(this.root, {
      excludeGlobs: options.excludeGlobs ?? DEFAULT_CONTEXT_EXCLUDES,
      maxFileBytes: this.maxFileBytes,
    });
  }

  // ---- full index ----

  /**
   * Scans the workspace and brings the index up to date: unchanged files come from the cache
   * (without even a read when size and mtime match), changed ones are parsed, vanished ones drop
   * out. A second call cancels the first. Resolves with phase 'cancelled' when `signal` aborts.
   */
  async indexAll(
    onProgress: (p: IndexProgress) => void = () => {},
    signal?: AbortSignal,
    options: IndexAllOptions = {},
  ): Promise<IndexProgress> {
    if (this.run) {
      this.run.controller.abort();
      await this.run.done.catch(() => undefined);
    }
    const controller = new AbortController();
    const unlink = linkAbort(signal, controller);
    const done = this.runIndex(onProgress, controller.signal, options.fresh === true);
    const run = { controller, done };
    this.run = run;
    try {
      return await done;
    } finally {
      unlink();
      if (this.run === run) this.run = undefined;
    }
  }

  private async runIndex(
    onProgress: (p: IndexProgress) => void,
    signal: AbortSignal,
    fresh: boolean,
  ): Promise<IndexProgress> {
    const progress: IndexProgress = {
      phase: 'scanning',
      total: 0,
      done: 0,
      cached: 0,
      skipped: 0,
      lines: 0,
      capped: false,
    };
    this.linesRead = 0;
    let lastReport = -Infinity;
    const report = (force = false): void => {
      const t = performance.now();
      if (!force && t - lastReport < this.progressIntervalMs) return;
      lastReport = t;
      this.lastProgress = { ...progress };
      try {
        onProgress({ ...progress });
      } catch (e) {
        this.log(`index progress callback failed: ${describe(e)}`);
      }
    };
    const finish = async (phase: 'done' | 'cancelled'): Promise<IndexProgress> => {
      progress.phase = phase;
      report(true);
      return progress;
    };

    report(true);
    await this.ready();
    if (signal.aborted) return finish('cancelled');
    this.loggedFailures = 0;
    if (fresh) {
      // "Rebuild": nothing from before is trusted; open documents are re-extracted from their text.
      this.cache.clear();
      for (const file of [...this.index.files()]) this.forget(file);
      for (const file of this.docs.keys()) this.applyDocument(file, 0);
    }

    // Scan first (cheap: stats only), so `total` is known while parsing and vanished files are known.
    const files: ScannedFile[] = [];
    try {
      const scan = scanWorkspace(this.root, this.filter, {
        signal,
        maxFiles: this.maxFiles,
        accept: (rel) => languageForPath(rel) !== undefined,
        onSkip: (_rel, reason) => {
          progress.skipped++;
          this.countSkip(reason);
        },
      });
      for (;;) {
        const next = await scan.next();
        if (next.done) {
          progress.capped = next.value.capped;
          break;
        }
        files.push(next.value);
        progress.total++;
        report();
      }
    } catch (e) {
      if (signal.aborted) return finish('cancelled');
      throw e;
    }
    if (progress.capped) this.log(`context index capped at ${this.maxFiles} files (bantam.context.maxFiles)`);

    // The scan has read every nested .gitignore: re-check what was let in before it knew them.
    this.recheckPaths();

    progress.phase = 'indexing';
    report(true);
    let lastYield = performance.now();
    let lastSave = performance.now();
    for (const file of files) {
      if (signal.aborted) {
        this.scheduleSave(false);
        return finish('cancelled');
      }
      const outcome = this.docs.has(file.path) ? 'unchanged' : await this.indexFromDisk(file.path, file);
      if (outcome === 'skipped') progress.skipped++;
      else progress.done++;
      if (outcome === 'cached' || outcome === 'unchanged') progress.cached++;
      progress.lines = this.linesRead;
      report();
      const t = performance.now();
      if (t - lastYield >= YIELD_EVERY_MS) {
        await turn();
        lastYield = performance.now();
      }
      if (t - lastSave >= this.saveIntervalMs) {
        lastSave = t;
        this.scheduleSave(false);
      }
    }
    if (signal.aborted) {
      this.scheduleSave(false);
      return finish('cancelled');
    }

    // Files removed (or newly ignored) since the last run drop out; open documents stay.
    const seen = new Set(files.map((f) => f.path));
    for (const file of [...this.index.files()]) {
      if (!seen.has(file) && !this.docs.has(file)) this.forget(file);
    }
    if (this.loggedFailures > MAX_LOGGED_FAILURES) {
      this.log(`context index: ${this.loggedFailures - MAX_LOGGED_FAILURES} more files could not be indexed`);
    }
    await this.scheduleSave(true);
    this.completedFullIndex = true;
    return finish('done');
  }

  /** True while a full index runs. */
  get indexing(): boolean {
    return this.run !== undefined;
  }

  // ---- file events (from a file watcher) ----

  /** A file changed on disk: re-read it, re-extract if its content changed. Open documents ignore disk. */
  async fileChanged(file: string): Promise<void> {
    const rel = await this.fileEventPath(file);
    if (rel === undefined || this.docs.has(rel)) return;
    await this.indexFromDisk(rel, undefined);
  }

  async fileCreated(file: string): Promise<void> {
    await this.fileChanged(file);
  }

  /** A file (or a whole folder) was deleted. */
  async fileDeleted(file: string): Promise<void> {
    const rel = await this.fileEventPath(file);
    if (rel === undefined) return;
    for (const f of this.filesAtOrUnder(rel)) {
      if (this.docs.has(f)) continue; // an open document outlives its file until it is closed
      this.bump(f);
      this.forget(f);
      this.recent.remove(f);
    }
    if (!this.docs.has(rel)) {
      this.bump(rel);
      this.forget(rel);
      this.recent.remove(rel);
    }
  }

  /**
   * The normalized path a disk event is about, once the workspace is ready; undefined when the event
   * is handled already (a .gitignore changed or went: the rules are re-applied) or the path is invalid.
   */
  private async fileEventPath(file: string): Promise<string | undefined> {
    await this.ready();
    const rel = normalizeRel(file);
    if (rel === undefined) return undefined;
    if (path.posix.basename(rel) === '.gitignore') {
      await this.gitignoreChanged(rel);
      return undefined;
    }
    return rel;
  }

  /** A file or folder moved. Its symbols move with it unless the new path is not indexable. */
  async fileRenamed(from: string, to: string): Promise<void> {
    await this.ready();
    const a = normalizeRel(from);
    const b = normalizeRel(to);
    if (a === undefined || b === undefined || a === b) return;
    const moves: [string, string][] = [];
    for (const f of this.filesAtOrUnder(a)) moves.push([f, f === a ? b : b + f.slice(a.length)]);
    if (moves.length === 0) moves.push([a, b]);
    for (const [src, dst] of moves) {
      this.bump(src);
      this.bump(dst);
      this.recent.rename(src, dst);
      this.trees?.rename(src, dst);
      const doc = this.docs.get(src);
      if (doc) {
        this.docs.delete(src);
        this.docs.set(dst, doc);
      }
      if (this.pathSkipReason(dst) !== undefined || languageForPath(dst) === undefined) {
        this.forget(src);
        this.forget(dst);
        this.recent.remove(dst);
        this.similar.remove(src);
        continue;
      }
      if (this.index.rename(src, dst)) {
        const st = this.fileStats.get(src);
        this.fileStats.delete(src);
        if (st) this.fileStats.set(dst, st);
      } else if (!this.docs.has(dst)) {
        await this.indexFromDisk(dst, undefined);
      }
    }
  }

  // ---- open documents ----

  /** A document was opened (or its language changed). Its live text wins over disk until closed. */
  async documentOpened(file: string, languageId: string, text: string): Promise<void> {
    await this.ready();
    const rel = normalizeRel(file);
    if (rel === undefined) return;
    this.bump(rel);
    const linkReason = this.linkReasonSync(rel);
    const excluded = this.pathSkipReason(rel) ?? linkReason ?? contentSkipReason(rel, text, this.maxFileBytes);
    const language = languageForDocument(languageId, rel);
    this.docs.set(rel, { languageId, language, text, excluded, linkReason });
    this.applyDocument(rel, 0);
  }

  /** The document's text changed; `changes` as the document tracker reports them (contextTypes). */
  async documentChanged(file: string, text: string, changes: readonly LineChange[]): Promise<void> {
    await this.ready();
    const rel = normalizeRel(file);
    if (rel === undefined) return;
    this.bump(rel);
    let doc = this.docs.get(rel);
    if (!doc) {
      const linkReason = this.linkReasonSync(rel);
      doc = { languageId: '', language: languageForPath(rel), text, excluded: this.pathSkipReason(rel) ?? linkReason, linkReason };
      this.docs.set(rel, doc);
    }
    doc.text = text;
    const pathReason = this.pathSkipReason(rel) ?? doc.linkReason;
    doc.excluded = pathReason ?? contentSkipReason(rel, text, this.maxFileBytes);
    if (!doc.excluded) {
      const now = this.clock();
      for (const c of changes) {
        // startLine..endLine are the changed lines in the NEW text; they replaced old lines
        // startLine..endLine - lineDelta. Earlier ranges shift first, so the recorded edit and
        // the ranges below it agree on the new line numbers.
        const start = Math.min(c.startLine, c.endLine);
        const end = Math.max(c.startLine, c.endLine);
        if (c.lineDelta > 0) this.recent.shift(rel, Math.max(start, end - c.lineDelta + 1), c.lineDelta);
        else if (c.lineDelta < 0) this.recent.shift(rel, end + 1, c.lineDelta);
        this.recent.recordEdit(rel, start, end, now);
      }
    }
    this.applyDocument(rel, this.documentExtractDelayMs);
  }

  /** The document was closed: disk is the truth again. */
  async documentClosed(file: string): Promise<void> {
    await this.ready();
    const rel = normalizeRel(file);
    if (rel === undefined) return;
    const doc = this.docs.get(rel);
    this.docs.delete(rel);
    this.cancelExtraction(rel);
    this.trees?.close(rel);
    this.similar.remove(rel);
    if (!doc) return;
    await this.indexFromDisk(rel, undefined);
  }

  /** The user looked at lines of a file (visible range of an editor). */
  async viewed(file: string, startLine: number, endLine: number): Promise<void> {
    await this.ready();
    const rel = normalizeRel(file);
    if (rel === undefined || this.pathSkipReason(rel) !== undefined) return;
    if (this.docs.get(rel)?.excluded) return;
    this.recent.recordView(rel, startLine, endLine, this.clock());
  }

  /** Runs pending (debounced) symbol extractions of open documents now and waits for them. */
  async flushDocuments(): Promise<void> {
    for (const [file, timer] of [...this.extractTimers]) {
      clearTimeout(timer);
      this.extractTimers.delete(file);
      this.startDocumentExtraction(file);
    }
    await Promise.all([...this.pendingExtractions]);
  }

  // ---- retrieval ----

  async retrieve(request: ContextRequest): Promise<ContextResult> {
    await this.ready();
    return retrieveContext(request, this);
  }

  /**
   * "Ask About Codebase": the definitions and files most relevant to a question, within its budget
   * (codebaseSearch.ts). Answers from what is indexed so far while a full index runs.
   */
  async searchCodebase(query: CodebaseQuery): Promise<CodebaseAnswerContext> {
    await this.ready();
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
    if (rel === undefined || !this.usable(rel)) return undefined;
    if (contentSkipReason(rel, text, this.maxFileBytes) !== undefined) return undefined;
    try {
      if (!this.trees) {
        const runtime = await this.runtime();
        this.trees ??= new DocumentTrees(runtime, { maxDocuments: MAX_DOCUMENT_TREES });
      }
      return await this.trees.parse(rel, language, text);
    } catch (e) {
      this.log(`parse of ${rel} failed: ${describe(e)}`);
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
    return resolveImport(fromFile, language, source, this.index.fileSet, names);
  }

  /** The open document's text, else the file from disk; undefined when it is not usable as context. */
  textOf(file: string): string | undefined {
    const rel = normalizeRel(file);
    if (rel === undefined) return undefined;
    const doc = this.docs.get(rel);
    if (doc) return doc.excluded ? undefined : doc.text;
    if (this.pathSkipReason(rel) !== undefined || this.linkReasonSync(rel) !== undefined) return undefined;
    try {
      const abs = path.join(this.root, rel);
      if (fs.statSync(abs).size > this.maxFileBytes) return undefined;
      const bytes = fs.readFileSync(abs);
      if (contentSkipReason(rel, bytes, this.maxFileBytes) !== undefined) return undefined;
      return bytes.toString('utf8');
    } catch {
      return undefined;
    }
  }

  now(): number {
    return this.clock();
  }

  // ---- lifetime ----

  stats(): ContextStats {
    const m = process.memoryUsage();
    return {
      root: this.root,
      files: this.index.size,
      definitions: this.index.definitions,
      openDocuments: this.docs.size,
      indexing: this.indexing,
      cacheHits: this.counters.cacheHits,
      parsed: this.counters.parsed,
      unchangedSkippedRead: this.counters.unchangedSkippedRead,
      skipped: { ...this.skippedByReason },
      failed: this.counters.failed,
      lastProgress: this.lastProgress,
      memory: { heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external), rssMb: mb(m.rss) },
    };
  }

  /** Cancels a running index, waits for it and saves the cache. */
  async close(): Promise<void> {
    const run = this.run;
    run?.controller.abort();
    await run?.done.catch(() => undefined);
    await this.flushDocuments().catch(() => undefined);
    // Prune only when a full index has seen the whole workspace; otherwise (closed before or during
    // the first index) the cache still holds files this session never reached.
    if (this.readyPromise) await this.scheduleSave(this.completedFullIndex && !run);
    this.dispose();
  }

  /** Stops timers and frees parse trees; does not save (see close). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.run?.controller.abort();
    for (const timer of this.extractTimers.values()) clearTimeout(timer);
    this.extractTimers.clear();
    this.trees?.dispose();
    this.trees = undefined;
  }

  /**
   * Resolves once the filter and the cache are loaded. Events wait for this too, so a caller that
   * awaits it after sending events sees their effect (the worker answers stats this way).
   */
  whenReady(): Promise<void> {
    return this.ready();
  }

  // ---- internals ----

  private ready(): Promise<void> {
    this.readyPromise ??= this.init();
    return this.readyPromise;
  }

  private async init(): Promise<void> {
    await this.filter.load();
    if (this.storageDir) {
      const fingerprint = await extractorFingerprint(this.grammarDir);
      this.cache = await IndexCache.load(this.storageDir, { fingerprint, log: this.log });
    }
  }

  private runtime(): Promise<TreeSitterRuntime> {
    if (!this.runtimePromise) {
      this.runtimePromise = TreeSitterRuntime.create(this.grammarDir);
      // A failed start (grammars not built yet) is retried by the next caller.
      this.runtimePromise.catch(() => (this.runtimePromise = undefined));
    }
    return this.runtimePromise;
  }

  private async extract(language: ContextLanguage, text: string): Promise<FileSymbols> {
    if (this.extractOverride) return this.extractOverride(language, text);
    return extractFileSymbols(await this.runtime(), language, text);
  }

  private bump(file: string): number {
    const g = ++this.generationCounter;
    this.generations.set(file, g);
    return g;
  }

  private current(file: string, generation: number): boolean {
    return this.generations.get(file) === generation && !this.disposed;
  }

  private pathSkipReason(rel: string): SkipReason | undefined {
    return this.filter.skipReasonForPath(rel, false);
  }

  /** Why `rel` may not be read through the links on its way (linkContainment.ts), synchronously. */
  private linkReasonSync(rel: string): SkipReason | undefined {
    return linkSkipReason(this.links.judgeSync(rel), rel, (target) => this.pathSkipReason(target));
  }

  /** May this file's content be used at all (context, parse)? */
  private usable(rel: string): boolean {
    const doc = this.docs.get(rel);
    if (doc) return doc.excluded === undefined;
    return this.pathSkipReason(rel) === undefined;
  }

  private countSkip(reason: SkipReason): void {
    this.skippedByReason[reason] = (this.skippedByReason[reason] ?? 0) + 1;
  }

  private fail(file: string, what: string, e: unknown): 'failed' {
    this.counters.failed++;
    if (++this.loggedFailures <= MAX_LOGGED_FAILURES) this.log(`context index: ${what} ${file}: ${describe(e)}`);
    return 'failed';
  }

  /** Drops a file from the index and the cache bookkeeping (not from recent ranges). */
  private forget(file: string): void {
    this.index.delete(file);
    this.fileStats.delete(file);
  }

  /** Indexed (or open) paths equal to `rel` or inside folder `rel`. */
  private filesAtOrUnder(rel: string): string[] {
    const prefix = rel + '/';
    const found = new Set<string>();
    for (const f of this.index.files()) if (f === rel || f.startsWith(prefix)) found.add(f);
    for (const f of this.docs.keys()) if (f === rel || f.startsWith(prefix)) found.add(f);
    return [...found];
  }

  /**
   * Brings one file's index entry in line with the disk. `scanned` carries the scanner's stat (a
   * full index); file events stat the file here.
   */
  private async indexFromDisk(rel: string, scanned: ScannedFile | undefined): Promise<Outcome> {
    const generation = this.bump(rel);
    try {
      return await this.syncFromDisk(rel, scanned, generation);
    } finally {
      // Settled with no newer event: forget the generation, so 100k files leave no map behind.
      if (this.generations.get(rel) === generation && !this.docs.has(rel)) this.generations.delete(rel);
    }
  }

  private async syncFromDisk(rel: string, scanned: ScannedFile | undefined, generation: number): Promise<Outcome> {
    const language = languageForPath(rel);
    const reason = this.pathSkipReason(rel);
    if (reason !== undefined || language === undefined) {
      this.forget(rel);
      if (reason !== undefined) this.countSkip(reason);
      return 'skipped';
    }
    // A file the scanner yielded was judged there (its links resolved); a file event's path is judged here.
    const linkReason = scanned ? undefined : linkSkipReason(await this.links.judge(rel), rel, (target) => this.pathSkipReason(target));
    if (!this.current(rel, generation)) return 'stale';
    if (linkReason !== undefined) {
      this.forget(rel);
      this.countSkip(linkReason);
      return 'skipped';
    }
    const abs = path.join(this.root, rel);
    let size: number;
    let mtimeMs: number;
    if (scanned) {
      ({ size, mtimeMs } = scanned);
    } else {
      try {
        const st = await fsp.stat(abs);
        if (!st.isFile()) throw new Error('not a file');
        ({ size, mtimeMs } = st);
      } catch {
        if (this.current(rel, generation)) this.forget(rel);
        return 'gone';
      }
    }
    if (!this.current(rel, generation)) return 'stale';
    if (size > this.maxFileBytes) {
      this.forget(rel);
      this.countSkip('too-large');
      return 'skipped';
    }

    // Same size and mtime as when the cache was saved: take the recorded hash without reading.
    const known = this.cache.hashForStat(rel, size, mtimeMs);
    if (known !== undefined) {
      const stat = { size, mtimeMs, readAt: Date.now() };
      if (this.index.hashOf(rel) === known) {
        this.fileStats.set(rel, stat);
        this.counters.unchangedSkippedRead++;
        return 'unchanged';
      }
      const symbols = this.cache.get(known);
      if (symbols && symbols.language === language) {
        this.index.set(rel, known, symbols);
        this.fileStats.set(rel, stat);
        this.counters.unchangedSkippedRead++;
        this.counters.cacheHits++;
        return 'cached';
      }
    }

    const readAt = Date.now();
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(abs);
    } catch (e) {
      if (!this.current(rel, generation)) return 'stale';
      this.forget(rel);
      return this.fail(rel, 'cannot read', e);
    }
    if (!this.current(rel, generation)) return 'stale';
    const contentReason = contentSkipReason(rel, bytes, this.maxFileBytes);
    if (contentReason !== undefined) {
      this.forget(rel);
      this.countSkip(contentReason);
      return 'skipped';
    }
    const text = bytes.toString('utf8');
    this.linesRead += countLines(text);
    const hash = hashContent(text, language);
    const stat = bytes.length === size ? { size, mtimeMs, readAt } : undefined;
    if (this.index.hashOf(rel) === hash) {
      if (stat) this.fileStats.set(rel, stat);
      return 'unchanged';
    }
    let symbols = this.cache.get(hash);
    let outcome: Outcome = 'cached';
    if (!symbols || symbols.language !== language) {
      try {
        symbols = await this.extract(language, text);
      } catch (e) {
        if (!this.current(rel, generation)) return 'stale';
        this.forget(rel);
        return this.fail(rel, 'cannot parse', e);
      }
      this.cache.set(hash, symbols);
      this.counters.parsed++;
      outcome = 'parsed';
    } else {
      this.counters.cacheHits++;
    }
    if (!this.current(rel, generation)) return 'stale';
    this.index.set(rel, hash, symbols);
    if (stat) this.fileStats.set(rel, stat);
    else this.fileStats.delete(rel);
    return outcome;
  }

  /** After an open/change: feed or withdraw the document everywhere, then (re-)extract its symbols. */
  private applyDocument(rel: string, delayMs: number): void {
    const doc = this.docs.get(rel);
    if (!doc) return;
    if (doc.excluded) {
      this.cancelExtraction(rel);
      this.index.delete(rel);
      this.fileStats.delete(rel);
      this.similar.remove(rel);
      this.recent.remove(rel);
      this.trees?.close(rel);
      return;
    }
    this.similar.update(rel, doc.text);
    if (!doc.language) {
      // No grammar: text-only context; a stale entry under another language must not linger.
      this.index.delete(rel);
      return;
    }
    this.cancelExtraction(rel);
    if (delayMs <= 0) {
      this.startDocumentExtraction(rel);
      return;
    }
    const timer = setTimeout(() => {
      this.extractTimers.delete(rel);
      this.startDocumentExtraction(rel);
    }, delayMs);
    timer.unref?.();
    this.extractTimers.set(rel, timer);
  }

  private cancelExtraction(rel: string): void {
    const timer = this.extractTimers.get(rel);
    if (timer) clearTimeout(timer);
    this.extractTimers.delete(rel);
  }

  private startDocumentExtraction(rel: string): void {
    const job = this.extractDocument(rel).catch((e: unknown) => {
      this.fail(rel, 'cannot parse open document', e);
    });
    this.pendingExtractions.add(job);
    void job.finally(() => this.pendingExtractions.delete(job));
  }

  private async extractDocument(rel: string): Promise<void> {
    const doc = this.docs.get(rel);
    if (!doc || doc.excluded || !doc.language || this.disposed) return;
    const { text, language } = doc;
    const hash = hashContent(text, language);
    const entry = this.index.get(rel);
    if (entry && entry.hash === hash && entry.symbols.language === language) return;
    let symbols = this.cache.get(hash);
    if (!symbols || symbols.language !== language) {
      symbols = await this.extract(language, text);
      this.cache.set(hash, symbols);
      this.counters.parsed++;
    }
    // Apply only if the document still shows exactly this text.
    const now = this.docs.get(rel);
    if (now !== doc || now.text !== text || now.excluded || this.disposed) return;
    this.index.set(rel, hash, symbols);
    this.fileStats.delete(rel); // live text: no disk stat vouches for it
  }

  /** Re-applies the path filter to everything indexed or open (the rules changed). */
  private recheckPaths(): void {
    for (const file of [...this.index.files()]) {
      if (this.docs.has(file)) continue;
      const reason = this.pathSkipReason(file);
      if (reason !== undefined) this.forget(file);
    }
    for (const [file, doc] of this.docs) {
      const reason = this.pathSkipReason(file);
      if (reason !== undefined && doc.excluded === undefined) {
        doc.excluded = reason;
        this.applyDocument(file, 0);
      }
    }
  }

  /** A .gitignore changed or vanished: reload its rules and drop what they now exclude. */
  private async gitignoreChanged(rel: string): Promise<void> {
    const dir = path.posix.dirname(rel);
    const dirRel = dir === '.' ? '' : dir;
    if (this.pathSkipReason(rel) !== undefined && dirRel !== '') return; // inside an ignored folder
    const content = await fsp.readFile(path.join(this.root, rel), 'utf8').catch(() => '');
    this.filter.addGitignore(dirRel, content);
    this.recheckPaths();
    // Files the new rules let in appear with the next full index (the extension re-runs it).
  }

  /** Saves the cache after any save in flight; prune drops symbols of files no longer indexed. */
  private scheduleSave(prune: boolean): Promise<unknown> {
    if (!this.storageDir) return Promise.resolve();
    const next = this.saving.then(() => this.cache.save(this.cachedFiles(), { prune }));
    this.saving = next.catch(() => undefined);
    return this.saving;
  }

  private *cachedFiles(): Generator<{
    file: string;
    hash: string;
    symbols: FileSymbols;
    stat?: FileStat;
  }> {
    for (const entry of this.index.values()) {
      const stat = this.fileStats.get(entry.file);
      yield stat ? { file: entry.file, hash: entry.hash, symbols: entry.symbols, stat } : entry;
    }
  }
}

/** Workspace-relative with forward slashes; undefined for paths that leave the workspace. */
function normalizeRel(file: string): string | undefined {
  let rel = file.replace(/\\/g, '/');
  while (rel.startsWith('./')) rel = rel.slice(2);
  rel = rel.replace(/\/+$/, '');
  if (rel === '' || rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) return undefined;
  if (rel.split('/').includes('..')) return undefined;
  return rel;
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
