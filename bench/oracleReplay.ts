// The oracle replay of the quality benchmark. Typing traces (as in bench:completion: a span deleted
// and typed again at human pace, with pauses) run over real files; the document changes as VS Code
// changes it (Enter brings the next line's indentation; a bracket or quote whose partner closes on
// the same line is auto-closed, and typing the partner later steps over it). At every pause an
// oracle "model" writes the text still missing there (the hole), followed, in a seeded mixture, by
// the junk small models emit. Three suggestion makers judge that same output:
//   bantam      the real engine (plan, extent rule, postprocess) with a backend writing the oracle text
//   first-line  the raw output cut at its first line break
//   raw         the raw output as it came
// Each shown suggestion (its text, and the rest of the line it replaces) is scored against the text
// that would make the document whole again:
//   useful  its common prefix with that text, at most the hole up to the end of its block
//   junk    the characters it shows beyond that prefix
// "Up to the end of its block": the rest of the cursor line; then, if that line opens a block, the
// lines deeper than it and its closing line; at the end of a line, the following lines of the same
// block (as deep or deeper) and the line that closes it; never past a blank line or the hole's end.
import { opensBlock, startsWithCloser } from '../src/core/syntax/blockSyntax';
import { documentIndentation } from '../src/core/completion/indentStyle';
import { indentWidth, leadingWhitespace, lineStartAt } from '../src/core/kernel/textLines';
import type { CompletionRequest } from '../src/core/kernel/completionTypes';
import { SeededRandom } from './seededRandom';
import { shownFor } from './scriptedBackend';
import type { FileTrace } from './typingTrace';

export type JunkKind = 'clean' | 'repeat-suffix' | 'extra-closer' | 'missing-closer' | 'rambling' | 'wrong-indent';
export type Suggester = 'bantam' | 'firstLine' | 'raw';

export interface Score {
  shown: boolean;
  useful: number;
  junk: number;
  shownChars: number;
}

export interface PauseSample {
  file: string;
  languageId: string;
  junk: JunkKind;
  /** The hole up to the end of its block: the most a suggestion can usefully show. */
  blockChars: number;
  scores: Record<Suggester, Score>;
  /** For reading a sample: the line before the cursor, the missing text, the oracle's output, what Bantam showed. */
  detail: { linePrefix: string; after: string; hole: string; raw: string; shown: string | undefined; replaced: number };
}

export interface ReplayResult {
  samples: PauseSample[];
  /** Pauses where nothing was missing (the span was typed in full), left out of the figures. */
  completePauses: number;
  /** Pauses during a typo, where the missing text is not defined, left out too. */
  typoPauses: number;
}

/** The head of a function, method or class in the languages the replay reads. */
const DEFINITION = /^\s*(export\s+)?(default\s+)?(async\s+)?(def|class|function\*?|static|public|private|protected)\b|^\s*(?!(if|for|while|switch|catch|with|return)\b)[A-Za-z_$][\w$]*\s*\([^)]*\)\s*\{\s*$/;

const OPEN_CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}', '"': '"', "'": "'", '`': '`' };
/** Most characters the oracle writes (about what the block token budget allows). */
const MAX_OUTPUT_CHARS = 600;

/** The document as VS Code keeps it while the trace types, with its auto-closed partners. */
class EditorDocument {
  /** Auto-inserted closers right after the cursor, first (innermost) first. */
  pending: string[] = [];

  constructor(
    public text: string,
    public offset: number,
  ) {}

  insert(s: string): void {
    this.text = this.text.slice(0, this.offset) + s + this.text.slice(this.offset);
    this.offset += s.length;
  }

  /** Types one character; `autoClose` says whether VS Code would insert its partner. */
  typeChar(ch: string, autoClose: boolean): void {
    if (this.pending[0] === ch && this.text[this.offset] === ch) {
      this.offset++;
      this.pending.shift();
      return;
    }
    this.insert(ch);
    if (autoClose) {
      const partner = OPEN_CLOSE[ch]!;
      this.text = this.text.slice(0, this.offset) + partner + this.text.slice(this.offset);
      this.pending.unshift(partner);
    }
  }

  backspace(): void {
    const before = this.text[this.offset - 1];
    const deletesPair = before !== undefined && this.pending[0] !== undefined && OPEN_CLOSE[before] === this.pending[0] && this.text[this.offset] === this.pending[0];
    const end = deletesPair ? this.offset + 1 : this.offset;
    if (deletesPair) this.pending.shift();
    this.text = this.text.slice(0, this.offset - 1) + this.text.slice(end);
    this.offset--;
  }

  deleteRange(from: number, to: number): void {
    this.text = this.text.slice(0, from) + this.text.slice(to);
    this.offset = from;
    this.pending = [];
  }
}

