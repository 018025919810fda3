// Server-sent events for the streaming decoders (OpenAI-compatible, Anthropic), over
// eventsource-parser. The parser itself forgives anything; a provider must not: a line that is not
// an SSE field means the server is not speaking SSE at all (a JSON reply to a server that ignored
// `stream: true`, an HTML error page from a proxy), and that is a reply Bantam cannot read.

import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { clip, MalformedReplyError } from './httpErrors';

export interface TextFeeder {
  feed(chunk: string): void;
  /** The body ended: an event without its closing blank line still counts. */
  flush(): void;
}

export function sseFeeder(onEvent: (event: EventSourceMessage) => void): TextFeeder {
  const parser = createParser({
    onEvent,
    onError(error) {
      if (error.type === 'unknown-field') {
        throw new MalformedReplyError(`not an event stream: "${clip(error.line ?? error.message, 80)}"`);
      }
    },
  });
  return {
    feed: (chunk) => parser.feed(chunk),
    flush: () => parser.reset({ consume: true }),
  };
}

/** The JSON in an event's data field; MalformedReplyError when it is not JSON. */
export function parseEventJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    throw new MalformedReplyError(`an event that is not JSON: "${clip(data, 80)}"`);
  }
}
