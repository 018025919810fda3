// Turns raw model output into what to show as ghost text: the text to insert at the cursor and how
// much of the rest of the cursor line it replaces, or null when nothing is worth showing. Small
// models ramble, repeat the code around the cursor and mis-close brackets; every rule here removes
// one of those failure modes, and none withholds output that is fine. In order:
//   1. the model's own end: the first stop string of the plan or leaked control token
//      (`<|endoftext|>`, `<file_sep>`, `<｜fim▁end｜>`, ...); one line for a 'line' plan; the extent
//      rule (completionExtent.ts) for the others, in case a backend did not apply it;
//   2. whitespace at the cursor: no space doubled after `yield █`; on a blank line, the model's
//      indentation of its first line gives way to the cursor's column, or to the block's level in
//      the document's (else the editor's) indentation;
//   3. lines 2..: re-indented in the document's style (else the editor's; with neither, the model's
//      own is kept); cut before a line that repeats the line before it, repeats the document's next
//      line (the model writing again what follows), or ends in a loop (`foo = foo = foo =`); a body is only offered
//      under a cursor line that is well formed (not mid-identifier, no stray closer, no open quote);
//   4. brackets against the document: a closer the document already has (it would close a bracket
//      open at the cursor that the text after the cursor closes too) is dropped, one it lacks is
//      kept; a line like `} else {` that closes and reopens is fine;
//   5. the rest of the cursor line: when it holds only closers and punctuation (`)`, `})`, `";`,
//      `/>`) and the suggestion writes them again in order, the suggestion replaces it
//      (`Math.max(█)` + `a, b)` -> `Math.max(a, b)`), as long as the line's brackets end as they
//      did; otherwise the suggestion goes before it, cut where it would close what the rest closes,
//      with its tail dropped where it repeats the start of the rest. Text is never deleted unless
//      the suggestion writes it again;
//   6. null for blank output, output the document already has at the cursor, a line that
//      duplicates the line above (unless the document already repeats it there, or it is only
//      closers), and a completed cursor line that repeats the next one; CRLF in CRLF documents.
import { isCloserOnly, opensBlock } from '../syntax/blockSyntax';
import { BracketScanner, CLOSER_OF, documentBalance, SCAN_LIMIT_CHARS, type DocumentBalance } from '../syntax/bracketScanner';
import { extentEnd } from '../syntax/completionExtent';
import type { ExtentRule } from '../kernel/completionTypes';
import { controlStrings } from './fimTemplates';
import { documentIndentation } from './indentStyle';
import { isWordChar } from '../syntax/languageSyntax';
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
} from '../kernel/textLines';
import type { CompletionRequest, GenerationPlan, IndentStyle } from '../kernel/completionTypes';
import { FIM_FAMILIES } from '../models/fimFamilies';

/** What to show: `text` goes in at the cursor, replacing the next `replaceLength` characters of its line. */
export interface ShapedSuggestion {
  text: string;
  replaceLength: number;
}

// Control tokens that cannot be code, from every family: a model may leak another family's tokens
// when it was fine-tuned on a mix. Families whose markers look like code (`<PRE>`, `[SUFFIX]`) are
// covered through the plan's stop strings only.
const leakedTokens: readonly string[] = [
  ...new Set(
    FIM_FAMILIES.flatMap((family) => controlStrings(family)).filter((token) => /^<[|｜]|^<(fim_|file_sep|repo_name)/.test(token)),
  ),
];

interface Cursor {
  request: CompletionRequest;
  lineStart: number;
  lineEnd: number;
  /** The cursor line up to the cursor. */
  linePrefix: string;
  /** The cursor line after the cursor. */
  rest: string;
  /** Document indentation, else the editor's; undefined when neither says. */
  style: IndentStyle | undefined;
}

