// Remembers which line ranges the user recently edited and looked at, per file, so completion can
// carry "what you were just working on" as context. Code the user touched a moment ago is the best
// cheap predictor of what the next completion needs, and it costs no parsing to know.
//
// Only ranges are kept, never text: the caller reads the current text when it builds snippets, so a
// remembered range can't hand the model stale code. To keep ranges pointing at the same code while
// the user types above them, the document tracker reports line insertions/deletions through shift().
// Time is always passed in (`now`, ms) so the class stays pure and testable without a clock.

export type RangeKind = 'edit' | 'view';

export interface RecentRange {
  /** Workspace-relative path with forward slashes. */
  file: string;
  /** 1-based inclusive line range. */
  startLine: number;
  endLine: number;
  kind: RangeKind;
  /** When the range was last recorded (ms, caller's clock). */
  at: number;
}

export interface RecentRangesOptions {
  /** Most edit ranges kept; the oldest goes first. */
  maxEdits?: number;
  /** Most view ranges kept. Fewer than edits: a view says less about intent than an edit. */
  maxViews?: number;
  /** Entries older than this (ms) are forgotten: an edit from an hour ago is noise, not context. */
  ttlMs?: number;
}

export interface RecentQuery {
  now: number;
  /** Only these kinds (default both). */
  kinds?: readonly RangeKind[];
  /** Leave out one file, typically the document being completed (its text is in the prompt anyway). */
  excludeFile?: string;
  /** At most this many results. */
  limit?: number;
}

export const DEFAULT_MAX_EDITS = 32;
export const DEFAULT_MAX_VIEWS = 16;
export const DEFAULT_TTL_MS = 10 * 60_000;

interface Entry extends RecentRange {
  /** Insertion counter: breaks ties between entries recorded in the same millisecond. */
  seq: number;
}

export class RecentRanges {
  private entries: Entry[] = [];
  private seq = 0;
  private readonly maxEdits: number;
  private readonly maxViews: number;
  private readonly ttlMs: number;

  constructor(options: RecentRangesOptions = {}) {
    this.maxEdits = Math.max(0, options.maxEdits ?? DEFAULT_MAX_EDITS);
    this.maxViews = Math.max(0, options.maxViews ?? DEFAULT_MAX_VIEWS);
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  }

  recordEdit(file: string, startLine: number, endLine: number, now: number): void {
    this.record(file, startLine, endLine, 'edit', now);
  }

  recordView(file: string, startLine: number, endLine: number, now: number): void {
    this.record(file, startLine, endLine, 'view', now);
  }

  /**
   * Lines were inserted (delta > 0, before line `atLine`) or deleted (delta < 0, lines
   * atLine .. atLine - delta - 1) in `file`. Ranges below move; ranges that contain the change grow
   * or shrink; ranges whose lines were all deleted are dropped.
   */
  shift(file: string, atLine: number, delta: number): void {
    if (delta === 0) return;
    const kept: Entry[] = [];
    for (const e of this.entries) {
      if (e.file !== file) {
        kept.push(e);
        continue;
      }
      if (delta > 0) {
        if (e.startLine >= atLine) {
          e.startLine += delta;
          e.endLine += delta;
        } else if (e.endLine >= atLine) {
          e.endLine += delta;
        }
        kept.push(e);
        continue;
      }
      const first = atLine;
      const last = atLine - delta - 1;
      const before = Math.max(0, Math.min(last, e.startLine - 1) - first + 1);
      const inside = Math.max(0, Math.min(last, e.endLine) - Math.max(first, e.startLine) + 1);
      if (inside >= e.endLine - e.startLine + 1) continue;
      e.startLine -= before;
      e.endLine -= before + inside;
      kept.push(e);
    }
    this.entries = kept;
    // A deletion can bring two ranges together; keep the "merged" invariant.
    this.coalesce(file);
  }

  /** A file was renamed or moved: its ranges follow it. */
  rename(from: string, to: string): void {
    if (from === to) return;
    for (const e of this.entries) if (e.file === from) e.file = to;
    this.coalesce(to);
  }

  /** A file was deleted (or closed for good): forget it. */
  remove(file: string): void {
    this.entries = this.entries.filter((e) => e.file !== file);
  }

  /** Live ranges, newest first. */
  recent(query: RecentQuery): RecentRange[] {
    this.expire(query.now);
    const kinds = query.kinds ?? ['edit', 'view'];
    const found = this.entries
      .filter((e) => kinds.includes(e.kind) && e.file !== query.excludeFile)
      .sort(newestFirst)
      .map(({ file, startLine, endLine, kind, at }) => ({ file, startLine, endLine, kind, at }));
    return query.limit === undefined ? found : found.slice(0, Math.max(0, query.limit));
  }

  get size(): number {
    return this.entries.length;
  }

  clear(): void {
    this.entries = [];
  }

  private record(file: string, startLine: number, endLine: number, kind: RangeKind, now: number): void {
    let start = Math.max(1, Math.floor(Math.min(startLine, endLine)));
    let end = Math.max(1, Math.floor(Math.max(startLine, endLine)));
    // Expire first, so a forgotten range can't widen a fresh one by merging into it.
    this.expire(now);
    // Every entry this one touches collapses into it and takes its time: re-touching code renews it.
    this.entries = this.entries.filter((e) => {
      if (e.file !== file || e.kind !== kind || !touches(e, start, end)) return true;
      start = Math.min(start, e.startLine);
      end = Math.max(end, e.endLine);
      return false;
    });
    this.entries.push({ file, startLine: start, endLine: end, kind, at: now, seq: this.seq++ });
    this.cap(kind);
  }

  private expire(now: number): void {
    this.entries = this.entries.filter((e) => now - e.at <= this.ttlMs);
  }

  private cap(kind: RangeKind): void {
    const max = kind === 'edit' ? this.maxEdits : this.maxViews;
    const ofKind = this.entries.filter((e) => e.kind === kind);
    if (ofKind.length <= max) return;
    const evict = new Set(ofKind.sort(newestFirst).slice(max));
    this.entries = this.entries.filter((e) => !evict.has(e));
  }

  /** Merges touching ranges of the same kind within one file; the merged entry keeps the newest time. */
  private coalesce(file: string): void {
    const others = this.entries.filter((e) => e.file !== file);
    const mine = this.entries.filter((e) => e.file === file).sort((a, b) => a.startLine - b.startLine);
    const merged: Entry[] = [];
    for (const e of mine) {
      const into = merged.find((m) => m.kind === e.kind && touches(m, e.startLine, e.endLine));
      if (!into) {
        merged.push(e);
        continue;
      }
      into.startLine = Math.min(into.startLine, e.startLine);
      into.endLine = Math.max(into.endLine, e.endLine);
      if (newestFirst(e, into) < 0) {
        into.at = e.at;
        into.seq = e.seq;
      }
    }
    this.entries = [...others, ...merged];
  }
}

/** Overlapping or adjacent (line 10 and line 11 belong together). */
function touches(e: RecentRange, start: number, end: number): boolean {
  return start <= e.endLine + 1 && end >= e.startLine - 1;
}

function newestFirst(a: Entry, b: Entry): number {
  return b.at - a.at || b.seq - a.seq;
}
