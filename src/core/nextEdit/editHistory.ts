// The user's recent edits, recorded on the host for next-edit prompts: per document, keystrokes
// coalesced by time and place into hunks (the lines before and after), the ranges the user looked at,
// and the edits the user just undid (so a suggestion that would redo one is not shown). Bounded in
// count and bytes, oldest dropped; a document the caller's rule bars (git-ignored, excluded, secret)
// is never recorded, and a document's records go when it closes.
import type { EditHunk, ViewedRange } from './nextEditTypes';

export interface EditHistoryLimits {
  /** Keystrokes further apart than this (ms) start a new hunk. */
  coalesceMs: number;
  /** A change this many lines or fewer away from the hunk being typed joins it. */
  coalesceLines: number;
  /** Hunks kept per document (oldest dropped). */
  maxHunksPerDocument: number;
  /** Characters of original + updated kept per document (oldest dropped; a larger hunk is not kept). */
  maxCharsPerDocument: number;
  /** Hunks kept over all documents. */
  maxHunks: number;
  /** Viewed ranges kept over all documents. */
  maxViewed: number;
  /** How long (ms) an undone edit counts as "just undone". */
  undoneMs: number;
}

export const DEFAULT_EDIT_HISTORY_LIMITS: EditHistoryLimits = {
  coalesceMs: 3000,
  coalesceLines: 3,
  maxHunksPerDocument: 16,
  maxCharsPerDocument: 16_000,
  maxHunks: 32,
  maxViewed: 8,
  undoneMs: 60_000,
};

/**
 * Whether a document may be recorded at all: false for a git-ignored, excluded or secret document
 * (the editor side answers it from PromptExclusions: the path's cached verdict and reasonForText).
 */
export type RecordablePredicate = (path: string, text: string) => boolean;

/** How a change came about, when the editor knows (VS Code's TextDocumentChangeReason). */
export type ChangeReason = 'undo' | 'redo';

/** The hunk being typed: the document as it was before its first keystroke. */
interface OpenHunk {
  path: string;
  base: string;
  hunk: EditHunk;
}

export class EditHistory {
  private readonly byPath = new Map<string, EditHunk[]>();
  private viewedRanges: ViewedRange[] = [];
  private undone: EditHunk[] = [];
  private open: OpenHunk | undefined;
  private readonly limits: EditHistoryLimits;

  constructor(
    private readonly mayRecord: RecordablePredicate,
    limits: Partial<EditHistoryLimits> = {},
  ) {
    this.limits = { ...DEFAULT_EDIT_HISTORY_LIMITS, ...limits };
  }

  /** Records one change of `path`, from the text before it to the text after it. */
  record(path: string, before: string, after: string, at: number, reason?: ChangeReason): void {
    // Both sides: a secret deleted from the document is still in the text before the deletion.
    if (!this.mayRecord(path, after) || !this.mayRecord(path, before)) {
      this.close(path);
      return;
    }
    const change = lineHunk(path, before, after, at);
    if (!change) return;
    if (this.undoes(path, after, change, reason)) return;
    if (reason === 'undo') {
      // An undo that matches no recorded hunk whole (it took back part of a coalesced one): what it
      // took back is still an edit the user undid, as the user had made it; the hunk being typed now
      // holds only what is left of it.
      this.undone.push({ path, startLine: change.startLine, original: change.updated, updated: change.original, at });
      const open = this.open?.path === path ? this.open : undefined;
      if (open) this.replaceOpen(open, lineHunk(path, open.base, after, open.hunk.at));
      this.open = undefined;
      return;
    }
    const open = this.open;
    if (open && open.path === path && at - open.hunk.at <= this.limits.coalesceMs && this.near(open.hunk, change)) {
      this.replaceOpen(open, lineHunk(path, open.base, after, at));
      return;
    }
    this.open = { path, base: before, hunk: change };
    this.push(change);
  }

  /** Records a range the user looked at (scrolled to, jumped to); a newer look at the same place replaces it. */
  recordViewed(range: ViewedRange): void {
    if (!this.mayRecord(range.path, range.text)) return;
    this.viewedRanges = this.viewedRanges.filter(
      (v) => v.path !== range.path || v.endLine <= range.startLine || v.startLine >= range.endLine,
    );
    this.viewedRanges.push(range);
    if (this.viewedRanges.length > this.limits.maxViewed) this.viewedRanges.shift();
  }

  /** Every kept hunk, oldest first. */
  hunks(): EditHunk[] {
    return [...this.byPath.values()].flat().sort((a, b) => a.at - b.at);
  }

  /** The kept hunks of one document, oldest first. */
  hunksOf(path: string): readonly EditHunk[] {
    return this.byPath.get(path) ?? [];
  }

  /** Viewed ranges, oldest first. */
  viewed(): readonly ViewedRange[] {
    return this.viewedRanges;
  }

