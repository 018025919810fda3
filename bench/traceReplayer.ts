// Replays a typing trace against the real engine in real time, the way VS Code drives an inline
// completion provider: every document change is a new request, and the next change aborts the
// previous request's AbortSignal (VS Code cancels the provider call it no longer needs). A
// suggestion counts as shown only if it arrives for the document version still on screen; the
// trace's pause reactions (type through it, accept it) act on that shown suggestion. Where the cursor
// comes to rest without an edit (a jump, a selection), the engine is told after the same settle time
// the VS Code adapter waits (vscode/readAheadTrigger.ts), and any edit before then calls it off.
import type { CompletionEngine, EngineSuggestion } from '../src/core/completion/engine';
import { READ_AHEAD_SETTLE_MS, typedOver } from '../src/core/completion/readAhead';
import type { CompletionRequest } from '../src/core/kernel/completionTypes';
import { now, sleep, sleepUntil } from './clock';
import type { KeyAction, RequestPhase, SampleRecorder } from './requestSamples';
import { SimulatedDocument } from './simulatedDocument';
import type { FileTrace, PauseReaction } from './typingTrace';

/** What the replayer drives: Bantam's engine, or a peer's client re-implemented for a baseline. */
export interface ReplayTarget {
  complete: CompletionEngine['complete'];
  accepted: CompletionEngine['accepted'];
  readAhead: CompletionEngine['readAhead'];
  /** The file was opened with the cursor where `request` has it (the active editor changed). */
  opened?(request: CompletionRequest): void;
}

export interface ReplayCounts {
  keystrokes: number;
  /** Pauses of 0.5 s or more, and how many of them had a suggestion on screen when they ended. */
  pauses: number;
  pausesWithSuggestion: number;
  typeThroughs: number;
  accepts: number;
  /** Places where the cursor came to rest and the engine started reading the prompt ahead. */
  readAheads: number;
  /** The editor's request after Tab -> the next suggestion ready, for follow-ups that got one (ms). */
  acceptNextMs: number[];
  /** Accepts whose follow-up request got no suggestion. */
  acceptNextNone: number;
  errors: number;
  lastError?: string;
  /** Wall-clock length of the replay. */
  elapsedMs: number;
}

/** Longest the replay waits for a request still running when a file's trace ends. */
const drainTimeoutMs = 20_000;

export class TraceReplayer {
  private doc!: SimulatedDocument;
  private controller: AbortController | undefined;
  private shown: { version: number; suggestion: EngineSuggestion; at: number } | undefined;
  private inflight: Promise<void> = Promise.resolve();
  private counts!: ReplayCounts;
  private file = '';
  private restTimer: ReturnType<typeof setTimeout> | undefined;
  private trace!: FileTrace;
  /** Index of the next step to play. */
  private position = 0;
  private openedAt = 0;

  /**
   * `beforeRequest` runs just before each engine call (the engine reads its config synchronously
   * at the start of complete()), so the caller can vary settings by phase.
   */
  constructor(
    private readonly engine: ReplayTarget,
    private readonly recorder: SampleRecorder,
    private readonly beforeRequest: (phase: RequestPhase) => void = () => undefined,
  ) {}

  /** Opens the file with one untimed (awaited) priming request, then replays its steps in real time. */
  async replay(trace: FileTrace): Promise<ReplayCounts> {
    await this.open(trace);
    await this.playUntil(Number.POSITIVE_INFINITY);
    return this.finish();
  }

  /** Opens the file (the editor shows it with the cursor where the trace starts) and awaits one priming request there. */
  async open(trace: FileTrace): Promise<void> {
    this.start(trace);
    this.trace = trace;
    this.position = 0;
    this.openedAt = now();
    this.engine.opened?.(this.doc.request());
    await this.fire('open', 'prime', 0);
  }

