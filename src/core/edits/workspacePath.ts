// The one place that decides what a path in a model's answer means: a workspace-relative path with
// forward slashes, or a refusal. Models write `./src/a.ts`, `src\a.ts` or `src/../a.ts` for the same
// file, and occasionally `/etc/passwd` or `../../.ssh/id_rsa`; the plan, the stale check, the diff
// and the disk writer all key files by the normalized form, so they can never disagree about which
// file an edit touches, and nothing outside the workspace is ever read or written.

export type WorkspacePath = { path: string } | { refused: string };

/**
 * Normalizes `raw` to `dir/file.ext` relative to the workspace root, or says why it is refused
 * (absolute, escaping with `..`, empty, or inside `.git`, which Bantam never edits).
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
  if (parts.some((p) => p.toLowerCase() === '.git')) return { refused: 'inside .git, which Bantam never edits' };
  return { path: parts.join('/') };
}