  /**
   * The edits of `path` the user undid since `now - undoneMs`, as the user had made them
   * (original -> updated): a suggestion that turns `original` back into `updated` redoes one.
   */
  recentlyUndone(path: string, now: number): readonly EditHunk[] {
    this.undone = this.undone.filter((u) => now - u.at <= this.limits.undoneMs);
    return this.undone.filter((u) => u.path === path);
  }

  /** Forgets everything (next-edit was turned off). */
  clear(): void {
    this.byPath.clear();
    this.viewedRanges = [];
    this.undone = [];
    this.open = undefined;
  }

  /** Forgets everything recorded about `path` (the document closed, or became barred). */
  close(path: string): void {
    this.byPath.delete(path);
    this.viewedRanges = this.viewedRanges.filter((v) => v.path !== path);
    this.undone = this.undone.filter((u) => u.path !== path);
    if (this.open?.path === path) this.open = undefined;
  }

  /**
   * True (and the undone hunk moved out of the history) when the change takes back a recorded hunk in
   * one step: the hunk being typed reversed back to the text before it, or an older hunk reversed in
   * place. An undo does that; typing back a character at a time does not (the hunk just shrinks
   * away), so without the editor's word a one-character step back over the hunk being typed is a
   * backspace, not an undo.
   */
  private undoes(path: string, after: string, change: EditHunk, reason: ChangeReason | undefined): boolean {
    const hunks = this.byPath.get(path) ?? [];
    const reverses = (h: EditHunk) => h.startLine === change.startLine && h.updated === change.original && h.original === change.updated;
    const open = this.open?.path === path ? this.open : undefined;
    const oneKeystroke = Math.abs(change.original.length - change.updated.length) <= 1;
    const undoneHunk = open && after === open.base && (reason === 'undo' || (reverses(open.hunk) && !oneKeystroke))
      ? open.hunk
      : [...hunks].reverse().find((h) => h !== open?.hunk && reverses(h));
    if (!undoneHunk) return false;
    this.byPath.set(path, hunks.filter((h) => h !== undoneHunk));
    if (this.open?.hunk === undoneHunk) this.open = undefined;
    this.undone.push({ ...undoneHunk, at: change.at });
    return true;
  }

  /** True when `change` (in the document as the open hunk left it) touches lines near the hunk's. */
  private near(hunk: EditHunk, change: EditHunk): boolean {
    const hunkEnd = hunk.startLine + lineCount(hunk.updated);
    const changeEnd = change.startLine + lineCount(change.original);
    const gap = this.limits.coalesceLines;
    return change.startLine <= hunkEnd + gap && changeEnd >= hunk.startLine - gap;
  }

  private replaceOpen(open: OpenHunk, merged: EditHunk | undefined): void {
    const hunks = this.byPath.get(open.path) ?? [];
    const kept = hunks.filter((h) => h !== open.hunk);
    if (!merged) {
      // Typed and taken back: nothing changed since the hunk began.
      this.byPath.set(open.path, kept);
      this.open = undefined;
      return;
    }
    this.byPath.set(open.path, kept);
    open.hunk = merged;
    this.push(merged);
  }

  private push(hunk: EditHunk): void {
    const hunks = this.byPath.get(hunk.path) ?? [];
    hunks.push(hunk);
    let chars = hunks.reduce((sum, h) => sum + h.original.length + h.updated.length, 0);
    while (hunks.length > 0 && (hunks.length > this.limits.maxHunksPerDocument || chars > this.limits.maxCharsPerDocument)) {
      const dropped = hunks.shift()!;
      chars -= dropped.original.length + dropped.updated.length;
    }
    this.byPath.set(hunk.path, hunks);
    const all = this.hunks();
    for (const oldest of all.slice(0, Math.max(0, all.length - this.limits.maxHunks))) {
      const list = this.byPath.get(oldest.path)!;
      list.splice(list.indexOf(oldest), 1);
    }
    if (this.open && !(this.byPath.get(this.open.path) ?? []).includes(this.open.hunk)) this.open = undefined;
  }
}

/** Lines of a hunk side (every side has at least one line). */
export function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * The whole lines that differ between `before` and `after`, or undefined when they are equal. Both
 * sides keep at least one line: a pure insertion or deletion takes the line above it (or below, at
 * the top), so every hunk says where it happened and `split('\n')` counts its lines.
 */
export function lineHunk(path: string, before: string, after: string, at: number): EditHunk | undefined {
  if (before === after) return undefined;
  const a = before.split('\n');
  const b = after.split('\n');
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  if (a.length - prefix - suffix === 0 || b.length - prefix - suffix === 0) {
    if (prefix > 0) prefix--;
    else suffix--;
  }
  return {
    path,
    startLine: prefix,
    original: a.slice(prefix, a.length - suffix).join('\n'),
    updated: b.slice(prefix, b.length - suffix).join('\n'),
    at,
  };
}