export function postprocess(raw: string, request: CompletionRequest, plan: GenerationPlan): ShapedSuggestion | null {
  const { text, offset } = request;
  const lineStart = lineStartAt(text, offset);
  const lineEnd = lineEndAt(text, offset);
  const at: Cursor = {
    request,
    lineStart,
    lineEnd,
    linePrefix: text.slice(lineStart, offset),
    rest: text.slice(offset, lineEnd),
    style: documentIndentation(text) ?? request.indentation,
  };

  let out = modelEnd(raw, plan);
  out = fitCursorWhitespace(out, at);
  if (out.includes('\n')) out = shapeLines(out, at);
  const shaped = placeAgainstRest(out, at);
  if (!shaped) return null;
  return finalCheck(shaped, at);
}

// ---- 1. the model's own end ----------------------------------------------------------------------

function modelEnd(raw: string, plan: GenerationPlan): string {
  let out = cutAtFirst(raw, plan.stop);
  out = cutAtFirst(out, leakedTokens).replace(/\r\n?/g, '\n');
  if (!plan.multiline) {
    const nl = out.indexOf('\n');
    return nl >= 0 ? out.slice(0, nl) : out;
  }
  return plan.extent ? out.slice(0, finalExtent(out, plan.extent)) : out;
}

/** The extent rule on text that will not grow: a pending decision is settled by what is there. */
function finalExtent(text: string, rule: ExtentRule): number {
  const end = extentEnd(`${text}\n`, rule);
  return end === undefined ? text.length : Math.min(end, text.length);
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

// ---- 2. whitespace at the cursor ---------------------------------------------------------------

function fitCursorWhitespace(out: string, at: Cursor): string {
  const { linePrefix } = at;
  const lead = leadingWhitespace(out);
  if (lead.length === 0 || lead.length === out.length || out[lead.length] === '\n') return out;
  if (!isBlank(linePrefix)) {
    // `yield █` + ` x`: the space is already there. More spaces on either side are alignment
    // (`'.xml'   : ...`, `x = 1,    # note`): they stay.
    return /\S[ \t]$/.test(linePrefix) && (lead === ' ' || lead === '\t') ? out.slice(lead.length) : out;
  }
  const column = indentWidth(linePrefix, tabSize(at));
  if (column > 0) {
    // The editor put the cursor at the line's indentation already: the model's own goes. Lines
    // below that were indented from where the model thought the first line was move with it.
    const modelColumn = column + indentWidth(lead, tabSize(at));
    return shiftLines(out.slice(lead.length), modelColumn, indentWidth(lead, tabSize(at)), at);
  }
  // Column 0 of a blank line below a line that opens a block: the body's level is known.
  const expected = expectedIndent(at);
  if (expected === undefined || at.style === undefined) return out;
  const width = indentWidth(lead, tabSize(at));
  if (width === expected) return out;
  const body = out.slice(lead.length);
  return `${indentString(expected, at.style)}${body}`;
}

/** Lines 2.. of `out` indented at least `from` columns move left by `by` columns. */
function shiftLines(out: string, from: number, by: number, at: Cursor): string {
  const lines = out.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const ws = leadingWhitespace(line);
    const width = indentWidth(ws, tabSize(at));
    if (ws.length < line.length && width >= from) lines[i] = ' '.repeat(width - by) + line.slice(ws.length);
  }
  return lines.join('\n');
}

/** The indentation of a body line below a block opener, in the known style; else undefined. */
function expectedIndent(at: Cursor): number | undefined {
  if (!at.style) return undefined;
  const previous = previousNonBlankLine(at.request.text, at.lineStart);
  if (previous === undefined || !opensBlock(previous, at.request.languageId)) return undefined;
  return indentWidth(leadingWhitespace(previous), at.style.size) + at.style.size;
}

function indentString(width: number, style: IndentStyle): string {
  const unit = Math.max(1, style.size);
  return style.useTabs ? '\t'.repeat(Math.floor(width / unit)) + ' '.repeat(width % unit) : ' '.repeat(width);
}

