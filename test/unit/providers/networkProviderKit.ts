// Shared pieces of the network provider tests: the three chat providers behind one table (so each
// conformance case runs against each of them), a sleep that records delays instead of waiting, a
// fixed jitter, a test policy with short limits, and a helper that expects a BackendError.

import * as assert from 'node:assert/strict';
import { isBackendError, type BackendError } from '../../../src/core/kernel/backendError';
import type { ChatProvider, ChatRequest } from '../../../src/core/kernel/chatTypes';
import { AnthropicChatProvider } from '../../../src/core/providers/anthropic/anthropicChatProvider';
import type { NetworkProviderOptions } from '../../../src/core/providers/http/networkProvider';
import { OllamaChatProvider } from '../../../src/core/providers/ollama/ollamaChatProvider';
import { OpenAiChatProvider } from '../../../src/core/providers/openai/openAiChatProvider';
import type { SleepFn } from '../../../src/core/kernel/abort';
import type { FakeApi, FakeProviderServer } from '../../support/fakeProviderServer';
import type { HttpPolicy } from '../../../src/core/providers/http/httpPolicy';

export const TEST_KEY = 'sk-test-0123456789abcdef';

/** Short enough for tests, long enough never to fire on a healthy loopback exchange. */
export const TEST_POLICY: HttpPolicy = {
  firstByteTimeoutMs: 3000,
  idleTimeoutMs: 3000,
  maxRetries: 2,
  baseBackoffMs: 100,
  maxBackoffMs: 1000,
  maxRetryAfterMs: 10_000,
  totalTimeoutMs: 20_000,
  maxResponseChars: 100_000,
};

/** With random() = 0.5 the first retry waits 75 ms: half of 100 fixed, a quarter of it jitter. */
export const HALF = (): number => 0.5;

export interface RecordingSleep {
  delays: number[];
  sleep: SleepFn;
}

/** A sleep that returns at once and remembers how long it was asked to wait. */
export function recordingSleep(): RecordingSleep {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms, signal) => {
      delays.push(ms);
      if (signal?.aborted) throw new Error('aborted');
    },
  };
}

export type ProviderOverrides = Partial<NetworkProviderOptions> & { baseUrl?: string };

export interface ProviderCase {
  name: string;
  api: FakeApi;
  /** The path the provider posts to, as the fake records it. */
  path: string;
  make(fake: FakeProviderServer, overrides?: ProviderOverrides): ChatProvider;
}

function common(overrides: ProviderOverrides): NetworkProviderOptions {
  return { model: 'test-model', contextWindow: 32_000, policy: TEST_POLICY, random: HALF, ...overrides };
}

export const PROVIDERS: readonly ProviderCase[] = [
  {
    name: 'OpenAI-compatible',
    api: 'openai-chat',
    path: '/v1/chat/completions',
    make: (fake, overrides = {}) => new OpenAiChatProvider({ baseUrl: `${fake.url}/v1`, ...common(overrides) }),
  },
  {
    name: 'Anthropic',
    api: 'anthropic',
    path: '/v1/messages',
    make: (fake, overrides = {}) => new AnthropicChatProvider({ baseUrl: fake.url, ...common(overrides) }),
  },
  {
    name: 'Ollama',
    api: 'ollama-chat',
    path: '/api/chat',
    make: (fake, overrides = {}) =>
      new OllamaChatProvider({ host: overrides.baseUrl ?? fake.url, ...common(overrides) }),
  },
];

export function chatRequest(overrides: Partial<ChatRequest> = {}): ChatRequest {
  return {
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Say hello.' },
    ],
    maxTokens: 64,
    temperature: 0.2,
    ...overrides,
  };
}

export async function rejection(promise: Promise<unknown>): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isBackendError(error), `expected a BackendError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the promise to reject');
}

/** Resolves once the fake has recorded `count` requests (polling the event loop, not a clock). */
export async function requestsArrived(fake: FakeProviderServer, count = 1): Promise<void> {
  while (fake.requests.length < count) await new Promise((resolve) => setImmediate(resolve));
}
