// What the model is told about the edit format, and how a file it may edit is shown to it. The two
// halves of one contract with editParser.ts: the instructions describe exactly the format the parser
// reads, and a file is shown so that what the model sees is byte for byte what it has to copy into
// SEARCH (no line numbers, no trimmed indentation, no CRLF), because any difference there becomes a
// "SEARCH text was not found" refusal.

import { fenceForExtension } from '../context/languages/registry';

/** The system-prompt section that makes a model answer in the format parseEdits reads. */
export const EDIT_FORMAT_INSTRUCTIONS = `# How to answer with edits
Answer with SEARCH/REPLACE blocks; Bantam applies them to the files exactly as written, or not at all.

Rules:
1. Before every block, write the file's path alone on its own line: relative to the workspace root, with forward slashes, exactly as shown in the file headers (e.g. src/util/strings.ts). Repeat the path before each block, even for the same file.
2. A block is: a line "<<<<<<< SEARCH", the lines to find, a line "=======", the lines that replace them, a line ">>>>>>> REPLACE". Marker lines start at the beginning of the line.
3. Copy the SEARCH lines exactly from the current file: every character, indentation, comment and blank line. Never elide with "..." or "// ... existing code ..."; never add line numbers.
4. Keep each SEARCH small, but long enough to match only one place in the file (add a nearby unique line if needed). Use several small blocks rather than one large one; blocks for one file apply in order and must not overlap.
5. REPLACE holds the complete new lines; anything in SEARCH that is not in REPLACE is deleted.
6. To create a file, leave SEARCH empty and put the whole content in REPLACE. To delete a file, write a line "DELETE path" outside any block.
7. Only edit the files you were shown, unless the task needs a new file. Explain briefly outside the blocks if useful.

Example (modify, create, delete):

src/util/strings.ts
\`\`\`ts
<<<<<<< SEARCH
export function pad(s: string): string {
  return s.padStart(2);
}
=======
export function pad(s: string, width = 2): string {
  return s.padStart(width);
}
>>>>>>> REPLACE
\`\`\`

src/util/case.ts
\`\`\`ts
<<<<<<< SEARCH
=======
export function upper(s: string): string {
  return s.toUpperCase();
}
>>>>>>> REPLACE
\`\`\`

DELETE src/util/legacyPad.ts
`;

/** 1-based inclusive lines of a file to show instead of the whole of it. */
export interface PromptLineRange {
  startLine: number;
  endLine: number;
}

/** Fence names of files without a grammar; the language specs name those of the files with one. */
const OTHER_FENCES: Record<string, string> = {
  json: 'json', md: 'markdown', css: 'css', html: 'html', sh: 'sh', yml: 'yaml', yaml: 'yaml',
};

function fenceFor(text: string): string {
  // A fence longer than any backtick run inside, so a markdown file or a template literal cannot close it.
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  return '`'.repeat(longest + 1);
}

/**
 * Shows `text` (the file at `path`) to the model: the path on its own line, as the answer must
 * repeat it, then the content in a fence. Line endings become LF, as the parser reads answers and the
 * matcher compares; nothing else changes. With `range`, only those lines are shown, and the header
 * says so, so the model knows the rest exists but cannot quote it.
 */
export function renderFileForPrompt(path: string, text: string, range?: PromptLineRange): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  let shown = lines;
  let note = '';
  if (range) {
    const start = Math.max(1, Math.min(range.startLine, lines.length));
    const end = Math.max(start, Math.min(range.endLine, lines.length));
    shown = lines.slice(start - 1, end);
    if (start > 1 || end < lines.length) note = `(lines ${start}-${end} of ${lines.length}; only these lines may appear in SEARCH)\n`;
  }
  const body = shown.join('\n');
  const fence = fenceFor(body);
  const extension = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  const name = fenceForExtension(`.${extension}`) ?? OTHER_FENCES[extension] ?? '';
  return `${path}\n${note}${fence}${name}\n${body}\n${fence}`;
}
