// The completion rules every server backend keeps, run against a fake `send` that streams pieces:
// abort and timeout resolve with the text so far, stop strings cut the text (across pieces too) and
// end the request, the first piece is timed, dispose() ends what runs and refuses what comes after.

import * as assert from 'node:assert/strict';
import type { GenerateOptions } from '../../../../src/core/kernel/completionTypes';
import { BackendError } from '../../../../src/core/kernel/backendError';
import { streamCompletion, type CompletionSend, type StoppedBy } from '../../../../src/core/providers/http/networkCompletion';
import { RequestLifetime } from '../../../../src/core/providers/http/networkProvider';

function options(overrides: Partial<GenerateOptions> = {}): GenerateOptions {
  return { maxTokens: 16, stop: [], timeoutMs: 5000, temperature: 0, ...overrides };
}

interface FakeSend {
  send: (call: CompletionSend) => Promise<StoppedBy>;
  /** The signal of the last call, to see whether the request was ended. */
  signal(): AbortSignal | undefined;
  calls: number;
}

/** Streams `pieces` `delayMs` apart, stops when its signal fires (as the HTTP layer does), ends with `end`. */
function streaming(pieces: string[], delayMs = 0, end: StoppedBy = 'eos'): FakeSend {
  let last: AbortSignal | undefined;
  const fake: FakeSend = {
    calls: 0,
    signal: () => last,
    send: async ({ signal, onText }) => {
      fake.calls += 1;
      last = signal;
      for (const piece of pieces) {
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (signal.aborted) throw new BackendError('aborted', 'Cancelled. Stop.');
        onText(piece);
      }
      return end;
    },
  };
  return fake;
}

describe('streamCompletion', () => {
  let lifetime: RequestLifetime;
  beforeEach(() => {
    lifetime = new RequestLifetime('Shut down. Reload.');
  });

  it('gathers the pieces, counts the non-empty ones and says how the backend saw the stream end', async () => {
    const fake = streaming(['', 'a', 'b'], 0, 'maxTokens');
    const result = await streamCompletion(lifetime, options(), Date.now, fake.send);
    assert.equal(result.text, 'ab');
    assert.equal(result.pieces, 2);
    assert.equal(result.stoppedBy, 'maxTokens');
    assert.ok(Number.isFinite(result.ttftMs));
  });

  it('times the first non-empty piece and calls onFirstToken once', async () => {
    let clock = 0;
    let firsts = 0;
    const send = async ({ onText }: CompletionSend): Promise<StoppedBy> => {
      clock = 5;
      onText('');
      clock = 7;
      onText('x');
      clock = 9;
      onText('y');
      return 'eos';
    };
    const result = await streamCompletion(lifetime, options({ onFirstToken: () => (firsts += 1) }), () => clock, send);
    assert.equal(result.ttftMs, 7);
    assert.equal(result.totalMs, 9);
    assert.equal(firsts, 1);
  });

  it('cuts at a stop string split across pieces, ends the request and says stop', async () => {
    const fake = streaming(['x = 1', '<|end', 'oftext|>', ' more'], 0);
    const result = await streamCompletion(lifetime, options({ stop: ['', '<|endoftext|>'] }), Date.now, fake.send);
    assert.equal(result.text, 'x = 1');
    assert.equal(result.stoppedBy, 'stop');
    assert.equal(fake.signal()?.aborted, true);
  });

  it('hands the server the stop strings without empty ones', async () => {
    let stops: string[] = [];
    await streamCompletion(lifetime, options({ stop: ['', '\n'] }), Date.now, async (call) => ((stops = call.stops), 'eos'));
    assert.deepEqual(stops, ['\n']);
  });

  it('resolves with the text so far when the caller aborts, and when timeoutMs passes', async () => {
    const controller = new AbortController();
    const aborted = streamCompletion(
      lifetime,
      options({ signal: controller.signal, onFirstToken: () => setTimeout(() => controller.abort(), 15) }),
      Date.now,
      streaming(['a', 'b', 'c', 'd', 'e', 'f'], 10).send,
    );
    const first = await aborted;
    assert.equal(first.stoppedBy, 'abort');
    assert.ok(first.text.startsWith('a') && first.text.length < 6, first.text);

    const timedOut = await streamCompletion(lifetime, options({ timeoutMs: 25 }), Date.now, streaming(['a', 'b', 'c', 'd', 'e'], 10).send);
    assert.equal(timedOut.stoppedBy, 'timeout');
    assert.ok(timedOut.text.length < 5, timedOut.text);
  });

  it('sends nothing when the signal has already aborted', async () => {
    const fake = streaming(['a']);
    const result = await streamCompletion(lifetime, options({ signal: AbortSignal.abort() }), Date.now, fake.send);
    assert.equal(result.stoppedBy, 'abort');
    assert.equal(fake.calls, 0);
  });

  it('passes a failure on when nothing ended the request', async () => {
    const failure = new BackendError('http', 'Broke. Retry.');
    await assert.rejects(
      streamCompletion(lifetime, options(), Date.now, async () => {
        throw failure;
      }),
      (error) => error === failure,
    );
  });

  it('dispose() ends a completion in flight with abort, and refuses later ones with the lifetime’s words', async () => {
    const pending = streamCompletion(lifetime, options(), Date.now, streaming(['a', 'b', 'c'], 20).send);
    setTimeout(() => lifetime.dispose(), 30);
    assert.equal((await pending).stoppedBy, 'abort');
    await assert.rejects(streamCompletion(lifetime, options(), Date.now, streaming(['a']).send), /Shut down\. Reload\./);
  });
});
