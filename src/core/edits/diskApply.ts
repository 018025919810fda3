// Writes a plan to a workspace on disk (the CLI's `bantam edit`; the editor applies through VS Code's
// own undoable workspace edit instead). Everything is checked before anything is written: a file
// that changed since the plan, or a file to create that now exists, refuses the whole plan. Each
// write goes to a temp file in the same folder and is renamed over the target, so a crash leaves a
// file either old or new, never half-written; if a later write fails, the earlier ones are undone.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import type { FileChange } from './editTypes';
import { staleMessage } from './staleCheck';
import { normalizeWorkspacePath } from './workspacePath';

export interface DiskApplyResult {
  /** True when every change was written. */
  applied: boolean;
  /** Workspace-relative paths written or deleted (empty unless applied). */
  written: string[];
  /** What stopped the apply, and any file that could not be restored afterwards; one sentence each. */
  problems: string[];
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function inside(root: string, target: string): boolean {
  const rel = nodePath.relative(root, target);
  // `..foo` is a name inside the root; only `..` itself, or `../...`, leaves it.
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${nodePath.sep}`) && !nodePath.isAbsolute(rel);
}

/** Decodes strictly: a file that is not UTF-8 is refused, never re-encoded (that would change bytes no edit touched). */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    const bytes = await fs.readFile(file);
    try {
      return strictUtf8.decode(bytes);
    } catch {
      throw new Error('it is not UTF-8 text, and rewriting it would change bytes the edit never touched');
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** `file` with its deepest existing part resolved through symlinks, so a linked folder cannot lead outside the root. */
async function resolveExisting(file: string): Promise<string> {
  for (let part = file; ; part = nodePath.dirname(part)) {
    try {
      return nodePath.join(await fs.realpath(part), nodePath.relative(part, file));
    } catch {
      if (nodePath.dirname(part) === part) return file;
    }
  }
}

/** True when workspace-relative `rel` under `root` leads outside it through a symbolic link. */
export async function leadsOutside(root: string, rel: string): Promise<boolean> {
  const realRoot = await fs.realpath(root).catch(() => nodePath.resolve(root));
  return !inside(realRoot, await resolveExisting(nodePath.join(realRoot, rel)));
}

/** Returns a function reading workspace-relative paths under `root` (undefined when absent), for planChanges. */
export function diskReader(root: string): (path: string) => Promise<string | undefined> {
  return async (path) => {
    const normalized = normalizeWorkspacePath(path);
    if ('refused' in normalized) throw new Error(`${path}: ${normalized.refused}`);
    if (await leadsOutside(root, normalized.path)) throw new Error(`${path}: it leads outside the workspace through a symbolic link`);
    return readIfExists(nodePath.join(root, normalized.path));
  };
}

/** Writes `text` to `file` through a temp file in the same folder and a rename; keeps `mode` if given. */
async function writeAtomically(file: string, text: string, mode?: number): Promise<void> {
  const temp = nodePath.join(nodePath.dirname(file), `.${nodePath.basename(file)}.bantam-${randomBytes(4).toString('hex')}.tmp`);
  try {
    // 'wx': the temp name must be new, never a file (or link) someone put there.
    await fs.writeFile(temp, text, mode === undefined ? { encoding: 'utf8', flag: 'wx' } : { encoding: 'utf8', mode, flag: 'wx' });
    if (mode !== undefined) await fs.chmod(temp, mode);
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** Creates the missing folders above `file`, returning those it created, deepest first (to remove on undo). */
async function makeParents(file: string): Promise<string[]> {
  const missing: string[] = [];
  for (let dir = nodePath.dirname(file); ; dir = nodePath.dirname(dir)) {
    try {
      await fs.lstat(dir);
      break;
    } catch {
      missing.push(dir);
      if (nodePath.dirname(dir) === dir) break;
    }
  }
  await fs.mkdir(nodePath.dirname(file), { recursive: true });
  return missing;
}

interface Target {
  change: FileChange;
  /** Where the path really leads (links resolved); what is read and written. */
  file: string;
  /** The path as named, links unresolved: a deletion removes this (a link, not what it points to). */
  named: string;
  /** The link's own target, when `named` is a symbolic link (to put it back on undo). */
  linkTarget: string | undefined;
  mode: number | undefined;
}

interface Done {
  target: Target;
  createdDirs: string[];
}

async function undo(done: Done): Promise<void> {
  const { change, file, named, linkTarget, mode } = done.target;
  if (change.kind === 'delete' && linkTarget !== undefined) {
    await fs.symlink(linkTarget, named);
  } else if (change.kind === 'create') {
    await fs.rm(file, { force: true });
    for (const dir of done.createdDirs) await fs.rmdir(dir).catch(() => undefined);
  } else {
    await writeAtomically(file, change.before!, mode);
  }
}

/**
 * Applies `changes` under `root`, all or nothing: refuses everything when a path leaves the root,
 * a file's current text is not its `before`, or a file to create exists; on a failed write, restores
 * the files already written (best effort) and reports what could not be restored.
 */
export async function applyChangesToDisk(root: string, changes: readonly FileChange[]): Promise<DiskApplyResult> {
  const refused = (problems: string[]): DiskApplyResult => ({ applied: false, written: [], problems });
  const realRoot = await fs.realpath(root).catch(() => nodePath.resolve(root));

  const targets: Target[] = [];
  const problems: string[] = [];
  const stale: string[] = [];
  /** Real file -> the first path of the plan that names it: two names for one file would lose an edit. */
  const named = new Map<string, string>();
  for (const change of changes) {
    const normalized = normalizeWorkspacePath(change.path);
    if ('refused' in normalized) {
      problems.push(`${change.path}: ${normalized.refused}; nothing was applied.`);
      continue;
    }
    try {
      // A symlinked file or folder may point anywhere: write where it really leads, and only inside the root.
      const joined = nodePath.join(realRoot, normalized.path);
      const file = await resolveExisting(joined);
      if (!inside(realRoot, file)) {
        problems.push(`${change.path}: it leads outside the workspace through a symbolic link; nothing was applied.`);
        continue;
      }
      const sameFile = named.get(file);
      if (sameFile !== undefined) {
        problems.push(`${sameFile} and ${change.path} are two names for one file; nothing was applied.`);
        continue;
      }
      named.set(file, change.path);
      const isLink = (await fs.lstat(joined).catch(() => undefined))?.isSymbolicLink() ?? false;
      const current = await readIfExists(file);
      if (current !== change.before) stale.push(change.path);
      const mode = current === undefined ? undefined : (await fs.stat(file)).mode & 0o7777;
      targets.push({ change, file, named: joined, linkTarget: isLink ? await fs.readlink(joined) : undefined, mode });
    } catch (err) {
      problems.push(`${change.path}: could not be read (${errorText(err)}); nothing was applied.`);
    }
  }
  if (stale.length > 0) problems.unshift(staleMessage(stale));
  if (problems.length > 0) return refused(problems);

  const done: Done[] = [];
  for (const target of targets) {
    const { change, file, mode } = target;
    try {
      let createdDirs: string[] = [];
      // Checked again right before writing: a folder swapped for a link since the plan must not redirect it.
      if (!inside(realRoot, await resolveExisting(target.named))) throw new Error('it now leads outside the workspace through a symbolic link');
      if (change.kind === 'delete') await fs.unlink(target.named);
      else {
        if (change.kind === 'create') createdDirs = await makeParents(file);
        await writeAtomically(file, change.after!, mode);
      }
      done.push({ target, createdDirs });
    } catch (err) {
      const failure = `${change.path}: could not be ${change.kind === 'delete' ? 'deleted' : 'written'} (${errorText(err)})`;
      const unrestored: string[] = [];
      for (const d of done.reverse()) {
        await undo(d).catch((undoErr: unknown) => unrestored.push(`${d.target.change.path}: could not be restored (${errorText(undoErr)}); check it by hand.`));
      }
      const outcome = done.length === 0 ? 'nothing was applied.' : unrestored.length === 0 ? 'the files already written were restored.' : 'some files already written could not be restored.';
      return refused([`${failure}; ${outcome}`, ...unrestored]);
    }
  }
  return { applied: true, written: targets.map((t) => t.change.path), problems: [] };
}
