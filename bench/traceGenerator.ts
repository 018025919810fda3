// Generates a deterministic typing trace for one file: at a few edit points the user deletes a
// span (the rest of a line, or 2-8 whole lines) and types it again at human pace, with typos,
// pauses at line ends and now and then, and reactions to a shown suggestion at some pauses
// (typing a few of its characters and taking them back, or accepting it and undoing).
//
// Timing model, all from the seed: inter-key intervals are log-normal (median ~125 ms, clipped to
// 60-250 ms; shifted characters a little slower), Enter inserts the next line's indentation at once
// (VS Code auto-indents, nobody types leading spaces), and pauses of 0.5-2 s come at most line ends
// and after ~5% of word boundaries.
import { SeededRandom } from './seededRandom';
import type { EditPoint, FileTrace, PauseReaction, TraceStep } from './typingTrace';

export interface TraceOptions {
  /** Stop adding edit points once the planned trace is this long (ms of typing and pausing). */
  budgetMs: number;
  maxEditPoints: number;
  /** Longest span to retype; longer multi-line picks are cut back to fewer lines. */
  maxSpanChars: number;
}

export interface FixtureSource {
  name: string;
  relativePath: string;
  languageId: string;
  text: string;
}

const shifted = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZ~!@#$%^&*()_+{}|:"<>?');
const wordBoundary = new Set(' (),.:;=[]{}');
const cutAfter = new Set(' (.=,[:{');
// Keys next to each other on a QWERTY row, for plausible typos.
const neighbours: Record<string, string> = {
  a: 's', s: 'd', d: 'f', f: 'g', g: 'h', h: 'j', j: 'k', k: 'l', l: 'k', q: 'w', w: 'e', e: 'r', r: 't',
  t: 'y', y: 'u', u: 'i', i: 'o', o: 'p', p: 'o', z: 'x', x: 'c', c: 'v', v: 'b', b: 'n', n: 'm', m: 'n',
};

class StepWriter {
  readonly steps: TraceStep[] = [];
  plannedMs = 0;

  constructor(private readonly rng: SeededRandom) {}

  keyDelay(ch: string): number {
    const base = this.rng.logNormal(125, 0.35) + (shifted.has(ch) ? 25 : 0);
    return clamp(Math.round(base), 60, 250);
  }

  backspaceDelay(): number {
    return clamp(Math.round(this.rng.logNormal(110, 0.3)), 60, 250);
  }

  push(step: TraceStep): void {
    this.steps.push(step);
    this.plannedMs += step.delayMs;
  }

  append(other: StepWriter): void {
    for (const step of other.steps) this.push(step);
  }

  /** A pause of 0.5-2 s (or the given length); some pauses carry a reaction to a shown suggestion. */
  pause(ms = Math.round(this.rng.uniform(500, 2000))): void {
    const reaction = this.reaction();
    this.push(reaction ? { kind: 'pause', delayMs: ms, reaction } : { kind: 'pause', delayMs: ms });
  }

  private reaction(): PauseReaction | undefined {
    const roll = this.rng.next();
    if (roll < 0.3) {
      const chars = this.rng.int(2, 4);
      const typeDelaysMs = Array.from({ length: chars }, () => this.keyDelay('a'));
      // The first backspace comes after the user notices the suggestion is not what they want.
      const backspaceDelaysMs = Array.from({ length: chars }, (_, i) =>
        i === 0 ? Math.round(this.rng.uniform(250, 600)) : this.backspaceDelay(),
      );
      return { kind: 'typeThrough', chars, typeDelaysMs, backspaceDelaysMs };
    }
    if (roll < 0.45) {
      return {
        kind: 'accept',
        followUpDelayMs: Math.round(this.rng.uniform(15, 40)),
        keepMs: Math.round(this.rng.uniform(600, 1500)),
        // Reading a suggestion before Tab: modeled, log-normal around 600 ms.
        readMs: clamp(Math.round(this.rng.logNormal(600, 0.35)), 300, 1500),
      };
    }
    return undefined;
  }

  /** Types `text` (the cursor already sits where it goes), Enter bringing the next line's indentation. */
  type(text: string): void {
    let i = 0;
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '\n') {
        const lineEnd = text.indexOf('\n', i + 1);
        const nextLine = text.slice(i + 1, lineEnd === -1 ? text.length : lineEnd);
        const indent = nextLine.slice(0, nextLine.length - nextLine.trimStart().length);
        const pauseAtEnd = this.rng.chance(0.8);
        const pauseBeforeEnter = pauseAtEnd && this.rng.chance(0.4);
        if (pauseBeforeEnter) this.pause();
        this.push({ kind: 'insert', text: '\n' + indent, delayMs: this.keyDelay('\n') });
        if (pauseAtEnd && !pauseBeforeEnter) this.pause();
        i += 1 + indent.length;
        continue;
      }
      const typo = neighbours[ch];
      if (typo !== undefined && this.rng.chance(0.03)) {
        this.push({ kind: 'insert', text: typo, delayMs: this.keyDelay(typo) });
        this.push({ kind: 'backspace', delayMs: Math.round(this.rng.uniform(150, 350)) });
      }
      this.push({ kind: 'insert', text: ch, delayMs: this.keyDelay(ch) });
      if (wordBoundary.has(ch) && this.rng.chance(0.05)) this.pause();
      i++;
    }
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

