// The state a workspace's context shares between its parts (the index run, open documents, file
// events and the ContextWorkspace facade): the symbol index, the persisted cache and the disk stats
// that vouch for it, per-file generations, each folder's rules (path filter and link containment),
// counters, and the tree-sitter runtime. It is the one owner of that state; the parts read and change
// it only through here.
//
// Folders: files are named by workspace paths (kernel/workspaceRoots.ts: plain relative paths with
// one folder, `folderName/...` with several). Each folder keeps its own .gitignore files, excludes and
// link rule: a link that leads out of ITS folder is never read, even into another workspace folder
// (that file is indexed under its own folder's path anyway).
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
import { WorkspaceRoots, type RootFolder } from '../kernel/workspaceRoots';

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

/** One folder to index, with its own exclude globs (its files.exclude and bantam.context.exclude). */
export interface IndexFolder {
  /** The folder's name as the workspace shows it (the prefix of its paths when there are several). */
  name: string;
  /** Absolute path. */
  root: string;
  excludeGlobs: readonly string[];
}

/** A folder's own rules: its .gitignore files and excludes, and where its links may lead. */
export interface FolderRules {
  readonly folder: RootFolder;
  readonly filter: PathFilter;
  readonly links: LinkContainment;
}

export interface WorkspaceStateOptions {
  /** The one folder indexed (with `excludeGlobs`), unless `folders` is given. */
  root: string;
  /** Every folder of a multi-root workspace, each with its excludes; overrides `root` and `excludeGlobs`. */
  folders?: readonly IndexFolder[];
  grammarDir: string;
  storageDir: string | undefined;
  excludeGlobs: readonly string[];
  maxFileBytes: number;
  log: (line: string) => void;
  clock: () => number;
  extract: SymbolExtractorFn | undefined;
}

export class WorkspaceState {
  /** The first folder's root. */
  readonly root: string;
  /** The folders and how paths name their files. */
  readonly roots: WorkspaceRoots;
  /** Per folder, in the order of roots.folders. */
  readonly folderRules: readonly FolderRules[];
  readonly maxFileBytes: number;
  readonly log: (line: string) => void;
  readonly clock: () => number;
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
    const folders = options.folders?.length
      ? options.folders
      : [{ name: path.basename(path.resolve(options.root)), root: options.root, excludeGlobs: options.excludeGlobs }];
    this.roots = new WorkspaceRoots(folders);
    this.root = this.roots.folders[0]!.root;
    this.grammarDir = options.grammarDir;
    this.storageDir = options.storageDir;
    this.maxFileBytes = options.maxFileBytes;
    this.log = options.log;
    this.clock = options.clock;
    this.extractOverride = options.extract;
    this.folderRules = this.roots.folders.map((folder, i) => ({
      folder,
      filter: new PathFilter(folder.root, { excludeGlobs: folders[i]!.excludeGlobs, maxFileBytes: this.maxFileBytes }),
      links: new LinkContainment(folder.root),
    }));
  }

  /** The rules of the folder `file` (a workspace path) is in, and its path inside that folder. */
  rulesFor(file: string): { rules: FolderRules; rel: string } | undefined {
    const located = this.roots.locate(file);
    if (!located || located.rel === '') return undefined;
    const rules = this.folderRules.find((r) => r.folder === located.folder);
    return rules && { rules, rel: located.rel };
  }

  /** The absolute path of a workspace path; undefined when it names no folder. */
  absolute(file: string): string | undefined {
    return this.roots.absolute(file);
  }

  /** A .gitignore in folder `dir` (a workspace path; '' or a folder's name for a root) changed. */
  setGitignore(dir: string, content: string): void {
    if (dir === '' || !this.roots.multi) {
      this.folderRules[0]!.filter.addGitignore(dir, content);
      return;
    }
    const located = this.roots.locate(dir);
    const rules = located && this.folderRules.find((r) => r.folder === located.folder);
    rules?.filter.addGitignore(located!.rel, content);
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
    await Promise.all(this.folderRules.map((r) => r.filter.load()));
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

  /**
   * Why its folder's rules skip `file` (a workspace path); a path naming no folder is 'outside'. A
   * file of a folder nested in another must pass the outer folder's rules too.
   */
  pathSkipReason(file: string): SkipReason | undefined {
    const found = this.rulesFor(file);
    if (!found) return 'outside';
    const own = found.rules.filter.skipReasonForPath(found.rel, false);
    if (own !== undefined) return own;
    for (const { folder, prefix } of this.roots.enclosing(found.rules.folder)) {
      const outer = this.folderRules.find((r) => r.folder === folder)!;
      const reason = outer.filter.skipReasonForPath(`${prefix}/${found.rel}`, false);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }

  /** Why `file` may not be read through the links on its way (linkContainment.ts), synchronously. */
  linkReasonSync(file: string): SkipReason | undefined {
    const found = this.rulesFor(file);
    if (!found) return 'outside';
    const { rules, rel } = found;
    return linkSkipReason(rules.links.judgeSync(rel), rel, (target) => rules.filter.skipReasonForPath(target, false));
  }

  /** The same as linkReasonSync, without blocking on the file system. */
  async linkReason(file: string): Promise<SkipReason | undefined> {
    const found = this.rulesFor(file);
    if (!found) return 'outside';
    const { rules, rel } = found;
    return linkSkipReason(await rules.links.judge(rel), rel, (target) => rules.filter.skipReasonForPath(target, false));
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
