// How a path names a file when the workspace has several folders. With one folder a path is
// relative to it, exactly as it always was (prompts, caches and tests unchanged). With several it is
// prefixed by its folder's name, VS Code's own multi-root convention (`asRelativePath(uri, true)`):
// `app/src/cart.ts`, `lib/src/money.ts`. Folder names that collide (two folders named `app`, or
// `App` and `app`, which a case-insensitive file system or a model would confuse) are told apart by
// a suffix in folder order (`app`, `app-2`), so every path names one folder and one file.
// The index, retrieval, codebase search, chat chips and model edits all name files this way.
import * as path from 'node:path';

/** A workspace folder: its unique name (the prefix of its paths) and its absolute root. */
export interface RootFolder {
  readonly name: string;
  readonly root: string;
}

/** A workspace path resolved to its folder and the path inside it ('' for the folder itself). */
export interface LocatedPath {
  readonly folder: RootFolder;
  readonly rel: string;
}

export class WorkspaceRoots {
  readonly folders: readonly RootFolder[];

  /** `folders` in the workspace's order; a missing or unusable name becomes the root's base name. */
  constructor(folders: ReadonlyArray<{ name?: string; root: string }>) {
    const names = uniqueFolderNames(folders.map((f) => f.name ?? path.basename(f.root)));
    this.folders = folders.map((f, i) => ({ name: names[i]!, root: path.resolve(f.root) }));
  }

  /** True with more than one folder: paths then carry their folder's name. */
  get multi(): boolean {
    return this.folders.length > 1;
  }

  /** The path naming `rel` (folder-relative, forward slashes) of `folder`. */
  pathOf(folder: RootFolder, rel: string): string {
    if (!this.multi) return rel;
    return rel === '' ? folder.name : `${folder.name}/${rel}`;
  }

  /**
   * The folder a workspace path (forward slashes, no leading `/`) names, and the path inside it.
   * With one folder every path is that folder's; with several the first segment must be a folder's
   * name exactly, else undefined.
   */
  locate(workspacePath: string): LocatedPath | undefined {
    if (this.folders.length === 0) return undefined;
    if (!this.multi) return { folder: this.folders[0]!, rel: workspacePath };
    const slash = workspacePath.indexOf('/');
    const head = slash < 0 ? workspacePath : workspacePath.slice(0, slash);
    const folder = this.folders.find((f) => f.name === head);
    return folder ? { folder, rel: slash < 0 ? '' : workspacePath.slice(slash + 1) } : undefined;
  }

  /** The absolute file a workspace path names, or undefined when it names no folder. */
  absolute(workspacePath: string): string | undefined {
    const located = this.locate(workspacePath);
    return located ? path.join(located.folder.root, located.rel) : undefined;
  }

  /**
   * The workspace path of an absolute file, or undefined outside every folder (or for a folder's
   * root itself). A folder nested in another names its files: the innermost folder wins.
   */
  pathOfAbsolute(absolute: string): string | undefined {
    const file = path.resolve(absolute);
    let best: { folder: RootFolder; rel: string } | undefined;
    for (const folder of this.folders) {
      const rel = path.relative(folder.root, file);
      if (rel === '' || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) continue;
      if (!best || folder.root.length > best.folder.root.length) best = { folder, rel };
    }
    return best ? this.pathOf(best.folder, best.rel.split(path.sep).join('/')) : undefined;
  }

  /**
   * The folders that contain `folder` (it is nested in them), each with the path of `folder` inside
   * it: their rules (a .gitignore above the nested folder) apply to its files too.
   */
  enclosing(folder: RootFolder): Array<{ folder: RootFolder; prefix: string }> {
    return this.folders
      .filter((f) => f !== folder)
      .map((f) => ({ folder: f, rel: path.relative(f.root, folder.root) }))
      .filter(({ rel }) => rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
      .map(({ folder: f, rel }) => ({ folder: f, prefix: rel.split(path.sep).join('/') }));
  }

  /** Folder-relative paths of the folders nested inside `folder` (each indexed as its own folder). */
  nestedIn(folder: RootFolder): string[] {
    return this.folders
      .filter((f) => f !== folder)
      .map((f) => path.relative(folder.root, f.root))
      .filter((rel) => rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
      .map((rel) => rel.split(path.sep).join('/'));
  }
}

/**
 * Names usable as a path's first segment, one per folder and all different (compared without case):
 * separators and control characters become `-`, an empty name or `.`/`..` becomes `folder`, and a
 * name already taken gets `-2`, `-3`, ... in folder order.
 */
export function uniqueFolderNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((raw) => {
    let base = raw.trim().replace(/[/\\\0-\x1f]/g, '-');
    if (base === '' || base === '.' || base === '..') base = 'folder';
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}`;
    taken.add(name.toLowerCase());
    return name;
  });
}
