// Where a workspace path really leads. A repository can commit a symbolic link with an innocent,
// code-like name (`src/history.py -> ../../.bash_history`); read through the link, its target's
// content would be indexed, searched, attached and sent under that name. Every read of workspace
// content for a prompt therefore resolves the path first and refuses one whose target lies outside
// the workspace's real root. The resolved path inside the root is returned too, so the rules about
// names (gitignore, excludes, secret files) can judge the target as well as the link.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SkipReason } from './contextTypes';

export type LinkVerdict =
  /** The path (or what it links to) is inside the root; `realRel` is the target, relative, with `/`. */
  | { kind: 'inside'; realRel: string }
  /** A link on the way leads outside the root. */
  | { kind: 'outside' }
  /**
   * Nothing there (or unreadable): nothing can be read through it, and a file created there stays
   * inside (its deepest existing folder resolves inside the root, and it is not a dangling link).
   */
  | { kind: 'missing' };

export class LinkContainment {
  private realRoot: string | undefined;

  constructor(private readonly root: string) {}

  /** Resolves `rel` (workspace-relative, `/`-separated) through every link on its way. */
  judgeSync(rel: string): LinkVerdict {
    const abs = path.join(this.root, rel);
    try {
      return this.classify(fs.realpathSync(abs));
    } catch {
      return this.judgeMissing(abs);
    }
  }

  async judge(rel: string): Promise<LinkVerdict> {
    const abs = path.join(this.root, rel);
    try {
      return this.classify(await fs.promises.realpath(abs));
    } catch {
      return this.judgeMissing(abs);
    }
  }

  /**
   * A path that does not resolve: a dangling link (writing there would create its target, wherever
   * that is) counts as outside, and so does a path whose deepest existing folder resolves outside.
   */
  private judgeMissing(abs: string): LinkVerdict {
    try {
      if (fs.lstatSync(abs).isSymbolicLink()) return { kind: 'outside' };
    } catch {
      // Not there at all: look at the folders above.
    }
    for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
      let real: string;
      try {
        real = fs.realpathSync(dir);
      } catch {
        if (path.dirname(dir) === dir) return { kind: 'missing' };
        continue;
      }
      return this.relativeToRoot(real) === undefined ? { kind: 'outside' } : { kind: 'missing' };
    }
  }

  private classify(real: string): LinkVerdict {
    const rel = this.relativeToRoot(real);
    // The root itself is a folder, never a file to read.
    if (rel === undefined || rel === '') return { kind: 'outside' };
    return { kind: 'inside', realRel: rel };
  }

  /** `real` relative to the real root with `/` ('' for the root), or undefined when outside it. */
  private relativeToRoot(real: string): string | undefined {
    this.realRoot ??= realRootOf(this.root);
    const rel = path.relative(this.realRoot, real);
    if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }
}

/**
 * Why a path may not be read given where it leads: 'outside', or the reason the rules give for its
 * target (`judgeTarget`, e.g. a link named `notes.ts` to `.env`); undefined when it may be read.
 */
export function linkSkipReason<R extends SkipReason>(
  verdict: LinkVerdict,
  rel: string,
  judgeTarget: (realRel: string) => R | undefined,
): R | 'outside' | undefined {
  if (verdict.kind === 'outside') return 'outside';
  if (verdict.kind === 'missing' || verdict.realRel === rel) return undefined;
  return judgeTarget(verdict.realRel);
}

function realRootOf(root: string): string {
  try {
    return fs.realpathSync(root);
  } catch {
    return path.resolve(root);
  }
}
