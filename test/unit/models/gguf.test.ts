// The GGUF reader against files the test writer makes: every value type round-trips, tensor
// infos and the expected size are right, big string arrays are fast, and corrupt counts, versions
// and shapes give ModelFileErrors instead of allocations or hangs.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { readGgufFile } from '../../../src/core/models/gguf';
import { GgmlType } from '../../../src/core/models/ggmlTypes';
import {
  GgufValueType,
  metaNumber,
  metaString,
  metaStringArray,
  type GgufArray,
  type GgufValue,
} from '../../../src/core/models/ggufValues';
import { ModelFileError, type ModelFileErrorCode } from '../../../src/core/models/modelFileError';
import { gv, layoutGguf, writeGguf, type GgufSpec } from '../../support/gguf/ggufWriter';
import { firstValueOffset, makeTempDir, modelLikeSpec, patchFile, u32Bytes, u64Bytes } from '../../support/gguf/smallGguf';
import { ensureTinyModel } from '../../support/gguf/testModels';

const everyValue: [string, GgufValue][] = [
  ['general.alignment', gv.u32(64)],
  ['t.u8', gv.u8(200)],
  ['t.i8', gv.i8(-5)],
  ['t.u16', gv.u16(60_000)],
  ['t.i16', gv.i16(-30_000)],
  ['t.u32', gv.u32(4_000_000_000)],
  ['t.i32', gv.i32(-2_000_000_000)],
  ['t.f32', gv.f32(1.5)],
  ['t.f64', gv.f64(Math.PI)],
  ['t.u64', gv.u64(2n ** 63n + 5n)],
  ['t.i64', gv.i64(-(2n ** 62n))],
  ['t.bool', gv.bool(true)],
  ['t.str', gv.str('héllo <\uff5cfim\u2581begin\uff5c> 🐓')],
  ['t.empty', gv.str('')],
  ['a.u8', gv.array(GgufValueType.UINT8, Uint8Array.from([1, 2, 255]))],
  ['a.i8', gv.array(GgufValueType.INT8, Int8Array.from([-128, 0, 127]))],
  ['a.u16', gv.array(GgufValueType.UINT16, Uint16Array.from([1, 65_535]))],
  ['a.i16', gv.array(GgufValueType.INT16, Int16Array.from([-1, 32_767]))],
  ['a.u32', gv.array(GgufValueType.UINT32, Uint32Array.from([7, 4_294_967_295]))],
  ['a.i32', gv.array(GgufValueType.INT32, Int32Array.from([-7, 1, 3]))],
  ['a.f32', gv.array(GgufValueType.FLOAT32, Float32Array.from([0.25, -2]))],
  ['a.f64', gv.array(GgufValueType.FLOAT64, Float64Array.from([Math.E]))],
  ['a.u64', gv.array(GgufValueType.UINT64, BigUint64Array.from([2n ** 64n - 1n]))],
  ['a.i64', gv.array(GgufValueType.INT64, BigInt64Array.from([-(2n ** 63n)]))],
  ['a.bool', gv.array(GgufValueType.BOOL, [true, false, true])],
  ['a.str', gv.strings(['a', '', 'ü', '\u2581<PRE>'])],
  [
    'a.nested',
    gv.array(GgufValueType.ARRAY, [
      gv.i32s(Int32Array.from([1, 2])),
      gv.strings(['x']),
      gv.array(GgufValueType.UINT8, new Uint8Array(0)),
      gv.array(GgufValueType.ARRAY, [gv.array(GgufValueType.BOOL, [false])]),
    ]),
  ],
  ['a.empty', gv.strings([])],
];

function bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
}

const everyTensor = [
  { name: 'f32', dims: [3], type: GgmlType.F32, size: 12 },
  { name: 'f16', dims: [5, 2], type: GgmlType.F16, size: 20 },
  { name: 'q8_0', dims: [64, 2], type: GgmlType.Q8_0, size: 4 * 34 },
  { name: 'q4_k', dims: [256], type: GgmlType.Q4_K, size: 144 },
  { name: 'iq2_xxs', dims: [256, 1, 1, 2], type: GgmlType.IQ2_XXS, size: 2 * 66 },
  { name: 'bf16', dims: [7], type: GgmlType.BF16, size: 14 },
];

