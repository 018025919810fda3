// When to ask the next-edit model, and how long to wait first. On two shared cores a next-edit request
// costs a window rewrite (hundreds of tokens), and it competes with ghost text; so it is asked for
// only at moments a next edit is likely wanted, after a pause, and never between a word's keystrokes.
//
// Moments (the editor calls decideNextEditTiming on each event and restarts its timer on the next):
//   accepted      the user accepted a next-edit: ask at once for the one after it (prefetch), at
//                 every eagerness, so that Tab, Tab, Tab walks a multi-site change without waiting;
//   edit          the user changed the document: ask once the edit settles (the adaptive wait with no
//                 further keystroke). Not while the cursor is inside a word (word characters on both
//                 sides: the user is changing that word); after typing or erasing a word's characters
//                 at its end, not before a pause of WORD_PAUSE_MS, longer than the gap between a
//                 typist's keystrokes, so a word being typed is never sent half-written;
//   cursor-moved  the cursor moved without an edit: ask when it lands near a recent edit (medium and
//                 high eagerness only), once per place and document version.
// Nothing is asked while a suggestion is showing or text is selected.
//
// Eagerness (bantam.nextEdit.eagerness), chosen for a CPU that takes ~0.3 s to the first token:
//   low     1200 ms after an edit settles; never on cursor moves;
//   medium   600 ms; cursor moves within 10 lines of an edit made in the last 2 minutes;
//   high     300 ms; cursor moves within 25 lines of an edit made in the last 10 minutes.
// The wait then adapts to the user (AdaptiveWait): x1.5 after a dismissal, x0.8 after an accept,
// within 50 ms .. 3 s, as Copilot's next-edit debounce does.
import type { EditHunk, NextEditEagerness } from './nextEditTypes';

export interface EagernessPolicy {
  /** The wait after an edit before any dismissal or accept has adapted it. */
  baseWaitMs: number;
  /** A cursor move asks when it lands within this many lines of a recent edit; 0: never. */
  nearEditLines: number;
  /** How recent that edit must be. */
  nearEditMaxAgeMs: number;
}

export const EAGERNESS_POLICIES: Readonly<Record<NextEditEagerness, EagernessPolicy>> = {
  low: { baseWaitMs: 1200, nearEditLines: 0, nearEditMaxAgeMs: 0 },
  medium: { baseWaitMs: 600, nearEditLines: 10, nearEditMaxAgeMs: 120_000 },
  high: { baseWaitMs: 300, nearEditLines: 25, nearEditMaxAgeMs: 600_000 },
};

export const DEFAULT_EAGERNESS: NextEditEagerness = 'medium';

/** The pause that ends a word being typed: longer than the gap between a typist's keystrokes. */
export const WORD_PAUSE_MS = 500;

/** At most this many characters typed or erased in one change count as a keystroke (not a paste). */
const KEYSTROKE_CHARS = 2;

export interface WaitBounds {
  minMs: number;
  maxMs: number;
}

export const WAIT_BOUNDS: WaitBounds = { minMs: 50, maxMs: 3000 };
const AFTER_DISMISS = 1.5;
const AFTER_ACCEPT = 0.8;

/** The wait after an edit, adapted to how the user treats suggestions. */
export class AdaptiveWait {
  /** The multiplier on the eagerness's base wait, kept within what the bounds allow. */
  private factor = 1;

  constructor(
    private eagerness: NextEditEagerness = DEFAULT_EAGERNESS,
    private readonly bounds: WaitBounds = WAIT_BOUNDS,
  ) {}

  get waitMs(): number {
    return Math.round(Math.min(this.bounds.maxMs, Math.max(this.bounds.minMs, this.base() * this.factor)));
  }

  /** A new eagerness keeps what was learned: the wait scales with the new base. */
  setEagerness(eagerness: NextEditEagerness): void {
    this.eagerness = eagerness;
    this.scale(1);
  }

  recordDismissed(): void {
    this.scale(AFTER_DISMISS);
  }

  recordAccepted(): void {
    this.scale(AFTER_ACCEPT);
  }

  private base(): number {
    return EAGERNESS_POLICIES[this.eagerness].baseWaitMs;
  }

  /** Clamped so that a long run of dismissals does not take as long again in accepts to undo. */
  private scale(by: number): void {
    const base = this.base();
    this.factor = Math.min(this.bounds.maxMs / base, Math.max(this.bounds.minMs / base, this.factor * by));
  }
}

