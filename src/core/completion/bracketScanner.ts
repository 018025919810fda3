// Counts brackets the way a reader of the code does: `(`, `[` and `{` inside comments and string
// literals don't count. Postprocess asks it which closers a suggestion may write (only those the
// document lacks), and the generation plan asks whether the cursor sits in a block the document
// leaves open. Text-only and per language (see lexicalSyntax); no parse, so broken code mid-typing
// is fine. Scans are bounded: a few hundred kilobytes at most, and the scan after the cursor stops
// as soon as everything open at the cursor is closed.
import { lexicalSyntax, type LexicalSyntax, type StringSyntax } from './languageSyntax';

export const OPENER_OF: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
export const CLOSER_OF: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

/** How far from the cursor the document is read, each way. */
export const SCAN_LIMIT_CHARS = 100_000;

type Mode =
  | { kind: 'code' }
  | { kind: 'line-comment' }
  | { kind: 'block-comment'; close: string }
  | { kind: 'string'; syntax: StringSyntax };

const CODE: Mode = { kind: 'code' };

/** What a closer did: closed an opener of the scan (`matched`), or one opened before the scan began. */
export type CloserEvent = { index: number; char: string; matched: boolean };

export class BracketScanner {
  /** Brackets open so far, innermost last. */
  readonly stack: string[];
  /** Closers that matched nothing the scan saw open: they close brackets opened before it began. */
  readonly unmatched: string[];
  private mode: Mode;
  private readonly starts: Set<string>;

  constructor(private readonly syntax: LexicalSyntax, state?: { stack: string[]; unmatched: string[]; mode: Mode }) {
    this.stack = state ? [...state.stack] : [];
    this.unmatched = state ? [...state.unmatched] : [];
    this.mode = state?.mode ?? CODE;
    this.starts = new Set(['(', '[', '{', ')', ']', '}']);
    for (const c of syntax.lineComments) this.starts.add(c[0]!);
    for (const [open] of syntax.blockComments) this.starts.add(open[0]!);
    for (const s of syntax.strings) this.starts.add(s.open[0]!);
  }

  static forLanguage(languageId: string): BracketScanner {
    return new BracketScanner(lexicalSyntax(languageId));
  }

  clone(): BracketScanner {
    return new BracketScanner(this.syntax, { stack: this.stack, unmatched: this.unmatched, mode: this.mode });
  }

  /** A scanner in this one's string or comment state, with no brackets open. */
  continuation(): BracketScanner {
    return new BracketScanner(this.syntax, { stack: [], unmatched: [], mode: this.mode });
  }

  /** True inside a string literal (a closer typed there is text, not code). */
  get inString(): boolean {
    return this.mode.kind === 'string';
  }

  /** True inside a string that may span lines (a docstring, a template literal). */
  get inMultilineString(): boolean {
    return this.mode.kind === 'string' && this.mode.syntax.multiline;
  }

  get inComment(): boolean {
    return this.mode.kind === 'line-comment' || this.mode.kind === 'block-comment';
  }

  /**
   * Reads text[from, to). `onCloser` sees every closer in code; returning true stops the scan there
   * (the closer is not applied) and scan returns its index; otherwise scan returns -1.
   */
  scan(text: string, from = 0, to = text.length, onCloser?: (event: CloserEvent) => boolean): number {
    let i = from;
    while (i < to) {
      const ch = text[i]!;
      const mode = this.mode;
      if (mode.kind === 'line-comment') {
        if (ch === '\n') this.mode = CODE;
        i++;
        continue;
      }
      if (mode.kind === 'block-comment') {
        if (ch === mode.close[0] && text.startsWith(mode.close, i)) {
          this.mode = CODE;
          i += mode.close.length;
        } else i++;
        continue;
      }
      if (mode.kind === 'string') {
        const s = mode.syntax;
        if (ch === '\\' && s.escapes) i += 2;
        else if (ch === '\n' && !s.multiline) {
          this.mode = CODE;
          i++;
        } else if (ch === s.close[0] && text.startsWith(s.close, i)) {
          this.mode = CODE;
          i += s.close.length;
        } else i++;
        continue;
      }
      if (!this.starts.has(ch)) {
        i++;
        continue;
      }
      if (CLOSER_OF[ch]) {
        this.stack.push(ch);
        i++;
        continue;
      }
      const opener = OPENER_OF[ch];
      if (opener) {
        const top = this.stack[this.stack.length - 1];
        const matched = top !== undefined;
        if (onCloser?.({ index: i, char: ch, matched })) return i;
        if (top === opener) this.stack.pop();
        else if (top === undefined) this.unmatched.push(ch);
        // A closer of the wrong kind inside an open bracket is a typo: it changes nothing.
        i++;
        continue;
      }
      const skipped = this.enterCommentOrString(text, i);
      i = skipped > i ? skipped : i + 1;
    }
    return -1;
  }

  /** Starts a comment or string at i if one starts there; returns the index after its opening. */
  private enterCommentOrString(text: string, i: number): number {
    for (const c of this.syntax.lineComments) {
      if (text.startsWith(c, i)) {
        this.mode = { kind: 'line-comment' };
        return i + c.length;
      }
    }
    for (const [open, close] of this.syntax.blockComments) {
      if (text.startsWith(open, i)) {
        this.mode = { kind: 'block-comment', close };
        return i + open.length;
      }
    }
    for (const s of this.syntax.strings) {
      if (!text.startsWith(s.open, i)) continue;
      if (this.syntax.shortQuoteOnly && s.open === "'" && !/^'(\\.[^']{0,7}|[^\\'\n]{1,2})'/.test(text.slice(i, i + 12))) {
        return i + 1; // a Rust lifetime, not a character literal
      }
      this.mode = { kind: 'string', syntax: s };
      return i + s.open.length;
    }
    return i;
  }
}

/** Where the brackets stand at a cursor: what is open there, and how much of it the rest closes. */
export interface DocumentBalance {
  /** Brackets open at the cursor (within the scanned window), innermost last. */
  open: string[];
  /** How many of those the text after the cursor closes. */
  closedAfter: number;
  /** Open brackets nothing after the cursor closes: a suggestion may close these, innermost first. */
  lacking: number;
  /** The scanner's state at the cursor, to read a suggestion with. */
  atCursor: BracketScanner;
}

/**
 * Reads up to SCAN_LIMIT_CHARS before `offset` and after `resumeAt` (default: the cursor). A
 * suggestion that replaces text after the cursor passes where the kept text resumes.
 */
export function documentBalance(text: string, offset: number, languageId: string, resumeAt = offset): DocumentBalance {
  const scanner = BracketScanner.forLanguage(languageId);
  let start = Math.max(0, offset - SCAN_LIMIT_CHARS);
  if (start > 0) start = text.indexOf('\n', start) + 1 || offset;
  scanner.scan(text, start, offset);
  const atCursor = scanner.clone();
  const open = [...scanner.stack];
  // What follows is read with nothing open, in the cursor's string or comment: each closer that
  // matches nothing there closes one of `open`, innermost first. Stop once all of it is closed.
  const after = scanner.continuation();
  let closedAfter = 0;
  if (open.length > 0) {
    after.scan(text, resumeAt, Math.min(text.length, resumeAt + SCAN_LIMIT_CHARS), (event) => {
      if (!event.matched) closedAfter++;
      return closedAfter >= open.length;
    });
  }
  return { open, closedAfter, lacking: Math.max(0, open.length - closedAfter), atCursor };
}
