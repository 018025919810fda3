// Resolved imports remembered between requests. Retrieval resolves every import statement of the
// current file on each keystroke, and following re-exports through index files makes that cost
// grow with the packages imported; the answers change only when the index does (a file added,
// removed or re-extracted, which also re-reads index files' re-exports) or a manifest may have
// (go.mod, trusted for `freshMs`), so they are kept until then.

/** Entries kept at most; past it the memory starts over (a workspace's imports are far fewer). */
const MAX_ENTRIES = 20_000;
const DEFAULT_FRESH_MS = 10_000;

export class ResolvedImports {
  private readonly memo = new Map<string, string[]>();
  private indexVersion = -1;
  private filledAt = 0;

  /**
   * `indexVersion` changes whenever the index does; `clock` in ms decides when remembered answers
   * that read a manifest may have gone stale.
   */
  constructor(
    private readonly currentIndexVersion: () => number,
    private readonly clock: () => number,
    private readonly freshMs = DEFAULT_FRESH_MS,
  ) {}

  /** The remembered answer for this import, else `resolve()`'s, remembered. Callers must not mutate it. */
  get(fromFile: string, language: string, source: string, names: readonly string[], resolve: () => string[]): string[] {
    const version = this.currentIndexVersion();
    const now = this.clock();
    if (version !== this.indexVersion || now - this.filledAt >= this.freshMs || this.memo.size >= MAX_ENTRIES) {
      this.memo.clear();
      this.indexVersion = version;
      this.filledAt = now;
    }
    const key = `${fromFile}\u0000${language}\u0000${source}\u0000${names.join('\u0000')}`;
    let found = this.memo.get(key);
    if (found === undefined) {
      found = resolve();
      this.memo.set(key, found);
    }
    return found;
  }
}
