// One inline completion streamed from a server, for the server completion backends: the rules they
// all keep (see CompletionBackend) written once. The caller's abort and time limit resolve with the
// text so far, never reject; stop strings and the suggestion's extent cut the text and close the
// stream; the first piece is timed; dispose() (the lifetime) ends what is in flight. The backend
// sends the request over the HTTP layer and says how the stream ended.

import type { GenerateOptions, GenerationResult } from '../../kernel/completionTypes';
import { whenAborted } from '../../kernel/abort';
import { generationCut } from '../../syntax/completionExtent';
import type { RequestLifetime } from './networkProvider';

export type StoppedBy = GenerationResult['stoppedBy'];

/** What streamed, before the backend adds the token counts its server reported. */
export interface StreamedCompletion {
  text: string;
  /** Non-empty pieces received: the generated tokens, when the server does not count them. */
  pieces: number;
  /** From the call to the first non-empty piece (NaN when none arrived). */
  ttftMs: number;
  totalMs: number;
  stoppedBy: StoppedBy;
}

export interface CompletionSend {
  /** Ends the request: the caller aborted, the time limit passed or a stop string was met. */
  signal: AbortSignal;
  /** Where every piece of answer text goes. */
  onText: (chunk: string) => void;
  /** The caller's stop strings without empty ones, for the server to honour as well. */
  stops: string[];
}

/**
 * Runs `send` under the completion rules. `send` resolves with how the stream ended when nothing cut
 * it short; once its signal has fired, what it resolves or throws no longer matters.
 */
export async function streamCompletion(
  lifetime: RequestLifetime,
  options: GenerateOptions,
  now: () => number,
  send: (call: CompletionSend) => Promise<StoppedBy>,
): Promise<StreamedCompletion> {
  const { signal, end } = lifetime.begin(options.signal);
  const started = now();
  let text = '';
  let pieces = 0;
  let ttftMs = Number.NaN;
  const result = (stoppedBy: StoppedBy): StreamedCompletion => ({ text, pieces, ttftMs, totalMs: now() - started, stoppedBy });
  if (signal.aborted) {
    end();
    return result('abort');
  }

  const controller = new AbortController();
  let cancelledBy: 'abort' | 'timeout' | 'stop' | undefined;
  const cancel = (why: 'abort' | 'timeout' | 'stop'): void => {
    if (cancelledBy !== undefined) return;
    cancelledBy = why;
    controller.abort();
  };
  const unlisten = whenAborted(signal, () => cancel('abort'));
  const timer =
    Number.isFinite(options.timeoutMs) && options.timeoutMs > 0 ? setTimeout(() => cancel('timeout'), options.timeoutMs) : undefined;

  const stops = options.stop.filter((s) => s.length > 0);
  const longestStop = stops.reduce((n, s) => Math.max(n, s.length), 0);
  const onText = (chunk: string): void => {
    if (cancelledBy !== undefined || chunk === '') return;
    if (Number.isNaN(ttftMs)) {
      ttftMs = now() - started;
      options.onFirstToken?.();
    }
    // A stop string can straddle two pieces, so look back over the old text by its length.
    const searchFrom = Math.max(0, text.length - longestStop + 1);
    text += chunk;
    pieces += 1;
    const cut = generationCut(text, stops, options.extent, searchFrom);
    if (cut !== undefined) {
      text = text.slice(0, cut);
      cancel('stop');
    }
  };

  try {
    const stoppedBy = await send({ signal: controller.signal, onText, stops });
    return result(cancelledBy ?? stoppedBy);
  } catch (error) {
    if (cancelledBy !== undefined) return result(cancelledBy);
    throw error;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    unlisten();
    end();
  }
}
