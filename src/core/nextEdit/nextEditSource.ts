// How the editor side of next-edit meets the parts that predict: the editor hands a NextEditSource a
// plain snapshot of the document and cursor (and an AbortSignal that fires when the user moves on),
// and gets back a suggestion for that document version, or nothing. What the user then does with a
// shown suggestion comes back as NextEditOutcome events, for stats and adaptive waits.
import type { NextEditSuggestion } from './nextEditTypes';

/** The document and cursor at the moment a suggestion is asked for. */
export interface NextEditRequest {
  /** Workspace-relative path (folder-prefixed in a multi-root workspace). */
  path: string;
  languageId: string;
  /** The whole document text. */
  text: string;
  /** The document version `text` belongs to; the suggestion must carry it back. */
  documentVersion: number;
  /** The cursor as an offset into `text`. */
  cursorOffset: number;
}

/** Predicts the next edit; resolves undefined for "nothing to suggest" (or when aborted). */
export interface NextEditSource {
  suggest(request: NextEditRequest, signal: AbortSignal): Promise<NextEditSuggestion | undefined>;
}

/** What became of a suggestion the editor showed. */
export type NextEditOutcome =
  | { kind: 'shown'; suggestion: NextEditSuggestion; as: 'ghost' | 'decorations' }
  | { kind: 'jumped'; suggestion: NextEditSuggestion }
  | { kind: 'accepted'; suggestion: NextEditSuggestion }
  | { kind: 'dismissed'; suggestion: NextEditSuggestion; reason: NextEditDismissal };

/** Why a shown suggestion went away without being accepted. */
export type NextEditDismissal = 'escape' | 'typed' | 'moved' | 'stale' | 'editor-changed' | 'disabled';
