// The qwen2 architecture as llama.cpp expects it in a GGUF: the hyperparameter keys, the tensor names
// and shapes, and the gpt2-style tokenizer keys. Shared by the tiny test model and the speed proxy so
// both load through exactly the code path a real Qwen2.5-Coder takes.
import type { GgufValue } from '../../../src/core/models/ggufValues';
import { gv } from './ggufWriter';

export interface Qwen2Dims {
  embd: number;
  layers: number;
  heads: number;
  kvHeads: number;
  ffn: number;
  contextLength: number;
  ropeBase: number;
  rmsEps: number;
  vocab: number;
}

/** What a tensor is for, so a model definition can choose its type and contents. */
export type Qwen2TensorRole = 'embedding' | 'output' | 'norm' | 'matrix' | 'bias';

export interface Qwen2Tensor {
  name: string;
  dims: number[];
  role: Qwen2TensorRole;
}

export function qwen2Tensors(d: Qwen2Dims, options: { tiedEmbeddings: boolean }): Qwen2Tensor[] {
  const kv = (d.embd / d.heads) * d.kvHeads;
  const out: Qwen2Tensor[] = [{ name: 'token_embd.weight', dims: [d.embd, d.vocab], role: 'embedding' }];
  for (let i = 0; i < d.layers; i++) {
    const p = `blk.${i}.`;
    out.push(
      { name: `${p}attn_norm.weight`, dims: [d.embd], role: 'norm' },
      { name: `${p}attn_q.weight`, dims: [d.embd, d.embd], role: 'matrix' },
      { name: `${p}attn_q.bias`, dims: [d.embd], role: 'bias' },
      { name: `${p}attn_k.weight`, dims: [d.embd, kv], role: 'matrix' },
      { name: `${p}attn_k.bias`, dims: [kv], role: 'bias' },
      { name: `${p}attn_v.weight`, dims: [d.embd, kv], role: 'matrix' },
      { name: `${p}attn_v.bias`, dims: [kv], role: 'bias' },
      { name: `${p}attn_output.weight`, dims: [d.embd, d.embd], role: 'matrix' },
      { name: `${p}ffn_norm.weight`, dims: [d.embd], role: 'norm' },
      { name: `${p}ffn_gate.weight`, dims: [d.embd, d.ffn], role: 'matrix' },
      { name: `${p}ffn_up.weight`, dims: [d.embd, d.ffn], role: 'matrix' },
      { name: `${p}ffn_down.weight`, dims: [d.ffn, d.embd], role: 'matrix' },
    );
  }
  out.push({ name: 'output_norm.weight', dims: [d.embd], role: 'norm' });
  // Without output.weight llama.cpp reuses token_embd for the logits (Qwen2.5-0.5B does this).
  if (!options.tiedEmbeddings) out.push({ name: 'output.weight', dims: [d.embd, d.vocab], role: 'output' });
  return out;
}

export function qwen2Hyperparameters(d: Qwen2Dims): [string, GgufValue][] {
  return [
    ['qwen2.context_length', gv.u32(d.contextLength)],
    ['qwen2.embedding_length', gv.u32(d.embd)],
    ['qwen2.block_count', gv.u32(d.layers)],
    ['qwen2.feed_forward_length', gv.u32(d.ffn)],
    ['qwen2.attention.head_count', gv.u32(d.heads)],
    ['qwen2.attention.head_count_kv', gv.u32(d.kvHeads)],
    ['qwen2.rope.freq_base', gv.f32(d.ropeBase)],
    ['qwen2.attention.layer_norm_rms_epsilon', gv.f32(d.rmsEps)],
  ];
}

/** llama.cpp token types. */
export const TokenType = { NORMAL: 1, CONTROL: 3, USER_DEFINED: 4, UNUSED: 5 } as const;

export interface Qwen2Vocabulary {
  tokens: string[];
  tokenTypes: Int32Array;
  /** "left right" pairs, best rank first. */
  merges: string[];
  /** Ids of the special tokens the metadata points at (present ones only). */
  ids: {
    eos: number;
    fimPrefix?: number;
    fimSuffix?: number;
    fimMiddle?: number;
    fimPad?: number;
    repoName?: number;
    fileSep?: number;
  };
}

export function qwen2TokenizerMetadata(v: Qwen2Vocabulary): [string, GgufValue][] {
  const out: [string, GgufValue][] = [
    ['tokenizer.ggml.model', gv.str('gpt2')],
    ['tokenizer.ggml.pre', gv.str('qwen2')],
    ['tokenizer.ggml.tokens', gv.strings(v.tokens)],
    ['tokenizer.ggml.token_type', gv.i32s(v.tokenTypes)],
    ['tokenizer.ggml.merges', gv.strings(v.merges)],
    ['tokenizer.ggml.eos_token_id', gv.u32(v.ids.eos)],
    ['tokenizer.ggml.padding_token_id', gv.u32(v.ids.eos)],
    ['tokenizer.ggml.bos_token_id', gv.u32(v.ids.eos)],
    ['tokenizer.ggml.add_bos_token', gv.bool(false)],
  ];
  const optional: [string, number | undefined][] = [
    ['tokenizer.ggml.fim_pre_token_id', v.ids.fimPrefix],
    ['tokenizer.ggml.fim_suf_token_id', v.ids.fimSuffix],
    ['tokenizer.ggml.fim_mid_token_id', v.ids.fimMiddle],
    ['tokenizer.ggml.fim_pad_token_id', v.ids.fimPad],
    ['tokenizer.ggml.fim_rep_token_id', v.ids.repoName],
    ['tokenizer.ggml.fim_sep_token_id', v.ids.fileSep],
  ];
  for (const [key, id] of optional) if (id !== undefined) out.push([key, gv.u32(id)]);
  return out;
}
