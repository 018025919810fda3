// What an Ollama model's /api/show answer says about it (architecture, template, capabilities), for
// models/fimFamilies.ts to decide its FIM family. Bantam sends its own rendered prompt (raw mode)
// only when it is sure of the family; otherwise Ollama's suffix mode (its own template) works for
// models that declare "insert".

import type { ServedModelFacts } from '../../models/fimFamilies';

/** The parts of an /api/show answer (plus the model's name) that say which family it is. */
export interface OllamaModelFacts extends ServedModelFacts {
  /** `capabilities` from /api/show (e.g. `completion`, `insert`); undefined on old servers. */
  capabilities?: string[];
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
