// Cancellation, spelled one way: every request, wait and worker call in Bantam takes an AbortSignal,
// and these are the few things done with one (listen to it, pass it on, race a promise against it,
// sleep until it fires). Each listener is removed when its work ends, so a long-lived signal (a
// task's, a window's) does not collect one per call.

/** What raceAbort resolves with when the signal won. */
export const ABORTED: unique symbol = Symbol('aborted');

/**
 * Calls `listener` once when `signal` aborts; returns the unsubscribe to call when the work ends. A
 * signal that has already aborted does not call it: callers check `signal.aborted` first where
 * that matters.
 */
export function whenAborted(signal: AbortSignal | undefined, listener: () => void): () => void {
  if (!signal) return () => {};
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

/** Aborts `controller` when `signal` does (at once if it has); returns the unsubscribe. */
export function linkAbort(signal: AbortSignal | undefined, controller: AbortController): () => void {
  if (signal?.aborted) {
    controller.abort();
    return () => {};
  }
  return whenAborted(signal, () => controller.abort());
}

/**
 * Resolves like `promise`, or with ABORTED as soon as `signal` aborts (at once if it has). The
 * promise runs on: whoever shares it still gets its value.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | typeof ABORTED> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise<T | typeof ABORTED>((resolve, reject) => {
    const unsubscribe = whenAborted(signal, () => resolve(ABORTED));
    promise.then(
      (value) => {
        unsubscribe();
        resolve(value);
      },
      (error: unknown) => {
        unsubscribe();
        reject(error);
      },
    );
  });
}

export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>;

/** Waits `ms`; rejects with the signal's reason (an AbortError) as soon as it aborts. */
export const abortableSleep: SleepFn = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const unsubscribe = whenAborted(signal, () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    });
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, Math.max(0, ms));
  });

/** Why `signal` aborted, or a standard AbortError when it gave no reason. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}
