// Turns raw model output into the text to show as ghost text, or null when nothing is worth showing.
// Small models ramble, repeat the code after the cursor and mis-close brackets; every rule here
// removes one of those failure modes. Steps, in order:
//   1. cut at the first stop string of the plan or leaked control token (`<|endoftext|>`, `<file_sep>`,
//      `<｜fim▁end｜>`, ...): a backend (e.g. Ollama in raw mode) may not have stopped there;
//   2. single-line: cut at the first line break;
//      multi-line: cut at the first blank line; re-indent lines 2.. to the document's style (tabs vs
//      spaces; a 2-vs-4 unit mismatch is rescaled when the output is consistent in its own unit);
//      stop at the end of the cursor's block: a line indented below the cursor line's block ends it
//      (a closing `}`/`)`/`]`/`end` line at the opener's level is kept when the cursor line opened the
//      block, since the document does not close it yet); stop before a line that repeats the next
//      non-blank line of the document;
//   3. single-line, against the rest of the cursor line: a closer that duplicates one the rest of the
//      line supplies cuts the completion there (`foo(█)` + `a)` -> `a`); openers the completion leaves
//      open are closed when the line must end here (the rest holds closers); a tail that repeats the
//      start of the rest of the line is dropped (`x = "█";` + `hi";` -> `hi`);
//   4. trim trailing whitespace; convert line breaks to CRLF in CRLF documents;
//   5. null for blank output, output the document already has after the cursor, a line that
//      duplicates the non-blank line above, and a completed cursor line that repeats the next one.
import { controlStrings, FIM_FAMILIES } from './fimTemplates';
import { opensBlock } from './generationPlan';
import {
  indentWidth,
  isBlank,
  leadingWhitespace,
  lineEndAt,
  lineStartAt,
  nextLineStart,
  nextNonBlankLine,
  previousNonBlankLine,
  usesCrlf,
} from './textLines';
import type { CompletionRequest, GenerationPlan, IndentStyle } from './types';

// Control tokens that cannot be code, from every family: a model may leak another family's tokens
// when it was fine-tuned on a mix. Families whose markers look like code (`<PRE>`, `[SUFFIX]`) are
// covered through the plan's stop strings only.
const leakedTokens: readonly string[] = [
  ...new Set(
    FIM_FAMILIES.flatMap((family) => controlStrings(family)).filter((token) => /^<[|｜]|^<(fim_|file_sep|repo_name)/.test(token)),
  ),
];

export function postprocess(
  raw: string,
  request: CompletionRequest,
  plan: GenerationPlan,
  indentStyle: IndentStyle,
): string | null {
  const { text, offset } = request;
  const lineStart = lineStartAt(text, offset);
  const linePrefix = text.slice(lineStart, offset);
  const rest = text.slice(offset, lineEndAt(text, offset));

  let out = cutAtFirst(raw, plan.stop);
  out = cutAtFirst(out, leakedTokens).replace(/\r\n?/g, '\n');

  if (!plan.multiline) {
    const nl = out.indexOf('\n');
    if (nl >= 0) out = out.slice(0, nl);
    out = out.trimEnd();
    if (!isBlank(rest)) out = fitToRestOfLine(linePrefix, out, rest);
  } else {
    out = shapeBlock(out, request, linePrefix, indentStyle);
    if (!isBlank(rest)) out = dropOverlap(out, rest);
  }
  out = out.trimEnd();

  if (isBlank(out)) return null;
  if (duplicatesLineAbove(text, lineStart, linePrefix, out)) return null;
  if (isBlank(rest) && completesNextLine(text, offset, linePrefix, out)) return null;
  if (usesCrlf(text)) out = out.replace(/\n/g, '\r\n');
  if (text.startsWith(out, offset)) return null;
  return out;
}

function cutAtFirst(s: string, needles: readonly string[]): string {
  let cut = s.length;
  for (const needle of needles) {
    if (needle.length === 0) continue;
    const at = s.indexOf(needle);
    if (at >= 0 && at < cut) cut = at;
  }
  return s.slice(0, cut);
}

// ---- multi-line -------------------------------------------------------------------------------

function shapeBlock(out: string, request: CompletionRequest, linePrefix: string, style: IndentStyle): string {
  const blank = /\n[ \t]*\n/.exec(out);
  if (blank) out = out.slice(0, blank.index);
  const lines = out.split('\n').map((line) => line.trimEnd());
  // The block the cursor is in is indented like the cursor line (on a blank line: the cursor column).
  const base = indentWidth(leadingWhitespace(linePrefix), style.size);
  reindent(lines, base, style);

  const opener = !isBlank(linePrefix) && opensBlock(linePrefix, request.languageId);
  const docNext = nextNonBlankLine(request.text, nextLineStart(request.text, request.offset))?.trimEnd();
  const kept = [lines[0]!];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length === 0) break;
    if (docNext !== undefined && sameLine(line, docNext)) break;
    const width = indentWidth(leadingWhitespace(line), style.size);
    if (opener) {
      if (width <= base) {
        if (startsWithCloser(line.trimStart())) kept.push(line);
        break;
      }
    } else if (width < base) {
      break;
    }
    kept.push(line);
  }
  return kept.join('\n');
}

