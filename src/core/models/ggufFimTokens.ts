// Decides which fill-in-the-middle prompt family a model speaks, from its GGUF metadata: the FIM
// token ids llama.cpp's converter records, the token texts in the vocabulary (each family's are in
// fimFamilies.ts), and the model's architecture and name when more than one family's tokens are
// present. Also reports the exact token texts and ids found, because variants differ (CodeLlama's
// `▁<PRE>` vs `<PRE>`) and the prompt must contain the text the tokenizer maps to the control token.
import type { FimFamily } from '../kernel/completionTypes';
import { FIM_FAMILIES, fimFamilySpec, type FimVocabulary } from './fimFamilies';
import { metaNumber, metaString, metaStringArray, type GgufMetadata } from './ggufValues';

export interface FimToken {
  text: string;
  id: number;
}

export interface FimDetection {
  family: FimFamily;
  prefix: FimToken;
  suffix: FimToken;
  /** Codestral-style prompts have no middle marker; a vocabulary may still define one. */
  middle: FimToken | undefined;
  pad: FimToken | undefined;
  /** Repo-level context markers (Qwen2.5-Coder, StarCoder2). */
  repoName: FimToken | undefined;
  fileSep: FimToken | undefined;
  /** True when both repo-level markers exist, so prompts may carry other files as context. */
  repoLevel: boolean;
}

/** A family's vocabulary with its id, in the table's order of preference. */
interface FamilyTokens extends FimVocabulary {
  family: FimFamily;
  hints: readonly string[];
}

const families: readonly FamilyTokens[] = FIM_FAMILIES.map((family) => {
  const spec = fimFamilySpec(family);
  return { family, ...spec.vocabulary, hints: spec.ggufHints };
});

const candidateTexts = new Set(
  families.flatMap((f) => [...f.prefix, ...f.suffix, ...f.middle, ...f.pad, ...f.repoName, ...f.fileSep]),
);

// Current llama.cpp key names first, then the older CodeLlama-era names.
const idKeys = {
  prefix: ['tokenizer.ggml.fim_pre_token_id', 'tokenizer.ggml.prefix_token_id'],
  suffix: ['tokenizer.ggml.fim_suf_token_id', 'tokenizer.ggml.suffix_token_id'],
  middle: ['tokenizer.ggml.fim_mid_token_id', 'tokenizer.ggml.middle_token_id'],
  pad: ['tokenizer.ggml.fim_pad_token_id'],
  repoName: ['tokenizer.ggml.fim_rep_token_id'],
  fileSep: ['tokenizer.ggml.fim_sep_token_id'],
} as const;
type Role = keyof typeof idKeys;

/**
 * The model's FIM family and tokens, or null when it has no fill-in-the-middle tokens. The
 * vocabulary may have been read sparsely with `mayBeFimToken` as the filter.
 */
export function fimTokensFromGguf(meta: GgufMetadata): FimDetection | null {
  const tokens = metaStringArray(meta, 'tokenizer.ggml.tokens') ?? [];
  const idOf = findTexts(tokens);
  const declared = declaredIds(meta, tokens.length);

  const hint = hintedFamily(meta);
  // The family of the prefix token the converter declared is the strongest evidence.
  const declaredPrefix = declared.prefix !== undefined ? tokens[declared.prefix] : undefined;
  const byDeclared = families.find((f) => declaredPrefix !== undefined && f.prefix.includes(declaredPrefix));

  const present = families.filter(
    (f) => has(idOf, f.prefix) && has(idOf, f.suffix) && (!f.middleRequired || has(idOf, f.middle)),
  );
  const chosen =
    (byDeclared && present.includes(byDeclared) ? byDeclared : undefined) ??
    present.find((f) => f.family === hint) ??
    present[0];
  if (chosen) return describe(chosen, tokens, idOf, declared);

  // Ids declared but texts we don't know: trust them only if the model's name says which template.
  if (declared.prefix !== undefined && declared.suffix !== undefined && hint !== undefined) {
    const f = families.find((x) => x.family === hint)!;
    const at = (role: Role): FimToken | undefined => {
      const id = declared[role];
      return id === undefined ? undefined : { id, text: tokens[id] ?? f[role][0] ?? '' };
    };
    const repoName = at('repoName');
    const fileSep = at('fileSep');
    return {
      family: f.family,
      prefix: at('prefix')!,
      suffix: at('suffix')!,
      middle: at('middle'),
      pad: at('pad'),
      repoName,
      fileSep,
      repoLevel: repoName !== undefined && fileSep !== undefined,
    };
  }
  return null;
}