export type NextEditTrigger =
  /** The document changed; `inserted` is the text the change typed or pasted, `deleted` the characters it removed. */
  | { kind: 'edit'; inserted: string; deleted: number }
  | { kind: 'accepted' }
  | { kind: 'cursor-moved' };

export interface TimingSituation {
  trigger: NextEditTrigger;
  eagerness: NextEditEagerness;
  /** The adaptive wait now (AdaptiveWait.waitMs). */
  waitMs: number;
  path: string;
  documentVersion: number;
  /** The cursor: 0-based line, the line's text, and the column (UTF-16) in it. */
  line: number;
  lineText: string;
  column: number;
  selectionEmpty: boolean;
  suggestionShowing: boolean;
  /** The recorded edit history (any documents), for "near a recent edit". */
  recentEdits: readonly EditHunk[];
  /** Where the last request was asked, so a cursor resting at the same place does not ask again. */
  lastAsked?: { path: string; documentVersion: number; line: number };
  /** performance.now()-style time, the clock of EditHunk.at. */
  now: number;
}

export type AskReason = 'after-accept' | 'edit-settled' | 'word-paused' | 'near-recent-edit';
export type SkipReason = 'showing' | 'selection' | 'inside-word' | 'eagerness' | 'not-near-edit' | 'already-asked';

export type TimingDecision = { ask: true; delayMs: number; reason: AskReason } | { ask: false; reason: SkipReason };

/** The character just before `column` (a whole surrogate pair when there is one). */
function charBefore(text: string, column: number): string | undefined {
  if (column <= 0) return undefined;
  const code = text.charCodeAt(column - 1);
  if (code >= 0xdc00 && code <= 0xdfff && column >= 2) return text.slice(column - 2, column);
  return text.slice(column - 1, column);
}

function charAfter(text: string, column: number): string | undefined {
  if (column >= text.length) return undefined;
  return String.fromCodePoint(text.codePointAt(column)!);
}

/** Letters, digits, `_` and `$` of any script, astral ones included (one code point). */
const isWordCharacter = (ch: string | undefined): boolean => ch !== undefined && /^[\p{L}\p{N}_$]$/u.test(ch);

/** A keystroke that typed or erased word characters (not a paste, not a space or a bracket). */
function isWordKeystroke(trigger: { inserted: string; deleted: number }): boolean {
  if (trigger.inserted === '') return trigger.deleted > 0 && trigger.deleted <= KEYSTROKE_CHARS;
  return [...trigger.inserted].length <= KEYSTROKE_CHARS && [...trigger.inserted].every((ch) => isWordCharacter(ch));
}

/** The distance in lines from `line` to the lines a hunk left behind (0 inside them). */
function distanceToHunk(line: number, hunk: EditHunk): number {
  const last = hunk.startLine + Math.max(0, hunk.updated.split('\n').length - 1);
  if (line < hunk.startLine) return hunk.startLine - line;
  return line > last ? line - last : 0;
}

/** Whether to ask the next-edit model for this event, and after how long. */
export function decideNextEditTiming(s: TimingSituation): TimingDecision {
  if (s.trigger.kind === 'accepted') return { ask: true, delayMs: 0, reason: 'after-accept' };
  if (s.suggestionShowing) return { ask: false, reason: 'showing' };
  if (!s.selectionEmpty) return { ask: false, reason: 'selection' };

  if (s.trigger.kind === 'edit') {
    const before = isWordCharacter(charBefore(s.lineText, s.column));
    if (before && isWordCharacter(charAfter(s.lineText, s.column))) return { ask: false, reason: 'inside-word' };
    if (before && isWordKeystroke(s.trigger)) return { ask: true, delayMs: Math.max(s.waitMs, WORD_PAUSE_MS), reason: 'word-paused' };
    return { ask: true, delayMs: s.waitMs, reason: 'edit-settled' };
  }

  const policy = EAGERNESS_POLICIES[s.eagerness];
  if (policy.nearEditLines === 0) return { ask: false, reason: 'eagerness' };
  const last = s.lastAsked;
  if (last && last.path === s.path && last.documentVersion === s.documentVersion && last.line === s.line) {
    return { ask: false, reason: 'already-asked' };
  }
  const near = s.recentEdits.some(
    (h) => h.path === s.path && s.now - h.at <= policy.nearEditMaxAgeMs && distanceToHunk(s.line, h) <= policy.nearEditLines,
  );
  return near ? { ask: true, delayMs: s.waitMs, reason: 'near-recent-edit' } : { ask: false, reason: 'not-near-edit' };
}