/** Whether VS Code would auto-close `ch` typed at `span[i]`: its partner closes later on the same line. */
function autoCloses(span: string, i: number, doc: EditorDocument): boolean {
  const ch = span[i]!;
  const partner = OPEN_CLOSE[ch];
  if (partner === undefined) return false;
  const next = doc.text[doc.offset];
  if (next !== undefined && !/[\s)\]};,]/.test(next)) return false;
  const lineEnd = span.indexOf('\n', i + 1);
  const rest = span.slice(i + 1, lineEnd < 0 ? span.length : lineEnd);
  if (ch === partner) {
    // A quote: not after a word character (an apostrophe), and it must close on the line.
    return !/\w/.test(doc.text[doc.offset - 1] ?? '') && rest.includes(ch);
  }
  let depth = 1;
  for (const c of rest) {
    if (c === ch) depth++;
    else if (c === partner && --depth === 0) return true;
  }
  return false;
}

/** The hole up to the end of its block (see the file header). */
export function blockChars(hole: string, linePrefix: string, languageId: string, withSiblings = false): number {
  const nl = hole.indexOf('\n');
  if (nl < 0) return hole.length;
  const first = hole.slice(0, nl);
  const completed = linePrefix + first;
  // `withSiblings`: the lines after a finished first line count too (how far a rambling model goes).
  const atLineEnd = first.trim().length === 0 || withSiblings;
  const cursorIndent = indentWidth(leadingWhitespace(atLineEnd ? linePrefix : completed), 4);
  const opened = opensBlock(completed, languageId);
  if (!atLineEnd && !opened) return nl;
  let end = nl;
  let lineStart = nl + 1;
  while (lineStart <= hole.length) {
    const lineEnd = hole.indexOf('\n', lineStart);
    const line = hole.slice(lineStart, lineEnd < 0 ? hole.length : lineEnd);
    if (line.trim().length === 0) break;
    const width = indentWidth(leadingWhitespace(line), 4);
    const inside = opened ? width > cursorIndent : width >= cursorIndent;
    if (!inside) {
      if (startsWithCloser(line.trimStart())) end = lineEnd < 0 ? hole.length : lineEnd;
      break;
    }
    end = lineEnd < 0 ? hole.length : lineEnd;
    if (lineEnd < 0) break;
    lineStart = lineEnd + 1;
  }
  return end;
}

/** The oracle's output at a pause: the hole, then junk of the given kind. `linePrefix`: the cursor line up to the cursor. */
export function oracleOutput(
  kind: JunkKind,
  hole: string,
  after: string,
  original: string,
  linePrefix: string,
  languageId: string,
  rng: SeededRandom,
): string {
  const base = indentWidth(leadingWhitespace(linePrefix), 4);
  const lines = (s: string, n: number): string => s.split('\n').slice(0, n).join('\n');
  let out: string;
  switch (kind) {
    case 'clean':
      out = hole;
      break;
    case 'repeat-suffix':
      // Finishes the hole, then writes the code that already follows it.
      out = hole + lines(after, rng.int(2, 4));
      break;
    case 'extra-closer': {
      const closerLine = after.split('\n').find((l, i) => i > 0 && /^\s*[)\]}]/.test(l));
      out = hole + (closerLine !== undefined ? `\n${closerLine}` : ')');
      break;
    }
    case 'missing-closer': {
      const at = Math.max(hole.lastIndexOf(')'), hole.lastIndexOf(']'), hole.lastIndexOf('}'));
      out = at >= 0 ? hole.slice(0, at) + hole.slice(at + 1) : hole;
      break;
    }
    case 'rambling': {
      // Goes on past the block with the next function, as small models do: it finishes the block
      // it is in (writing again what the document has there), then a definition from elsewhere in
      // the file, sometimes after a blank line.
      const whole = hole + after;
      const blockEnd = Math.max(hole.length, blockChars(whole, linePrefix, languageId, true));
      const all = original.split('\n');
      const heads = all.map((line, i) => (DEFINITION.test(line) ? i : -1)).filter((i) => i >= 0);
      const from = heads.length > 0 ? rng.pick(heads) : rng.int(0, Math.max(0, all.length - 6));
      // The next function starts a level above the block the cursor is in, where a sibling would.
      const chunk = all.slice(from, from + rng.int(3, 6));
      const shift = indentWidth(leadingWhitespace(chunk[0] ?? ''), 4) - Math.max(0, base - 2);
      const placed = chunk.map((line) => {
        const ws = leadingWhitespace(line);
        return ' '.repeat(Math.max(0, indentWidth(ws, 4) - shift)) + line.slice(ws.length);
      });
      out = `${whole.slice(0, blockEnd)}\n${rng.chance(0.5) ? '\n' : ''}${placed.join('\n')}`;
      break;
    }
    case 'wrong-indent': {
      // Lines nested below the block's first line in another unit (4 <-> 2 spaces; tabs become 4 spaces).
      const style = documentIndentation(original) ?? { useTabs: false, size: 4 };
      const unit = Math.max(1, style.size);
      const wrong = style.useTabs ? 4 : unit === 4 ? 2 : 4;
      const holeLines = hole.split('\n');
      const firstCode = holeLines[0]!.trim().length > 0 ? undefined : holeLines.slice(1).find((l) => l.trim().length > 0);
      const anchor = firstCode === undefined ? base : indentWidth(leadingWhitespace(firstCode), unit);
      out = holeLines
        .map((line, i) => {
          const ws = leadingWhitespace(line);
          const width = indentWidth(ws, unit);
          if (i === 0 || width <= anchor) return line;
          return ' '.repeat(anchor + Math.round(((width - anchor) / unit) * wrong)) + line.slice(ws.length);
        })
        .join('\n');
      break;
    }
  }
  return out.slice(0, MAX_OUTPUT_CHARS);
}

