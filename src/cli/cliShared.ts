// What the CLI's commands share: usage errors (exit code 2), argument checks, and starting the
// index worker on a folder with the persisted cache the extension's CLI uses.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configFrom, type BantamConfig } from '../core/config';
import type { IndexProgress } from '../core/context/contextTypes';
import { ContextService } from '../core/context/contextService';

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number from 1, got "${value}"`);
  return n;
}

export function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** The workspace folder of --workspace, checked. */
export function workspaceRoot(value: string | undefined): string {
  if (!value) throw new UsageError('--workspace is required');
  const root = path.resolve(value);
  if (!isDirectory(root)) throw new UsageError(`--workspace ${value} is not a directory`);
  return root;
}

/** `file` (relative to root, or absolute) as a workspace-relative path with forward slashes. */
export function relativeInside(root: string, file: string, flag: string): string {
  const rel = path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
  if (rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) throw new UsageError(`${flag} ${file} is outside the workspace`);
  return rel;
}

function cacheHome(): string {
  return process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
}

function rootKey(root: string): string {
  return createHash('sha256').update(root).digest('hex').slice(0, 16);
}

/** Starts the index worker on `root` and indexes it (from the cache when it can). */
export async function indexWorkspace(
  root: string,
  options: { cache: boolean; config?: BantamConfig },
): Promise<{ context: ContextService; progress: IndexProgress }> {
  const config = options.config ?? configFrom();
  const context = new ContextService({
    workerPath: path.join(__dirname, 'indexWorker.js'),
    grammarDir: path.join(__dirname, '..', 'grammars'),
    root,
    storageDir: options.cache ? path.join(cacheHome(), 'bantam', 'index', rootKey(root)) : undefined,
    // Asking the CLI for context is turning it on.
    settings: () => ({ ...config.context, enabled: true }),
    log: () => {},
    warn: (line) => process.stderr.write(`bantam: ${line}\n`),
  });
  try {
    context.start();
    const progress = await context.index((p) => {
      if (process.stderr.isTTY) process.stderr.write(`\rindexing ${p.done}/${p.total} files`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (progress.capped) {
      process.stderr.write(`bantam: indexed the first ${progress.done} files only (bantam.context.maxFiles); exclude folders to cover the rest\n`);
    }
    return { context, progress };
  } catch (error) {
    context.dispose();
    throw error;
  }
}
