// Small hand-made GGUF files for unit tests: a model-shaped file with a chosen vocabulary (for
// family detection through the real reader), and byte patching to make corrupt variants.
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GgmlType } from '../../../src/core/models/ggmlTypes';
import type { GgufValue } from '../../../src/core/models/ggufValues';
import { gv, writeGguf, type GgufSpec } from './ggufWriter';

/** A fresh temporary folder; remove it with `fs.rm(dir, { recursive: true })`. */
export function makeTempDir(prefix = 'bantam-gguf-'): Promise<string> {
  return fs.mkdtemp(join(tmpdir(), prefix));
}

/** A GGUF that looks like a model to the inspector: architecture, vocabulary, one small tensor. */
export function modelLikeSpec(options: {
  architecture?: string;
  name?: string;
  tokens: string[];
  extra?: [string, GgufValue][];
}): GgufSpec {
  const architecture = options.architecture ?? 'llama';
  const metadata: [string, GgufValue][] = [
    ['general.architecture', gv.str(architecture)],
    ...(options.name === undefined ? [] : ([['general.name', gv.str(options.name)]] as [string, GgufValue][])),
    [`${architecture}.context_length`, gv.u32(4096)],
    ['tokenizer.ggml.model', gv.str('gpt2')],
    ['tokenizer.ggml.tokens', gv.strings(options.tokens)],
    ...(options.extra ?? []),
  ];
  const weights = new Float32Array(32).fill(0.5);
  return {
    metadata,
    tensors: [{ name: 'token_embd.weight', dims: [32], type: GgmlType.F32, data: () => [new Uint8Array(weights.buffer)] }],
  };
}

export async function writeModelLike(path: string, options: Parameters<typeof modelLikeSpec>[0]): Promise<string> {
  await writeGguf(path, modelLikeSpec(options));
  return path;
}

/** Overwrites bytes of a file in place. */
export async function patchFile(path: string, offset: number, bytes: Uint8Array): Promise<void> {
  const handle = await fs.open(path, 'r+');
  try {
    await handle.write(bytes, 0, bytes.length, offset);
  } finally {
    await handle.close();
  }
}

export function u64Bytes(value: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(value);
  return b;
}

export function u32Bytes(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value);
  return b;
}

/** Offset of the first metadata value's payload: after magic, version, two counts, key and type. */
export function firstValueOffset(firstKey: string): number {
  return 4 + 4 + 8 + 8 + 8 + Buffer.byteLength(firstKey, 'utf8') + 4;
}