function pickJunk(rng: SeededRandom, hole: string): JunkKind {
  const roll = rng.next();
  const kind: JunkKind =
    roll < 0.2 ? 'clean' : roll < 0.45 ? 'repeat-suffix' : roll < 0.55 ? 'extra-closer' : roll < 0.65 ? 'missing-closer' : roll < 0.85 ? 'rambling' : 'wrong-indent';
  return kind === 'wrong-indent' && !hole.trim().includes('\n') ? 'repeat-suffix' : kind;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Scores a suggestion (`text` replacing `replace` characters at the cursor) against the original. */
function score(text: string | undefined, replace: number, doc: EditorDocument, original: string, block: number): Score {
  if (text === undefined || text.trim().length === 0) return { shown: false, useful: 0, junk: 0, shownChars: 0 };
  const kept = doc.text.slice(doc.offset + replace);
  // The text that would make the document whole with what the suggestion keeps after it; if no
  // text can (it keeps a closer the original has elsewhere), the file's true continuation.
  const target = original.endsWith(kept) && original.startsWith(doc.text.slice(0, doc.offset))
    ? original.slice(doc.offset, original.length - kept.length)
    : original.slice(doc.offset);
  const prefix = commonPrefix(text, target);
  return { shown: true, useful: Math.min(prefix, block), junk: text.length - Math.min(prefix, text.length), shownChars: text.length };
}

/** Replays one trace and scores the three suggestion makers at each pause. */
export async function replayOracle(trace: FileTrace, seed: number): Promise<ReplayResult> {
  const rng = SeededRandom.stream(seed, `oracle:${trace.name}`);
  const original = trace.initialText;
  const doc = new EditorDocument(original, trace.initialOffset);
  const result: ReplayResult = { samples: [], completePauses: 0, typoPauses: 0 };
  let span = '';
  let typed = 0;
  let typos = 0;
  let spanIndex = -1;
  let spanEnd = 0;
  for (const step of trace.steps) {
    if (step.kind === 'deleteSpan') {
      if (doc.text !== original) throw new Error(`oracle replay of ${trace.name}: the document drifted from the file before edit ${spanIndex + 2}`);
      spanIndex++;
      span = trace.editPoints[spanIndex]!.text;
      typed = 0;
      typos = 0;
      spanEnd = step.to;
      doc.deleteRange(step.from, step.to);
    } else if (step.kind === 'insert') {
      if (step.text.length > 1 || step.text === '\n') {
        doc.insert(step.text);
        typed += step.text.length;
      } else if (typos === 0 && span[typed] === step.text) {
        doc.typeChar(step.text, autoCloses(span, typed, doc));
        typed++;
      } else {
        doc.typeChar(step.text, false);
        typos++;
      }
    } else if (step.kind === 'backspace') {
      doc.backspace();
      if (typos > 0) typos--;
      else typed--;
    } else if (step.kind !== 'pause') {
      // Moving the cursor or selecting changes no text; the oracle scores only at pauses.
      continue;
    } else {
      if (typos > 0) {
        result.typoPauses++;
        continue;
      }
      const hole = original.slice(doc.offset, spanEnd);
      if (hole.trim().length === 0) {
        result.completePauses++;
        continue;
      }
      result.samples.push(await samplePause(trace, doc, original, hole, original.slice(spanEnd), rng));
    }
  }
  return result;
}

async function samplePause(
  trace: FileTrace,
  doc: EditorDocument,
  original: string,
  hole: string,
  after: string,
  rng: SeededRandom,
): Promise<PauseSample> {
  const junk = pickJunk(rng, hole);
  const linePrefix = doc.text.slice(lineStartAt(doc.text, doc.offset), doc.offset);
  const raw = oracleOutput(junk, hole, after, original, linePrefix, trace.languageId, rng);
  const block = blockChars(hole, linePrefix, trace.languageId);
  const request: CompletionRequest = {
    uri: `file:///oracle/${trace.relativePath}`,
    relativePath: trace.relativePath,
    languageId: trace.languageId,
    text: doc.text,
    offset: doc.offset,
    selectionEmpty: true,
    explicit: false,
  };
  const shown = await shownFor(request, raw);
  const firstLine = raw.split('\n')[0]!;
  return {
    file: trace.name,
    languageId: trace.languageId,
    junk,
    blockChars: block,
    scores: {
      bantam: score(shown?.text, shown?.replaceLength ?? 0, doc, original, block),
      firstLine: score(firstLine, 0, doc, original, block),
      raw: score(raw, 0, doc, original, block),
    },
    detail: { linePrefix, after: doc.text.slice(doc.offset, doc.offset + 160), hole, raw, shown: shown?.text, replaced: shown?.replaceLength ?? 0 },
  };
}
