// Turns a frontier model's answer into file edits. The prompt asks for exactly this format, and the
// parser refuses (reports a problem for) anything it would otherwise have to guess at, because a
// wrong guess here becomes a wrong change in the user's files.
//
// The format:
//
//   src/util/strings.ts                      <- a path line (also `src/util/strings.ts`,
//   ```ts                                       File: src/util/strings.ts, ### src/util/strings.ts)
//   <<<<<<< SEARCH
//   export function pad(s: string) {         <- lines copied exactly from the current file
//   =======
//   export function pad(s: string, n = 2) {  <- what they become
//   >>>>>>> REPLACE
//   ```
//
// - Several SEARCH/REPLACE blocks may follow one path line; they apply to it, in order, as long as
//   only blank lines and fences stand between them. Any other prose between a path line and a block
//   breaks the link, and a block with no path is reported rather than given a guessed one.
// - A new file is a block whose SEARCH part is empty (or blank); its REPLACE part is the content.
// - Deleting a file is a line of its own, outside any block: `DELETE src/old.ts` (backticks allowed).
// - A path that is created or deleted takes no other edit in the same answer (reported otherwise).
// - Path lines may be written `path`, **path**, *path*, ### path, File: path, // path, with a trailing
//   colon, or in the fence's info string (```ts src/a.ts, ```ts:src/a.ts, ```src/a.ts).
// - Tolerated: prose around everything, fences with or without a language tag and a missing closing
//   fence, CRLF, markers of 5 to 9 `<`/`=`/`>` characters, trailing whitespace on marker lines, an
//   answer without a final newline.
// - Elision is refused: a SEARCH line that is just "..." or a comment starting with "..." ("// ...
//   existing code ...") cannot be matched, and the same in REPLACE would delete the code it
//   stands for. Python's bare `...` statement is refused too: a model uses
//   it to elide far more often than a SEARCH has to quote one.
// - Marker lines must start at column 0: an indented `=======` is file content, not a marker.
// Block contents are whole lines joined with LF, each ending in LF (the matcher relies on that).
import type { FileEdit, ParseProblem } from './editTypes';

export interface ParsedEdits {
  edits: FileEdit[];
  problems: ParseProblem[];
}

const SEARCH_MARKER = /^<{5,9}\s*SEARCH\s*$/;
const DIVIDER_MARKER = /^={5,9}\s*$/;
const REPLACE_MARKER = /^>{5,9}\s*REPLACE\s*$/;
const FENCE = /^\s*(```|~~~)[\w+#.-]*\s*$/;
const DELETE_LINE = /^(?:\*\*)?DELETE(?:\s+FILE)?:?(?:\*\*)?:?\s+(?:\*\*)?(`?)([^\s`*]+)\1(?:\*\*)?\s*$/;
/** ```lang path, ```lang:path, or ```path (a path needs a slash or an extension to be told from a language). */
const FENCE_WITH_PATH = /^\s*(?:```|~~~)(?:[\w+#-]+[ :]\s*)?([^\s`]+)\s*$/;
/** A comment opener, for the elision check. */
const COMMENT_START = /^(?:\/\/+|#+|--|;+|\/\*+|<!--|\*|%+|'|REM\b)\s*/i;
const ELISION_WORDS = /\b(existing|unchanged|rest of|remaining|same as before|omitted|other (?:code|methods|functions|fields|imports))\b/i;
/** What a bare path looks like: one token with a directory or an extension, so prose never is one. */
const BARE_PATH = /^(?=.*(?:\/|\.[A-Za-z0-9]+$))[\w@+~.\-/\\]+$/;

/** The path a line names, if it is a path line; otherwise undefined. */
function pathOfLine(line: string): string | undefined {
  let rest = line.trim();
  let marked = false;
  // Markup in any nesting models produce: ### File: `a.ts`, **File:** a.ts, **`a.ts`**:, // a.ts
  for (let previous = ''; previous !== rest; ) {
    previous = rest;
    const heading = /^(?:#{1,6}\s+|(?:\*\*)?(?:File|Filename|Path)(?::\*\*|\*\*:|:)\s*)(.*)$/i.exec(rest);
    if (heading) {
      rest = heading[1]!.trim();
      marked = true;
    }
    // A comment naming the file (inside a fence); unlike a heading it still has to look like a path.
    rest = rest.replace(/^\/\/\s*/, '');
    rest = rest.replace(/^\*\*(.*)\*\*:?$/, '$1').replace(/^\*([^*].*)\*:?$/, '$1').replace(/:$/, '').trim();
  }
  const ticked = /^`([^`\s]+)`:?$/.exec(rest);
  if (ticked) return ticked[1];
  if (rest.length === 0 || /\s/.test(rest)) return undefined;
  // A heading or "File:" says it is a path, so any single token will do; a bare line must look like one.
  if (marked && /^[\w@+~.\-/\\]+$/.test(rest)) return rest;
  return BARE_PATH.test(rest) ? rest : undefined;
}

/** The path a fence's info string names (```ts src/a.ts), if any. */
function pathOfFence(line: string): string | undefined {
  const m = FENCE_WITH_PATH.exec(line);
  if (!m) return undefined;
  const candidate = m[1]!;
  return candidate.includes('/') || /\.[A-Za-z0-9]+$/.test(candidate) ? pathOfLine(candidate) : undefined;
}

/** A line that stands for omitted code: "...", "…", or a comment starting with them or saying "existing code ...". */
export function isElisionLine(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed === '...' || trimmed === '…') return true;
  const comment = COMMENT_START.exec(trimmed);
  if (!comment) return false;
  const body = trimmed.slice(comment[0].length).replace(/\s*(?:\*\/|-->)\s*$/, '').trim();
  if (/^(?:\.{3}|…)/.test(body)) return true;
  return /(?:\.{3}|…)$/.test(body) && ELISION_WORDS.test(body);
}

