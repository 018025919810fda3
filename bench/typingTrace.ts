// The shape of a typing trace: what a simulated user does to one file, step by step, with the wait
// before each step. Traces are plain data produced ahead of time from a seed, so every variant
// replays exactly the same keystrokes; only reactions to a shown suggestion depend on the run.

/** What the user does when a pause ends and a suggestion is on screen (skipped when none is). */
export type PauseReaction =
  | {
      kind: 'typeThrough';
      /** Characters of the suggestion to type (fewer if the suggestion's first line is shorter). */
      chars: number;
      /** Waits before each typed character, then before each backspace that takes them back. */
      typeDelaysMs: number[];
      backspaceDelaysMs: number[];
    }
  | {
      kind: 'accept';
      /**
       * Least time the suggestion is on screen before Tab: nobody accepts what they have not read.
       * Tab comes when the pause ends, or this long after the suggestion appeared if that is later.
       */
      readMs: number;
      /** Tab to the follow-up request VS Code sends for the new cursor position. */
      followUpDelayMs: number;
      /** How long the accepted text stays before the user undoes it. */
      keepMs: number;
    };

export type TraceStep =
  /** One keystroke that inserts text: a character, or Enter plus the auto-indent VS Code adds. */
  | { kind: 'insert'; text: string; delayMs: number }
  | { kind: 'backspace'; delayMs: number }
  /** The cursor arrives at `offset` (a click or a jump): no edit, no request; VS Code reports a selection change. */
  | { kind: 'moveCursor'; offset: number; delayMs: number }
  /** The user has selected [from, to) (after shift+arrows or a drag): again only a selection change. */
  | { kind: 'select'; from: number; to: number; delayMs: number }
  /** Delete the selected span [from, to) (one request, like VS Code's). */
  | { kind: 'deleteSpan'; from: number; to: number; delayMs: number }
  /** The user stops typing for a while; the next step's own delay follows this one. */
  | { kind: 'pause'; delayMs: number; reaction?: PauseReaction };

export interface EditPoint {
  kind: 'restOfLine' | 'lines';
  /** 1-based line where the removed span starts. */
  line: number;
  /** The removed text, retyped by the trace. */
  text: string;
}

export interface FileTrace {
  /** Fixture name, e.g. "orderService.ts". */
  name: string;
  relativePath: string;
  languageId: string;
  /** The document as opened. */
  initialText: string;
  /** Where the cursor sits when the file opens (the priming request is asked there). */
  initialOffset: number;
  steps: TraceStep[];
  editPoints: EditPoint[];
  /** Sum of all step delays, i.e. the trace's length without reactions. */
  plannedMs: number;
}
