// The retry, timeout and pacing rules of the HTTP stack (httpStream.ts), with Bantam's defaults; each
// provider may override them (tests shorten them).

/** Retry, timeout and pacing rules shared by the HTTP providers. */
export interface HttpPolicy {
  /** Time allowed for the response headers and the first streamed byte of a body. */
  firstByteTimeoutMs: number;
  /** Longest silence allowed between two streamed chunks once the answer has started. */
  idleTimeoutMs: number;
  /** Retries after the first attempt for 429, 5xx and connection failures before any text arrived. */
  maxRetries: number;
  /** First backoff delay; doubles each retry, with jitter, capped by maxBackoffMs. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** A Retry-After longer than this is not waited for: the request fails with a message saying when to retry. */
  maxRetryAfterMs: number;
  /** Longest a whole request may take, however steadily the server trickles (the answer so far is kept). */
  totalTimeoutMs: number;
  /** Longest answer accepted, in characters; a server sending more is cut off there. */
  maxResponseChars: number;
}

export const DEFAULT_HTTP_POLICY: HttpPolicy = {
  firstByteTimeoutMs: 60_000,
  idleTimeoutMs: 60_000,
  maxRetries: 3,
  baseBackoffMs: 500,
  maxBackoffMs: 8_000,
  maxRetryAfterMs: 60_000,
  totalTimeoutMs: 15 * 60_000,
  // 65,536 tokens (the largest bantam.routing.maxAnswerTokens) at ~4 characters each, twice over.
  maxResponseChars: 512 * 1024,
};