function tabSize(at: Cursor): number {
  return at.style?.size ?? 4;
}

// ---- 3. lines 2.. ----------------------------------------------------------------------------------

function shapeLines(out: string, at: Cursor): string {
  const lines = out.split('\n').map((line, i) => (i === 0 ? line : line.trimEnd()));
  const completedFirst = at.linePrefix + lines[0]!;
  if (!offersBody(lines[0]!, at)) return lines[0]!;
  const base = indentWidth(leadingWhitespace(completedFirst), tabSize(at));
  if (at.style) reindent(lines, base, at.style, at.linePrefix);

  const docNext = nextNonBlankLine(at.request.text, nextLineStart(at.request.text, at.request.offset));
  const kept = [lines[0]!];
  let previous = completedFirst;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim().length === 0) break;
    if (!isCloserOnly(line) && sameLine(line, previous)) break;
    if (docNext !== undefined && repeatsDocumentLine(line, docNext)) break;
    if (endsInLoop(line)) break;
    kept.push(line);
    previous = line;
  }
  return kept.join('\n');
}

/**
 * A body may follow the first line only when the cursor line it completes is well formed: not an
 * identifier still being typed (`def parse_hea█` + `der(...)`), no quote left open, and no
 * parenthesis or square bracket left open unless the line ends by opening something or with a
 * comma (`on('data', (d) => {`, `call(a,`), so `class A(Base:` gets no body.
 */
