// The test-model generator itself: deterministic output, idempotent reuse, rewriting of stale or
// damaged files, and a vocabulary that matches what the real Qwen2.5 tokenizer data says.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { GgmlType } from '../../../src/core/models/ggmlTypes';
import { byteLevelTokens, spellBytes } from '../../support/gguf/byteLevelVocab';
import { makeTempDir, patchFile, u32Bytes } from '../../support/gguf/smallGguf';
import { qwen25Vocabulary, speedProxySpec } from '../../support/gguf/speedProxyModel';
import { halfBitsToFloat, toHalfBits } from '../../support/gguf/tensorEncoding';
import { ensureTestModel, ensureTinyModel, TEST_MODEL_FILES } from '../../support/gguf/testModels';
import { layoutGguf } from '../../support/gguf/ggufWriter';

const sha = async (path: string): Promise<string> => createHash('sha256').update(await fs.readFile(path)).digest('hex');

describe('test models', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes the tiny model deterministically, at about 250 KB', async () => {
    const a = await ensureTinyModel(join(dir, 'a'));
    const b = await ensureTinyModel(join(dir, 'b'));
    assert.equal(await sha(a), await sha(b));
    const size = (await fs.stat(a)).size;
    assert.ok(size > 150_000 && size < 350_000, `${size} bytes`);
  });

  it('keeps a model that is already there and whole', async () => {
    const first = await ensureTestModel('nofim', dir);
    const second = await ensureTestModel('nofim', dir);
    assert.equal(first.generated, true);
    assert.equal(second.generated, false);
    assert.equal(second.path, join(dir, TEST_MODEL_FILES.nofim));
    assert.equal(second.bytes, first.bytes);
  });

  const damages: [string, (path: string) => Promise<void>][] = [
    ['truncated', async (p) => fs.truncate(p, (await fs.stat(p)).size - 100)],
    ['from another generator version', async (p) => patchFile(p, (await fs.readFile(p)).indexOf('bantam.test_model.version') + 25 + 4, u32Bytes(9999))],
    ['not a GGUF', (p) => fs.writeFile(p, 'hello')],
  ];
  for (const [name, damage] of damages) {
    it(`rewrites a model file that is ${name}`, async () => {
      const good = await ensureTestModel('tiny', dir);
      const hash = await sha(good.path);
      await damage(good.path);
      assert.notEqual(await sha(good.path), hash);
      const again = await ensureTestModel('tiny', dir);
      assert.equal(again.generated, true);
      assert.equal(await sha(again.path), hash);
    });
  }

  it('leaves no temporary files behind', async () => {
    await ensureTestModel('tiny', dir);
    assert.deepEqual(await fs.readdir(dir), [TEST_MODEL_FILES.tiny]);
  });

  describe('speed proxy definition', () => {
    it("has Qwen2.5-Coder-0.5B's size at Q8_0 (about 531 MB) without writing it", function () {
      this.timeout(20_000);
      const spec = speedProxySpec({ kind: 'speed-proxy', version: 1 });
      const layout = layoutGguf(spec);
      assert.ok(layout.totalBytes > 525e6 && layout.totalBytes < 535e6, `${layout.totalBytes}`);
      const embd = spec.tensors.find((t) => t.name === 'token_embd.weight')!;
      assert.deepEqual(embd.dims, [896, 151_936]);
      assert.equal(embd.type, GgmlType.Q8_0);
      assert.equal(spec.tensors.some((t) => t.name === 'output.weight'), false, 'embeddings are tied');
      assert.equal(spec.tensors.filter((t) => t.name.endsWith('.bias')).length, 24 * 3);
    });

    it("takes Qwen's byte tokens in GPT-2 byte-to-unicode order, and the special tokens at Qwen2.5's ids", function () {
      this.timeout(20_000);
      const v = qwen25Vocabulary();
      assert.deepEqual(v.tokens.slice(0, 256), byteLevelTokens().map((t) => t.text));
      assert.equal(v.tokens.length, 151_936);
      assert.equal(v.merges.length, 151_387);
      assert.equal(v.tokens[151_643], '<|endoftext|>');
      assert.equal(v.tokens[151_644], '<|im_start|>');
      assert.equal(v.tokens[151_645], '<|im_end|>');
      assert.deepEqual(
        [v.ids.fimPrefix, v.ids.fimMiddle, v.ids.fimSuffix, v.ids.fimPad, v.ids.repoName, v.ids.fileSep, v.ids.eos],
        [151_659, 151_660, 151_661, 151_662, 151_663, 151_664, 151_643],
      );
      assert.equal(v.tokens[151_935], '[PAD151935]');
      assert.equal(v.tokens.indexOf(spellBytes(' return')) > 0, true);
    });
  });

  describe('half-precision encoding', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff],
      [1e6, 0x7c00],
      [2 ** -24, 0x0001],
      [2 ** -14, 0x0400],
      [1 / 3, 0x3555],
      [1 + 2 ** -11, 0x3c00], // halfway rounds to even
      [1 + 3 * 2 ** -11, 0x3c02],
    ];
    for (const [value, bits] of cases) {
      it(`${Object.is(value, -0) ? '-0' : value} -> 0x${bits.toString(16)}`, () => {
        assert.equal(toHalfBits(value), bits);
      });
    }
    it('round-trips through halfBitsToFloat within half precision', () => {
      for (const v of [0.1, -3.75, 1234.5, 6e-5]) {
        assert.ok(Math.abs(halfBitsToFloat(toHalfBits(v)) - v) <= Math.abs(v) * 2 ** -10);
      }
    });
  });
});
