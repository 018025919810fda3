// Counts brackets the way a reader of the code does: `(`, `[` and `{` inside comments and string
// literals don't count. Postprocess asks it which closers a suggestion may write (only those the
// document lacks), and the generation plan asks whether the cursor sits in a block the document
// leaves open. Text-only and per language (see lexicalSyntax); no parse, so broken code mid-typing
// is fine. Scans are bounded: a few hundred kilobytes at most, and the scan after the cursor stops
// as soon as everything open at the cursor is closed.
import { lexicalSyntax, type LexicalSyntax, type StringSyntax } from './languageSyntax';

const OPENER_OF: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };
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
  /** Where each of `stack` was opened: its index in the text scanned (texts scanned in pieces count from each piece). */
  readonly openedAt: number[];
  /** Closers that matched nothing the scan saw open: they close brackets opened before it began. */
  readonly unmatched: string[];
  private mode: Mode;
  private readonly starts: Set<string>;

  constructor(private readonly syntax: LexicalSyntax, state?: { stack: string[]; openedAt: number[]; unmatched: string[]; mode: Mode }) {
    this.stack = state ? [...state.stack] : [];
    this.openedAt = state ? [...state.openedAt] : [];
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
    return new BracketScanner(this.syntax, { stack: this.stack, openedAt: this.openedAt, unmatched: this.unmatched, mode: this.mode });
  }

  /** A scanner in this one's string or comment state, with no brackets open. */
  continuation(): BracketScanner {
    return new BracketScanner(this.syntax, { stack: [], openedAt: [], unmatched: [], mode: this.mode });
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
        this.openedAt.push(i);
        i++;
        continue;
      }
      const opener = OPENER_OF[ch];
      if (opener) {
        const top = this.stack[this.stack.length - 1];
        const matched = top !== undefined;
        if (onCloser?.({ index: i, char: ch, matched })) return i;
        if (top === opener) {
          this.stack.pop();
          this.openedAt.pop();
        }
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

/** Where the brackets stand at a cursor: what is open there, and which of it the rest closes. */
export interface DocumentBalance {
  /** Brackets open at the cursor (within the scanned window), innermost last. */
  open: string[];
  /** For each of `open`, innermost first: true when the text after the cursor closes it. */
  closedInnermostFirst: boolean[];
  /** How many of `open` nothing after the cursor closes. */
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
  // matches nothing there closes one of `open`, innermost first. A closer of another kind means the
  // brackets inside it were never closed (`f(a` then a `}`: the `(` is the one missing). Stop once
  // every open bracket is settled.
  // `settled[k]` for open[k]: true when closed after the cursor, false when found missing.
  const settled: Array<boolean | undefined> = open.map(() => undefined);
  const indentOfOpener = scanner.openedAt.map((at) => lineIndent(text, at));
  let innermost = open.length - 1;
  const after = scanner.continuation();
  if (open.length > 0) {
    after.scan(text, resumeAt, Math.min(text.length, resumeAt + SCAN_LIMIT_CHARS), (event) => {
      if (event.matched) return false;
      // A closer that starts its line closes the bracket opened on a line indented like it, when
      // there is one: `}` at column 0 closes the function, and the `if` inside it is what is missing.
      let closes = -1;
      if (startsItsLine(text, event.index)) {
        const indent = lineIndent(text, event.index);
        for (let k = innermost; k >= 0; k--) {
          if (CLOSER_OF[open[k]!] === event.char && indentOfOpener[k] === indent) {
            closes = k;
            break;
          }
        }
      }
      if (closes < 0) {
        closes = innermost;
        while (closes >= 0 && CLOSER_OF[open[closes]!] !== event.char) closes--;
      }
      if (closes < 0) {
        innermost = -1;
        return true;
      }
      for (let k = innermost; k > closes; k--) settled[k] = false;
      settled[closes] = true;
      innermost = closes - 1;
      return innermost < 0;
    });
  }
  const closed = settled.map((s) => s === true).reverse();
  return { open, closedInnermostFirst: closed, lacking: closed.filter((c) => !c).length, atCursor };
}

/** Indentation width (a tab as 4) of the line holding text[index]. */
function lineIndent(text: string, index: number): number {
  let i = text.lastIndexOf('\n', index - 1) + 1;
  let width = 0;
  for (; i < index && (text[i] === ' ' || text[i] === '\t'); i++) width += text[i] === '\t' ? 4 : 1;
  return width;
}

/** Only spaces before text[index] on its line. */
function startsItsLine(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0 && text[i] !== '\n'; i--) if (text[i] !== ' ' && text[i] !== '\t') return false;
  return true;
}
