// The fill-in-the-middle model families Bantam speaks, one row each: the prompt template (markers,
// repo-level markers, stop strings, native order), how the family's FIM tokens appear in a GGUF
// vocabulary, and how a model's name and architecture point to it. Adding a family is one row here
// (plus its id in kernel's FimFamily). Read by the prompt builder and postprocess (templates), the
// GGUF inspector (ggufFimTokens.ts) and the server backends (fimFamilyOfServedModel).
import type { FimFamily } from '../kernel/completionTypes';

export interface RepoMarkers {
  /** Starts the repository header, followed by the repository name. */
  repoName: string;
  /** Starts each file block, followed by the file path and a newline. */
  fileSep: string;
  /** Text after the repository name, before the first file block (Qwen puts a newline there). */
  afterRepoName: string;
  /**
   * Where the current file's path goes: Qwen writes `<|file_sep|>path\n<|fim_prefix|>...`, StarCoder2
   * was trained with `<file_sep><fim_prefix>path\n...` (path inside the prefix slot).
   */
  currentPath: 'before-prefix-marker' | 'inside-prefix';
}

export interface FimTemplate {
  family: FimFamily;
  /** Marker text exactly as rendered, including any spaces the family puts around it. */
  prefix: string;
  suffix: string;
  /** Empty for families that need no middle marker (Codestral generates right after the prefix). */
  middle: string;
  /** Repo-level context markers, or undefined when context must travel as comments. */
  repo: RepoMarkers | undefined;
  /** Natively suffix-first: `SUF suffix PRE prefix`, so typing only appends to the prompt. */
  suffixFirst: boolean;
  /** End tokens and markers that end a completion: the model never legitimately emits them. */
  stop: readonly string[];
}

/** A family's FIM tokens as a GGUF vocabulary holds them; text variants in order of preference. */
export interface FimVocabulary {
  prefix: readonly string[];
  suffix: readonly string[];
  middle: readonly string[];
  /** Codestral-style prompts have no middle marker; a vocabulary may still define one. */
  middleRequired: boolean;
  pad: readonly string[];
  repoName: readonly string[];
  fileSep: readonly string[];
}

export interface FimFamilySpec {
  template: FimTemplate;
  vocabulary: FimVocabulary;
  /** Lower-case fragments of a GGUF's general.architecture or general.name that point to this family. */
  ggufHints: readonly string[];
  /** Names of the family's code models (the Ollama library's names and HF repos), lower case. */
  modelName: RegExp;
  /**
   * Architectures the family's models are built on. A template marker or a name pointing at a family
   * whose architectures don't include the model's is not trusted: CodeGemma, for one, shares Qwen's
   * `<|fim_prefix|>` tokens but not its repo-level `<|file_sep|>` tokens.
   */
  architectures: readonly string[];
  /** The architecture only ever carries this family's FIM vocabulary, so it alone decides. */
  ownsArchitecture: boolean;
}