const roundTripSpec: GgufSpec = {
  metadata: everyValue,
  tensors: everyTensor.map((t, i) => ({ name: t.name, dims: t.dims, type: t.type, data: () => [bytes(t.size, i)] })),
};

async function expectModelError(promise: Promise<unknown>, code: ModelFileErrorCode, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ModelFileError, `expected a ModelFileError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

describe('GGUF reader', () => {
  let dir: string;
  before(async () => {
    dir = await makeTempDir();
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  describe('round trip', () => {
    let path: string;
    before(async () => {
      path = join(dir, 'every.gguf');
      await writeGguf(path, roundTripSpec);
    });

    it('reads back every metadata value type, nested arrays included', async () => {
      const file = await readGgufFile(path);
      assert.equal(file.version, 3);
      assert.deepEqual([...file.metadata.keys()], everyValue.map(([k]) => k));
      for (const [key, value] of everyValue) assert.deepEqual(file.metadata.get(key), value, key);
    });

    it('reads tensor infos, the alignment, the data offset and the expected size', async () => {
      const file = await readGgufFile(path);
      const layout = layoutGguf(roundTripSpec);
      assert.equal(file.alignment, 64);
      assert.equal(file.dataOffset, layout.header.length);
      assert.equal(file.dataOffset % 64, 0);
      assert.deepEqual(
        file.tensors.map((t) => [t.name, t.dims, t.type, t.offset, t.byteSize]),
        everyTensor.map((t, i) => [t.name, t.dims, t.type, layout.tensors[i]!.offset, t.size]),
      );
      const size = (await fs.stat(path)).size;
      assert.equal(file.fileBytes, size);
      assert.equal(file.expectedFileBytes, size);
      const last = file.tensors.at(-1)!;
      assert.equal(file.minFileBytes, file.dataOffset + last.offset + last.byteSize!);
    });

    it('places tensor data where dataOffset + offset says', async () => {
      const file = await readGgufFile(path);
      const all = await fs.readFile(path);
      file.tensors.forEach((t, i) => {
        const at = file.dataOffset + t.offset;
        assert.deepEqual(new Uint8Array(all.subarray(at, at + t.byteSize!)), bytes(everyTensor[i]!.size, i), t.name);
      });
    });

    it('reads GGUF version 2 the same way', async () => {
      const v2 = join(dir, 'v2.gguf');
      await fs.copyFile(path, v2);
      await patchFile(v2, 4, u32Bytes(2));
      const file = await readGgufFile(v2);
      assert.equal(file.version, 2);
      assert.deepEqual(file.metadata.get('a.nested'), everyValue.find(([k]) => k === 'a.nested')![1]);
    });

    it('walks over skipped values and still reads what follows them', async () => {
      const file = await readGgufFile(path, { skipValue: (key) => key.startsWith('a.') || key === 't.str' });
      assert.equal(file.metadata.has('a.str'), false);
      assert.equal(file.metadata.has('t.str'), false);
      assert.equal(metaString(file.metadata, 't.empty'), '');
      assert.equal(file.tensors.length, everyTensor.length);
      assert.equal(file.expectedFileBytes, file.fileBytes);
    });
  });

  it('reads a 150k-entry string array (a real vocabulary size) exactly', async () => {
    const tokens = Array.from({ length: 151_936 }, (_, i) => (i % 7 === 0 ? `ĠtokenĊ${i}` : `t${i}`));
    const path = join(dir, 'vocab.gguf');
    await writeGguf(path, { metadata: [['tokenizer.ggml.tokens', gv.strings(tokens)], ['after', gv.u32(9)]], tensors: [] });
    const file = await readGgufFile(path);
    assert.deepEqual(metaStringArray(file.metadata, 'tokenizer.ggml.tokens'), tokens);
    assert.equal(metaNumber(file.metadata, 'after'), 9);
  });

  it('decodes only the string array entries a filter accepts, keeping the array length', async () => {
    const tokens = ['a', '<x>', '', '[PREFIX]', 'é', '<\u2581long one>'];
    const path = join(dir, 'sparse.gguf');
    await writeGguf(path, { metadata: [['tokens', gv.strings(tokens)], ['other', gv.strings(['<y>'])], ['after', gv.u8(1)]], tensors: [] });
    const seen: [number, number][] = [];
    const file = await readGgufFile(path, {
      decodeStringIf: (key) =>
        key === 'tokens'
          ? (first, length) => {
              seen.push([first, length]);
              return first === 0x3c || first === 0x5b;
            }
          : undefined,
    });
    const read = metaStringArray(file.metadata, 'tokens')!;
    assert.equal(read.length, tokens.length);
    assert.deepEqual(Object.keys(read).map(Number), [1, 3, 5]);
    assert.deepEqual([read[1], read[3], read[5]], ['<x>', '[PREFIX]', '<\u2581long one>']);
    assert.deepEqual(seen, tokens.map((t) => [t === '' ? -1 : Buffer.from(t)[0], Buffer.byteLength(t)]));
    assert.deepEqual(metaStringArray(file.metadata, 'other'), ['<y>']);
    assert.equal(metaNumber(file.metadata, 'after'), 1);
  });

  it('reads the tiny test model: hyperparameters, 27 tensors, expected size equal to the real size', async () => {
    const path = await ensureTinyModel();
    const file = await readGgufFile(path);
    assert.equal(metaString(file.metadata, 'general.architecture'), 'qwen2');
    assert.equal(metaNumber(file.metadata, 'qwen2.embedding_length'), 64);
    assert.equal(metaNumber(file.metadata, 'qwen2.context_length'), 8192);
    assert.equal(file.tensors.length, 2 * 12 + 3);
    assert.equal(file.alignment, 32);
    assert.equal(file.expectedFileBytes, (await fs.stat(path)).size);
  });

  describe('damaged files', () => {
    // Each case writes a small valid file, then breaks it.
    const tokensFirst = (): GgufSpec => {
      const spec = modelLikeSpec({ tokens: ['a', 'b'] });
      const tokens = spec.metadata.find(([k]) => k === 'tokenizer.ggml.tokens')!;
      return { ...spec, metadata: [tokens, ...spec.metadata.filter((e) => e !== tokens)] };
    };
    const arrayCountAt = firstValueOffset('tokenizer.ggml.tokens') + 4;
    const tensorNameAt = async (path: string): Promise<number> =>
      (await fs.readFile(path)).indexOf(Buffer.from('token_embd.weight'));
    const nested = (depth: number): GgufArray =>
      depth === 0 ? gv.strings(['x']) : gv.array(GgufValueType.ARRAY, [nested(depth - 1)]);

    const cases: {
      name: string;
      spec?: () => GgufSpec;
      patch?: (path: string) => Promise<void>;
      code: ModelFileErrorCode;
      message: RegExp;
    }[] = [
      { name: 'GGUF version 1', patch: (p) => patchFile(p, 4, u32Bytes(1)), code: 'unsupported-version', message: /version 1\b/ },
      {
        name: 'a big-endian file',
        patch: (p) => patchFile(p, 4, Buffer.from([0, 0, 0, 3])),
        code: 'unsupported-version',
        message: /big-endian/,
      },
      {
        name: 'an array length of 2^60',
        spec: tokensFirst,
        patch: (p) => patchFile(p, arrayCountAt, u64Bytes(2n ** 60n)),
        code: 'corrupt',
        message: /array length is over 2\^53|array length is \d+/,
      },
      {
        name: 'an array length of 2^40 (under 2^53, over any real vocabulary)',
        spec: tokensFirst,
        patch: (p) => patchFile(p, arrayCountAt, u64Bytes(2n ** 40n)),
        code: 'corrupt',
        message: /array length is 1099511627776/,
      },
      {
        name: 'an array length past the end of the file',
        spec: tokensFirst,
        patch: (p) => patchFile(p, arrayCountAt, u64Bytes(100_000n)),
        code: 'truncated',
        message: /inside its header/,
      },
      {
        name: 'a string length of 2^60',
        spec: tokensFirst,
        patch: (p) => patchFile(p, arrayCountAt + 8, u64Bytes(2n ** 60n)),
        code: 'corrupt',
        message: /string length/,
      },
      { name: 'a metadata count of 2^60', patch: (p) => patchFile(p, 16, u64Bytes(2n ** 60n)), code: 'corrupt', message: /metadata count/ },
      { name: 'a tensor count of 2^60', patch: (p) => patchFile(p, 8, u64Bytes(2n ** 60n)), code: 'corrupt', message: /tensor count/ },
      {
        name: 'an unknown value type',
        spec: tokensFirst,
        patch: (p) => patchFile(p, firstValueOffset('tokenizer.ggml.tokens') - 4, u32Bytes(99)),
        code: 'corrupt',
        message: /unknown value type 99/,
      },
      {
        name: 'a tensor with 5 dimensions',
        patch: async (p) => patchFile(p, (await tensorNameAt(p)) + 'token_embd.weight'.length, u32Bytes(5)),
        code: 'corrupt',
        message: /5 dimensions/,
      },
      {
        name: 'a misaligned tensor offset',
        // name, n_dims (1), one dim, type, then the offset
        patch: async (p) => patchFile(p, (await tensorNameAt(p)) + 'token_embd.weight'.length + 4 + 8 + 4, u64Bytes(7n)),
        code: 'corrupt',
        message: /misaligned/,
      },
      {
        name: 'a Q8_0 row that is not a whole number of blocks',
        spec: () => ({
          metadata: [],
          tensors: [{ name: 'w', dims: [64], type: GgmlType.Q8_0, data: () => [new Uint8Array(68)] }],
        }),
        patch: async (p) => patchFile(p, (await fs.readFile(p)).indexOf(Buffer.from('w')) + 1 + 4, u64Bytes(40n)),
        code: 'corrupt',
        message: /impossible shape for Q8_0/,
      },
      {
        name: 'an alignment that is not a power of two',
        spec: () => modelLikeSpec({ tokens: ['a'], extra: [['general.alignment', gv.u32(48)]] }),
        code: 'corrupt',
        message: /alignment/,
      },
      {
        name: 'a key that appears twice',
        spec: () => modelLikeSpec({ tokens: ['a'], extra: [['general.architecture', gv.str('x')]] }),
        code: 'corrupt',
        message: /appears twice/,
      },
      {
        name: 'arrays nested 9 deep',
        spec: () => modelLikeSpec({ tokens: ['a'], extra: [['deep', nested(9)]] }),
        code: 'corrupt',
        message: /nests arrays/,
      },
    ];

    for (const c of cases) {
      it(`rejects ${c.name}`, async () => {
        const path = join(dir, 'damaged.gguf');
        await writeGguf(path, (c.spec ?? (() => modelLikeSpec({ tokens: ['a', 'b'] })))());
        await c.patch?.(path);
        await expectModelError(readGgufFile(path), c.code, c.message);
      });
    }

    it('reads a tensor of a type it does not know, leaving its size (and the file size) unknown', async () => {
      const path = join(dir, 'newtype.gguf');
      await writeGguf(path, modelLikeSpec({ tokens: ['a'] }));
      await patchFile(path, (await tensorNameAt(path)) + 'token_embd.weight'.length + 4 + 8, u32Bytes(200));
      const file = await readGgufFile(path);
      assert.equal(file.tensors[0]!.type, 200);
      assert.equal(file.tensors[0]!.byteSize, undefined);
      assert.equal(file.expectedFileBytes, undefined);
    });
  });
});
