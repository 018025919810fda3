// What every network provider (OpenAI-compatible chat and completions, Anthropic, Ollama chat and
// completion) is built from: the constructor options they share, the base URL, the HTTP policy and
// outside-world dependencies with their defaults, the Endpoint their messages name, and the
// lifetime that lets dispose() end the requests still running. The chat providers' set-up made of
// these is NetworkChatProvider (networkChat.ts).

import { BackendError } from '../../kernel/backendError';
import { type Tier } from '../../kernel/chatTypes';
import { endpointLabel, type Endpoint } from './httpErrors';
import type { FetchLike, HttpDeps } from './httpStream';
import { abortableSleep, type SleepFn } from '../../kernel/abort';
import { DEFAULT_HTTP_POLICY, type HttpPolicy } from './httpPolicy';

export interface NetworkProviderOptions {
  /** The model as the server names it. */
  model: string;
  /** Sent only when given: local servers need none. Never appears in a message or label. */
  apiKey?: string;
  tier?: Tier;
  /** Tokens the model accepts (prompt + answer), as configured. */
  contextWindow: number;
  policy?: Partial<HttpPolicy>;
  /** What to do about a missing or rejected key: "Run 'Bantam: Set API Key'." or "Set ANTHROPIC_API_KEY." */
  keyHint?: string;
  fetch?: FetchLike;
  sleep?: SleepFn;
  /** Wall-clock ms; default Date.now. */
  now?: () => number;
  /** [0, 1) for backoff jitter; default Math.random. */
  random?: () => number;
}

export function httpDeps(options: Pick<NetworkProviderOptions, 'fetch' | 'sleep' | 'now' | 'random'>): HttpDeps {
  return {
    // Looked up at call time, so a fetch stubbed after construction is still used.
    // Redirects are never followed (a key and the code would go wherever the server points).
    fetch: options.fetch ?? ((input, init) => fetch(input, { ...init, redirect: 'error' })),
    sleep: options.sleep ?? abortableSleep,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
}

export function httpPolicy(overrides: Partial<HttpPolicy> | undefined, base: HttpPolicy = DEFAULT_HTTP_POLICY): HttpPolicy {
  const merged = { ...base };
  for (const [key, value] of Object.entries(overrides ?? {}) as Array<[keyof HttpPolicy, number | undefined]>) {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) merged[key] = value;
  }
  return merged;
}

export interface EndpointSpec {
  name: string;
  baseUrl: string;
  model: string;
  api: string;
  apiKey?: string;
  keyHint?: string;
  modelMissingHint: string;
  /** What to do about a prompt the server refused for its length (see contextWindowHint). */
  contextHint?: (limit: number | undefined) => string;
}

/**
 * The hint for a prompt refused for its length: Bantam sizes prompts to the context-window setting,
 * so that setting is what to change; a server the user runs can be given a larger context instead.
 */
export function contextWindowHint(setting: string, serverContext?: string): (limit: number | undefined) => string {
  return (limit) => {
    const to = limit !== undefined ? `${limit} or less` : "the model's context size";
    const instead = serverContext !== undefined ? ` A server you run can be given a larger context instead (${serverContext}).` : '';
    return `Set ${setting} to ${to}: Bantam sizes its prompts to fit it.${instead}`;
  };
}

/** The endpoint a provider's messages name; `host` reads "invalid base URL" when it cannot be parsed. */
export function endpointFor(spec: EndpointSpec): Endpoint & { valid: boolean } {
  const key = spec.apiKey?.trim() ?? '';
  let host = 'invalid base URL';
  let hostPort = host;
  let valid = false;
  try {
    const url = new URL(spec.baseUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      host = url.host;
      hostPort = `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
      valid = true;
    }
  } catch {
    // Reported when a request is made (see invalidBaseUrlError): constructing a provider never throws.
  }
  return {
    name: spec.name,
    host,
    hostPort,
    model: spec.model,
    api: spec.api,
    hadKey: key !== '',
    keyHint: spec.keyHint ?? `Check the API key Bantam uses for ${spec.name}.`,
    modelMissingHint: spec.modelMissingHint,
    ...(spec.contextHint !== undefined ? { contextHint: spec.contextHint } : {}),
    secrets: key !== '' ? [key, spec.apiKey ?? key] : [],
    valid,
  };
}

/** The base URL is not an http(s) URL; the URL itself is not quoted (it may carry a key). */
export function invalidBaseUrlError(endpoint: Endpoint, example: string): BackendError {
  return new BackendError(
    'unreachable',
    `The base URL for ${endpoint.name} is not a valid http(s) URL. Set it to a URL such as ${example}.`,
  );
}

/** The requests a provider has running, so dispose() can end them; later requests are refused. */
export class RequestLifetime {
  private readonly running = new Set<AbortController>();
  private disposed = false;

  /** `refusal`: what a request made after dispose() is told (see shutDownMessage). */
  constructor(private readonly refusal: string) {}

  /** A signal that aborts with the caller's or on dispose(); call end() when the request is over. */
  begin(signal?: AbortSignal): { signal: AbortSignal; end: () => void } {
    if (this.disposed) throw new BackendError('aborted', this.refusal);
    const controller = new AbortController();
    this.running.add(controller);
    return {
      signal: signal ? AbortSignal.any([signal, controller.signal]) : controller.signal,
      end: () => this.running.delete(controller),
    };
  }

  dispose(): void {
    this.disposed = true;
    for (const controller of this.running) controller.abort();
    this.running.clear();
  }
}

/** What a disposed network provider tells a late request. */
export function shutDownMessage(endpoint: Endpoint): string {
  return `${endpointLabel(endpoint)} has been shut down. Reload the window to use it again.`;
}

/** A configured base URL as requests use it: trimmed, `fallback` when empty, no trailing slash. */
export function baseUrlOf(configured: string | undefined, fallback = ''): string {
  return (configured?.trim() || fallback).replace(/\/+$/, '');
}
