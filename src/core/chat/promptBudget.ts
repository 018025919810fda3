// How much code a routed task gathers, given the room the model it will go to has (Router's
// promptRoom): the preferred amounts suit a frontier model, and shrink to fit a small local window,
// so a task that stays local sends a prompt that fits instead of failing. Shared by the VS Code
// commands and the CLI so both send the same amount.
import { estimateTokens } from '../kernel/tokenEstimate';
import type { PromptFile, PromptSelection } from './taskPrompts';

/** Excerpts an "Ask About Codebase" question carries, at most. */
export const QUESTION_CONTEXT_TOKENS = 12_000;
/** Whole files and excerpts an "Edit Across Files" request carries, at most. */
export const EDIT_SCOPE_TOKENS = 24_000;
/** Retrieved context sent with a selection (refactor, explain, document, tests, fix), at most. */
export const SELECTION_CONTEXT_TOKENS = 2_000;
/** The system rules, the edit format and the user's words. */
export const PROMPT_OVERHEAD_TOKENS = 1_200;
/** Lines shown around a selection when its file is too long to show whole. */
const SELECTION_MARGIN_LINES = 60;

/** The preferred amount, or what the room leaves once the prompt's fixed parts are counted. */
export function fitToRoom(preferred: number, room: number): number {
  return Math.max(0, Math.min(preferred, room - PROMPT_OVERHEAD_TOKENS));
}

/**
 * The file a selection task shows the model: whole when it fits half the room (the model quotes it
 * exactly for its edits), else the lines around the selection with a note that only those may be
 * quoted. `text` stays whole: edits are matched against the whole file.
 */
export function selectionFile(path: string, text: string, selection: PromptSelection, room: number): PromptFile {
  if (estimateTokens(text) <= (room - PROMPT_OVERHEAD_TOKENS) / 2) return { path, text };
  return {
    path,
    text,
    range: {
      startLine: Math.max(1, selection.startLine - SELECTION_MARGIN_LINES),
      endLine: selection.endLine + SELECTION_MARGIN_LINES,
    },
  };
}

/** Tokens of the part of a file the model is shown. */
export function shownTokens(file: PromptFile): number {
  if (!file.range) return estimateTokens(file.text);
  const lines = file.text.split('\n').slice(file.range.startLine - 1, file.range.endLine);
  return estimateTokens(lines.join('\n'));
}
