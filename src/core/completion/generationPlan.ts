// Decides how much to generate for one request: one line, or a block. On this CPU the model makes
// ~35 tokens/s, so generating a block when a line was wanted costs seconds; the decision is made from
// the text around the cursor (no parse), per language where it matters.
//
// Multi-line ("auto" mode) when the rest of the cursor line is blank and
//   - the request is explicit, or
//   - the text before the cursor ends with a block opener: `{`, `(`, `[` (unclosed at line end), `=>`,
//     `:` in colon-block languages (Python, YAML...) or after `case ...`/`default` in C-like ones,
//     `do`/`then`/`else`/`begin` or a `def`/`function`/`if`... line in keyword languages (Ruby, Lua,
//     shell, Elixir...), or
//   - the cursor line is blank up to the cursor and: the previous non-blank line opens a block, or the
//     next non-blank line closes one (starts with a closer or `end`, or dedents below the cursor:
//     the cursor sits at the end of a block body), or the line just above is blank (a new paragraph
//     of code), or there is no code above at all.
// Single-line otherwise: text after the cursor on the line (`foo(█)`), or mid-expression/statement.
//
// Stops: the family's end tokens and markers, plus `\n` for single-line, or a blank line (`\n\n`, and
// `\n\r\n` in CRLF documents) for multi-line, which ends most blocks and keeps runaway output short.
import { fimTemplate } from './fimTemplates';
import { colonOpensBlock, keywordsOpenBlocks } from './languageSyntax';
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
import type { CompletionRequest, FimFamily, GenerationPlan } from './types';

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
  const multiline =
    config.multiline === 'always' ? true : config.multiline === 'never' ? false : wantsMultiline(request);
  const stop = [...fimTemplate(family).stop];
  if (multiline) {
    stop.push('\n\n');
    if (usesCrlf(request.text)) stop.push('\n\r\n');
  } else {
    stop.push('\n');
  }
  return {
    multiline,
    maxTokens: multiline ? config.maxTokens : config.maxLineTokens,
    stop,
    timeoutMs: multiline ? config.timeoutMs : (config.lineTimeoutMs ?? config.timeoutMs),
  };
}

/** The "auto" rule of the file header. */
export function wantsMultiline(request: CompletionRequest): boolean {
  const { text, offset, languageId } = request;
  const lineStart = lineStartAt(text, offset);
  const lineEnd = lineEndAt(text, offset);
  if (!isBlank(text.slice(offset, lineEnd))) return false;
  if (request.explicit) return true;
  const before = text.slice(lineStart, offset);
  if (!isBlank(before)) return opensBlock(before, languageId);

  const previous = previousNonBlankLine(text, lineStart);
  if (previous === undefined) return true;
  if (opensBlock(previous, languageId)) return true;
  const next = nextNonBlankLine(text, nextLineStart(text, offset));
  if (next !== undefined && closesBlock(next, before, languageId)) return true;
  return lineStart >= 1 && isBlank(text.slice(lineStartAt(text, lineStart - 1), lineStart));
}

const caseLabel = /^\s*(case\b.*|default\s*)$/;
const keywordOpenerEnd = /(^|[^\w.])(do|then|else|begin|repeat)(\s*\|[^|]*\|)?$/;
const keywordOpenerStart = /^\s*(def|class|module|function|local\s+function|if|unless|while|until|for|case|fn|defp?|defmodule|struct|try)\b/;

/** True when `line` (text up to the cursor or a whole line) ends by opening a block. */
export function opensBlock(line: string, languageId: string): boolean {
  const trimmed = line.trimEnd();
  if (trimmed.length === 0) return false;
  const last = trimmed[trimmed.length - 1]!;
  if (last === '{' || last === '(' || last === '[') return true;
  if (trimmed.endsWith('=>')) return true;
  if (last === ':') {
    if (colonOpensBlock(languageId)) return true;
    return caseLabel.test(trimmed.slice(0, -1));
  }
  if (keywordsOpenBlocks(languageId)) {
    if (keywordOpenerEnd.test(trimmed)) return true;
    if (keywordOpenerStart.test(trimmed) && !/\bend$/.test(trimmed)) return true;
  }
  return false;
}

/** True when `next` (the next non-blank line) ends the block the cursor, indented `cursorIndent`, is in. */
function closesBlock(next: string, cursorIndent: string, languageId: string): boolean {
  const body = next.trimStart();
  if (body.startsWith('}') || body.startsWith(')') || body.startsWith(']')) return true;
  if (keywordsOpenBlocks(languageId) && /^(end|else|elsif|elseif|until)\b/.test(body)) return true;
  // A dedent below the cursor ends its block in every language; in indentation languages it is the
  // only sign there is.
  return indentWidth(leadingWhitespace(next), 4) < indentWidth(cursorIndent, 4);
}