function describe(
  f: FamilyTokens,
  tokens: readonly string[],
  idOf: ReadonlyMap<string, number>,
  declared: Partial<Record<Role, number>>,
): FimDetection {
  const pick = (role: Role): FimToken | undefined => {
    // A declared id wins when it names one of this family's texts (vocabularies can hold duplicates).
    const id = declared[role];
    if (id !== undefined && f[role].includes(tokens[id]!)) return { id, text: tokens[id]! };
    for (const text of f[role]) {
      const found = idOf.get(text);
      if (found !== undefined) return { id: found, text };
    }
    return undefined;
  };
  const repoName = pick('repoName');
  const fileSep = pick('fileSep');
  return {
    family: f.family,
    prefix: pick('prefix')!,
    suffix: pick('suffix')!,
    middle: pick('middle'),
    pad: pick('pad'),
    repoName,
    fileSep,
    repoLevel: repoName !== undefined && fileSep !== undefined,
  };
}

/**
 * Whether a vocabulary entry could matter here, from its first UTF-8 byte: every FIM text starts
 * with '<', '[' or '▁' (0xE2 0x96 0x81), as do nearly all special tokens. Lets the GGUF reader
 * leave the rest of a 150k-token vocabulary undecoded.
 */
export function mayBeFimToken(firstByte: number): boolean {
  return firstByte === 0x3c || firstByte === 0x5b || firstByte === 0xe2;
}

/**
 * Ids of the candidate texts, first occurrence, in one pass over the vocabulary. The vocabulary
 * may be sparse (entries the reader did not decode are holes).
 */
function findTexts(tokens: readonly (string | undefined)[]): Map<string, number> {
  const found = new Map<string, number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined) continue;
    // Every candidate starts with '<', '[' or '▁'; the cheap check skips almost every token.
    const c = t.charCodeAt(0);
    if (c !== 0x3c && c !== 0x5b && c !== 0x2581) continue;
    if (candidateTexts.has(t) && !found.has(t)) found.set(t, i);
  }
  return found;
}

function declaredIds(meta: GgufMetadata, vocabSize: number): Partial<Record<Role, number>> {
  const out: Partial<Record<Role, number>> = {};
  for (const role of Object.keys(idKeys) as Role[]) {
    for (const key of idKeys[role]) {
      const id = metaNumber(meta, key);
      // -1 and out-of-range ids mean "none" in some converters' output.
      if (id !== undefined && Number.isInteger(id) && id >= 0 && (vocabSize === 0 || id < vocabSize)) {
        out[role] = id;
        break;
      }
    }
  }
  return out;
}

function hintedFamily(meta: GgufMetadata): FimFamily | undefined {
  const arch = (metaString(meta, 'general.architecture') ?? '').toLowerCase();
  const name = (metaString(meta, 'general.name') ?? '').toLowerCase();
  // The name is more specific than the architecture (CodeLlama and Codestral both say 'llama').
  for (const text of [name, arch]) {
    const f = families.find((x) => x.hints.some((h) => text.includes(h)));
    if (f) return f.family;
  }
  return undefined;
}

function has(idOf: ReadonlyMap<string, number>, texts: readonly string[]): boolean {
  return texts.some((t) => idOf.has(t));
}
