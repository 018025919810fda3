// A small, complete next-edit pipeline behind the NextEditSource interface, for a next-edit model
// served by an OpenAI-compatible server (bantam.nextEdit.backend: openai): the lines around the
// cursor as the window, a minimal prompt (the file, then the window as it is, then the slot for its
// rewrite), the rewrite asked of /v1/completions through the completion backend, and the rewrite
// turned into minimal edits with a word diff (the `diff` package). Deliberately simple: the edit
// history, the model families' own prompt formats and the answer checks are other files' work and
// replace these internals; the editor only ever sees the interface.
import { diffWordsWithSpace } from 'diff';
import type { BantamConfig } from '../config';
import { estimateTokens } from '../kernel/tokenEstimate';
import { countLineBreaks } from '../kernel/textLines';
import { hostOf, staysOnPrivateNetwork } from '../providers/http/hostLocality';
import { OpenAiCompletionBackend } from '../providers/openai/openAiCompletionBackend';
import type { FetchLike } from '../providers/http/httpStream';
import type { NextEditRequest, NextEditSource } from './nextEditSource';
import type { EditableWindow, NextEditSuggestion, SuggestedEdit } from './nextEditTypes';

/** Lines of the window above and below the cursor's line (21 lines in all, as Sweep's window). */
const WINDOW_RADIUS_LINES = 10;
const FILE_SEP = '<|file_sep|>';
const STOPS = [FILE_SEP, '<|endoftext|>'];
/** A rewrite may grow the window a little; beyond this it is not a next edit. */
const MAX_ANSWER_TOKENS = 1024;
const TIMEOUT_MS = 10_000;

export interface OpenAiNextEditSourceOptions {
  config: () => BantamConfig;
  /** The OpenAI-compatible server's key (SecretStorage in VS Code), when one is set. */
  apiKey?: () => Promise<string | undefined>;
  /** Asked once per server that is neither this machine nor a private address; true to send. */
  consent?: (host: string) => Promise<boolean>;
  log?: (message: string) => void;
  fetch?: FetchLike;
}

/** Whole lines around the cursor: up to `radius` above and below its line. */
export function windowAround(text: string, cursorOffset: number, radius = WINDOW_RADIUS_LINES): EditableWindow {
  const lines = text.split('\n');
  const cursorLine = countLineBreaks(text, cursorOffset);
  const startLine = Math.max(0, cursorLine - radius);
  const endLine = Math.min(lines.length, cursorLine + radius + 1);
  const startOffset = lines.slice(0, startLine).reduce((sum, line) => sum + line.length + 1, 0);
  return { startLine, endLine, text: lines.slice(startLine, endLine).join('\n'), cursorOffset: cursorOffset - startOffset };
}

/** The minimal prompt: the file, the window as it is now, and the slot for its rewrite. */
export function nextEditPrompt(path: string, documentText: string, window: EditableWindow): string {
  return `${FILE_SEP}${path}\n${documentText}\n${FILE_SEP}current/${path}\n${window.text}\n${FILE_SEP}updated/${path}\n`;
}

/**
 * The edits that turn `before` into `after`, each as small as the word diff allows (a renamed word is
 * one replacement; a word that only gained characters at its end, an insertion), at `base` + offset.
 */
export function wordEdits(before: string, after: string, base = 0): SuggestedEdit[] {
  const edits: SuggestedEdit[] = [];
  let at = 0;
  let pending: { start: number; removed: string; added: string } | undefined;
  const flush = (): void => {
    if (!pending) return;
    const { start, removed, added } = pending;
    let head = 0;
    while (head < removed.length && head < added.length && removed[head] === added[head]) head++;
    let tail = 0;
    while (tail < removed.length - head && tail < added.length - head && removed[removed.length - 1 - tail] === added[added.length - 1 - tail]) tail++;
    edits.push({ startOffset: base + start + head, endOffset: base + start + removed.length - tail, newText: added.slice(head, added.length - tail) });
    pending = undefined;
  };
  for (const part of diffWordsWithSpace(before, after)) {
    if (part.added || part.removed) {
      pending ??= { start: at, removed: '', added: '' };
      if (part.added) pending.added += part.value;
      else pending.removed += part.value;
    } else {
      flush();
    }
    if (!part.added) at += part.value.length;
  }
  flush();
  return edits;
}

