// Replays the next-edit benchmark's edit traces (bench/fixtures/nextEdit/traces.json): each trace is
// a real multi-site change to code of this repository, applied step by step. After each step but the
// last, the benchmark asks for the next edit: the history so far as hunks, the editable window
// around the step's edit, and what that window becomes once the whole change is done.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EditHunk, EditableWindow } from '../src/core/nextEdit/nextEditTypes';

interface TraceFile {
  traces: { name: string; path: string; before: string; steps: { find: string; replace: string }[] }[];
}

export interface TraceStep {
  trace: string;
  /** 1-based: how many steps of the change the user has made. */
  step: number;
  path: string;
  /** Oldest first: one hunk per step made so far. */
  history: EditHunk[];
  /** The window around the last edit, in the document as it is now. */
  window: EditableWindow;
  /** The same lines before the last edit (Sweep's "original"). */
  originalWindow: string;
  /** The same lines once the whole change is made: the rewrite the model should answer. */
  expectedWindow: string;
}

/** Sweep's fixed window: 21 lines, centred on the edit where the file allows. */
export const WINDOW_LINES = 21;

export function loadTraces(root: string): TraceFile['traces'] {
  return (JSON.parse(readFileSync(join(root, 'bench', 'fixtures', 'nextEdit', 'traces.json'), 'utf8')) as TraceFile).traces;
}

/** The line range [start, end) of the first and last lines that differ between two texts' lines. */
function changedLines(before: string[], after: string[]): { start: number; endBefore: number; endAfter: number } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  return { start, endBefore, endAfter };
}

/** Every step after which a next edit remains (all but the last), in trace order. */
export function traceSteps(traces: TraceFile['traces'], maxSteps = Number.POSITIVE_INFINITY): TraceStep[] {
  const out: TraceStep[] = [];
  for (const trace of traces) {
    const docs = [trace.before];
    for (const { find, replace } of trace.steps) {
      const doc = docs.at(-1)!;
      if (!doc.includes(find)) throw new Error(`trace "${trace.name}": step text not found: ${find}`);
      docs.push(doc.replace(find, () => replace));
    }
    const final = docs.at(-1)!.split('\n');
    const history: EditHunk[] = [];
    for (let i = 1; i < docs.length - 1 && i <= maxSteps; i++) {
      const before = docs[i - 1]!.split('\n');
      const now = docs[i]!.split('\n');
      const changed = changedLines(before, now);
      history.push({
        path: trace.path,
        startLine: changed.start,
        original: before.slice(changed.start, changed.endBefore).join('\n'),
        updated: now.slice(changed.start, changed.endAfter).join('\n'),
        at: i,
      });
      const start = Math.max(0, Math.min(changed.start - Math.floor(WINDOW_LINES / 2), now.length - WINDOW_LINES));
      const end = Math.min(now.length, start + WINDOW_LINES);
      const text = now.slice(start, end).join('\n');
      const lastLine = now[changed.endAfter - 1] ?? '';
      const cursorOffset = now.slice(start, changed.endAfter - 1).join('\n').length + (changed.endAfter - 1 > start ? 1 : 0) + lastLine.length;
      out.push({
        trace: trace.name,
        step: i,
        path: trace.path,
        history: [...history],
        window: { startLine: start, endLine: end, text, cursorOffset: Math.min(cursorOffset, text.length) },
        originalWindow: before.slice(start, start + (end - start) - (now.length - before.length)).join('\n'),
        expectedWindow: final.slice(start, end + (final.length - now.length)).join('\n'),
      });
    }
  }
  return out;
}
