// The next-edit pipeline behind NextEditSource: for a request, the model the settings name and its
// prompt format (nextEditClient.ts), the family's window and the recorded history (nextEditInput.ts),
// the family's prompt, the model's rewrite of the window, and the rewrite turned into minimal edits or
// refused (answerToEdits.ts), with the session's stats. The editor and the CLI ask through this one
// class; the benchmark builds its prompts the same way (buildNextEditInput, then the family's render).
//
// Prefetch: while a suggestion is showing, the suggestion that would follow it (the document and
// cursor once it is accepted) is asked for in the background, so Tab, Tab walks a multi-site change
// without waiting on the model; a request for exactly that state takes the prefetched answer.
//
// Read-ahead: while the editor waits before asking (the user paused), readAhead reads the prompt the
// request will send into the embedded model's cache, so the request itself reads only its last token.
import type { BantamConfig } from '../config';
import { estimateTokens } from '../kernel/tokenEstimate';
import { answerToEdits, type NextEditRefusal } from './answerToEdits';
import type { NextEditClient, ReadyNextEditModel } from './nextEditClient';
import type { LineRange } from './editableWindow';
import { nextEditFamilySpec } from './nextEditFamilies';
import { buildNextEditInput, type NextEditRecord, type PromptHistoryBudget } from './nextEditInput';
import type { NextEditRequest, NextEditSource } from './nextEditSource';
import type { NextEditStats } from './nextEditStats';
import type { EditHunk, NextEditPrompt, NextEditSuggestion } from './nextEditTypes';

/** A rewrite may grow the window a little; beyond this it is not a next edit. */
const MAX_ANSWER_TOKENS = 1024;
/** Room for added lines on top of the window's own tokens. */
const ANSWER_SLACK_TOKENS = 64;
/** A 0.5B model on two CPU cores rewrites a 21-line window in a few seconds; past this, something is wrong. */
const REWRITE_TIMEOUT_MS = 20_000;

/** Documents whose last window is kept (editableWindow.ts keeps a window while the cursor stays inside it). */
const MAX_WINDOWS_KEPT = 32;

/** The history the predictor reads, and the undos a suggestion must not redo. */
export interface NextEditHistory extends NextEditRecord {
  recentlyUndone(path: string, now: number): readonly EditHunk[];
}

export interface NextEditPredictorOptions {
  config: () => BantamConfig;
  client: Pick<NextEditClient, 'ready' | 'reportError'>;
  history: NextEditHistory;
  stats?: NextEditStats;
  budget?: PromptHistoryBudget;
  log?: (message: string) => void;
  /** performance.now()-style clock (the history's). */
  now?: () => number;
}

/** What one request produced, for callers that want more than the suggestion (CLI, tests). */
export interface NextEditAttempt {
  suggestion: NextEditSuggestion | undefined;
  prompt?: NextEditPrompt;
  /** Why nothing is suggested, when the model answered, in words. */
  refused?: string;
  refusal?: NextEditRefusal;
  /** The model (or its server) failed. */
  errored?: boolean;
}

interface Prefetch {
  request: NextEditRequest;
  controller: AbortController;
  attempt: Promise<NextEditAttempt>;
}

/** The edits' answer budget for a window of `windowText`. */
export function rewriteTokenLimit(windowText: string): number {
  return Math.min(MAX_ANSWER_TOKENS, 2 * estimateTokens(windowText) + ANSWER_SLACK_TOKENS);
}

const sameState = (a: NextEditRequest, b: NextEditRequest): boolean =>
  a.path === b.path && a.cursorOffset === b.cursorOffset && a.text === b.text;

export class NextEditPredictor implements NextEditSource {
  private prefetched: Prefetch | undefined;
  /** Each document's last window, by path, oldest first. */
  private readonly windows = new Map<string, LineRange>();

  constructor(private readonly options: NextEditPredictorOptions) {}

  async suggest(request: NextEditRequest, signal: AbortSignal): Promise<NextEditSuggestion | undefined> {
    return (await this.attempt(request, signal)).suggestion;
  }

  /** The suggestion for `request`, with the prompt it was asked with and why nothing was suggested. */
  async attempt(request: NextEditRequest, signal: AbortSignal): Promise<NextEditAttempt> {
    const started = performance.now();
    const prefetched = this.prefetched;
    if (prefetched && sameState(prefetched.request, request)) {
      this.prefetched = undefined;
      // The request owns the prefetch now: moving on calls it off.
      const abort = (): void => prefetched.controller.abort();
      signal.addEventListener('abort', abort, { once: true });
      const attempt = await prefetched.attempt;
      signal.removeEventListener('abort', abort);
      this.count(attempt);
      if (signal.aborted || !attempt.suggestion) return attempt;
      // Computed for the same text, so the same offsets hold for this version; the wait is what the user saw.
      return { ...attempt, suggestion: { ...attempt.suggestion, documentVersion: request.documentVersion, latencyMs: performance.now() - started } };
    }
    this.cancelPrefetch();
    const attempt = await this.ask(request, signal, started);
    this.count(attempt);
    return attempt;
  }

