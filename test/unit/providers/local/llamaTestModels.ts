// Shared fixtures for the llama worker tests: where the worker bundle and the generated test models
// live (made on demand by scripts/makeTestModels.mjs), and Qwen-style FIM prompts to send them.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BuiltPrompt } from '../../../../src/core/kernel/completionTypes';
import { repoRoot as defaultRepoRoot } from '../../../support/repoRoot';

// A parallel build (BANTAM_OUT_DIR) puts the transpiled tests outside the checkout and bundles no
// worker: BANTAM_REPO_ROOT and BANTAM_LLAMA_WORKER point such a run at the checkout and a worker bundle.
export const repoRoot = process.env.BANTAM_REPO_ROOT ?? defaultRepoRoot;
export const workerPath = process.env.BANTAM_LLAMA_WORKER ?? join(repoRoot, 'dist', 'modelHost.js');
export const tinyModel = join(repoRoot, '.cache', 'models', 'bantam-tiny-qwen2.gguf');
export const noFimModel = join(repoRoot, '.cache', 'models', 'bantam-tiny-nofim.gguf');

/** Makes the tiny test models if they are missing; fails loudly if that is impossible. */
export function ensureTinyModels(): void {
  if (!existsSync(workerPath)) throw new Error(`${workerPath} is missing; run node scripts/build.mjs first`);
  if (existsSync(tinyModel) && existsSync(noFimModel)) return;
  const script = join(repoRoot, 'scripts', 'makeTestModels.mjs');
  if (!existsSync(script)) throw new Error(`test models are missing and ${script} does not exist`);
  execFileSync(process.execPath, [script, '--tiny'], { cwd: repoRoot, stdio: 'inherit' });
}

export function qwenPrompt(prefix: string, suffix: string): BuiltPrompt {
  const text = `<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`;
  return { family: 'qwen', text, prefix, suffix, prefixStart: 0, estimatedTokens: Math.ceil(text.length / 3) };
}

/** A few hundred characters of code, so prompts have a prefix worth reusing. */
export const sampleCode = Array.from(
  { length: 12 },
  (_, i) => `function scale${i}(value: number, factor: number): number {\n  return value * factor + ${i};\n}\n`,
).join('');
