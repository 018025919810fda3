// The one place that decides what a path in a model's answer means: a workspace-relative path with
// forward slashes, or a refusal. Models write `./src/a.ts`, `src\a.ts` or `src/../a.ts` for the same
// file, and occasionally `/etc/passwd` or `../../.ssh/id_rsa`; the plan, the stale check, the diff
// and the disk writer all key files by the normalized form, so they can never disagree about which
// file an edit touches, and nothing outside the workspace is ever read or written.

export type WorkspacePath = { path: string } | { refused: string };

/**
 * Normalizes `raw` to `dir/file.ext` relative to the workspace root, or says why it is refused
 * (absolute, escaping with `..`, empty, a segment some file system reads as another name, or inside
 * `.git`, which Bantam never edits).
 */
export function normalizeWorkspacePath(raw: string): WorkspacePath {
  const trimmed = raw.trim();
  if (trimmed === '') return { refused: 'the path is empty' };
  if (/[\0-\x1f]/.test(trimmed)) return { refused: 'the path contains control characters' };
  const slashed = trimmed.replace(/\\/g, '/');
  // `/x`, `//server/share`, `C:/x`, `C:x` and `~/x` all name places the workspace root does not anchor.
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed) || slashed === '~' || slashed.startsWith('~/')) {
    return { refused: 'outside the workspace (absolute path)' };
  }
  const parts: string[] = [];
  for (const part of slashed.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return { refused: 'outside the workspace' };
      parts.pop();
      continue;
    }
    parts.push(part);
  }
  if (parts.length === 0) return { refused: 'the path names the workspace root, not a file' };
  for (const part of parts) {
    const alias = aliasForm(part);
    if (alias) return { refused: `"${part}" ${alias}` };
  }
  if (parts.some((p) => p.normalize('NFC').toLowerCase() === '.git')) return { refused: 'inside .git, which Bantam never edits' };
  return { path: parts.join('/') };
}

/** Bidi controls (embeddings, overrides, isolates, marks): they make a path read as another. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** An NTFS 8.3 short name (`GIT~1`, `PROGRA~2.TXT`). */
const SHORT_NAME = /~\d/;

/**
 * Why a path segment is refused because a file system would read it as another name, or undefined.
 * Windows drops trailing dots and spaces (`.git.` is `.git`), `:` opens an NTFS stream
 * (`.git::$INDEX_ALLOCATION`), `~1` names a short alias (`GIT~1`), and HFS+ ignores default-ignorable
 * characters (`.g\u200cit` is `.git`); bidi controls make a name read as another on screen.
 */
function aliasForm(segment: string): string | undefined {
  if (/[. ]$/.test(segment)) return 'ends in a dot or a space, which Windows drops (another name for the same file)';
  if (segment.includes(':')) return 'contains ":", an NTFS stream or drive separator';
  if (SHORT_NAME.test(segment)) return 'looks like an NTFS short name (~1), an alias of another name';
  if (/\p{Default_Ignorable_Code_Point}/u.test(segment)) return 'contains an invisible character that macOS ignores in names';
  if (BIDI.test(segment)) return 'contains a bidi control character, which makes it display as another name';
  return undefined;
}
