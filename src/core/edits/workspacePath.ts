// The one place that decides what a path in a model's answer means: a workspace-relative path with
// forward slashes, or a refusal. Models write `./src/a.ts`, `src\a.ts` or `src/../a.ts` for the same
// file, and occasionally `/etc/passwd` or `../../.ssh/id_rsa`; the plan, the stale check, the diff
// and the disk writer all key files by the normalized form, so they can never disagree about which
// file an edit touches, and nothing outside the workspace is ever read or written.
// In a multi-root workspace a path names its folder first (`app/src/a.ts`, kernel/workspaceRoots.ts);
// resolveFolderPath turns a normalized path into that form or refuses it.
import * as path from 'node:path';
import type { WorkspaceRoots } from '../kernel/workspaceRoots';

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

/**
 * A normalized path (see normalizeWorkspacePath) in the form that names its workspace folder, or why
 * it is refused. With one folder every path is that folder's. With several, a path starting with a
 * folder's name is that folder's; a path without one (a model forgot the prefix) is taken only when
 * exactly one folder has that file (`exists` is asked about absolute paths); in none, or in several,
 * it is refused, saying how to write it.
 */
export async function resolveFolderPath(
  normalized: string,
  roots: WorkspaceRoots,
  exists: (absolute: string) => Promise<boolean>,
): Promise<WorkspacePath> {
  if (roots.folders.length === 0) return { refused: 'no workspace folder is open' };
  if (!roots.multi) return { path: normalized };
  const located = roots.locate(normalized);
  if (located) return located.rel === '' ? { refused: 'the path names a workspace folder, not a file' } : { path: normalized };
  const names = roots.folders.map((f) => f.name);
  const holders = [];
  for (const folder of roots.folders) if (await exists(path.join(folder.root, normalized))) holders.push(folder.name);
  if (holders.length === 1) return { path: `${holders[0]}/${normalized}` };
  if (holders.length > 1) {
    return { refused: `ambiguous: ${holders.map((n) => `${n}/${normalized}`).join(' and ')} both exist; name the folder first` };
  }
  return { refused: `names no workspace folder; start it with the folder's name (${names.map((n) => `${n}/`).join(', ')})` };
}
