// Line arithmetic on a document string around an offset, shared by the completion stages. All of it
// looks only at the lines it is asked about (lastIndexOf/indexOf), never at the whole document, so
// per-keystroke stages stay proportional to what they inspect.

/** Offset of the first character of the line containing `offset`. */
export function lineStartAt(text: string, offset: number): number {
  return offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset of the line break (or text end) ending the line containing `offset`; a `\r` before `\n` is excluded. */
export function lineEndAt(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  const end = nl < 0 ? text.length : nl;
  return end > offset && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
}

/** Offset just past the line break ending the line containing `offset` (text end on the last line). */
export function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

/** The leading spaces and tabs of `line`. */
export function leadingWhitespace(line: string): string {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
  return line.slice(0, i);
}

/** True when the string has nothing but spaces, tabs and line breaks. */
export function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

/** Indentation width in columns, counting a tab as `tabSize` columns. */
export function indentWidth(whitespace: string, tabSize: number): number {
  let width = 0;
  for (let i = 0; i < whitespace.length; i++) width += whitespace.charCodeAt(i) === 9 ? tabSize : 1;
  return width;
}

/** Offset of the start of a 1-based line (the text's length past its end). */
export function lineStartOffset(text: string, line: number): number {
  let at = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf('\n', at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  return at;
}

/**
 * The lines of a text, split on LF or CRLF so line numbers match what the editor shows (a lone CR
 * stays in its line). Splits on '\n' and trims the CRs after, several times faster than a regex split.
 */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (text.includes('\r')) {
    // The last line has no '\n' after it, so a CR ending it is its own.
    for (let i = 0; i < lines.length - 1; i++) {
      const line = lines[i]!;
      if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
    }
  }
  return lines;
}

/** Number of `\n` in text[0, end), via indexOf (memchr-fast even on large documents). */
export function countLineBreaks(text: string, end: number): number {
  let count = 0;
  let i = text.indexOf('\n');
  while (i >= 0 && i < end) {
    count++;
    i = text.indexOf('\n', i + 1);
  }
  return count;
}

/**
 * The nearest non-blank line strictly before the line starting at `lineStart`, or undefined.
 * Scans at most `maxLines` lines back so a huge blank region cannot make it expensive.
 */
export function previousNonBlankLine(text: string, lineStart: number, maxLines = 200): string | undefined {
  let end = lineStart - 1;
  for (let n = 0; n < maxLines && end >= 0; n++) {
    const start = end > 0 ? text.lastIndexOf('\n', end - 1) + 1 : 0;
    const line = text.slice(start, end);
    if (!isBlank(line)) return line.endsWith('\r') ? line.slice(0, -1) : line;
    end = start - 1;
  }
  return undefined;
}

/** The nearest non-blank line starting at or after `from` (a line start), or undefined. */
export function nextNonBlankLine(text: string, from: number, maxLines = 200): string | undefined {
  let start = from;
  for (let n = 0; n < maxLines && start < text.length; n++) {
    const end = lineEndAt(text, start);
    const line = text.slice(start, end);
    if (!isBlank(line)) return line;
    start = nextLineStart(text, start);
  }
  return undefined;
}

/** True when the document uses CRLF line breaks (judged by its first line break). */
export function usesCrlf(text: string): boolean {
  const nl = text.indexOf('\n');
  return nl > 0 && text.charCodeAt(nl - 1) === 13;
}
