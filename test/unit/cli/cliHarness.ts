// Shared by the `bantam ask` / `bantam edit` CLI tests: runs bin/bantam.js as a child process
// asynchronously (the fake provider server lives in the test process, so a synchronous spawn would
// starve it), with an environment stripped of the developer's keys and Bantam settings, and gives
// each test its own copy of a fixture workspace to change.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { contextFixture, repoRoot } from '../../support/repoRoot';

export const BIN = join(repoRoot, 'bin', 'bantam.js');

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Extra environment variables (keys, BANTAM_*); everything Bantam reads is cleared first. */
  env?: Record<string, string>;
  /** Called once the child is running, e.g. to interrupt it. */
  started?: (child: import('node:child_process').ChildProcess) => void;
}

/** Variables that would leak the developer's own setup into a test run. */
const CLEARED = /^(ANTHROPIC_API_KEY|OPENAI_API_KEY|BANTAM_.*|XDG_CACHE_HOME)$/;

/** Runs `bantam ...args` to completion. */
export function runBantam(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !CLEARED.test(k)));
  // The CLI's index cache goes under XDG_CACHE_HOME: keep it out of the developer's home.
  env.XDG_CACHE_HOME = cacheHome;
  Object.assign(env, options.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
    options.started?.(child);
  });
}

const cacheHome = mkdtempSync(join(tmpdir(), 'bantam-cli-cache-'));
process.on('exit', () => rmSync(cacheHome, { recursive: true, force: true }));

/** A fresh copy of the TypeScript fixture workspace (src/pricing.ts defines computeTotal, src/checkout/cart.ts calls it). */
export function copyWorkspace(): { root: string; dispose(): void } {
  const base = mkdtempSync(join(tmpdir(), 'bantam-cli-ws-'));
  const root = join(base, 'ws');
  cpSync(contextFixture('typescript'), root, { recursive: true });
  return { root, dispose: () => rmSync(base, { recursive: true, force: true }) };
}

/** Every file under `dir` with its text (`.git` left out), to compare a whole workspace before and after. */
export function snapshot(dir: string, root = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.git') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, snapshot(full, root));
    else if (entry.isFile()) out[relative(root, full).split('\\').join('/')] = readFileSync(full, 'utf8');
  }
  return out;
}

/** An answer streamed line by line, as a model streams it (chunk borders fall inside the edit blocks). */
export function linesOf(answer: string): string[] {
  return answer.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