  /**
   * Plays the opened trace's steps in real time from where it last stopped, until the next step would
   * come after `deadline` (a now() value) or the trace ends; the first step waits its own delay from
   * now. A user who leaves the window (bench:windows) stops here and comes back to the next step.
   * Returns whether steps remain.
   */
  async playUntil(deadline: number): Promise<boolean> {
    const steps = this.trace.steps;
    let clock = now();
    while (this.position < steps.length) {
      const step = steps[this.position]!;
      if (clock + step.delayMs > deadline) break;
      this.position++;
      const next = steps[this.position];
      const pauseAfter = next?.kind === 'pause' ? next.delayMs : undefined;
      clock += step.delayMs;
      const lag = await sleepUntil(clock);
      switch (step.kind) {
        case 'insert':
          this.doc.insert(step.text);
          void this.fire(step.text.startsWith('\n') ? 'enter' : 'type', 'trace', lag, pauseAfter);
          break;
        case 'backspace':
          this.doc.backspace();
          void this.fire('backspace', 'trace', lag, pauseAfter);
          break;
        case 'moveCursor':
          this.doc.moveTo(step.offset);
          this.cameToRest(this.doc.request());
          break;
        case 'select':
          this.cameToRest(typedOver(this.doc.request(), step.from, step.to));
          break;
        case 'deleteSpan':
          this.doc.deleteRange(step.from, step.to);
          void this.fire('delete', 'trace', lag, pauseAfter);
          break;
        case 'pause':
          this.counts.pauses++;
          if (this.shown) this.counts.pausesWithSuggestion++;
          if (step.reaction && this.shown) {
            await this.react(step.reaction, this.shown.suggestion, this.shown.at);
            clock = now();
          }
          break;
      }
    }
    return this.position < steps.length;
  }

  /** Waits for the request still running (up to a limit), cancels it and returns the counts; a trace played to its end must have restored the file. */
  async finish(): Promise<ReplayCounts> {
    this.cancelRest();
    await Promise.race([this.inflight, sleep(drainTimeoutMs)]);
    this.controller?.abort();
    if (this.position === this.trace.steps.length && this.doc.text !== this.trace.initialText) {
      throw new Error(`replay of ${this.trace.name} did not restore the file; the trace is inconsistent`);
    }
    this.counts.elapsedMs = now() - this.openedAt;
    return this.counts;
  }

  /**
   * The fresh-sequence baseline can't keep up with typing (every request re-reads the whole prompt),
   * so it is measured on a sample of the same document states, one isolated request at a time.
   * A sampled state that never reaches the model (filtered) is replaced by the next state.
   */
  async replaySampled(trace: FileTrace, samples: number): Promise<ReplayCounts> {
    this.start(trace);
    const started = now();
    const states = keystrokeStates(trace);
    const reachedBefore = () => this.recorder.samples.filter((s) => s.timings.reachedModel).length;
    for (let k = 0; k < samples; k++) {
      const target = Math.floor(((k + 0.5) * states.length) / samples);
      for (let i = target; i < Math.min(states.length, target + 6); i++) {
        const state = states[i]!;
        this.doc = new SimulatedDocument(trace.relativePath, trace.languageId, state.text, state.offset);
        const before = reachedBefore();
        await this.fire(state.action, 'sampled', 0);
        await sleep(150);
        if (reachedBefore() > before) break;
      }
    }
    this.counts.elapsedMs = now() - started;
    return this.counts;
  }

  private start(trace: FileTrace): void {
    this.file = trace.name;
    this.doc = new SimulatedDocument(trace.relativePath, trace.languageId, trace.initialText, trace.initialOffset);
    this.controller = undefined;
    this.shown = undefined;
    this.inflight = Promise.resolve();
    this.counts = {
      keystrokes: 0,
      pauses: 0,
      pausesWithSuggestion: 0,
      typeThroughs: 0,
      accepts: 0,
      readAheads: 0,
      acceptNextMs: [],
      acceptNextNone: 0,
      errors: 0,
      elapsedMs: 0,
    };
  }

  /** One document change reaching the provider: cancel the previous call, start a new one. */
  private fire(action: KeyAction, phase: RequestPhase, lagMs: number, pauseAfterMs?: number): Promise<void> {
    if (phase !== 'prime') this.counts.keystrokes++;
    this.cancelRest();
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.shown = undefined;
    const version = this.doc.version;
    const request = this.doc.request();
    this.recorder.tag(request, pauseAfterMs === undefined ? { file: this.file, phase, action, lagMs } : { file: this.file, phase, action, lagMs, pauseAfterMs });
    this.beforeRequest(phase);
    const done = this.engine.complete(request, controller.signal).then(
      (suggestion) => {
        if (suggestion && version === this.doc.version && !controller.signal.aborted) this.shown = { version, suggestion, at: now() };
      },
      (error: unknown) => {
        this.counts.errors++;
        this.counts.lastError = error instanceof Error ? error.message : String(error);
      },
    );
    this.inflight = done;
    return done;
  }

