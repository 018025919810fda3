// Translates the llama worker's error codes into the shared BackendError codes the engine and the
// status bar understand. The worker's own message is kept: it already says what happened and what
// to do, in the words of the file or setting involved.

import type { WorkerErrorCode } from './llamaProtocol';
import { BackendError, type BackendErrorCode } from '../../kernel/backendError';

const codeMap: Record<WorkerErrorCode, BackendErrorCode> = {
  'model-missing': 'model-missing',
  'binary-missing': 'model-load',
  'not-gguf': 'model-load',
  'model-corrupt': 'model-load',
  'no-fim': 'model-load',
  'load-failed': 'model-load',
  'not-loaded': 'model-load',
  // The request itself was unusable (a prompt over the context, an empty prompt).
  'prompt-too-long': 'malformed',
  'bad-message': 'malformed',
  // llama.cpp failed while running the model; the worker is alive and resets its cache.
  'generate-failed': 'model-load',
};

export function backendErrorFromWorker(code: WorkerErrorCode, message: string): BackendError {
  return new BackendError(codeMap[code], message, { cause: { workerCode: code } });
}
