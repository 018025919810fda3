// What the CLI's commands share: usage errors (exit code 2), argument checks, and starting the
// index worker on one folder, or several (`--workspace` given more than once: files are then named
// `folderName/path`, as in a multi-root workspace), with the persisted cache the CLI uses.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { configFrom, type BantamConfig } from '../core/config';
import type { IndexProgress } from '../core/context/contextTypes';
import { ContextService } from '../core/context/contextService';
import { WorkspaceRoots } from '../core/kernel/workspaceRoots';

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number from 1, got "${value}"`);
  return n;
}

/** A flag's value checked against `allowed`; undefined when not given. */
export function choice<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
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

/** The folders of every --workspace, checked (context and ask take several). */
export function workspaceFolders(values: readonly string[] | undefined): string[] {
  if (!values || values.length === 0) throw new UsageError('--workspace is required');
  return values.map((value) => workspaceRoot(value));
}

/**
 * `file` as the workspace path it names: with one folder as relativeInside; with several an absolute
 * path inside one of them, or a path starting with a folder's name (`app/src/a.ts`).
 */
export function workspaceFile(roots: readonly string[], file: string, flag: string): string {
  if (roots.length === 1) return relativeInside(roots[0]!, file, flag);
  const named = new WorkspaceRoots(roots.map((root) => ({ root })));
  const slashed = file.split(path.sep).join('/');
  const inside = path.isAbsolute(file) ? named.pathOfAbsolute(file) : named.locate(slashed)?.rel ? slashed : undefined;
  if (inside === undefined || inside.split('/').includes('..')) {
    const names = named.folders.map((f) => `${f.name}/`).join(', ');
    throw new UsageError(`${flag} ${file} is in no --workspace folder; give an absolute path or start it with the folder's name (${names})`);
  }
  return inside;
}

/** The absolute file a workspace path of `roots` names (see workspaceFile). */
export function absoluteFile(roots: readonly string[], file: string): string {
  if (roots.length === 1) return path.join(roots[0]!, file);
  return new WorkspaceRoots(roots.map((root) => ({ root }))).absolute(file)!;
}

/** `file` (relative to root, or absolute) as a workspace-relative path with forward slashes. */
export function relativeInside(root: string, file: string, flag: string): string {
  const rel = path.relative(root, path.resolve(root, file)).split(path.sep).join('/');
  if (rel.startsWith('../') || rel === '..' || path.isAbsolute(rel)) throw new UsageError(`${flag} ${file} is outside the workspace`);
  return rel;
}

/** UTF-16 offset of a 1-based line and column (as editors show them), clamped to the line's end. */
export function offsetAt(text: string, line: number, column: number): number {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', start);
    if (next === -1) throw new UsageError(`--line ${line} is past the end of the file (${l} lines)`);
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  const lineEnd = end === -1 ? text.length : end;
  return Math.min(start + column - 1, lineEnd);
}

/** Asks `question` on the terminal; true for a yes, false for anything else or without a terminal to ask on. */
export async function yesOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false;
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await terminal.question(question)).trim());
  } finally {
    terminal.close();
  }
}

function cacheHome(): string {
  return process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
}

function rootKey(root: string): string {
  return createHash('sha256').update(root).digest('hex').slice(0, 16);
}

/**
 * Starts the index worker on `root` (or every folder of `root`, each named by its base name) and
 * indexes it (from the cache when it can).
 */
export async function indexWorkspace(
  root: string | readonly string[],
  options: { cache: boolean; config?: BantamConfig },
): Promise<{ context: ContextService; progress: IndexProgress }> {
  const config = options.config ?? configFrom();
  const roots = typeof root === 'string' ? [root] : root;
  const context = new ContextService({
    workerPath: path.join(__dirname, 'indexWorker.js'),
    grammarDir: path.join(__dirname, '..', 'grammars'),
    root: roots[0]!,
    ...(roots.length > 1 ? { folders: () => roots.map((r) => ({ name: path.basename(r), root: r, excludeGlobs: config.context.exclude })) } : {}),
    storageDir: options.cache ? path.join(cacheHome(), 'bantam', 'index', rootKey(roots.join('\0'))) : undefined,
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
