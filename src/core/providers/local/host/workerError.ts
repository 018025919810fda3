// An error raised inside the llama worker that already carries the protocol code and the one
// sentence the user should see; the worker's dispatcher turns it into an `error` reply as-is.

import type { WorkerErrorCode } from '../llamaProtocol';

export class WorkerError extends Error {
  constructor(
    readonly code: WorkerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WorkerError';
  }
}
