// Refuses to apply edits to a file that changed under them. Two moments matter: the prompt was built
// from one text and the model answered seconds later (the user kept typing), and the plan was
// previewed and then applied (the user edited while reading the diff). In both cases the edits were
// worked out against text that no longer exists, so the whole change is refused, never half-applied.
import { createHash } from 'node:crypto';
import type { FileChange } from './editTypes';
import { normalizeWorkspacePath } from './workspacePath';

/** What a request was built from: a file's text, kept as a hash so long files cost nothing to hold. */
export interface TextSnapshot {
  path: string;
  /** sha256 of the text, or undefined when the file did not exist. */
  hash: string | undefined;
}

/** Current text of a workspace-relative path; undefined when there is no such file. */
export type CurrentText = (path: string) => string | undefined;

export function hashText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Snapshot of `text` (undefined: the file does not exist) under the normalized form of `path`. */
export function takeSnapshot(path: string, text: string | undefined): TextSnapshot {
  const normalized = normalizeWorkspacePath(path);
  return { path: 'path' in normalized ? normalized.path : path, hash: text === undefined ? undefined : hashText(text) };
}

/** The paths whose current text is not the text the request was built from, in snapshot order. */
export function findStaleSnapshots(snapshots: readonly TextSnapshot[], current: CurrentText): string[] {
  return snapshots
    .filter((s) => {
      const text = current(s.path);
      return (text === undefined ? undefined : hashText(text)) !== s.hash;
    })
    .map((s) => s.path);
}

/**
 * The paths whose current text differs from the `before` the plan was computed against: edited,
 * deleted, or (for a create) come into existence since.
 */
export function findStale(changes: readonly FileChange[], current: CurrentText): string[] {
  return changes.filter((c) => current(c.path) !== c.before).map((c) => c.path);
}

/** The sentence the user sees when stale files stopped an apply. */
export function staleMessage(paths: readonly string[]): string {
  const names = paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
  return `${names} changed since the request; nothing was applied. Run the command again.`;
}
