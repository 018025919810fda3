// What a next-edit prompt is built from, gathered for one request: the model family's window around
// the cursor, the recorded edit history and the ranges the user looked at, each cut to what a CPU can
// read quickly. Oldest hunks go first when the history is over budget (the newest say most about the
// next edit); viewed ranges that overlap the window are left out (the window shows those lines as they
// are now, a viewed range as they were).
import type { NextEditRequest } from './nextEditSource';
import type { LineRange } from './editableWindow';
import { nextEditFamilySpec } from './nextEditFamilies';
import type { EditHunk, NextEditFormatName, NextEditInput, ViewedRange } from './nextEditTypes';

/** How much of the recorded history and viewing goes into one prompt. */
export interface PromptHistoryBudget {
  /** Newest hunks kept (over every document). */
  maxHunks: number;
  /** Characters of original + updated over the kept hunks. */
  maxHunkChars: number;
  /** Newest viewed ranges kept. */
  maxViewed: number;
  /** Characters over the kept viewed ranges. */
  maxViewedChars: number;
}

/**
 * About 1,500 tokens of history and 1,000 of viewed code: read once (the KV cache keeps them while the
 * user types), they cost a 0.5B model on two CPU cores a few seconds the first time, nothing after.
 */
export const DEFAULT_PROMPT_HISTORY_BUDGET: PromptHistoryBudget = { maxHunks: 8, maxHunkChars: 6000, maxViewed: 3, maxViewedChars: 4000 };

/** The recorded history a prompt draws on (EditHistory, or a replayed file in the CLI). */
export interface NextEditRecord {
  hunks(): readonly EditHunk[];
  viewed(): readonly ViewedRange[];
}

/** The newest items of `items` (oldest first) whose sizes fit `maxCount` and `maxChars`, oldest first. */
function newestWithin<T>(items: readonly T[], maxCount: number, maxChars: number, size: (item: T) => number): T[] {
  const kept: T[] = [];
  let chars = 0;
  for (let i = items.length - 1; i >= 0 && kept.length < maxCount; i--) {
    const item = items[i]!;
    chars += size(item);
    if (chars > maxChars) break;
    kept.unshift(item);
  }
  return kept;
}

/**
 * The input of `format`'s prompt for `request`, from what `record` holds; `previousWindow` is the
 * window of this document's last prompt (kept while the cursor stays well inside it).
 */
export function buildNextEditInput(
  request: NextEditRequest,
  format: NextEditFormatName,
  record: NextEditRecord,
  budget: PromptHistoryBudget = DEFAULT_PROMPT_HISTORY_BUDGET,
  previousWindow?: LineRange,
): NextEditInput {
  const window = nextEditFamilySpec(format).window(request.text, request.cursorOffset, previousWindow);
  const history = newestWithin(record.hunks(), budget.maxHunks, budget.maxHunkChars, (h) => h.original.length + h.updated.length);
  const elsewhere = record
    .viewed()
    .filter((v) => v.path !== request.path || v.endLine <= window.startLine || v.startLine >= window.endLine);
  const viewed = newestWithin(elsewhere, budget.maxViewed, budget.maxViewedChars, (v) => v.text.length);
  return {
    path: request.path,
    languageId: request.languageId,
    documentText: request.text,
    cursorOffset: request.cursorOffset,
    window,
    history,
    related: [],
    viewed,
  };
}
