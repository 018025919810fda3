// Which prompt format a next-edit model was trained on, and the format's window and renderer. A
// GGUF is recognised by its names (general.name, general.basename, the file name), the way
// models/fimFamilies.ts recognises FIM families; a served model by its configured name, or by the
// format a setting names. Sweep's format is the default: both families are Qwen2.5-Coder
// fine-tunes, and Sweep's blocks are Qwen's own pretraining markers, so an unknown Qwen model reads
// them best.
import { editableWindowFor, type LineRange } from './editableWindow';
import type { EditableWindow, NextEditFormatName, NextEditInput, NextEditPrompt } from './nextEditTypes';
import { sweepPrompt } from './sweepPrompt';
import { zetaPrompt } from './zetaPrompt';

export interface NextEditFamilySpec {
  format: NextEditFormatName;
  /** Matches a lower-cased model name or file name of the family. */
  modelName: RegExp;
  /** The lines the model rewrites around the cursor; `previous` is the document's last window, kept when it still fits. */
  window(text: string, cursorOffset: number, previous?: LineRange): EditableWindow;
  render(input: NextEditInput): NextEditPrompt;
}

const SPECS: Record<NextEditFormatName, NextEditFamilySpec> = {
  sweep: {
    format: 'sweep',
    // sweepai/sweep-next-edit-0.5B, sweep-next-edit-1.5b.q8_0.v2.gguf, "Sweep Next Edit 1.5B".
    modelName: /sweep[-_. ]?next[-_. ]?edit/,
    window: (text, cursor, previous) => editableWindowFor('sweep', text, cursor, previous),
    render: sweepPrompt,
  },
  zeta: {
    format: 'zeta',
    // zed-industries/zeta, zeta.Q8_0.gguf, "Zeta"; not words that merely contain it (zetaforge).
    modelName: /(^|[^a-z])zeta([^a-z]|$)/,
    window: (text, cursor) => editableWindowFor('zeta', text, cursor),
    render: zetaPrompt,
  },
};

export const NEXT_EDIT_FORMATS: readonly NextEditFormatName[] = ['sweep', 'zeta'];
export const DEFAULT_NEXT_EDIT_FORMAT: NextEditFormatName = 'sweep';

export function nextEditFamilySpec(format: NextEditFormatName): NextEditFamilySpec {
  return SPECS[format];
}

/** What is known of a next-edit model: a GGUF's names and file, or a served model's configured name. */
export interface NextEditModelFacts {
  /** general.name of a GGUF, or a served model's name. */
  name?: string;
  /** general.basename of a GGUF. */
  basename?: string;
  /** The GGUF's path or file name, or an `hf:` URI. */
  file?: string;
}

/** The format whose models are named like `name`, if any. */
export function nextEditFormatFromName(name: string): NextEditFormatName | undefined {
  const lower = name.toLowerCase();
  return NEXT_EDIT_FORMATS.find((format) => SPECS[format].modelName.test(lower));
}

/**
 * The format to prompt a model in: the one a setting names (anything but 'auto'), else the first
 * the model's names reveal (general.name, general.basename, then the file name), else Sweep's.
 */
export function nextEditFormatOf(facts: NextEditModelFacts, setting: NextEditFormatName | 'auto' = 'auto'): NextEditFormatName {
  if (setting !== 'auto') return setting;
  for (const name of [facts.name, facts.basename, facts.file]) {
    const format = name ? nextEditFormatFromName(name.split(/[\\/]/).at(-1)!) : undefined;
    if (format) return format;
  }
  return DEFAULT_NEXT_EDIT_FORMAT;
}