/** Rewrites the indentation of lines 1.. in the document's style, rescaling a foreign indent unit. */
function reindent(lines: string[], base: number, style: IndentStyle): void {
  const unit = Math.max(1, style.size);
  const widths = lines.map((line) => indentWidth(leadingWhitespace(line), unit));
  const deeper = widths.slice(1).filter((w, i) => w > base && lines[i + 1]!.trim().length > 0).map((w) => w - base);
  const modelUnit = deeper.length > 0 ? Math.min(...deeper) : unit;
  const rescale = modelUnit !== unit && [2, 4, 8].includes(modelUnit) && deeper.every((d) => d % modelUnit === 0);
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim().length === 0) continue;
    let width = widths[i]!;
    if (rescale && width > base) width = base + ((width - base) / modelUnit) * unit;
    const ws = style.useTabs ? '\t'.repeat(Math.floor(width / unit)) + ' '.repeat(width % unit) : ' '.repeat(width);
    lines[i] = ws + line.trimStart();
  }
}

function startsWithCloser(body: string): boolean {
  return /^([}\])]|end\b|fi\b|done\b|esac\b)/.test(body);
}

/** Same line of code: identical up to trailing space, or same text when it has a word in it. */
function sameLine(a: string, b: string): boolean {
  const x = a.trimEnd();
  const y = b.trimEnd();
  if (x === y) return x.trim().length > 0;
  const tx = x.trim();
  return tx.length > 0 && tx === y.trim() && /\w/.test(tx);
}

// ---- single line against the rest of the cursor line ------------------------------------------

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

interface BracketState {
  stack: string[];
  quote: string | undefined;
}

/**
 * Feeds `s` through a small bracket/string scanner. `onCloser` sees each closer with the stack depth
 * after it popped its opener, or -1 when it matched nothing on the stack; returning true stops.
 */
function scan(s: string, state: BracketState, onCloser?: (index: number, depth: number) => boolean): void {
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (state.quote !== undefined) {
      if (ch === '\\') i++;
      else if (ch === state.quote) state.quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') state.quote = ch;
    else if (OPENERS[ch]) state.stack.push(ch);
    else if (CLOSERS[ch]) {
      let depth = -1;
      if (state.stack[state.stack.length - 1] === CLOSERS[ch]) {
        state.stack.pop();
        depth = state.stack.length;
      }
      if (onCloser && onCloser(i, depth)) return;
    }
  }
}

function fitToRestOfLine(linePrefix: string, out: string, rest: string): string {
  const before: BracketState = { stack: [], quote: undefined };
  scan(linePrefix, before);
  const openBefore = before.stack.length;
  const suffixClosers = leadingClosers(rest);
  // For the finished line to balance, the completion may close only the openers before the cursor
  // that the rest of the line does not: the innermost (openBefore - suffixClosers) of them. The rest
  // of the line closes the outer ones. A closer beyond that, or one that matches nothing on this line
  // while the rest of the line holds closers, duplicates a closer already there.
  const state: BracketState = { stack: [...before.stack], quote: before.quote };
  let cut = -1;
  scan(out, state, (index, depth) => {
    const duplicate = depth < 0 ? suffixClosers > 0 : depth < openBefore && depth < suffixClosers;
    if (duplicate) cut = index;
    return duplicate;
  });
  if (cut >= 0) return out.slice(0, cut).trimEnd();

  let result = out;
  if (state.quote === undefined && state.stack.length > openBefore && rest.trim().length > 0) {
    const extra = state.stack.slice(openBefore);
    for (let i = extra.length - 1; i >= 0; i--) result += OPENERS[extra[i]!]!;
  }
  return dropOverlap(result, rest);
}

/** Number of closing brackets the rest of the line starts with (spaces skipped). */
function leadingClosers(rest: string): number {
  let count = 0;
  for (const ch of rest) {
    if (CLOSERS[ch]) count++;
    else if (ch !== ' ' && ch !== '\t') break;
  }
  return count;
}

/**
 * Drops the longest tail of `out` that repeats the start of `rest`, unless the tail holds a bracket
 * (bracket duplicates were settled by the scanner) or a quote that `out` itself needs to be closed.
 */
function dropOverlap(out: string, rest: string): string {
  const trimmedRest = rest.trimStart();
  for (let k = Math.min(out.length, trimmedRest.length); k >= 1; k--) {
    if (!out.endsWith(trimmedRest.slice(0, k))) continue;
    const tail = out.slice(out.length - k);
    if (/[()[\]{}]/.test(tail)) continue;
    const needed = [...tail].some((ch) => (ch === '"' || ch === "'" || ch === '`') && count(out, ch) % 2 === 0);
    if (needed) continue;
    return out.slice(0, out.length - k).trimEnd();
  }
  return out;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

// ---- duplicates ------------------------------------------------------------------------------

/** The cursor line as completed equals the document's next non-blank line: the model is repeating it. */
function completesNextLine(text: string, offset: number, linePrefix: string, out: string): boolean {
  const nl = out.indexOf('\n');
  const generated = nl >= 0 ? out.slice(0, nl) : out;
  if (generated.trim().length === 0) return false;
  const docNext = nextNonBlankLine(text, nextLineStart(text, offset));
  return docNext !== undefined && sameLine(linePrefix + generated, docNext);
}

function duplicatesLineAbove(text: string, lineStart: number, linePrefix: string, out: string): boolean {
  const nl = out.indexOf('\n');
  const generated = nl >= 0 ? out.slice(0, nl) : out;
  // Only a line the completion writes into can duplicate anything.
  if (generated.trim().length === 0) return false;
  const firstLine = linePrefix + generated;
  const above = previousNonBlankLine(text, lineStart);
  return above !== undefined && above.trimEnd() === firstLine.trimEnd();
}
