// Ollama's streamed reply, as /api/generate and /api/chat both send it: NDJSON lines carrying a
// piece of text each, a last line with `done: true`, `done_reason` and the token counts, and an
// `{"error": "..."}` line when Ollama fails after it started. One decoder for completion and chat;
// they differ only in where a line keeps its text.

import { serverMessageOf, StreamErrorEvent } from '../http/httpErrors';
import { FeederDecoder, type TextSink } from '../http/httpStream';
import { ndjsonFeeder } from '../http/ndjsonLines';

/** What the stream said besides the text. */
export interface OllamaStreamFacts {
  /** `prompt_eval_count` of the last line. */
  inputTokens?: number;
  /** `eval_count` of the last line. */
  outputTokens?: number;
  /** The model the server says answered. */
  model?: string;
}

export class OllamaStreamDecoder extends FeederDecoder {
  protected readonly feeder = ndjsonFeeder((line) => this.onLine(line));
  private finished = false;

  /** `textOf` finds a line's text; `onDone` gets the last line's `done_reason` (undefined when absent). */
  constructor(
    private readonly sink: TextSink,
    private readonly facts: OllamaStreamFacts,
    private readonly textOf: (line: Record<string, any>) => unknown,
    private readonly onDone: (reason: string | undefined) => void,
  ) {
    super();
  }

  done(): boolean {
    return this.finished;
  }

  private onLine(line: Record<string, any>): void {
    if (line['error'] !== undefined) throw new StreamErrorEvent(serverMessageOf(line));
    if (typeof line['model'] === 'string' && line['model'] !== '') this.facts.model = line['model'];
    const text = this.textOf(line);
    if (typeof text === 'string') this.sink.text(text);
    if (line['done'] === true) {
      this.finished = true;
      if (typeof line['prompt_eval_count'] === 'number') this.facts.inputTokens = line['prompt_eval_count'];
      if (typeof line['eval_count'] === 'number') this.facts.outputTokens = line['eval_count'];
      const reason = line['done_reason'];
      this.onDone(typeof reason === 'string' ? reason : undefined);
    }
  }
}
