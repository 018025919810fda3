// Answers "can Bantam complete code with this file, and how?" before anything heavy loads it:
// reads the GGUF header, checks the file is whole, and detects the FIM family. Runs in
// milliseconds even for a large model because it reads metadata only and skips the BPE merges.
import type { FimFamily } from '../kernel/completionTypes';
import { fimTokensFromGguf, mayBeFimToken, type FimDetection } from './ggufFimTokens';
import { readGgufFile } from './gguf';
import { ggmlTypeInfo } from './ggmlTypes';
import { metaNumber, metaString, metaStringArray } from './ggufValues';
import { corruptError, noFimError, truncatedError, unknownTensorTypeError } from './modelFileError';

/** The FIM and repo-level marker tokens found in the vocabulary. */
export type ModelFimTokens = Pick<FimDetection, 'prefix' | 'suffix' | 'middle' | 'pad' | 'repoName' | 'fileSep'>;

/** What the file says about itself, whether or not it can fill in the middle. */
export interface ModelFileFacts {
  /** null when the vocabulary has no FIM tokens (e.g. a next-edit model, which rewrites instead). */
  family: FimFamily | null;
  /** general.architecture, e.g. 'qwen2'. */
  architecture: string;
  /** general.name, when the converter recorded one. */
  name: string | undefined;
  /** Context length the model was trained with (`<arch>.context_length`). */
  contextLength: number | undefined;
  vocabSize: number;
  fileBytes: number;
  fim: ModelFimTokens | null;
  /** True when the vocabulary has repo-level context markers (repo name and file separator). */
  repoLevel: boolean;
}

/** A model that can fill in the middle: what completion needs. */
export interface ModelInfo extends ModelFileFacts {
  family: FimFamily;
  fim: ModelFimTokens;
}

// Large tokenizer tables nothing here looks at; skipping them, and decoding only the vocabulary
// entries that could be FIM tokens, keeps a 150k-token vocabulary to a few milliseconds.
const unneeded = new Set(['tokenizer.ggml.merges', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type']);
const onlyFimCandidates = (firstByte: number): boolean => mayBeFimToken(firstByte);

/** Inspects a model file for completion; throws ModelFileError (with a user-facing message) when it can't be used. */
export async function inspectModelFile(path: string): Promise<ModelInfo> {
  const facts = await readModelFileFacts(path);
  if (!canFillInTheMiddle(facts)) throw noFimError(path);
  return facts;
}

export function canFillInTheMiddle(facts: ModelFileFacts): facts is ModelInfo {
  return facts.family !== null && facts.fim !== null;
}

/**
 * Inspects a model file without asking for FIM tokens (a rewrite model, e.g. next-edit); throws
 * ModelFileError when it is missing, not GGUF, truncated or corrupt.
 */
export async function readModelFileFacts(path: string): Promise<ModelFileFacts> {
  const file = await readGgufFile(path, {
    skipValue: (key) => unneeded.has(key),
    decodeStringIf: (key) => (key === 'tokenizer.ggml.tokens' ? onlyFimCandidates : undefined),
  });
  for (const t of file.tensors) {
    if (ggmlTypeInfo(t.type) === undefined) throw unknownTensorTypeError(path, t.name, t.type);
  }
  if (file.minFileBytes! > file.fileBytes) throw truncatedError(path, file.fileBytes, file.expectedFileBytes!);

  const meta = file.metadata;
  const architecture = metaString(meta, 'general.architecture');
  if (architecture === undefined) throw corruptError(path, 'it has no general.architecture');
  const tokens = metaStringArray(meta, 'tokenizer.ggml.tokens');
  if (tokens === undefined) throw corruptError(path, 'it has no tokenizer.ggml.tokens vocabulary');
  if (file.tensors.length === 0) throw corruptError(path, 'it holds a vocabulary but no weights');

  const fim = fimTokensFromGguf(meta);
  return {
    family: fim?.family ?? null,
    architecture,
    name: metaString(meta, 'general.name'),
    contextLength: metaNumber(meta, `${architecture}.context_length`),
    vocabSize: tokens.length,
    fileBytes: file.fileBytes,
    fim: fim
      ? { prefix: fim.prefix, suffix: fim.suffix, middle: fim.middle, pad: fim.pad, repoName: fim.repoName, fileSep: fim.fileSep }
      : null,
    repoLevel: fim?.repoLevel ?? false,
  };
}
