// Decides how much to generate for one request, and what shape the suggestion may take. On this
// CPU the model makes ~35 tokens/s, so generating a block where a line was wanted costs seconds; the
// shape is decided from the text around the cursor (no parse), and, where the text can't tell, by
// what the model starts to write (the extent rule, completionExtent.ts, which ends generation as
// soon as the suggestion is complete).
//
// Shapes ("auto" mode):
//   line           real code follows the cursor on its line (a hole: `while (a && █) {`,
//                  `<b>█</b>`): one line, the line budget, stop at the line break.
//   block          the rest of the line is blank or only closers (`█`, `█})`, `█"`, `█/>`) and
//                  - the request is explicit, or
//                  - the text before the cursor opens a block: `{`, `(`, `[` (unclosed at line end;
//                    `(` and `[` only with a blank rest: in `max(█)` arguments usually fit the line),
//                    `=>`, `:` in colon-block languages (Python, YAML...) or after `case ...`/`default`,
//                    `do`/`then`/... or a `def`/`function`/`if`... line in keyword languages, an open
//                    tag in markup (`<ul>`), an open multi-line string (`doc = """`), or
//                  - the cursor line is blank up to the cursor and: the previous non-blank line opens
//                    a block, the next non-blank line closes one (starts with a closer or `end`, or
//                    dedents below the cursor), the line just above is blank, there is no code above,
//                    the cursor is inside an open multi-line string, or the document leaves the
//                    cursor's block unclosed (more brackets open before the cursor than close after).
//   line-or-block  any other position at the end of a line (a finished statement, an unfinished
//                  one, a blank line between statements): the model's first line decides. A line
//                  that opens a block (`get█` + ` foo(): number {`) goes on into it, a new line
//                  (`foo();█` + `\n  bar();`) goes on into the next lines of the block; any other
//                  line is the whole suggestion.
// Stops: the family's end tokens and markers, plus `\n` for a line, or a blank line (`\n\n`, and
// `\n\r\n` in CRLF documents) for the others, which ends most blocks and keeps runaway output short.
import { fimTemplate } from '../models/fimFamilies';
import { documentBalance } from '../syntax/bracketScanner';
import { closesBlock, opensBlock } from '../syntax/blockSyntax';
import type { ExtentRule } from '../kernel/completionTypes';
import {
  isBlank,
  lineEndAt,
  lineStartAt,
  nextLineStart,
  nextNonBlankLine,
  previousNonBlankLine,
  usesCrlf,
} from '../kernel/textLines';
import type { CompletionRequest, FimFamily, GenerationPlan } from '../kernel/completionTypes';

/** The settings planGeneration reads; CompletionConfig satisfies it. */
export interface GenerationPlanConfig {
  multiline: 'auto' | 'always' | 'never';
  /** Token cap for multi-line completions. */
  maxTokens: number;
  /** Token cap for single-line completions. */
  maxLineTokens: number;
  /** Wall-clock cap for multi-line generation (and single-line unless lineTimeoutMs is set). */
  timeoutMs: number;
  lineTimeoutMs?: number;
}

export function planGeneration(
  request: CompletionRequest,
  family: FimFamily,
  config: GenerationPlanConfig,
): GenerationPlan {
  const shape = config.multiline === 'always' ? 'block' : config.multiline === 'never' ? 'line' : planShape(request);
  const multiline = shape !== 'line';
  const stop = [...fimTemplate(family).stop];
  if (multiline) {
    stop.push('\n\n');
    if (usesCrlf(request.text)) stop.push('\n\r\n');
  } else {
    stop.push('\n');
  }
  const extent: ExtentRule | undefined =
    shape === 'line'
      ? undefined
      : {
          shape,
          linePrefix: request.text.slice(lineStartAt(request.text, request.offset), request.offset),
          languageId: request.languageId,
          tabSize: 4,
          maxFirstLineChars: config.maxLineTokens * CHARS_PER_TOKEN,
        };
  return {
    shape,
    multiline,
    maxTokens: multiline ? config.maxTokens : config.maxLineTokens,
    stop,
    timeoutMs: multiline ? config.timeoutMs : (config.lineTimeoutMs ?? config.timeoutMs),
    ...(extent ? { extent } : {}),
  };
}

/** Code averages about four characters a token: the line budget in characters for a first line. */
const CHARS_PER_TOKEN = 4;

/** True when the rest of the line holds only closers and punctuation (`)`, `})`, `";`, `/>`). */
function onlyClosersAfter(rest: string): boolean {
  return !/[\p{L}\p{N}_$([{<]/u.test(rest);
}

/** The "auto" rule of the file header. */
function planShape(request: CompletionRequest): GenerationPlan['shape'] {
  const { text, offset, languageId } = request;
  const lineStart = lineStartAt(text, offset);
  const lineEnd = lineEndAt(text, offset);
  if (!onlyClosersAfter(text.slice(offset, lineEnd))) return 'line';
  if (request.explicit) return 'block';
  const before = text.slice(lineStart, offset);
  if (!isBlank(before)) {
    if (!opensBlock(before, languageId)) return 'line-or-block';
    // `max(█)`: arguments typed inside auto-closed brackets usually fit on the line.
    const autoClosedArguments = !isBlank(text.slice(offset, lineEnd)) && /[([]\s*$/.test(before);
    return autoClosedArguments ? 'line-or-block' : 'block';
  }

  const previous = previousNonBlankLine(text, lineStart);
  if (previous === undefined) return 'block';
  if (opensBlock(previous, languageId)) return 'block';
  const next = nextNonBlankLine(text, nextLineStart(text, offset));
  if (next !== undefined && closesBlock(next, before, languageId)) return 'block';
  if (lineStart >= 1 && isBlank(text.slice(lineStartAt(text, lineStart - 1), lineStart))) return 'block';
  const balance = documentBalance(text, offset, languageId);
  if (balance.atCursor.inMultilineString || balance.lacking > 0) return 'block';
  return 'line-or-block';
}
