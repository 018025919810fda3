// Which FIM prompt family an Ollama model speaks, read from its /api/show answer. Bantam sends its
// own rendered prompt (raw mode) only when it is sure of the family: a prompt laid out for the
// wrong family turns into plain text the model was never trained on and produces noise, while
// Ollama's suffix mode (its own template) always works for models that declare "insert". So every
// rule here prefers "unknown" to a guess.

import { FIM_FAMILIES, fimTemplate } from '../../completion/fimTemplates';
import type { FimFamily } from '../../kernel/completionTypes';

/** The parts of an /api/show answer (plus the model's name) that say which family it is. */
export interface OllamaModelFacts {
  /** The name the user configured, e.g. `qwen2.5-coder:1.5b-base` or `hf.co/org/Repo-GGUF:Q4_K_M`. */
  name: string;
  /** `model_info['general.architecture']`, falling back to `details.family`. */
  architecture?: string;
  /** The model's Ollama template text; FIM models mention their control tokens in it. */
  template?: string;
  /** `capabilities` from /api/show (e.g. `completion`, `insert`); undefined on old servers. */
  capabilities?: string[];
}

/**
 * Each family's FIM prefix marker (from fimTemplates, without CodeLlama's padding space) is what its
 * Ollama template mentions, so it names the family. No marker contains another.
 */
const TEMPLATE_MARKERS: ReadonlyArray<readonly [marker: string, family: FimFamily]> = FIM_FAMILIES.map(
  (family) => [fimTemplate(family).prefix.trim(), family] as const,
);

/** Model names of the code models each family was written for (the Ollama library's names and HF repos). */
const NAME_PATTERNS: ReadonlyArray<readonly [pattern: RegExp, family: FimFamily]> = [
  [/qwen[\d.]*[-_]?coder/, 'qwen'],
  [/starcoder2/, 'starcoder2'],
  [/deepseek[-_]?coder/, 'deepseek'],
  [/code[-_]?llama/, 'codellama'],
  [/codestral/, 'codestral'],
];

/** Architectures that only ever carry one family's FIM vocabulary, so the architecture alone decides. */
const ARCHITECTURE_ONLY: Readonly<Record<string, FimFamily>> = {
  starcoder2: 'starcoder2',
};

/**
 * Architectures a family's models are built on. A template marker or a name pointing at a family
 * whose architectures don't include the model's is not trusted: CodeGemma, for one, shares
 * Qwen's `<|fim_prefix|>` tokens but not its repo-level `<|file_sep|>` tokens.
 */
const FAMILY_ARCHITECTURES: Readonly<Record<FimFamily, readonly string[]>> = {
  qwen: ['qwen2', 'qwen2moe', 'qwen3', 'qwen3moe'],
  starcoder2: ['starcoder2'],
  deepseek: ['llama', 'deepseek2'],
  codellama: ['llama'],
  codestral: ['llama', 'mistral'],
};

/** The family Bantam's own prompt may be rendered in for this model, or undefined for suffix mode. */
export function detectFimFamily(facts: OllamaModelFacts): FimFamily | undefined {
  const candidate = fromTemplate(facts.template) ?? fromName(facts.name) ?? fromArchitecture(facts.architecture);
  if (candidate === undefined) return undefined;
  const architecture = facts.architecture?.toLowerCase();
  if (architecture && !FAMILY_ARCHITECTURES[candidate].includes(architecture)) return undefined;
  return candidate;
}

function fromTemplate(template: string | undefined): FimFamily | undefined {
  if (!template) return undefined;
  return TEMPLATE_MARKERS.find(([marker]) => template.includes(marker))?.[1];
}

function fromName(name: string): FimFamily | undefined {
  const lower = name.toLowerCase();
  return NAME_PATTERNS.find(([pattern]) => pattern.test(lower))?.[1];
}

function fromArchitecture(architecture: string | undefined): FimFamily | undefined {
  return architecture ? ARCHITECTURE_ONLY[architecture.toLowerCase()] : undefined;
}

/** Pulls the facts out of an /api/show answer without trusting its shape (proxies and old servers differ). */
export function factsFromShow(name: string, show: unknown): OllamaModelFacts {
  const record = isRecord(show) ? show : {};
  const modelInfo = isRecord(record['model_info']) ? record['model_info'] : {};
  const details = isRecord(record['details']) ? record['details'] : {};
  const architecture = stringOr(modelInfo['general.architecture']) ?? stringOr(details['family']);
  const template = stringOr(record['template']);
  const capabilities = Array.isArray(record['capabilities'])
    ? record['capabilities'].filter((c): c is string => typeof c === 'string')
    : undefined;
  return { name, architecture, template, capabilities };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