function offersBody(first: string, at: Cursor): boolean {
  if (isBlank(first)) return true;
  const before = at.linePrefix[at.linePrefix.length - 1];
  if (isWordChar(before) && isWordChar(first[0])) return false;
  const completed = at.linePrefix + first;
  const scanner = BracketScanner.forLanguage(at.request.languageId);
  scanner.scan(completed);
  if (scanner.inString && !scanner.inMultilineString) return false;
  const unclosed = scanner.stack.some((b) => b !== '{');
  return !unclosed || /[([{,]\s*$/.test(completed) || completed.trimEnd().endsWith('=>');
}

/**
 * Rewrites the indentation of lines 1.. in the document's style. The model's unit is the step by
 * which its lines indent, when every such step is the same; a foreign one (4 where the file uses 2)
 * is rescaled around the first line with code. A line aligned just after a parenthesis or square
 * bracket left open above it was placed by hand: it neither counts nor moves (beyond tabs and spaces). A line one column off
 * the grid below the cursor's level is snapped back, unless it continues a block comment (` * `).
 */
function reindent(lines: string[], base: number, style: IndentStyle, linePrefix: string): void {
  const unit = Math.max(1, style.size);
  const widthOf = (line: string): number => indentWidth(leadingWhitespace(line), unit);
  // For each line, whether it is aligned under a parenthesis or square bracket a line above left
  // open (`call(alpha,` then `     beta)`): such a line is placed by hand.
  const full = [linePrefix + lines[0]!, ...lines.slice(1)].join('\n');
  const scanner = BracketScanner.forLanguage('plaintext');
  const aligned: boolean[] = [];
  let lineStart = 0;
  for (let i = 0; i < lines.length; i++) {
    const lineEnd = full.indexOf('\n', lineStart);
    const end = lineEnd < 0 ? full.length : lineEnd;
    const innermost = scanner.stack.map((b, k) => (b === '{' ? -1 : scanner.openedAt[k]!)).filter((at) => at >= 0).at(-1);
    const column = innermost === undefined ? -1 : innermost - (full.lastIndexOf('\n', innermost - 1) + 1);
    aligned.push(i > 0 && innermost !== undefined && leadingWhitespace(full.slice(lineStart, end)).length === column + 1);
    scanner.scan(full, lineStart, end + 1);
    lineStart = end + 1;
  }
  const first = linePrefix + lines[0]!;
  const sequence = [first, ...lines.slice(1)]
    .map((line, i) => ({ line, i }))
    .filter(({ line, i }) => line.trim().length > 0 && !aligned[i])
    .map(({ line }) => widthOf(line));
  const increases = sequence.slice(1).map((w, i) => w - sequence[i]!).filter((d) => d > 0);
  const modelUnit = increases[0];
  const rescale =
    modelUnit !== undefined && modelUnit !== unit && [2, 4, 8].includes(modelUnit) && increases.every((d) => d === modelUnit);
  const anchor = sequence[0] ?? base;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const body = line.trimStart();
    if (body.length === 0) continue;
    let width = widthOf(line);
    if (!aligned[i]) {
      if (rescale) width = Math.max(0, anchor + ((width - anchor) / modelUnit) * unit);
      else if (unit > 1 && width > base && (width - base) % unit === 1 && !body.startsWith('*')) width -= 1;
    }
    lines[i] = indentString(width, style) + body;
  }
}

/** Same line of code: identical up to trailing space, or same text when it has a word in it. */
function sameLine(a: string, b: string): boolean {
  const x = a.trimEnd();
  const y = b.trimEnd();
  if (x === y) return x.trim().length > 0;
  const tx = x.trim();
  return tx.length > 0 && tx === y.trim() && /\w/.test(tx);
}

/** A suggestion line repeats a document line below the cursor (closers only where they line up). */
function repeatsDocumentLine(line: string, next: string): boolean {
  if (isCloserOnly(line)) return line.trimEnd() === next.trimEnd();
  return sameLine(line, next);
}

/** `foo = foo = foo = foo =`: a line that ends by repeating a piece of itself, the way small models loop. */
function endsInLoop(line: string): boolean {
  const t = line.trimEnd();
  for (let unit = 2; unit <= Math.min(24, Math.floor(t.length / 3)); unit++) {
    const piece = t.slice(t.length - unit);
    if (!/[A-Za-z]/.test(piece)) continue;
    let repeats = 1;
    while (t.length >= (repeats + 1) * unit && t.slice(t.length - (repeats + 1) * unit, t.length - repeats * unit) === piece) repeats++;
    if (repeats >= 3 && repeats * unit * 2 >= t.length) return true;
  }
  return false;
}

// ---- 4 and 5. brackets and the rest of the line ------------------------------------------------

function placeAgainstRest(out: string, at: Cursor): ShapedSuggestion | null {
  const { request, rest } = at;
  if (!isBlank(rest) && !/[\p{L}\p{N}_$]/u.test(rest)) {
    const replaced = replaceRest(out, at);
    if (replaced) return replaced;
  }
  const balance = documentBalance(request.text, request.offset, request.languageId);
  let text = limitClosers(out, balance.atCursor, balance, isBlank(at.linePrefix));
  if (!isBlank(rest)) text = fitBeforeRest(text, at, balance.atCursor);
  return { text, replaceLength: 0 };
}

/**
 * The suggestion in place of the rest of the line, which it must write again (its characters, in
 * order) and after which the line's brackets must stand as they did. A block may also keep the
 * rest on a line of its own after it (`{█}` + a body -> the body, then `}`).
 */
function replaceRest(out: string, at: Cursor): ShapedSuggestion | null {
  const { request, rest } = at;
  const restCode = rest.trim();
  const original = lineState(at.linePrefix + rest, request.languageId);
  // Balance as if the rest were gone: whatever it closed, the suggestion must close now.
  const { text, offset } = request;
  const from = Math.max(0, offset - SCAN_LIMIT_CHARS);
  const without = text.slice(from, offset) + text.slice(at.lineEnd, at.lineEnd + SCAN_LIMIT_CHARS);
  const balance = documentBalance(without, offset - from, request.languageId);
  const limited = limitClosers(out, balance.atCursor, balance, isBlank(at.linePrefix));
  const candidates = [limited];
  if (limited.includes('\n')) candidates.push(`${limited}\n${leadingWhitespace(at.linePrefix)}${restCode}`);
  for (const candidate of candidates) {
    if (!isSubsequence(restCode.replace(/\s+/g, ''), candidate)) continue;
    const whole = lineState(at.linePrefix + candidate, request.languageId);
    // The line's brackets stand as before (or it closes more of them, as far as the document lacks
    // them); a block opened on the cursor line (`if (a == █)` + `b) {` and its body) leaves that
    // line with the brackets it had plus the one it opened.
    const firstLine = candidate.includes('\n') ? lineState(at.linePrefix + candidate.slice(0, candidate.indexOf('\n')), request.languageId) : whole;
    if (closesLikeBefore(whole, original) || (candidate.includes('\n') && extendsState(firstLine, original))) {
      return { text: candidate, replaceLength: rest.length };
    }
  }
  return null;
}

/**
 * `a` leaves the line as `b` did, or with fewer of the line's own brackets open: a suggestion may
 * close what the line had left open (`((retry:█)` + ` number) => void)`), once the document's
 * balance has said it lacks those closers.
 */
function closesLikeBefore(a: LineState, b: LineState): boolean {
  return a.unmatched === b.unmatched && a.inString === b.inString && b.stack.startsWith(a.stack);
}

/** `a` is `b` with brackets opened at its end. */
function extendsState(a: LineState, b: LineState): boolean {
  return a.unmatched === b.unmatched && a.stack.startsWith(b.stack) && a.stack.length > b.stack.length && !a.inString && !b.inString;
}

/** Open brackets and stray closers a line leaves, and whether it ends in a string. */
interface LineState {
  unmatched: string;
  stack: string;
  inString: boolean;
}

function lineState(line: string, languageId: string): LineState {
  const scanner = BracketScanner.forLanguage(languageId);
  scanner.scan(line);
  return { unmatched: scanner.unmatched.join(''), stack: scanner.stack.join(''), inString: scanner.inString };
}

function isSubsequence(needle: string, haystack: string): boolean {
  let j = 0;
  for (let i = 0; i < haystack.length && j < needle.length; i++) if (haystack[i] === needle[j]) j++;
  return j === needle.length;
}

/**
 * Cuts the suggestion where it writes a closer the document already has: one that would close a
 * bracket open at the cursor which the text after the cursor closes too. Closers for brackets the
 * document leaves open are kept, innermost first; one that closes nothing at all is the model's
 * own business. The first line is cut at the closer itself (`foo(█)` + `a, b)` keeps `a, b`); a
 * later line goes whole. A line that starts by closing and then reopens (`} else {`) is fine if it
 * ends no lower than the document allows.
 */
function limitClosers(out: string, atCursor: BracketScanner, balance: DocumentBalance, firstAtLineStart: boolean): string {
  const scanner = atCursor.continuation();
  // The k-th closer that reaches below the cursor closes the k-th bracket open there, innermost first.
  const duplicates = (k: number): boolean => balance.closedInnermostFirst[k - 1] === true;
  const lines = out.split('\n');
  let kept = 0;
  for (; kept < lines.length; kept++) {
    const line = kept === 0 ? lines[0]! : `\n${lines[kept]!}`;
    let excessAt = -1;
    scanner.scan(line, 0, line.length, (event) => {
      if (!event.matched && excessAt < 0 && duplicates(scanner.unmatched.length + 1)) excessAt = event.index;
      return false;
    });
    if (excessAt < 0) continue;
    const startsLine = (kept > 0 || firstAtLineStart) && line.slice(0, excessAt).trim().length === 0;
    if (startsLine && !duplicates(scanner.unmatched.length - scanner.stack.length)) continue;
    if (kept === 0) return line.slice(0, excessAt).trimEnd();
    break;
  }
  return lines.slice(0, kept).join('\n');
}

/**
 * A suggestion that goes before a non-blank rest of the line: openers it leaves open are closed when
 * the rest holds closers (the line must end there), and a tail that repeats the start of the rest is
 * dropped (`x = "█";` + `hi";` -> `hi`). Spaces at its end stay only if the rest starts without one.
 */
function fitBeforeRest(out: string, at: Cursor, atCursor: BracketScanner): string {
  if (out.includes('\n')) return dropOverlap(out, at.rest);
  const scanner = atCursor.continuation();
  scanner.scan(out);
  let result = out;
  if (!scanner.inString && scanner.stack.length > 0 && /^\s*[)\]}]/.test(at.rest)) {
    for (let i = scanner.stack.length - 1; i >= 0; i--) result += CLOSER_OF[scanner.stack[i]!]!;
  }
  result = dropOverlap(result, at.rest);
  return /^\s/.test(at.rest) ? result.trimEnd() : result;
}

