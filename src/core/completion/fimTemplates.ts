// The fill-in-the-middle vocabulary of each model family: the FIM markers, the repo-level markers if
// the family was trained with them, the strings that must end a completion, and whether the family's
// native order puts the suffix first. Pure data plus the one way to join it; promptBuilder.ts decides
// what goes into the slots.
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

const templates: Record<FimFamily, FimTemplate> = {
  qwen: {
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
  starcoder2: {
    family: 'starcoder2',
    prefix: '<fim_prefix>',
    suffix: '<fim_suffix>',
    middle: '<fim_middle>',
    repo: { repoName: '<repo_name>', fileSep: '<file_sep>', afterRepoName: '', currentPath: 'inside-prefix' },
    suffixFirst: false,
    stop: ['<|endoftext|>', '<file_sep>', '<fim_pad>', '<repo_name>', '<fim_prefix>', '<fim_suffix>', '<fim_middle>'],
  },
  deepseek: {
    family: 'deepseek',
    prefix: '<｜fim▁begin｜>',
    suffix: '<｜fim▁hole｜>',
    middle: '<｜fim▁end｜>',
    repo: undefined,
    suffixFirst: false,
    stop: ['<｜end▁of▁sentence｜>', '<|EOT|>', '<｜fim▁begin｜>', '<｜fim▁hole｜>', '<｜fim▁end｜>'],
  },
  codellama: {
    family: 'codellama',
    // Meta's reference format: `<PRE> {prefix} <SUF>{suffix} <MID>`.
    prefix: '<PRE> ',
    suffix: ' <SUF>',
    middle: ' <MID>',
    repo: undefined,
    suffixFirst: false,
    stop: ['<EOT>', '</s>', '<PRE>', '<SUF>', '<MID>'],
  },
  codestral: {
    family: 'codestral',
    prefix: '[PREFIX]',
    suffix: '[SUFFIX]',
    middle: '',
    repo: undefined,
    suffixFirst: true,
    stop: ['</s>', '[PREFIX]', '[SUFFIX]', '[MIDDLE]'],
  },
};

export const FIM_FAMILIES: readonly FimFamily[] = ['qwen', 'starcoder2', 'deepseek', 'codellama', 'codestral'];

export function fimTemplate(family: FimFamily): FimTemplate {
  return templates[family];
}

/** The plain FIM part in the family's native order: PSM, or SPM for suffix-first families. */
export function renderFim(template: FimTemplate, prefix: string, suffix: string): string {
  return template.suffixFirst
    ? `${template.suffix}${suffix}${template.prefix}${prefix}${template.middle}`
    : `${template.prefix}${prefix}${template.suffix}${suffix}${template.middle}`;
}

/**
 * Control strings of the family as they could leak into generated text: the stop strings and the
 * markers without their padding spaces. Used by postprocess to cut output a backend did not stop.
 */
export function controlStrings(family: FimFamily): readonly string[] {
  const t = templates[family];
  const all = new Set<string>(t.stop);
  for (const marker of [t.prefix, t.suffix, t.middle]) if (marker.trim()) all.add(marker.trim());
  if (t.repo) {
    all.add(t.repo.repoName);
    all.add(t.repo.fileSep);
  }
  return [...all];
}
