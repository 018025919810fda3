// What opens and closes a block, read from the text of a line: shared by the generation plan (is this
// a multi-line position?), the extent rule (where does the block the model writes end?) and
// postprocess. Text-only and per language, like languageSyntax.ts.
import { BracketScanner } from './bracketScanner';
import { colonOpensBlock, isMarkup, keywordsOpenBlocks } from './languageSyntax';
import { indentWidth, leadingWhitespace } from '../kernel/textLines';

const caseLabel = /^\s*(case\b.*|default\s*)$/;
const keywordOpenerEnd = /(^|[^\w.])(do|then|else|begin|repeat)(\s*\|[^|]*\|)?$/;
const keywordOpenerStart = /^\s*(def|class|module|function|local\s+function|if|unless|while|until|for|case|fn|defp?|defmodule|struct|try)\b/;
const voidElements = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', '!doctype']);

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
  if (last === '>' && isMarkup(languageId)) return opensTag(trimmed);
  return endsInOpenMultilineString(trimmed, languageId);
}

/** `<ul>` or `<div class="x">` at the end of a line: an element whose content starts below. */
function opensTag(line: string): boolean {
  const open = line.lastIndexOf('<');
  if (open < 0 || line.endsWith('/>') || line[open + 1] === '/') return false;
  const name = /^<([A-Za-z][\w.:-]*|!doctype)/i.exec(line.slice(open))?.[1]?.toLowerCase();
  return name !== undefined && !voidElements.has(name);
}

/** `doc = """` or ``html = ` ``: the line ends by opening a string that continues on the next lines. */
function endsInOpenMultilineString(line: string, languageId: string): boolean {
  const last = line[line.length - 1];
  return (last === '"' || last === "'" || last === '`') && leavesStringOpen(line, languageId);
}

/** The line ends inside a string that continues on the next lines (`doc = """Sums`). */
export function leavesStringOpen(line: string, languageId: string): boolean {
  const scanner = BracketScanner.forLanguage(languageId);
  scanner.scan(line);
  return scanner.inMultilineString;
}

/** A line that starts by closing a block: `}`, `)`, `]`, a closing tag, or a keyword-language `end`. */
export function startsWithCloser(body: string): boolean {
  return /^([}\])]|<\/|end\b|fi\b|done\b|esac\b)/.test(body);
}

/** A line that closes a block and opens the next part of the same statement: `} else {`, `elif x:`. */
export function reopensBlock(body: string, languageId: string): boolean {
  if (/^[}\])]/.test(body)) return opensBlock(body, languageId);
  return /^(else|elif|elsif|elseif|except|finally|rescue|ensure|when|catch)\b/.test(body) && opensBlock(body, languageId);
}

/** A line made only of closers and punctuation (`}`, `});`, `end`): never a duplicate of anything. */
export function isCloserOnly(line: string): boolean {
  const body = line.trim();
  return body.length > 0 && /^([}\])>;,]|end\b|fi\b|done\b|esac\b|<\/[\w.-]*>?)+$/.test(body.replace(/\s+/g, ''));
}

/** A line that ends open: its statement goes on below (`a +`, `key:`, `x,`, a trailing `\`). */
export function endsOpen(line: string): boolean {
  return /([:,\\]|[-+*/%=&|^<>?.]|\band|\bor|\bnot)$/.test(line.trimEnd());
}

/** True when `next` (the next non-blank line) ends the block the cursor, indented `cursorIndent`, is in. */
export function closesBlock(next: string, cursorIndent: string, languageId: string): boolean {
  const body = next.trimStart();
  if (body.startsWith('}') || body.startsWith(')') || body.startsWith(']')) return true;
  if (keywordsOpenBlocks(languageId) && /^(end|else|elsif|elseif|until)\b/.test(body)) return true;
  // A dedent below the cursor ends its block in every language; in indentation languages it is the
  // only sign there is.
  return indentWidth(leadingWhitespace(next), 4) < indentWidth(cursorIndent, 4);
}