/** In order of preference when a vocabulary or a name could be more than one. */
const FAMILY_SPECS: Readonly<Record<FimFamily, FimFamilySpec>> = {
  qwen: {
    template: {
      family: 'qwen',
      prefix: '<|fim_prefix|>',
      suffix: '<|fim_suffix|>',
      middle: '<|fim_middle|>',
      repo: { repoName: '<|repo_name|>', fileSep: '<|file_sep|>', afterRepoName: '\n', currentPath: 'before-prefix-marker' },
      suffixFirst: false,
      stop: [
        '<|endoftext|>', '<|file_sep|>', '<|fim_pad|>', '<|repo_name|>', '<|im_end|>', '<|im_start|>',
        '<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>',
      ],
    },
    vocabulary: {
      prefix: ['<|fim_prefix|>'],
      suffix: ['<|fim_suffix|>'],
      middle: ['<|fim_middle|>'],
      middleRequired: true,
      pad: ['<|fim_pad|>'],
      repoName: ['<|repo_name|>'],
      fileSep: ['<|file_sep|>'],
    },
    ggufHints: ['qwen'],
    modelName: /qwen[\d.]*[-_]?coder/,
    architectures: ['qwen2', 'qwen2moe', 'qwen3', 'qwen3moe'],
    ownsArchitecture: false,
  },
  starcoder2: {
    template: {
      family: 'starcoder2',
      prefix: '<fim_prefix>',
      suffix: '<fim_suffix>',
      middle: '<fim_middle>',
      repo: { repoName: '<repo_name>', fileSep: '<file_sep>', afterRepoName: '', currentPath: 'inside-prefix' },
      suffixFirst: false,
      stop: ['<|endoftext|>', '<file_sep>', '<fim_pad>', '<repo_name>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>'],
    },
    vocabulary: {
      prefix: ['<fim_prefix>'],
      suffix: ['<fim_suffix>'],
      middle: ['<fim_middle>'],
      middleRequired: true,
      pad: ['<fim_pad>'],
      repoName: ['<repo_name>'],
      fileSep: ['<file_sep>'],
    },
    ggufHints: ['starcoder'],
    modelName: /starcoder2/,
    architectures: ['starcoder2'],
    ownsArchitecture: true,
  },
  deepseek: {
    template: {
      family: 'deepseek',
      prefix: '<｜fim▁begin｜>',
      suffix: '<｜fim▁hole｜>',
      middle: '<｜fim▁end｜>',
      repo: undefined,
      suffixFirst: false,
      stop: ['<｜end▁of▁sentence｜>', '<|EOT|>', '<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>'],
    },
    vocabulary: {
      // Fullwidth vertical bars (U+FF5C) and the SentencePiece space mark (U+2581), as in the vocabulary.
      prefix: ['<\uff5cfim\u2581begin\uff5c>'],
      suffix: ['<\uff5cfim\u2581hole\uff5c>'],
      middle: ['<\uff5cfim\u2581end\uff5c>'],
      middleRequired: true,
      pad: [],
      repoName: [],
      fileSep: [],
    },
    ggufHints: ['deepseek'],
    modelName: /deepseek[-_]?coder/,
    architectures: ['llama', 'deepseek2'],
    ownsArchitecture: false,
  },
  codellama: {
    template: {
      family: 'codellama',
      // Meta's reference format: `<PRE> {prefix} <SUF>{suffix} <MID>`.
      prefix: '<PRE> ',
      suffix: ' <SUF>',
      middle: ' <MID>',
      repo: undefined,
      suffixFirst: false,
      stop: ['<EOT>', '</s>', '<PRE>', '<SUF>', '<MID>'],
    },
    vocabulary: {
      prefix: ['\u2581<PRE>', '<PRE>'],
      suffix: ['\u2581<SUF>', '<SUF>'],
      middle: ['\u2581<MID>', '<MID>'],
      middleRequired: true,
      pad: [],
      repoName: [],
      fileSep: [],
    },
    ggufHints: ['codellama', 'code llama', 'code-llama'],
    modelName: /code[-_]?llama/,
    architectures: ['llama'],
    ownsArchitecture: false,
  },
  codestral: {
    template: {
      family: 'codestral',
      prefix: '[PREFIX]',
      suffix: '[SUFFIX]',
      middle: '',
      repo: undefined,
      suffixFirst: true,
      stop: ['</s>', '[PREFIX]', '[SUFFIX]', '[MIDDLE]'],
    },
    vocabulary: {
      prefix: ['[PREFIX]'],
      suffix: ['[SUFFIX]'],
      middle: ['[MIDDLE]'],
      middleRequired: false,
      pad: [],
      repoName: [],
      fileSep: [],
    },
    ggufHints: ['codestral', 'mistral'],
    modelName: /codestral/,
    architectures: ['llama', 'mistral'],
    ownsArchitecture: false,
  },
};

export const FIM_FAMILIES: readonly FimFamily[] = ['qwen', 'starcoder2', 'deepseek', 'codellama', 'codestral'];

export function fimFamilySpec(family: FimFamily): FimFamilySpec {
  return FAMILY_SPECS[family];
}

export function fimTemplate(family: FimFamily): FimTemplate {
  return FAMILY_SPECS[family].template;
}

/** What a server says about a model (the name the user configured, and what the server reports). */
export interface ServedModelFacts {
  /** The configured name, e.g. `qwen2.5-coder:1.5b-base` or `hf.co/org/Repo-GGUF:Q4_K_M`. */
  name: string;
  /** The model's architecture (`general.architecture`), when the server reports it. */
  architecture?: string;
  /** The server's prompt template text; FIM models mention their control tokens in it. */
  template?: string;
}

/**
 * The family Bantam's own prompt may be rendered in for a model a server runs, or undefined when it
 * is not sure: a prompt laid out for the wrong family turns into plain text the model was never
 * trained on, so every rule here prefers "unknown" to a guess. The template's prefix marker names a
 * family first (no marker contains another), then the name, then an architecture only one family uses.
 */
export function fimFamilyOfServedModel(facts: ServedModelFacts): FimFamily | undefined {
  const candidate = fromTemplate(facts.template) ?? fimFamilyFromModelName(facts.name) ?? fromArchitecture(facts.architecture);
  if (candidate === undefined) return undefined;
  const architecture = facts.architecture?.toLowerCase();
  if (architecture && !FAMILY_SPECS[candidate].architectures.includes(architecture)) return undefined;
  return candidate;
}

/** The family whose code models are named like `name`, if any. */
export function fimFamilyFromModelName(name: string): FimFamily | undefined {
  const lower = name.toLowerCase();
  return FIM_FAMILIES.find((family) => FAMILY_SPECS[family].modelName.test(lower));
}

function fromTemplate(template: string | undefined): FimFamily | undefined {
  if (!template) return undefined;
  // The prefix marker without CodeLlama's padding space is what a server's template mentions.
  return FIM_FAMILIES.find((family) => template.includes(FAMILY_SPECS[family].template.prefix.trim()));
}

function fromArchitecture(architecture: string | undefined): FimFamily | undefined {
  if (!architecture) return undefined;
  const lower = architecture.toLowerCase();
  return FIM_FAMILIES.find((family) => FAMILY_SPECS[family].ownsArchitecture && FAMILY_SPECS[family].architectures.includes(lower));
}
