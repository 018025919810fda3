// Finds the `path:line` references a model writes in an answer (as the task prompts ask it to), so
// the answer view can turn them into links that open the file at that line. Only references to
// files that exist count; the caller decides that.

export interface FileReference {
  /** Offset of the reference in the text, and its length. */
  start: number;
  length: number;
  path: string;
  /** 1-based; undefined when the reference names only the file. */
  line?: number;
  endLine?: number;
}

// path:12, path:12-30, path#L12, or a bare path with an extension, optionally inside backticks or
// after `./`. Folders may have dots (`.github/`, `lib.v2/`) but never start with `..`, and nothing
// right after a letter, dot or slash starts a reference, so URLs and `../x` never yield one.
const REFERENCE =
  /(?<![\w/.-])((?:\.\/)?(?:\.?[\w@+-][\w@+.-]*\/)*[\w@+.-]+\.[A-Za-z0-9]{1,8})(?:(?::|#L)(\d+)(?:-L?(\d+))?)?(?![\w/-])/g;

/** Every file reference in `text` whose path `exists` accepts (workspace-relative, forward slashes). */
export function findFileReferences(text: string, exists: (path: string) => boolean): FileReference[] {
  const found: FileReference[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    const path = match[1]!.replace(/^\.\//, '');
    if (!exists(path)) continue;
    found.push({
      start: match.index!,
      length: match[0].length,
      path,
      line: match[2] ? Number(match[2]) : undefined,
      endLine: match[3] ? Number(match[3]) : undefined,
    });
  }
  return found;
}