  /** The cursor stopped at the place `request` describes: read ahead there if it stays put. */
  private cameToRest(request: CompletionRequest): void {
    this.cancelRest();
    this.restTimer = setTimeout(() => {
      this.restTimer = undefined;
      void this.engine.readAhead(request).then((started) => {
        if (started) this.counts.readAheads++;
      });
    }, READ_AHEAD_SETTLE_MS);
  }

  private cancelRest(): void {
    if (this.restTimer !== undefined) clearTimeout(this.restTimer);
    this.restTimer = undefined;
  }

  private async react(reaction: PauseReaction, suggestion: EngineSuggestion, shownAt: number): Promise<void> {
    if (reaction.kind === 'typeThrough') {
      const firstLine = suggestion.text.split('\n')[0] ?? '';
      const chars = Math.min(reaction.chars, firstLine.length);
      if (chars === 0) return;
      this.counts.typeThroughs++;
      let clock = now();
      for (let i = 0; i < chars; i++) {
        clock += reaction.typeDelaysMs[i]!;
        const lag = await sleepUntil(clock);
        this.doc.insert(firstLine[i]!);
        void this.fire('typeThrough', 'trace', lag);
      }
      for (let i = 0; i < chars; i++) {
        clock += reaction.backspaceDelaysMs[i]!;
        const lag = await sleepUntil(clock);
        this.doc.backspace();
        void this.fire('typeThroughUndo', 'trace', lag);
      }
      return;
    }

    // Tab, once the suggestion has been read: VS Code puts the suggestion in (replacing the rest of
    // the line it covers), tells the provider it was accepted, then asks for the new position.
    await sleepUntil(shownAt + reaction.readMs);
    this.counts.accepts++;
    const at = this.doc.offset;
    const replaced = this.doc.text.slice(at, at + suggestion.replaceLength);
    this.controller?.abort();
    this.doc.replaceRange(at, at + suggestion.replaceLength, suggestion.text);
    this.shown = undefined;
    this.engine.accepted(suggestion.id);
    let clock = now() + reaction.followUpDelayMs;
    let lag = await sleepUntil(clock);
    // Timed from the editor's request for the new position: the wait before it is VS Code's.
    const askedAt = now();
    const followUp = this.fire('acceptFollowUp', 'trace', lag);
    const version = this.doc.version;
    await followUp;
    const next = this.shownNow();
    if (next?.version === version) this.counts.acceptNextMs.push(next.at - askedAt);
    else this.counts.acceptNextNone++;
    clock = Math.max(now(), clock + reaction.keepMs);
    lag = await sleepUntil(clock);
    // Undo: the accepted text goes, what it replaced comes back, and the cursor returns.
    this.doc.replaceRange(at, at + suggestion.text.length, replaced, at);
    void this.fire('undoAccept', 'trace', lag);
  }

  /** The suggestion on screen now (read through a method: awaits change it behind the compiler's back). */
  private shownNow(): { version: number; at: number } | undefined {
    return this.shown;
  }
}

interface KeystrokeState {
  text: string;
  offset: number;
  action: KeyAction;
}

/** The document after every keystroke of the trace (reactions left out: they depend on the run). */
function keystrokeStates(trace: FileTrace): KeystrokeState[] {
  const doc = new SimulatedDocument(trace.relativePath, trace.languageId, trace.initialText, trace.initialOffset);
  const states: KeystrokeState[] = [];
  for (const step of trace.steps) {
    let action: KeyAction;
    if (step.kind === 'insert') {
      doc.insert(step.text);
      action = step.text.startsWith('\n') ? 'enter' : 'type';
    } else if (step.kind === 'backspace') {
      doc.backspace();
      action = 'backspace';
    } else if (step.kind === 'deleteSpan') {
      doc.deleteRange(step.from, step.to);
      action = 'delete';
    } else {
      continue;
    }
    states.push({ text: doc.text, offset: doc.offset, action });
  }
  return states;
}
