// Read-ahead: where the cursor comes to rest, the prompt for that place is read before the first
// keystroke there.
//
// Why: while the user types at one place the model's cache holds the prompt and a keystroke costs a
// few tokens, but a jump to another function makes the whole prompt new, and on a CPU that read
// takes a second or more: the first pause at the new place would show nothing. The user spends that
// time clicking, selecting and deciding what to type, so the read can happen then.
//
// Rule: a place is where the cursor came to rest (no edit since the previous cursor event, and
// still for SETTLE_MS), or another editor became active. What is read is the document as typing
// there would find it: as it is for a bare cursor, and with the selection removed for a single
// selection (typing replaces it). The engine reads only with an idle model, and any request the user
// makes supersedes the read, keeping what was read (CompletionEngine.readAhead).

import type { CompletionRequest } from '../kernel/completionTypes';

/** How long the cursor must stay put before its place is read (arrow-key repeats come every ~30 ms). */
export const READ_AHEAD_SETTLE_MS = 150;

/** The request as the first keystroke over the selection [from, to) would find the document. */
export function typedOver(request: CompletionRequest, from: number, to: number): CompletionRequest {
  const start = Math.max(0, Math.min(from, to, request.text.length));
  const end = Math.min(request.text.length, Math.max(from, to));
  return {
    ...request,
    text: request.text.slice(0, start) + request.text.slice(end),
    offset: start,
    selectionEmpty: true,
    explicit: false,
  };
}
