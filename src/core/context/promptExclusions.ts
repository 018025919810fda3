// The one guard for everything Bantam sends to a model or lets a model change: the selection, the
// whole active file, chips, completion prompts and the files an edit reads. It applies the rules the
// index applies (fileFilter.ts), so that nothing reaches a prompt by one road that another keeps out:
//   - git's rules: every .gitignore on the way down to the file and .git/info/exclude;
//   - exclude globs: VS Code's `files.exclude` and `bantam.context.exclude`, as the caller gives them;
//   - secret-looking names (.env, keys, credentials; secretFiles.ts);
//   - symbolic links: a path whose target lies outside the workspace, and a link whose target one of
//     the rules above leaves out (linkContainment.ts);
//   - secret-looking content (a private key block, a well-known token format), judged on the text
//     about to be sent (reasonForText).
// It works whether or not the index runs (context can be switched off), in the extension host and
// the CLI. Verdicts about paths are cached until invalidate() (a .gitignore or a setting changed).

import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { SkipReason } from './contextTypes';
import { PathFilter } from './fileFilter';
import { LinkContainment, linkSkipReason } from './linkContainment';
import { isSecretPath, looksLikeSecretContent } from './secretFiles';

/** The reasons that keep a file out of every prompt (the index also skips binary or huge files). */
export type PromptBarReason = Extract<SkipReason, 'ignored' | 'excluded' | 'secret' | 'outside'>;

export class PromptExclusions {
  private ready: Promise<PathFilter> | undefined;
  private readonly loadedDirs = new Set<string>();
  private readonly verdicts = new Map<string, Promise<PromptBarReason | undefined>>();
  private readonly links: LinkContainment | undefined;

  /**
   * `root`: the workspace folder; undefined when none is open (only the name and content rules apply).
   * `excludeGlobs`: read again after each invalidate(), so a settings change takes effect.
   */
  constructor(
    private readonly root: string | undefined,
    private readonly excludeGlobs: () => readonly string[] = () => [],
  ) {
    this.links = root === undefined ? undefined : new LinkContainment(root);
  }

  /**
   * Why the file at `relPath` (workspace-relative, forward slashes) must stay out of prompts, or
   * undefined. `outside` marks a file outside the workspace folder: only its name is judged.
   */
  reasonFor(relPath: string, outside = false): Promise<PromptBarReason | undefined> {
    if (isSecretPath(relPath)) return Promise.resolve('secret');
    if (outside || this.root === undefined) return Promise.resolve(undefined);
    let verdict = this.verdicts.get(relPath);
    if (!verdict) {
      verdict = this.judge(relPath).catch(() => undefined);
      this.verdicts.set(relPath, verdict);
    }
    return verdict;
  }

  /** 'secret' when `text` (about to be sent) holds what looks like a key or a token. */
  reasonForText(text: string): PromptBarReason | undefined {
    return looksLikeSecretContent(text, Number.POSITIVE_INFINITY) ? 'secret' : undefined;
  }

  /** Both: the path's rules, then the text's content. */
  async reasonForSending(relPath: string, text: string, outside = false): Promise<PromptBarReason | undefined> {
    return (await this.reasonFor(relPath, outside)) ?? this.reasonForText(text);
  }

  /** A .gitignore, an exclude setting or a link changed: judge every path afresh. */
  invalidate(): void {
    this.ready = undefined;
    this.loadedDirs.clear();
    this.verdicts.clear();
  }

  private async judge(relPath: string): Promise<PromptBarReason | undefined> {
    const byRules = await this.judgeByRules(relPath);
    if (byRules !== undefined) return byRules;
    const verdict = await this.links!.judge(relPath);
    // The target is judged by the same rules (its folders' .gitignore files read as needed).
    const byLink = verdict.kind === 'inside' && verdict.realRel !== relPath ? await this.judgeByRules(verdict.realRel) : undefined;
    return linkSkipReason(verdict, relPath, () => byLink);
  }

  private async judgeByRules(relPath: string): Promise<PromptBarReason | undefined> {
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
    return reason === 'ignored' || reason === 'secret' || reason === 'excluded' ? reason : undefined;
  }

  private rootFilter(): Promise<PathFilter> {
    this.ready ??= (async () => {
      const filter = new PathFilter(this.root!, { excludeGlobs: [...this.excludeGlobs()], maxFileBytes: Number.MAX_SAFE_INTEGER });
      await filter.load();
      return filter;
    })();
    return this.ready;
  }
}

/** One sentence saying why `relPath` is never sent to a model nor changed by one. */
export function describePromptBar(relPath: string, reason: PromptBarReason): string {
  switch (reason) {
    case 'outside':
      return `${relPath} leads outside the workspace through a symbolic link, so Bantam never reads it into a prompt nor lets a model change it.`;
    case 'excluded':
      return `${relPath} is excluded (files.exclude or bantam.context.exclude), so Bantam never sends it to a model nor lets one change it.`;
    case 'ignored':
      return `${relPath} is git-ignored, so Bantam never sends it to a model nor lets one change it.`;
    case 'secret':
      return `${relPath} looks secret (its name or a key or token in it), so Bantam never sends it to a model nor lets one change it.`;
  }
}
