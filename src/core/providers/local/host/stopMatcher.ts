// Decides, for the text generated so far, where generation must stop and how much of the text is
// final. Stop strings are matched on text, not tokens, because a stop string can span token
// boundaries; text that might still turn into a stop string, or that ends in half of a multi-byte
// UTF-8 character, is held back so a streamed chunk never has to be taken back.

const replacementChar = '\uFFFD';

export interface StopScan {
  /** Index of the earliest stop string in the text, or -1. */
  stopAt: number;
  /** Length of the text that is final: it cannot become part of a stop string or of a split character. */
  finalLength: number;
}

export class StopMatcher {
  private readonly stops: string[];
  private readonly longest: number;

  constructor(stops: readonly string[]) {
    // An empty stop string would end every generation before it starts; it means "no stop".
    this.stops = [...new Set(stops.filter((s) => s.length > 0))];
    this.longest = this.stops.reduce((m, s) => Math.max(m, s.length), 0);
  }

  /**
   * Scans `text` (all text generated so far). `fromIndex` is a hint: no stop string starts before
   * it can be new, so only the tail needs searching (the caller passes its last final length).
   */
  scan(text: string, fromIndex = 0): StopScan {
    const searchFrom = Math.max(0, fromIndex - this.longest);
    let stopAt = -1;
    for (const s of this.stops) {
      const at = text.indexOf(s, searchFrom);
      if (at !== -1 && (stopAt === -1 || at < stopAt)) stopAt = at;
    }
    if (stopAt !== -1) return { stopAt, finalLength: stopAt };
    const complete = stripIncompleteChar(text);
    return { stopAt, finalLength: complete.length - this.partialStopLength(complete) };
  }

  /** Length of the longest tail of `text` that is a proper prefix of some stop string. */
  private partialStopLength(text: string): number {
    const max = Math.min(this.longest - 1, text.length);
    for (let len = max; len > 0; len--) {
      const tail = text.slice(text.length - len);
      if (this.stops.some((s) => s.startsWith(tail))) return len;
    }
    return 0;
  }
}

/**
 * Drops trailing U+FFFD characters: the detokenizer renders half a multi-byte character as U+FFFD,
 * and the next token may complete it. At the end of generation the caller drops them for good.
 */
export function stripIncompleteChar(text: string): string {
  let end = text.length;
  // A UTF-8 character has at most 4 bytes, so at most 3 can be pending.
  while (end > 0 && text.length - end < 3 && text[end - 1] === replacementChar) end--;
  return text.slice(0, end);
}
