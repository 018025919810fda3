// Newline-delimited JSON (Ollama's streaming format) for the streaming decoders: splits the body
// into lines as it arrives, however the network chunks it, and refuses a line that is not a JSON
// object rather than skipping it (a skipped line is a silently missing piece of the answer).

import { clip, MalformedReplyError } from './httpErrors';
import type { TextFeeder } from './sseEvents';

export function ndjsonFeeder(onValue: (value: Record<string, unknown>) => void): TextFeeder {
  let pending = '';
  const line = (text: string): void => {
    const trimmed = text.trim();
    if (trimmed === '') return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      value = undefined;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new MalformedReplyError(`a line that is not a JSON object: "${clip(trimmed, 80)}"`);
    }
    onValue(value as Record<string, unknown>);
  };
  return {
    feed(chunk) {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const text = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        line(text);
        newline = pending.indexOf('\n');
      }
    },
    flush() {
      const rest = pending;
      pending = '';
      line(rest);
    },
  };
}
