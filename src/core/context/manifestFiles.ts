// Project manifests the import rules read but the index does not hold (Go's go.mod), kept in memory
// so the completion path reads a manifest from disk at most once every few seconds: a rule asks for
// go.mod in each folder above the file for every import statement, and most answers are "none".

/** How long a manifest's text (or its absence) is trusted before the next read. */
const DEFAULT_FRESH_MS = 10_000;
/** A manifest is small; anything larger is not one worth reading on the completion path. */
export const MAX_MANIFEST_BYTES = 64 * 1024;

export class ManifestFiles {
  private readonly cache = new Map<string, { text: string | undefined; readAt: number }>();

  /**
   * `read` returns a workspace file's text, or undefined when it is absent, unreadable, larger than
   * MAX_MANIFEST_BYTES or not to be read (the workspace's exclusion rules).
   */
  constructor(
    private readonly read: (file: string) => string | undefined,
    private readonly clock: () => number,
    private readonly freshMs = DEFAULT_FRESH_MS,
  ) {}

  text(file: string): string | undefined {
    const now = this.clock();
    const cached = this.cache.get(file);
    if (cached !== undefined && now - cached.readAt < this.freshMs) return cached.text;
    const text = this.read(file);
    this.cache.set(file, { text, readAt: now });
    return text;
  }
}