function joinLines(lines: string[]): string {
  return lines.map((l) => l + '\n').join('');
}

interface OpenBlock {
  path: string | undefined;
  startLine: number;
  search: string[];
  replace: string[];
  inReplace: boolean;
  /** The line of "=======" (REPLACE content starts after it). */
  dividerLine: number;
}

interface LocatedEdit {
  edit: FileEdit;
  line: number;
}

export function parseEdits(modelOutput: string): ParsedEdits {
  const lines = modelOutput.split(/\r?\n/);
  const found: LocatedEdit[] = [];
  const problems: ParseProblem[] = [];
  let path: string | undefined;
  let block: OpenBlock | undefined;

  const openBlock = (lineNo: number): void => {
    block = { path, startLine: lineNo, search: [], replace: [], inReplace: false, dividerLine: lineNo };
  };
  const closeBlock = (b: OpenBlock): void => {
    if (b.path === undefined) {
      problems.push({ line: b.startLine, message: 'SEARCH/REPLACE block has no file path before it; it was skipped.' });
      return;
    }
    const elision = findElision(b);
    if (elision) {
      problems.push(elision);
      return;
    }
    const isNewFile = b.search.every((l) => l.trim() === '');
    const edit: FileEdit = isNewFile
      ? { kind: 'create', path: b.path, content: joinLines(b.replace) }
      : { kind: 'modify', path: b.path, search: joinLines(b.search), replace: joinLines(b.replace) };
    found.push({ edit, line: b.startLine });
  };

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const marker = raw.trimEnd();
    if (block) {
      const b = block;
      if (SEARCH_MARKER.test(marker)) {
        problems.push({
          line: lineNo,
          message: b.inReplace
            ? `Block opened at line ${b.startLine} has no ">>>>>>> REPLACE"; it was skipped.`
            : `Block opened at line ${b.startLine} has no "=======" before the next SEARCH; it was skipped.`,
        });
        openBlock(lineNo);
      } else if (DIVIDER_MARKER.test(marker)) {
        if (b.inReplace) {
          problems.push({ line: lineNo, message: `Second "=======" in the block opened at line ${b.startLine}; the block was skipped.` });
          block = undefined;
        } else {
          b.inReplace = true;
          b.dividerLine = lineNo;
        }
      } else if (REPLACE_MARKER.test(marker)) {
        if (b.inReplace) closeBlock(b);
        else problems.push({ line: lineNo, message: `">>>>>>> REPLACE" before "=======" in the block opened at line ${b.startLine}; the block was skipped.` });
        block = undefined;
      } else {
        (b.inReplace ? b.replace : b.search).push(raw.replace(/\r$/, ''));
      }
      return;
    }

    if (SEARCH_MARKER.test(marker)) {
      openBlock(lineNo);
      return;
    }
    if (DIVIDER_MARKER.test(marker) || REPLACE_MARKER.test(marker)) {
      problems.push({ line: lineNo, message: `"${marker}" outside a SEARCH/REPLACE block; it was ignored.` });
      return;
    }
    const fencedPath = pathOfFence(marker);
    if (fencedPath !== undefined) {
      path = fencedPath;
      return;
    }
    if (marker.trim() === '' || FENCE.test(marker)) return;
    const deletion = DELETE_LINE.exec(marker);
    if (deletion) {
      found.push({ edit: { kind: 'delete', path: deletion[2]! }, line: lineNo });
      path = undefined;
      return;
    }
    // Any other prose line either names the next file or breaks the link to the previous one.
    path = pathOfLine(marker);
  });

  if (block) {
    const b: OpenBlock = block;
    problems.push({
      line: b.startLine,
      message: `Block opened at line ${b.startLine} never reached ${b.inReplace ? '">>>>>>> REPLACE"' : '"======="'}; it was skipped.`,
    });
  }

  return { edits: dropConflicts(found, problems), problems: problems.sort((a, b) => a.line - b.line) };
}

/** A problem when the block elides code: in SEARCH it cannot match, in REPLACE it would delete what it stands for. */
function findElision(b: OpenBlock): ParseProblem | undefined {
  const inSearch = b.search.findIndex(isElisionLine);
  if (inSearch !== -1) {
    return {
      line: b.startLine + 1 + inSearch,
      message: `Block opened at line ${b.startLine} elides code in SEARCH ("${b.search[inSearch]!.trim()}"); SEARCH must copy the lines exactly, so the block was skipped.`,
    };
  }
  const inReplace = b.replace.findIndex(isElisionLine);
  if (inReplace !== -1) {
    return {
      line: b.dividerLine + 1 + inReplace,
      message: `Block opened at line ${b.startLine} elides code in REPLACE ("${b.replace[inReplace]!.trim()}"), which would delete the code it stands for; the block was skipped.`,
    };
  }
  return undefined;
}

/** Creating or deleting a file alongside other edits to it has no single meaning: refuse that path. */
function dropConflicts(found: LocatedEdit[], problems: ParseProblem[]): FileEdit[] {
  const byPath = new Map<string, LocatedEdit[]>();
  for (const f of found) byPath.set(f.edit.path, [...(byPath.get(f.edit.path) ?? []), f]);
  const refused = new Set<string>();
  for (const [path, group] of byPath) {
    if (group.length > 1 && group.some((g) => g.edit.kind !== 'modify')) {
      refused.add(path);
      problems.push({ line: group[0]!.line, message: `${path} is created or deleted and also edited in the same answer; none of its edits were kept.` });
    }
  }
  return found.filter((f) => !refused.has(f.edit.path)).map((f) => f.edit);
}
