// Generated GGUF models for tests and benchmarks, made on demand and reused: `ensure*` returns the
// path of a model in `<repo>/.cache/models` (gitignored; models are never committed), writing it
// first only if no file of the right kind, generator version and size is there. Files are written
// to a temporary name and renamed, so a half-written model is never mistaken for a whole one, and
// parallel test processes can race safely.
import { existsSync, promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { readGgufFile } from '../../../src/core/models/gguf';
import { metaNumber, metaString } from '../../../src/core/models/ggufValues';
import { writeGguf, type GgufSpec } from './ggufWriter';
import { speedProxySpec } from './speedProxyModel';
import { tinyModelSpec } from './tinyModel';

export { TINY_MODEL_TEXT } from './tinyModel';

/** Bump when a generated model's contents change, so stale files in caches are rewritten. */
export const TEST_MODEL_VERSION = 1;

export type TestModelKind = 'tiny' | 'nofim' | 'speed-proxy';

export const TEST_MODEL_FILES: Record<TestModelKind, string> = {
  tiny: 'bantam-tiny-qwen2.gguf',
  nofim: 'bantam-tiny-nofim.gguf',
  'speed-proxy': 'qwen2.5-coder-0.5b-speed-proxy-q8_0.gguf',
};

const specs: Record<TestModelKind, () => GgufSpec> = {
  tiny: () => tinyModelSpec({ fim: true, kind: 'tiny', version: TEST_MODEL_VERSION }),
  nofim: () => tinyModelSpec({ fim: false, kind: 'nofim', version: TEST_MODEL_VERSION }),
  'speed-proxy': () => speedProxySpec({ kind: 'speed-proxy', version: TEST_MODEL_VERSION }),
};

export interface EnsuredModel {
  path: string;
  /** False when an existing file was reused. */
  generated: boolean;
  bytes: number;
  ms: number;
}

/** `<repo>/.cache/models`, found from this file's location in src, out or dist. */
export function defaultModelDir(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'scripts', 'build.mjs'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`can't find the repository root above ${__dirname}`);
    dir = up;
  }
  return join(dir, '.cache', 'models');
}

export async function ensureTestModel(kind: TestModelKind, dir = defaultModelDir()): Promise<EnsuredModel> {
  const started = performance.now();
  const path = join(dir, TEST_MODEL_FILES[kind]);
  const existing = await validSize(path, kind);
  if (existing !== undefined) return { path, generated: false, bytes: existing, ms: performance.now() - started };
  await fs.mkdir(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const bytes = await writeGguf(tmp, specs[kind]());
    await fs.rename(tmp, path);
    return { path, generated: true, bytes, ms: performance.now() - started };
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}

export async function ensureTinyModel(dir?: string): Promise<string> {
  return (await ensureTestModel('tiny', dir)).path;
}

export async function ensureNoFimModel(dir?: string): Promise<string> {
  return (await ensureTestModel('nofim', dir)).path;
}

export async function ensureSpeedProxyModel(dir?: string): Promise<string> {
  return (await ensureTestModel('speed-proxy', dir)).path;
}

/** The file's size if it is a whole model of this kind from this generator version. */
async function validSize(path: string, kind: TestModelKind): Promise<number | undefined> {
  try {
    const file = await readGgufFile(path, { skipValue: (key) => key.startsWith('tokenizer.') });
    const sameModel =
      metaString(file.metadata, 'bantam.test_model') === kind &&
      metaNumber(file.metadata, 'bantam.test_model.version') === TEST_MODEL_VERSION &&
      file.expectedFileBytes === file.fileBytes;
    return sameModel ? file.fileBytes : undefined;
  } catch {
    return undefined;
  }
}