  /** Counts a request in the stats once somebody asked for its answer (a prefetch nobody took is not counted). */
  private count(attempt: NextEditAttempt): void {
    const stats = this.options.stats;
    if (!stats || !attempt.prompt) return;
    stats.record('request');
    if (attempt.errored) stats.record('error');
    if (attempt.refusal) stats.recordRefused(attempt.refusal);
  }

  /** Asks in the background for the suggestion at `request` (the state after accepting the one showing). */
  prefetch(request: NextEditRequest): void {
    this.cancelPrefetch();
    const controller = new AbortController();
    this.prefetched = { request, controller, attempt: this.ask(request, controller.signal, performance.now()) };
  }

  /**
   * Reads the prompt for `request` into the model's cache without generating: the editor calls it
   * while it waits before asking (the user stopped typing), so the request that follows for the same
   * state reads only the prompt's last token. A newer request supersedes a read still running and
   * keeps what it read. Resolves false when nothing was read: the model can't read ahead (a served
   * one), isn't ready, or a prefetch for this very state is already on its way.
   */
  async readAhead(request: NextEditRequest, signal: AbortSignal): Promise<boolean> {
    if (this.prefetched && sameState(this.prefetched.request, request)) return false;
    this.cancelPrefetch();
    const ready = await this.readyModel();
    if (!ready?.model.readPrompt || signal.aborted) return false;
    await ready.model.readPrompt(this.promptFor(ready, request), signal);
    return !signal.aborted;
  }

  /** Drops a prefetch (the suggestion it followed was dismissed). */
  cancelPrefetch(): void {
    this.prefetched?.controller.abort();
    this.prefetched = undefined;
  }

  /** The model the settings name, or undefined (the client said why, once). */
  private async readyModel(): Promise<ReadyNextEditModel | undefined> {
    const { config, client } = this.options;
    try {
      return await client.ready(config());
    } catch (error) {
      client.reportError((error as Error).message);
      return undefined;
    }
  }

  /** The model family's prompt for `request`, from the recorded history within the budget. */
  private promptFor(ready: ReadyNextEditModel, request: NextEditRequest): NextEditPrompt {
    const input = buildNextEditInput(request, ready.format, this.options.history, this.options.budget, this.windows.get(request.path));
    this.windows.delete(request.path);
    this.windows.set(request.path, { startLine: input.window.startLine, endLine: input.window.endLine });
    if (this.windows.size > MAX_WINDOWS_KEPT) this.windows.delete(this.windows.keys().next().value!);
    return nextEditFamilySpec(ready.format).render(input);
  }

  private async ask(request: NextEditRequest, signal: AbortSignal, started: number): Promise<NextEditAttempt> {
    const { client, history, log } = this.options;
    const ready = await this.readyModel();
    if (!ready || signal.aborted) return { suggestion: undefined };
    const prompt = this.promptFor(ready, request);
    let answer;
    try {
      answer = await ready.model.rewrite(prompt, { maxTokens: rewriteTokenLimit(prompt.window.text), timeoutMs: REWRITE_TIMEOUT_MS, signal });
    } catch (error) {
      if (signal.aborted) return { suggestion: undefined };
      client.reportError((error as Error).message);
      return { suggestion: undefined, prompt, errored: true };
    }
    // Called off (here, or by the host for a newer request of this client): nothing was judged.
    if (signal.aborted || answer.stoppedBy === 'abort') return { suggestion: undefined };
    const now = this.options.now?.() ?? performance.now();
    // The history keeps an undone edit as the user made it; the answer check wants the undo's own change.
    const recentUndos = history.recentlyUndone(request.path, now).map((h) => ({ ...h, original: h.updated, updated: h.original }));
    const result = answerToEdits(answer, { prompt, documentText: request.text, path: request.path, recentUndos });
    if ('refused' in result || result.edits.length === 0) {
      const [refusal, detail] = 'refused' in result ? [result.refused, result.detail] : (['no-change', 'no edits'] as const);
      log?.(`next-edit: nothing to show (${refusal}: ${detail})`);
      return { suggestion: undefined, prompt, refused: `${refusal}: ${detail}`, refusal };
    }
    return {
      suggestion: { path: request.path, documentVersion: request.documentVersion, edits: result.edits, latencyMs: performance.now() - started },
      prompt,
    };
  }

  dispose(): void {
    this.cancelPrefetch();
  }
}
