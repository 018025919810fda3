// What a headless writer (the CLI) may do without asking: the user grants creating files, deleting
// files and touching each file that runs code by flags, so a model's answer never adds, removes or
// arms a file nobody agreed to. Changes that need a permission not given are listed with the flag
// that would give it; the writer then writes nothing.
import type { FileChange } from './editTypes';
import { sensitivePathReason } from './sensitivePaths';

export interface WritePermissions {
  create: boolean;
  delete: boolean;
  /** Paths that run code or configure tools which the user named (e.g. `--allow-sensitive package.json`). */
  sensitive: ReadonlySet<string>;
}

export interface RefusedWrite {
  path: string;
  /** Why, with the flag that allows it. */
  reason: string;
}

export function refusedWrites(changes: readonly FileChange[], permissions: WritePermissions): RefusedWrite[] {
  const refused: RefusedWrite[] = [];
  for (const change of changes) {
    if (change.kind === 'create' && !permissions.create) {
      refused.push({ path: change.path, reason: 'a new file (pass --allow-create to let the model create files)' });
      continue;
    }
    if (change.kind === 'delete' && !permissions.delete) {
      refused.push({ path: change.path, reason: 'a deletion (pass --allow-delete to let the model delete files)' });
      continue;
    }
    const why = sensitivePathReason(change.path);
    if (why !== undefined && !permissions.sensitive.has(change.path)) {
      refused.push({ path: change.path, reason: `it ${why} (pass --allow-sensitive ${change.path} to allow it)` });
    }
  }
  return refused;
}
