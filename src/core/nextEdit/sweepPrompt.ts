// Sweep Next-Edit's prompt (sweepai/sweep-next-edit-0.5B and -1.5B), as its card's run_model.py
// builds it (https://huggingface.co/sweepai/sweep-next-edit-1.5B/blob/main/run_model.py) and the
// blog documents it (https://blog.sweep.dev/posts/oss-next-edit): blocks joined by "\n", related
// files as `<|file_sep|>{path}` blocks, each recent change as a `<|file_sep|>{path}.diff` block of
// `original:`/`updated:` lines, then the window before the most recent change (`original/`), the
// window now (`current/`) and the `updated/` header the model continues with the rewritten window.
//
// For the KV cache: the related files and the older changes come first, and the change being typed
// is not a .diff block but the difference between `original/` and `current/`, so everything up to
// the `original/` header stays byte-identical while the user types inside the window.
import type { EditableWindow, EditHunk, NextEditInput, NextEditPrompt } from './nextEditTypes';

export const SWEEP_FILE_SEP = '<|file_sep|>';
/** run_model.py stops at the next block; Qwen's end of text ends the rest. */
export const SWEEP_STOP = [SWEEP_FILE_SEP, '<|endoftext|>'];

/** The card's build_prompt, block for block. */
export interface SweepBlocks {
  contextFiles: readonly { path: string; text: string }[];
  recentDiffs: readonly { path: string; original: string; updated: string }[];
  filePath: string;
  originalContent: string;
  currentContent: string;
}

/** The prompt text of the card's format, and where its stable part ends (after the `original/` header line). */
export function renderSweepBlocks(blocks: SweepBlocks): { text: string; stablePrefixChars: number } {
  const parts: string[] = [];
  for (const file of blocks.contextFiles) parts.push(`${SWEEP_FILE_SEP}${file.path}`, file.text);
  for (const diff of blocks.recentDiffs) {
    parts.push(`${SWEEP_FILE_SEP}${diff.path}.diff`, 'original:', diff.original, 'updated:', diff.updated);
  }
  parts.push(`${SWEEP_FILE_SEP}original/${blocks.filePath}`);
  const stablePrefixChars = parts.join('\n').length + 1;
  parts.push(blocks.originalContent, `${SWEEP_FILE_SEP}current/${blocks.filePath}`, blocks.currentContent, `${SWEEP_FILE_SEP}updated/${blocks.filePath}`);
  return { text: parts.join('\n'), stablePrefixChars };
}

/**
 * The Sweep prompt for `input`. Viewed ranges join the related files as file blocks (labelled with
 * their lines). The model answers with "\n" and the rewritten window; the answer part reads it.
 */
export function sweepPrompt(input: NextEditInput): NextEditPrompt {
  const typing = typedInWindow(input.path, input.history, input.window);
  const older = typing ? input.history.slice(0, -1) : input.history;
  const { text, stablePrefixChars } = renderSweepBlocks({
    contextFiles: [
      ...input.related,
      ...input.viewed.map((v) => ({ path: `${v.path}:${v.startLine + 1}:${v.endLine}`, text: v.text })),
    ],
    recentDiffs: older.map((h) => ({ path: h.path, original: h.original, updated: h.updated })),
    filePath: input.path,
    originalContent: typing ? windowBefore(input.window, typing) : input.window.text,
    currentContent: input.window.text,
  });
  return { format: 'sweep', text, stablePrefixChars, stop: [...SWEEP_STOP], window: input.window };
}

/** The newest hunk when it is in this document and its lines are inside the window as they are now. */
function typedInWindow(path: string, history: readonly EditHunk[], window: EditableWindow): EditHunk | undefined {
  const last = history.at(-1);
  if (!last || last.path !== path) return undefined;
  const updated = last.updated.split('\n');
  const lines = window.text.split('\n');
  const from = last.startLine - window.startLine;
  if (from < 0 || last.startLine + updated.length > window.endLine) return undefined;
  return updated.every((line, i) => lines[from + i] === line) ? last : undefined;
}

/** The window with the hunk taken back: "contents prior to most recent change". */
function windowBefore(window: EditableWindow, hunk: EditHunk): string {
  const lines = window.text.split('\n');
  const from = hunk.startLine - window.startLine;
  lines.splice(from, hunk.updated.split('\n').length, ...hunk.original.split('\n'));
  return lines.join('\n');
}
