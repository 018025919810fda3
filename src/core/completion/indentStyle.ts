// Detects how a document indents (tabs or spaces, and how many spaces a level), so postprocess can
// make a suggestion match it. Looks at the first 64 KB only: a style is settled long before that,
// and this runs per request.
//
// Tabs win when more indented lines start with a tab than with spaces. The space size is the most
// frequent indentation step among 2, 4 and 8 between consecutive non-blank lines (a step of 1 or 3 is
// usually a JSDoc ` *` or alignment and is ignored); ties prefer the smaller, which is what a 2-space
// file's 4-column steps after a nested block look like. With no evidence (no indented line) it says
// so: the caller then asks the editor, or keeps the model's own indentation.
import type { IndentStyle } from '../kernel/completionTypes';

const SCAN_CHARS = 64 * 1024;

/** The document's own indentation, or undefined when no line is indented. */
export function documentIndentation(text: string, tabSize = 4): IndentStyle | undefined {
  const end = Math.min(text.length, SCAN_CHARS);
  let tabLines = 0;
  let spaceLines = 0;
  const steps = [0, 0, 0]; // counts for 2, 4, 8
  let previous = 0;
  let start = 0;
  while (start < end) {
    let nl = text.indexOf('\n', start);
    if (nl < 0 || nl > end) nl = end;
    let i = start;
    const first = text.charCodeAt(i);
    if (first === 9) {
      tabLines++;
    } else {
      while (i < nl && text.charCodeAt(i) === 32) i++;
      const next = text.charCodeAt(i);
      const blank = i >= nl || next === 13 || next === 10;
      if (!blank && next !== 9) {
        const width = i - start;
        if (width > 0) spaceLines++;
        const step = Math.abs(width - previous);
        if (step === 2) steps[0]!++;
        else if (step === 4) steps[1]!++;
        else if (step === 8) steps[2]!++;
        previous = width;
      }
    }
    start = nl + 1;
  }
  if (tabLines > spaceLines) return { useTabs: true, size: tabSize };
  if (spaceLines === 0) return undefined;
  const [two, four, eight] = steps as [number, number, number];
  if (two === 0 && four === 0 && eight === 0) return undefined;
  if (two >= four && two >= eight) return { useTabs: false, size: 2 };
  if (four >= eight) return { useTabs: false, size: 4 };
  return { useTabs: false, size: 8 };
}
