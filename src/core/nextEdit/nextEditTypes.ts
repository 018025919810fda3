// The vocabulary of next-edit suggestions, shared by its parts: the edit history the host records,
// the editable window around the cursor, the prompt a model family was trained on, the model's
// answer turned into edits, and what the editor shows. Offsets are UTF-16 code units into the
// document text (as VS Code's offsets are); lines are 0-based.

/** One recorded change of the user's, coalesced by time and place: the text before and after. */
export interface EditHunk {
  /** Workspace-relative path of the document (folder-prefixed in a multi-root workspace). */
  path: string;
  /** 0-based line where `original` started in the document as it was before the hunk. */
  startLine: number;
  /** The lines the hunk touched, as they were (whole lines, joined with \n). */
  original: string;
  /** The same lines as they are after the hunk. */
  updated: string;
  /** performance.now()-style time of the hunk's last keystroke. */
  at: number;
}

/** A range the user looked at recently (scrolled to, jumped to), as context for the model. */
export interface ViewedRange {
  path: string;
  startLine: number;
  /** Exclusive. */
  endLine: number;
  text: string;
  at: number;
}

/** The lines the model may rewrite: whole lines around the cursor. */
export interface EditableWindow {
  /** 0-based first line of the window. */
  startLine: number;
  /** 0-based line after the window (exclusive). */
  endLine: number;
  /** The window's text: lines startLine..endLine-1 joined with \n (no trailing newline). */
  text: string;
  /** The cursor as an offset into `text`. */
  cursorOffset: number;
}

/** Everything a prompt format needs, gathered by the host from the document and the history. */
export interface NextEditInput {
  path: string;
  languageId: string;
  /** The whole document text now. */
  documentText: string;
  /** The cursor as an offset into documentText. */
  cursorOffset: number;
  window: EditableWindow;
  /** Oldest first; already filtered (no git-ignored or secret documents) and bounded. */
  history: readonly EditHunk[];
  /** Related code (other files), oldest first, e.g. retrieval snippets. */
  related: readonly { path: string; text: string }[];
  viewed: readonly ViewedRange[];
}

/** A prompt ready for the model: its text, and what the answer must be read against. */
export interface NextEditPrompt {
  /** The model family's name, e.g. 'sweep', 'zeta'. */
  format: NextEditFormatName;
  text: string;
  /**
   * Characters at the start of `text` that stay byte-identical while the user types inside the
   * window (history and context first), so the KV cache keeps them.
   */
  stablePrefixChars: number;
  /** Stop strings that end the model's rewrite of the window. */
  stop: string[];
  /** What the model's answer rewrites. */
  window: EditableWindow;
}

export type NextEditFormatName = 'sweep' | 'zeta';

/** One change of a suggestion: replace [startOffset, endOffset) of the document with `newText`. */
export interface SuggestedEdit {
  startOffset: number;
  endOffset: number;
  newText: string;
}

/** A next-edit suggestion, ready to show: minimal edits inside the window, for one document version. */
export interface NextEditSuggestion {
  path: string;
  /** The document version the edits were computed against; a newer version makes them stale. */
  documentVersion: number;
  edits: SuggestedEdit[];
  /** ms from the request to the answer (for the stats). */
  latencyMs: number;
}

/** How eagerly next-edit asks the model (bantam.nextEdit.eagerness). */
export type NextEditEagerness = 'low' | 'medium' | 'high';
