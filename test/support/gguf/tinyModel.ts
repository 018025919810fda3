// The tiny qwen2 test model (~250 KB): a byte-level BPE vocabulary with Qwen's FIM and repo tokens,
// random transformer weights, and embedding/output matrices built so that greedy decoding always
// says TINY_MODEL_TEXT and then ends. Integration tests thereby get a visible, predictable
// suggestion from a real llama.cpp run instead of noise, control bytes or an immediate EOS.
//
// How the bias works: the transformer layers are given small weights, so the final hidden state is
// close to the embedding of the last token. Chain tokens get orthogonal embeddings and each one's
// successor gets an output row aligned with it: a bigram chain <|fim_middle|> -> 'q' -> 'u' -> ...
// -> '\n' -> <|endoftext|>. Every other token shares one "elsewhere" direction that also leads to
// the chain's start, so a plain completion (no FIM) says the same text.
import type { GgufValue } from '../../../src/core/models/ggufValues';
import { GgmlType } from '../../../src/core/models/ggmlTypes';
import { byteLevelTokens, spellBytes } from './byteLevelVocab';
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
import { f16Bytes, f32Bytes } from './tensorEncoding';

/** What greedy decoding produces after any prompt, before the end-of-text token. */
export const TINY_MODEL_TEXT = 'quick brown\n';

const SEED = 0xba7a3;
const dims: Omit<Qwen2Dims, 'vocab'> = {
  embd: 64,
  layers: 2,
  heads: 4,
  kvHeads: 2,
  ffn: 128,
  contextLength: 8192,
  ropeBase: 1_000_000,
  rmsEps: 1e-6,
};

// A few merges so the tokenizer does real BPE work (and prompts are not one token per byte).
const mergePairs: readonly (readonly [string, string])[] = [
  [' ', ' '],
  ['  ', '  '],
  ['i', 'n'],
  ['e', 'r'],
  ['o', 'n'],
  ['r', 'e'],
  [' ', 't'],
  ['e', 'n'],
  ['a', 't'],
  ['o', 'r'],
  ['s', 't'],
  ['e', 's'],
  [' ', 'a'],
  [' ', 'c'],
  [' ', 's'],
  [' ', 'f'],
  ['\n', ' '],
  ['\n', '  '],
];

const specialNames = {
  eos: '<|endoftext|>',
  fimPrefix: '<|fim_prefix|>',
  fimMiddle: '<|fim_middle|>',
  fimSuffix: '<|fim_suffix|>',
  fimPad: '<|fim_pad|>',
  repoName: '<|repo_name|>',
  fileSep: '<|file_sep|>',
} as const;

export function tinyVocabulary(withFim: boolean): Qwen2Vocabulary {
  const tokens = byteLevelTokens().map((t) => t.text);
  const merges: string[] = [];
  for (const [a, b] of mergePairs) {
    merges.push(`${spellBytes(a)} ${spellBytes(b)}`);
    tokens.push(spellBytes(a + b));
  }
  const types: number[] = tokens.map(() => TokenType.NORMAL);
  const ids: Record<string, number> = {};
  for (const [role, text] of Object.entries(specialNames)) {
    if (!withFim && role !== 'eos') continue;
    ids[role] = tokens.length;
    tokens.push(text);
    types.push(TokenType.CONTROL);
  }
  return { tokens, tokenTypes: Int32Array.from(types), merges, ids: ids as unknown as Qwen2Vocabulary['ids'] };
}

export function tinyModelSpec(options: { fim: boolean; kind: string; version: number }): GgufSpec {
  const vocab = tinyVocabulary(options.fim);
  const d: Qwen2Dims = { ...dims, vocab: vocab.tokens.length };
  const prng = new Prng(SEED);
  const { embedding, output } = chainMatrices(vocab, d.embd, prng, options.fim);

  const metadata: [string, GgufValue][] = [
    ['general.architecture', gv.str('qwen2')],
    ['general.name', gv.str(options.fim ? 'Bantam Tiny Qwen2 (test model)' : 'Bantam Tiny Qwen2 without FIM (test model)')],
    ['general.file_type', gv.u32(1)], // mostly F16
    ['bantam.test_model', gv.str(options.kind)],
    ['bantam.test_model.version', gv.u32(options.version)],
    ...qwen2Hyperparameters(d),
    ...qwen2TokenizerMetadata(vocab),
  ];

  const tensors = qwen2Tensors(d, { tiedEmbeddings: false }).map((t) => {
    const n = t.dims.reduce((a, b) => a * b, 1);
    let values: Float32Array;
    switch (t.role) {
      case 'embedding':
        values = embedding;
        break;
      case 'output':
        values = output;
        break;
      case 'norm':
        values = new Float32Array(n).fill(1);
        break;
      case 'bias':
        values = Float32Array.from({ length: n }, () => prng.symmetric(0.01));
        break;
      case 'matrix':
        // Small enough that the layers only nudge the residual stream (see the header comment).
        values = Float32Array.from({ length: n }, () => prng.symmetric(0.03));
        break;
    }
    const f16 = t.role === 'embedding' || t.role === 'output' || t.role === 'matrix';
    const bytes = f16 ? f16Bytes(values) : f32Bytes(values);
    return { name: t.name, dims: t.dims, type: f16 ? GgmlType.F16 : GgmlType.F32, data: () => [bytes] };
  });
  return { metadata, tensors };
}

/** Embedding and output matrices ([vocab][embd], row per token) that encode the bigram chain. */
function chainMatrices(
  vocab: Qwen2Vocabulary,
  embd: number,
  prng: Prng,
  withFim: boolean,
): { embedding: Float32Array; output: Float32Array } {
  const idOf = new Map(vocab.tokens.map((t, i) => [t, i]));
  const chain = [...TINY_MODEL_TEXT].map((ch) => idOf.get(spellBytes(ch))!);
  if (new Set(chain).size !== chain.length) throw new Error('a bigram chain needs distinct tokens');
  if (withFim) chain.unshift(vocab.ids.fimMiddle!);
  const elsewhere = chain.length; // the basis direction shared by every token off the chain
  const firstNoiseDim = elsewhere + 1;
  const gain = 1.5; // logit of the intended successor is about 8 * gain (RMS norm scales by sqrt(embd))

  const nVocab = vocab.tokens.length;
  const embedding = new Float32Array(nVocab * embd);
  const output = new Float32Array(nVocab * embd);
  const basisOf = new Map(chain.map((id, i) => [id, i]));
  for (let v = 0; v < nVocab; v++) {
    const row = v * embd;
    embedding[row + (basisOf.get(v) ?? elsewhere)] = 1;
    for (let k = firstNoiseDim; k < embd; k++) embedding[row + k] = prng.symmetric(0.05);
    for (let k = 0; k < embd; k++) output[row + k] = prng.symmetric(0.02);
  }
  const link = (from: number, to: number): void => {
    output[to * embd + from] += gain;
  };
  for (let i = 0; i + 1 < chain.length; i++) link(i, chain[i + 1]!);
  link(elsewhere, chain[withFim ? 1 : 0]!);
  link(chain.length - 1, vocab.ids.eos);
  return { embedding, output };
}
