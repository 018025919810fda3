// Which documents may never be put in a prompt at all: files git ignores and secret-looking files
// (.env, keys, credentials). The index already leaves them out of context; this keeps them out of
// completion too, where the document itself would be the prompt. It works whether or not the index
// is running (context can be switched off), in the extension host, with the same rules as the index
// (fileFilter.ts): the root .gitignore and .git/info/exclude, plus every .gitignore on the way down
// to the document, read once per folder and cached until a .gitignore changes.

import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { SkipReason } from './contextTypes';
import { PathFilter } from './fileFilter';
import { isSecretPath } from './secretFiles';

export class PromptExclusions {
  private ready: Promise<PathFilter> | undefined;
  private readonly loadedDirs = new Set<string>();
  private readonly verdicts = new Map<string, Promise<SkipReason | undefined>>();

  /** `root`: the workspace folder; undefined when none is open (only the name rules apply). */
  constructor(private readonly root: string | undefined) {}

  /**
   * Why the document at `relPath` (workspace-relative, forward slashes) must stay out of prompts, or
   * undefined. `outside` marks a file outside the workspace folder: only its name is judged.
   */
  reasonFor(relPath: string, outside = false): Promise<SkipReason | undefined> {
    if (isSecretPath(relPath)) return Promise.resolve('secret');
    if (outside || this.root === undefined) return Promise.resolve(undefined);
    let verdict = this.verdicts.get(relPath);
    if (!verdict) {
      verdict = this.judge(relPath).catch(() => undefined);
      this.verdicts.set(relPath, verdict);
    }
    return verdict;
  }

  /** A .gitignore was created, changed or deleted: read the rules again on the next question. */
  invalidate(): void {
    this.ready = undefined;
    this.loadedDirs.clear();
    this.verdicts.clear();
  }

  private async judge(relPath: string): Promise<SkipReason | undefined> {
    const filter = await this.rootFilter();
    const parts = relPath.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (this.loadedDirs.has(dir)) continue;
      this.loadedDirs.add(dir);
      const rules = await fsp.readFile(path.join(this.root!, dir, '.gitignore'), 'utf8').catch(() => undefined);
      if (rules !== undefined) filter.addGitignore(dir, rules);
    }
    const reason = filter.skipReasonForPath(relPath);
    // Only git's rules and secrets bar a document; exclude globs are about indexing, not privacy.
    return reason === 'ignored' || reason === 'secret' ? reason : undefined;
  }

  private rootFilter(): Promise<PathFilter> {
    this.ready ??= (async () => {
      const filter = new PathFilter(this.root!, { excludeGlobs: [], maxFileBytes: Number.MAX_SAFE_INTEGER });
      await filter.load();
      return filter;
    })();
    return this.ready;
  }
}