/**
 * Drops the longest tail of `out` that repeats the start of `rest`, unless the tail holds a bracket
 * (brackets are settled against the document) or a quote that `out` itself needs to be closed.
 */
function dropOverlap(out: string, rest: string): string {
  const trimmedRest = rest.trimStart();
  const core = out.trimEnd();
  for (let k = Math.min(core.length, trimmedRest.length); k >= 1; k--) {
    if (!core.endsWith(trimmedRest.slice(0, k))) continue;
    const tail = core.slice(core.length - k);
    if (/[()[\]{}]/.test(tail)) continue;
    const needed = [...tail].some((ch) => (ch === '"' || ch === "'" || ch === '`') && count(core, ch) % 2 === 0);
    if (needed) continue;
    const kept = core.slice(0, core.length - k);
    return /^\s/.test(rest) ? kept.trimEnd() : kept;
  }
  return out;
}

function count(s: string, ch: string): number {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
}

// ---- 6. last checks ------------------------------------------------------------------------------

function finalCheck(shaped: ShapedSuggestion, at: Cursor): ShapedSuggestion | null {
  const { request, linePrefix, rest } = at;
  const { text, offset } = request;
  // Trailing spaces go, except the ones before a rest of the line that starts right away.
  let out = shaped.replaceLength > 0 || /^\s/.test(rest) || isBlank(rest) ? shaped.text.trimEnd() : shaped.text;
  if (out.includes('\n')) out = out.replace(/[ \t]+\n/g, '\n');
  if (isBlank(out)) return null;
  const after = shaped.replaceLength > 0 ? '' : rest;
  const firstLine = out.split('\n')[0]!;
  if (firstLine.trim().length > 0) {
    if (endsInLoop(linePrefix + firstLine)) return null;
    if (duplicatesLineAbove(text, at.lineStart, linePrefix + firstLine)) return null;
    const completed = out.includes('\n') ? linePrefix + firstLine : linePrefix + firstLine + after;
    const docNext = nextNonBlankLine(text, nextLineStart(text, offset));
    if (docNext !== undefined && (isBlank(after) || !out.includes('\n')) && sameLine(completed, docNext)) return null;
  }
  if (shaped.replaceLength > 0 ? out === rest.trimEnd() : text.startsWith(out, offset)) return null;
  if (usesCrlf(text)) out = out.replace(/\n/g, '\r\n');
  return { text: out, replaceLength: shaped.replaceLength };
}

/**
 * The completed line is the non-blank line above it again: the model is repeating itself. Not for
 * closer-only lines (`}`, `end` close one block after another), nor where the document already
 * repeats that line just above (`hello();` twice: a third is plausible).
 */
function duplicatesLineAbove(text: string, lineStart: number, completed: string): boolean {
  if (isCloserOnly(completed)) return false;
  const above = previousNonBlankLine(text, lineStart);
  if (above === undefined || above.trimEnd() !== completed.trimEnd()) return false;
  const aboveStart = text.lastIndexOf(above, lineStart - 1);
  const twoAbove = aboveStart > 0 ? previousNonBlankLine(text, lineStartAt(text, aboveStart)) : undefined;
  return twoAbove?.trimEnd() !== above.trimEnd();
}