export class OpenAiNextEditSource implements NextEditSource {
  private backend: { key: string; client: OpenAiCompletionBackend } | undefined;
  /** Hosts the user agreed (or refused) to send code to, asked once each. */
  private readonly consents = new Map<string, Promise<boolean>>();
  private warned = '';

  constructor(private readonly options: OpenAiNextEditSourceOptions) {}

  async suggest(request: NextEditRequest, signal: AbortSignal): Promise<NextEditSuggestion | undefined> {
    const started = performance.now();
    const client = await this.client();
    if (!client || signal.aborted) return undefined;
    const window = windowAround(request.text, request.cursorOffset);
    const prompt = nextEditPrompt(request.path, request.text, window);
    let answer;
    try {
      answer = await client.generate(
        { family: 'qwen', text: prompt, prefix: prompt, suffix: '', prefixStart: 0, estimatedTokens: estimateTokens(prompt) },
        {
          maxTokens: Math.min(MAX_ANSWER_TOKENS, 2 * estimateTokens(window.text) + 32),
          stop: STOPS,
          timeoutMs: TIMEOUT_MS,
          temperature: 0,
          signal,
        },
      );
    } catch (error) {
      if (!signal.aborted) this.options.log?.(`next-edit: ${(error as Error).message}`);
      return undefined;
    }
    // A rewrite cut short would read as "delete the rest of the window".
    if (answer.stoppedBy !== 'eos' && answer.stoppedBy !== 'stop') return undefined;
    // The line break before the next separator is the prompt's, not the window's: the rewrite ends
    // with the window's own trailing line breaks.
    const rewrite = answer.text.replace(/\n+$/, '') + /\n*$/.exec(window.text)![0];
    if (rewrite.trim() === '' || rewrite === window.text) return undefined;
    const edits = wordEdits(window.text, rewrite, request.cursorOffset - window.cursorOffset);
    if (edits.length === 0) return undefined;
    return { path: request.path, documentVersion: request.documentVersion, edits, latencyMs: performance.now() - started };
  }

  /** The server client the settings name, built when they change; undefined when not asked for or not agreed to. */
  private async client(): Promise<OpenAiCompletionBackend | undefined> {
    const config = this.options.config();
    if (config.nextEdit.backend !== 'openai') {
      this.warnOnce(`next-edit: the ${config.nextEdit.backend} backend is not available in this build; set bantam.nextEdit.backend to 'openai'.`);
      return undefined;
    }
    const { baseUrl } = config.openai;
    const model = config.nextEdit.model;
    if (model === '') {
      this.warnOnce("next-edit: bantam.nextEdit.model names no model for the OpenAI-compatible server; set it to the served next-edit model's name.");
      return undefined;
    }
    if (!staysOnPrivateNetwork(baseUrl)) {
      const host = hostOf(baseUrl);
      let answer = this.consents.get(host);
      if (!answer) {
        answer = (this.options.consent?.(host) ?? Promise.resolve(false)).catch(() => false);
        this.consents.set(host, answer);
      }
      if (!(await answer)) return undefined;
    }
    const apiKey = (await this.options.apiKey?.()) ?? undefined;
    const key = JSON.stringify([baseUrl, model, apiKey ?? '']);
    if (this.backend?.key !== key) {
      this.backend?.client.dispose();
      const client = new OpenAiCompletionBackend({ baseUrl, model, apiKey, keyHint: "Run 'Bantam: Set API Key'.", fetch: this.options.fetch });
      this.backend = { key, client };
    }
    return this.backend.client;
  }

  private warnOnce(message: string): void {
    if (message === this.warned) return;
    this.warned = message;
    this.options.log?.(message);
  }

  dispose(): void {
    this.backend?.client.dispose();
    this.backend = undefined;
  }
}