interface Line {
  start: number;
  text: string;
  indent: number;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const lineText of text.split('\n')) {
    lines.push({ start, text: lineText, indent: lineText.length - lineText.trimStart().length });
    start += lineText.length + 1;
  }
  return lines;
}

/** Lines worth retyping: real code with something before them, not comments or lone brackets. */
function isCandidate(line: Line): boolean {
  const body = line.text.trim();
  if (body.length < 12) return false;
  if (/^(\/\/|#|\*|\/\*|"""|''')/.test(body)) return false;
  return /[A-Za-z]/.test(body);
}

function pickEdit(rng: SeededRandom, lines: Line[], index: number, maxSpanChars: number): { from: number; to: number; point: EditPoint } | undefined {
  const line = lines[index]!;
  if (rng.chance(0.4)) {
    const cuts: number[] = [];
    for (let j = line.indent + 3; j <= line.text.length - 4; j++) {
      if (cutAfter.has(line.text[j - 1]!)) cuts.push(j);
    }
    if (cuts.length === 0) return undefined;
    const cut = rng.pick(cuts);
    const from = line.start + cut;
    const to = line.start + line.text.length;
    return { from, to, point: { kind: 'restOfLine', line: index + 1, text: line.text.slice(cut) } };
  }
  // 2-8 lines, most often 2-4: long retypes are rarer and the time budget is finite.
  let count = rng.pick([2, 2, 3, 3, 3, 4, 4, 5, 6, 8]);
  count = Math.min(count, lines.length - 1 - index);
  const from = line.start + line.indent;
  while (count >= 2) {
    const last = lines[index + count - 1]!;
    const to = last.start + last.text.length;
    if (to - from <= maxSpanChars && last.text.trim().length > 0) {
      return { from, to, point: { kind: 'lines', line: index + 1, text: '' } };
    }
    count--;
  }
  return undefined;
}

export function generateTrace(source: FixtureSource, seed: number, options: TraceOptions): FileTrace {
  const rng = SeededRandom.stream(seed, source.name);
  const lines = splitLines(source.text);
  const writer = new StepWriter(rng);
  const editPoints: EditPoint[] = [];
  const usedLines: number[] = [];
  let initialOffset = -1;

  // Skip the imports at the top: edits there are atypical and have almost no prefix.
  const firstLine = Math.min(15, Math.floor(lines.length / 10));
  const candidates = lines.map((_, i) => i).filter((i) => i >= firstLine && i < lines.length - 3 && isCandidate(lines[i]!));

  for (let attempt = 0; attempt < 200 && editPoints.length < options.maxEditPoints; attempt++) {
    if (editPoints.length > 0 && writer.plannedMs >= options.budgetMs) break;
    const index = rng.pick(candidates);
    if (usedLines.some((u) => Math.abs(u - index) < 12)) continue;
    const edit = pickEdit(rng, lines, index, options.maxSpanChars);
    if (!edit) continue;
    const removed = source.text.slice(edit.from, edit.to);

    // Navigate there, select the span and delete it (the first one right after opening the file).
    // One draw for the whole move, split without further draws (so traces of a seed keep their
    // keystrokes): the cursor arrives after 55% of it, the selection is complete at 80%, Delete
    // comes at the end (200-500 ms later). The split is modeled, not measured.
    const part = new StepWriter(rng);
    const moveMs = rng.uniform(1000, 2500);
    part.push({ kind: 'moveCursor', offset: edit.from, delayMs: Math.round(moveMs * 0.55) });
    part.push({ kind: 'select', from: edit.from, to: edit.to, delayMs: Math.round(moveMs * 0.25) });
    part.push({ kind: 'deleteSpan', from: edit.from, to: edit.to, delayMs: Math.round(moveMs * 0.2) });
    part.pause(Math.round(rng.uniform(500, 1000)));
    part.type(removed);
    part.pause(Math.round(rng.uniform(800, 2000)));
    // Keep the run length predictable: an edit that would overshoot the budget is dropped.
    if (editPoints.length > 0 && writer.plannedMs + part.plannedMs > options.budgetMs * 1.15) continue;

    writer.append(part);
    usedLines.push(index);
    editPoints.push({ ...edit.point, text: removed });
    // The file opens with the cursor at the end of the first edit's line, where a completion
    // request is plausible (no text to the right of the cursor).
    if (initialOffset < 0) initialOffset = lines[index]!.start + lines[index]!.text.length;
  }
  if (initialOffset < 0) throw new Error(`no usable edit point in ${source.name}`);

  return {
    name: source.name,
    relativePath: source.relativePath,
    languageId: source.languageId,
    initialText: source.text,
    initialOffset,
    steps: writer.steps,
    editPoints,
    plannedMs: writer.plannedMs,
  };
}
