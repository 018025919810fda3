// Decides, while the model writes, where a suggestion ends: one line, or a block, and where that
// block stops. It runs on the text generated so far, inside the model host (node-llama-cpp) and in
// the network backends' stream loops, so generation stops as soon as the suggestion is complete
// instead of running on to the token cap (on a CPU every extra token is ~30 ms before anything shows).
//
// The rule, for a plan whose first line decides ('line-or-block', the end of a line):
//   - a first line that opens a block (`fn f() {`, `def f():`, `<ul>`) goes on into that block, and
//     one that leaves a docstring or template literal open goes on to the line that closes it;
//   - a first line that ends open (`:`, `,`, an operator) goes on if the next line is indented
//     deeper (a body the text did not announce, e.g. `n):` in a language without colon blocks),
//     and a first line ending in `,` also if the next line is level with it (the next item of a
//     list, up to the list's end);
//   - an empty first line (the model starts a new line) goes on into the next lines of the block;
//   - any other first line is the whole suggestion; so is a first line longer than the line budget.
// For a block (and once a 'line-or-block' plan has become one), lines go on while they stay inside
// the block: a line indented below it ends the suggestion; a closing `}` / `end` line is kept and
// ends it, one that reopens (`} else {`) is left out. In a block after `foo(` or `{` on the cursor
// line, a first line that does not open anything (`a, b);`) decides as above; a closing first line
// (`};`) is the whole suggestion.
// The rule is data (ExtentRule) so it can cross into the model host's process.
import { endsOpen, isCloserOnly, leavesStringOpen, opensBlock, reopensBlock, startsWithCloser } from './blockSyntax';
import { BracketScanner } from './bracketScanner';
import { indentWidth, isBlank, leadingWhitespace } from '../kernel/textLines';
import type { ExtentRule } from '../kernel/completionTypes';

/** Length of `text` that is the whole suggestion if it is complete now, or undefined while it may go on. */
export function extentEnd(text: string, rule: ExtentRule): number | undefined {
  const nl = text.indexOf('\n');
  if (nl < 0) {
    return rule.shape === 'line-or-block' && text.length > rule.maxFirstLineChars ? text.length : undefined;
  }
  const first = text.slice(0, nl).replace(/\r$/, '');
  const completed = rule.linePrefix + first;
  // The block the suggestion writes in is indented like the cursor line. At column 0 of a blank
  // line, like the suggestion's first line (the model chose the indentation); elsewhere on a blank
  // line the editor put the cursor at the indentation already, whatever the model adds.
  const modelIndents = rule.linePrefix.length === 0;
  let base = indentWidth(leadingWhitespace(modelIndents ? completed : rule.linePrefix), rule.tabSize);
  // A docstring or template literal left open goes on to the line that closes it.
  if (leavesStringOpen(completed, rule.languageId)) return stringEnd(text, nl, completed, rule.languageId);
  let opened = opensBlock(completed, rule.languageId);
  let lineStart = nl + 1;

  if (isBlank(completed)) {
    // The model starts a new line from a blank one: its first line of code is where the block
    // stands (at column 0 of an empty line inside a class, that is the method level).
    const code = firstCode(text, nl + 1);
    if (code === undefined) return undefined;
    if (code.end < 0) return undefined;
    base = indentWidth(code.indent, rule.tabSize);
    opened = opensBlock(text.slice(code.start, code.end).replace(/\r$/, ''), rule.languageId);
    lineStart = code.end + 1;
  } else if (!isBlank(first) && !opened) {
    // A closing line (`};`) finishes the block the cursor was in: nothing after it belongs.
    if (isCloserOnly(first)) return nl;
    // After `foo(` the first line decides too: `a, b);` finished the statement.
    if (rule.shape === 'line-or-block' || !isBlank(rule.linePrefix)) {
      if (!endsOpen(completed)) return nl;
      const next = firstCode(text, nl + 1);
      if (next === undefined) return undefined;
      const width = indentWidth(next.indent, rule.tabSize);
      // Deeper: a body the line did not announce. Level with it after a `,`: the next item of a list.
      if (width > base) opened = true;
      else if (width < base || !completed.trimEnd().endsWith(',')) return nl;
    }
  }

  while (lineStart < text.length) {
    const lineEnd = text.indexOf('\n', lineStart);
    const complete = lineEnd >= 0;
    const line = text.slice(lineStart, complete ? lineEnd : text.length).replace(/\r$/, '');
    const indent = leadingWhitespace(line);
    if (indent.length === line.length) {
      // Blank so far: a blank line is left to the plan's blank-line stop; a partial one may go on.
      if (!complete) return undefined;
      lineStart = lineEnd + 1;
      continue;
    }
    const width = indentWidth(indent, rule.tabSize);
    const outside = opened ? width <= base : width < base;
    if (outside) {
      // The block's closing line is its last; anything else out there (`} else {`, the next
      // statement, the next function) is not part of it.
      const body = line.slice(indent.length);
      if (!startsWithCloser(body)) return lineStart - 1;
      if (!complete) return undefined;
      return reopensBlock(body, rule.languageId) ? lineStart - 1 : lineEnd;
    }
    if (!complete) return undefined;
    lineStart = lineEnd + 1;
  }
  return undefined;
}

/** The end of the line that closes the string the first line leaves open, once it is there. */
function stringEnd(text: string, nl: number, completed: string, languageId: string): number | undefined {
  const scanner = BracketScanner.forLanguage(languageId);
  scanner.scan(`${completed}\n`);
  let lineStart = nl + 1;
  for (;;) {
    const lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) return undefined;
    scanner.scan(text, lineStart, lineEnd + 1);
    if (!scanner.inString) return lineEnd;
    lineStart = lineEnd + 1;
  }
}

/**
 * The first line at or after `from` that has code, once its first character is there: where it
 * starts and ends (end -1 while the line is not finished) and its indentation.
 */
function firstCode(text: string, from: number): { indent: string; start: number; end: number } | undefined {
  let start = from;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
    const indent = leadingWhitespace(line);
    if (indent.length < line.length) return { indent, start, end };
    if (end < 0) return undefined;
    start = end + 1;
  }
  return undefined;
}

/**
 * Where generated text ends under a plan's stop strings and extent rule: the cut index, or undefined
 * while it may go on. `searchFrom` skips stop strings already looked for in earlier text.
 */
export function generationCut(
  text: string,
  stops: readonly string[],
  extent: ExtentRule | undefined,
  searchFrom = 0,
): number | undefined {
  let cut: number | undefined;
  for (const stop of stops) {
    if (stop.length === 0) continue;
    const at = text.indexOf(stop, searchFrom);
    if (at >= 0 && (cut === undefined || at < cut)) cut = at;
  }
  if (extent) {
    const end = extentEnd(cut === undefined ? text : text.slice(0, cut), extent);
    if (end !== undefined && (cut === undefined || end < cut)) cut = end;
  }
  return cut;
}
