// The state one workspace folder's context shares between its parts (the index run, open documents,
// file events and the ContextWorkspace facade): the symbol index, the persisted cache and the disk
// stats that vouch for it, per-file generations, the path filter, counters, and the tree-sitter
// runtime. It is the one owner of that state; the parts read and change it only through here.
//
// Ordering: every event that touches a file bumps that file's generation; an asynchronous read or
// parse applies its result only if no newer event for the file arrived meanwhile (current()).

import * as path from 'node:path';
import type { ContextLanguage, FileSymbols, SkipReason } from './contextTypes';
import { PathFilter } from './fileFilter';
import { extractorFingerprint, IndexCache } from './indexCache';
import { LinkContainment, linkSkipReason } from './linkContainment';
import { RecentRanges } from './recentRanges';
import { SimilarCodeIndex } from './similarCode';
import { extractFileSymbols } from './symbolExtractor';
import { TreeSitterRuntime } from './treeSitterRuntime';
import { WorkspaceIndex } from './workspaceIndex';

/** Failures logged one by one per run; the rest are only counted. */
const MAX_LOGGED_FAILURES = 5;

/** Parses a file's text into symbols; injectable so tests can count or fake extractions. */
export type SymbolExtractorFn = (language: ContextLanguage, text: string) => Promise<FileSymbols>;

/** The disk stat a file's cache entry was read under: a matching stat later skips the read. */
export interface FileStat {
  size: number;
  mtimeMs: number;
  readAt: number;
}

export interface WorkspaceStateOptions {
  root: string;
  grammarDir: string;
  storageDir: string | undefined;
  excludeGlobs: readonly string[];
  maxFileBytes: number;
  log: (line: string) => void;
  clock: () => number;
  extract: SymbolExtractorFn | undefined;
}

export class WorkspaceState {
  readonly root: string;
  readonly maxFileBytes: number;
  readonly log: (line: string) => void;
  readonly clock: () => number;
  readonly filter: PathFilter;
  /** Resolves links: nothing is read through one that leads outside the workspace. */
  readonly links: LinkContainment;
  readonly index = new WorkspaceIndex();
  readonly recent = new RecentRanges();
  readonly similar = new SimilarCodeIndex();
  /** Stats of indexed files as last read from disk; absent for live text no disk stat vouches for. */
  readonly fileStats = new Map<string, FileStat>();
  readonly counters = { cacheHits: 0, parsed: 0, unchangedSkippedRead: 0, failed: 0 };
  readonly skippedByReason: Partial<Record<SkipReason, number>> = {};

  private readonly grammarDir: string;
  private readonly storageDir: string | undefined;
  private readonly extractOverride: SymbolExtractorFn | undefined;
  private readyPromise: Promise<void> | undefined;
  private cacheStore: IndexCache = IndexCache.memory();
  private runtimePromise: Promise<TreeSitterRuntime> | undefined;
  private readonly generations = new Map<string, number>();
  private generationCounter = 0;
  private saving: Promise<unknown> = Promise.resolve();
  private loggedFailures = 0;
  private disposedFlag = false;

  constructor(options: WorkspaceStateOptions) {
    this.root = path.resolve(options.root);
    this.links = new LinkContainment(this.root);
    this.grammarDir = options.grammarDir;
    this.storageDir = options.storageDir;
    this.maxFileBytes = options.maxFileBytes;
    this.log = options.log;
    this.clock = options.clock;
    this.extractOverride = options.extract;
    this.filter = new PathFilter(this.root, { excludeGlobs: options.excludeGlobs, maxFileBytes: this.maxFileBytes });
  }

  /** The symbol cache: in memory until ready() has loaded the persisted one. */
  get cache(): IndexCache {
    return this.cacheStore;
  }

  /** Resolves once the filter and the cache are loaded. */
  ready(): Promise<void> {
    this.readyPromise ??= this.init();
    return this.readyPromise;
  }

  /** Whether anything asked for ready() yet (before that, there is nothing to save). */
  get readyStarted(): boolean {
    return this.readyPromise !== undefined;
  }

  private async init(): Promise<void> {
    await this.filter.load();
    if (this.storageDir) {
      const fingerprint = await extractorFingerprint(this.grammarDir);
      this.cacheStore = await IndexCache.load(this.storageDir, { fingerprint, log: this.log });
    }
  }

