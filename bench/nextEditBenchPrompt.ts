// The benchmark's next-edit prompt: a minimal Sweep-like layout (Qwen's <|file_sep|> blocks: the edit
// history as original/updated pairs first, then the window as it was, as it is, and the open block
// the model writes the updated window into). One function, so the prompt part's real Sweep format
// (core/nextEdit) can replace it: what the benchmark measures is its shape (a history prefix that
// stays byte-stable between requests, then a window the answer mostly copies).
import type { NextEditPrompt } from '../src/core/nextEdit/nextEditTypes';
import type { TraceStep } from './nextEditTrace';

const FILE_SEP = '<|file_sep|>';

export function benchPrompt(step: TraceStep): NextEditPrompt {
  const history = step.history
    .map((hunk) => `${FILE_SEP}${hunk.path}.diff\noriginal:\n${hunk.original}\nupdated:\n${hunk.updated}\n`)
    .join('');
  const windows = `${FILE_SEP}original/${step.path}\n${step.originalWindow}\n${FILE_SEP}current/${step.path}\n${step.window.text}\n${FILE_SEP}updated/${step.path}\n`;
  return {
    format: 'sweep',
    text: history + windows,
    stablePrefixChars: history.length,
    stop: [FILE_SEP, '<|endoftext|>'],
    window: step.window,
  };
}
