// Replays the next-edit benchmark's edit traces (bench/fixtures/nextEdit/traces.json) the way the
// editor sees them: each trace is a real multi-site change to code of this repository, and each of its
// steps (a find/replace) is typed as keystrokes, one character erased or typed at a time, into the
// pipeline's EditHistory, which coalesces them into hunks by time and place as it does in the editor.
// After every step but the last, the step asks for the next edit exactly as the editor will: a
// request at the cursor, buildNextEditInput (Sweep's window around the cursor, the history within the
// prompt budget) and Sweep's prompt. It also says what that window becomes once the whole change is
// made: the rewrite a good model answers, whose length the benchmark generates.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EditHistory, lineCount, lineHunk } from '../src/core/nextEdit/editHistory';
import type { LineRange } from '../src/core/nextEdit/editableWindow';
import { buildNextEditInput } from '../src/core/nextEdit/nextEditInput';
import type { NextEditRequest } from '../src/core/nextEdit/nextEditSource';
import { nextEditFamilySpec } from '../src/core/nextEdit/nextEditFamilies';
import type { EditHunk, NextEditPrompt } from '../src/core/nextEdit/nextEditTypes';

interface TraceStepText {
  find: string;
  replace: string;
}

export interface EditTrace {
  name: string;
  path: string;
  before: string;
  steps: TraceStepText[];
}

export interface TraceStep {
  trace: string;
  /** 1-based: how many steps of the change the user has made. */
  step: number;
  /** The document and cursor once the step is typed. */
  request: NextEditRequest;
  /** The pipeline's prompt for the request. */
  prompt: NextEditPrompt;
  /** The history's hunks after the step, oldest first (steps typed close together coalesce into one). */
  hunks: EditHunk[];
  /** The prompt's window once the whole change is made: the rewrite the model should answer. */
  expectedWindow: string;
}

/** A typist's gap between keystrokes (about 80 words a minute). */
export const KEYSTROKE_MS = 150;
/**
 * From a step's last keystroke to the next step's first: the editor's wait before it asks (600 ms at
 * the default eagerness), a look at the suggestion, the move to the next site. Under the history's
 * 3 s, so steps a few lines apart coalesce as they do for a user working at this pace.
 */
export const STEP_GAP_MS = 2000;

const FORMAT = 'sweep';

export function loadTraces(root: string): EditTrace[] {
  return (JSON.parse(readFileSync(join(root, 'bench', 'fixtures', 'nextEdit', 'traces.json'), 'utf8')) as { traces: EditTrace[] }).traces;
}

/** The document after a trace step: its `find` replaced once, where it first occurs. */
function applyStep(trace: EditTrace, doc: string, { find, replace }: TraceStepText): { at: number; after: string } {
  const at = doc.indexOf(find);
  if (at < 0) throw new Error(`trace "${trace.name}": step text not found: ${find}`);
  return { at, after: doc.slice(0, at) + replace + doc.slice(at + find.length) };
}

/**
 * The documents a user passes through making `find` -> `replace` at `at` by hand: the characters
 * that differ erased one at a time from the end, then the new ones typed one at a time; and where
 * the cursor ends (after the last character typed).
 */
export function keystrokes(doc: string, at: number, { find, replace }: TraceStepText): { docs: string[]; cursor: number } {
  let same = 0;
  while (same < find.length && same < replace.length && find[same] === replace[same]) same++;
  let sameEnd = 0;
  while (sameEnd < find.length - same && sameEnd < replace.length - same && find[find.length - 1 - sameEnd] === replace[replace.length - 1 - sameEnd]) sameEnd++;
  const from = at + same;
  const erased = find.length - same - sameEnd;
  const typed = replace.slice(same, replace.length - sameEnd);
  const docs: string[] = [];
  let now = doc;
  for (let i = erased; i > 0; i--) {
    now = now.slice(0, from + i - 1) + now.slice(from + i);
    docs.push(now);
  }
  for (let i = 0; i < typed.length; i++) {
    now = now.slice(0, from + i) + typed[i]! + now.slice(from + i);
    docs.push(now);
  }
  return { docs, cursor: from + typed.length };
}

/**
 * Where the lines [startLine, endLine) of `before` are in `after`, one step of the change later: a
 * change above them moves them, a change among them grows or shrinks them.
 */
export function followLines(before: string, after: string, lines: LineRange): LineRange {
  const hunk = lineHunk('', before, after, 0);
  if (!hunk) return lines;
  const grown = lineCount(hunk.updated) - lineCount(hunk.original);
  if (hunk.startLine + lineCount(hunk.original) <= lines.startLine) {
    return { startLine: lines.startLine + grown, endLine: lines.endLine + grown };
  }
  if (hunk.startLine < lines.endLine) return { startLine: lines.startLine, endLine: Math.max(lines.startLine, lines.endLine + grown) };
  return lines;
}

/** Every step after which a next edit remains (all but the last), in trace order, at most `maxSteps` per trace. */
export function traceSteps(traces: readonly EditTrace[], maxSteps = Number.POSITIVE_INFINITY): TraceStep[] {
  const out: TraceStep[] = [];
  for (const trace of traces) {
    const docs = [trace.before];
    for (const step of trace.steps) docs.push(applyStep(trace, docs.at(-1)!, step).after);
    const history = new EditHistory(() => true);
    let clock = 0;
    let version = 1;
    // The window of the last request, kept while the cursor stays inside it (as NextEditPredictor does).
    let window: LineRange | undefined;
    for (let i = 1; i < docs.length - 1 && i <= maxSteps; i++) {
      const before = docs[i - 1]!;
      const typing = keystrokes(before, applyStep(trace, before, trace.steps[i - 1]!).at, trace.steps[i - 1]!);
      let previous = before;
      for (const doc of typing.docs) {
        clock += KEYSTROKE_MS;
        history.record(trace.path, previous, doc, clock);
        previous = doc;
        version++;
      }
      clock += STEP_GAP_MS;
      if (previous !== docs[i]) throw new Error(`trace "${trace.name}": step ${i} typed does not give the step's document`);
      // Every trace is TypeScript; the prompts don't depend on the language.
      const request: NextEditRequest = { path: trace.path, languageId: 'typescript', text: previous, documentVersion: version, cursorOffset: typing.cursor };
      const input = buildNextEditInput(request, FORMAT, history, undefined, window);
      window = { startLine: input.window.startLine, endLine: input.window.endLine };
      const prompt = nextEditFamilySpec(FORMAT).render(input);
      let lines: LineRange = { startLine: prompt.window.startLine, endLine: prompt.window.endLine };
      for (let later = i; later < docs.length - 1; later++) lines = followLines(docs[later]!, docs[later + 1]!, lines);
      out.push({
        trace: trace.name,
        step: i,
        request,
        prompt,
        hunks: history.hunks(),
        expectedWindow: docs.at(-1)!.split('\n').slice(lines.startLine, lines.endLine).join('\n'),
      });
    }
  }
  return out;
}
