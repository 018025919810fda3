// One chat request over the shared HTTP layer, for the three network chat providers: they differ
// in the URL, headers and body they send and in how they decode the stream; everything after that
// (the lifetime, the ChatResult, estimated usage when the server reports none, what an abort
// after some text means) is the same and lives here.

import { estimateTokens } from '../../kernel/tokenEstimate';
import type { ChatRequest, ChatResult, FinishReason } from '../../kernel/chatTypes';
import type { Endpoint } from './httpErrors';
import { streamRequest, type BodyDecoder, type HttpDeps, type TextSink } from './httpStream';
import type { RequestLifetime } from './networkProvider';
import { estimateMessages } from '../../kernel/messageTokens';
import type { HttpPolicy } from './httpPolicy';

/** What a chat decoder learned from the stream besides the text. */
export interface ChatStreamFacts {
  inputTokens?: number;
  outputTokens?: number;
  /** The API's own finish reason, already mapped; undefined when the stream did not say. */
  finishReason?: FinishReason;
  /** The model the server says answered. */
  model?: string;
}

export interface ChatCall {
  endpoint: Endpoint;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  policy: HttpPolicy;
  deps: HttpDeps;
  lifetime: RequestLifetime;
  request: ChatRequest;
  decoder: (sink: TextSink, facts: ChatStreamFacts) => BodyDecoder;
}

export async function runChat(call: ChatCall): Promise<ChatResult> {
  const { signal, end } = call.lifetime.begin(call.request.signal);
  // The facts of the attempt that answered; a failed attempt's are dropped with it.
  let facts: ChatStreamFacts = {};
  try {
    const outcome = await streamRequest({
      endpoint: call.endpoint,
      url: call.url,
      headers: call.headers,
      body: call.body,
      policy: call.policy,
      deps: call.deps,
      signal,
      onText: call.request.onText,
      decoder: (sink) => {
        facts = {};
        return call.decoder(sink, facts);
      },
    });
    const reported = facts.inputTokens !== undefined && facts.outputTokens !== undefined;
    return {
      text: outcome.text,
      usage: {
        inputTokens: facts.inputTokens ?? estimateMessages(call.request.messages),
        outputTokens: facts.outputTokens ?? estimateTokens(outcome.text),
        estimated: !reported,
      },
      finishReason: outcome.end === 'complete' ? (facts.finishReason ?? 'other') : outcome.end,
      model: facts.model ?? call.endpoint.model,
      ttftMs: outcome.ttftMs,
      totalMs: outcome.totalMs,
      attempts: outcome.attempts,
    };
  } finally {
    end();
  }
}