  get disposed(): boolean {
    return this.disposedFlag;
  }

  dispose(): void {
    this.disposedFlag = true;
  }

  runtime(): Promise<TreeSitterRuntime> {
    if (!this.runtimePromise) {
      this.runtimePromise = TreeSitterRuntime.create(this.grammarDir);
      // A failed start (grammars not built yet) is retried by the next caller.
      this.runtimePromise.catch(() => (this.runtimePromise = undefined));
    }
    return this.runtimePromise;
  }

  async extract(language: ContextLanguage, text: string): Promise<FileSymbols> {
    if (this.extractOverride) return this.extractOverride(language, text);
    return extractFileSymbols(await this.runtime(), language, text);
  }

  /**
   * The cache's symbols for `hash`, else a fresh extraction that is cached and counted. `parsed`
   * says which, for the caller's own counting.
   */
  async symbolsFor(hash: string, language: ContextLanguage, text: string): Promise<{ symbols: FileSymbols; parsed: boolean }> {
    const cached = this.cache.get(hash);
    if (cached && cached.language === language) return { symbols: cached, parsed: false };
    const symbols = await this.extract(language, text);
    this.cache.set(hash, symbols);
    this.counters.parsed++;
    return { symbols, parsed: true };
  }

  /** A new event about `file`: results of older reads and parses of it no longer apply. */
  bump(file: string): number {
    const g = ++this.generationCounter;
    this.generations.set(file, g);
    return g;
  }

  current(file: string, generation: number): boolean {
    return this.generations.get(file) === generation && !this.disposedFlag;
  }

  /** Settled with no newer event: forget the generation, so 100k files leave no map behind. */
  settle(file: string, generation: number): void {
    if (this.generations.get(file) === generation) this.generations.delete(file);
  }

  pathSkipReason(rel: string): SkipReason | undefined {
    return this.filter.skipReasonForPath(rel, false);
  }

  /** Why `rel` may not be read through the links on its way (linkContainment.ts), synchronously. */
  linkReasonSync(rel: string): SkipReason | undefined {
    return linkSkipReason(this.links.judgeSync(rel), rel, (target) => this.pathSkipReason(target));
  }

  /** The same as linkReasonSync, without blocking on the file system. */
  async linkReason(rel: string): Promise<SkipReason | undefined> {
    return linkSkipReason(await this.links.judge(rel), rel, (target) => this.pathSkipReason(target));
  }

  countSkip(reason: SkipReason): void {
    this.skippedByReason[reason] = (this.skippedByReason[reason] ?? 0) + 1;
  }

  fail(file: string, what: string, e: unknown): 'failed' {
    this.counters.failed++;
    if (++this.loggedFailures <= MAX_LOGGED_FAILURES) this.log(`context index: ${what} ${file}: ${describe(e)}`);
    return 'failed';
  }

  /** A full index starts: its failures are logged afresh. */
  resetFailureLog(): void {
    this.loggedFailures = 0;
  }

  /** Says how many failures of this run were only counted, not logged. */
  logUnloggedFailures(): void {
    if (this.loggedFailures > MAX_LOGGED_FAILURES) {
      this.log(`context index: ${this.loggedFailures - MAX_LOGGED_FAILURES} more files could not be indexed`);
    }
  }

  /** Drops a file from the index and the cache bookkeeping (not from recent ranges). */
  forget(file: string): void {
    this.index.delete(file);
    this.fileStats.delete(file);
  }

  /** Moves a file's index entry and its disk stat; false when it was not indexed. */
  rename(from: string, to: string): boolean {
    if (!this.index.rename(from, to)) return false;
    const st = this.fileStats.get(from);
    this.fileStats.delete(from);
    if (st) this.fileStats.set(to, st);
    return true;
  }

  /** Saves the cache after any save in flight; prune drops symbols of files no longer indexed. */
  save(prune: boolean): Promise<unknown> {
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
export function normalizeRel(file: string): string | undefined {
  let rel = file.replace(/\\/g, '/');
  while (rel.startsWith('./')) rel = rel.slice(2);
  rel = rel.replace(/\/+$/, '');
  if (rel === '' || rel.startsWith('/') || /^[A-Za-z]:/.test(rel)) return undefined;
  if (rel.split('/').includes('..')) return undefined;
  return rel;
}

export function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
