// Finds which fill-in-the-middle format a model was trained with, from the control-token texts in
// its vocabulary. GGUF files often lack the `fim_*_token_id` metadata, but the token texts are
// always there, and each family spells its markers differently.

import type { FimFamily } from '../core/completion/types';
import type { FimTokenTexts } from './llamaProtocol';

const markers: ReadonlyArray<{ family: FimFamily; tokens: FimTokenTexts }> = [
  { family: 'qwen', tokens: { prefix: '<|fim_prefix|>', suffix: '<|fim_suffix|>', middle: '<|fim_middle|>' } },
  { family: 'starcoder2', tokens: { prefix: '<fim_prefix>', suffix: '<fim_suffix>', middle: '<fim_middle>' } },
  {
    family: 'deepseek',
    tokens: { prefix: '<\uFF5Cfim\u2581begin\uFF5C>', suffix: '<\uFF5Cfim\u2581hole\uFF5C>', middle: '<\uFF5Cfim\u2581end\uFF5C>' },
  },
  { family: 'codellama', tokens: { prefix: '<PRE>', suffix: '<SUF>', middle: '<MID>' } },
  { family: 'codestral', tokens: { prefix: '[PREFIX]', suffix: '[SUFFIX]', middle: '[MIDDLE]' } },
];

export interface FimDetection {
  family: FimFamily | null;
  tokens: FimTokenTexts | null;
}

/**
 * `vocabulary` is the token texts of the model; `metadataPrefix` the text of the token that GGUF
 * metadata names as the FIM prefix (if any). SentencePiece vocabularies (CodeLlama) store the
 * markers with a leading "▁", which is accepted too.
 */
export function detectFimFamily(vocabulary: Iterable<string>, metadataPrefix: string | null): FimDetection {
  const present = new Set<string>();
  const wanted = new Set<string>();
  for (const m of markers) for (const t of Object.values(m.tokens)) wanted.add(t);
  for (const raw of vocabulary) {
    const text = raw.startsWith('\u2581') ? raw.slice(1) : raw;
    if (wanted.has(text)) present.add(text);
  }
  const complete = markers.filter((m) => Object.values(m.tokens).every((t) => present.has(t)));
  if (complete.length === 0) {
    // FIM ids in metadata with texts no family uses: the model can infill, but Bantam cannot render its format.
    return { family: null, tokens: null };
  }
  // If a vocabulary carries several formats, the one its metadata names wins.
  const normalizedPrefix = metadataPrefix?.replace(/^\u2581/, '') ?? null;
  const named = complete.find((m) => m.tokens.prefix === normalizedPrefix);
  const chosen = named ?? complete[0]!;
  return { family: chosen.family, tokens: { ...chosen.tokens } };
}
