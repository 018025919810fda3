// Finds the model the benchmark runs: an explicit --model, or the Qwen2.5-Coder-0.5B-shaped speed
// proxy (real speed, noise text), which scripts/makeTestModels.mjs writes in seconds when missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const SPEED_PROXY_FILE = 'qwen2.5-coder-0.5b-speed-proxy-q8_0.gguf';

export function resolveBenchModel(root: string, explicit: string | undefined): string {
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`--model ${explicit} does not exist`);
    return explicit;
  }
  const proxy = join(root, '.cache', 'models', SPEED_PROXY_FILE);
  if (existsSync(proxy)) return proxy;
  const script = join(root, 'scripts', 'makeTestModels.mjs');
  if (!existsSync(script)) throw new Error(`${proxy} is missing and so is ${script} to generate it`);
  console.log(`generating the speed proxy model (${SPEED_PROXY_FILE})...`);
  const run = spawnSync(process.execPath, [script, '--proxy'], { cwd: root, stdio: 'inherit' });
  if (run.status !== 0 || !existsSync(proxy)) throw new Error(`scripts/makeTestModels.mjs --proxy did not produce ${proxy}`);
  return proxy;
}
