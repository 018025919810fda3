// The one error type for "this model file can't be used", with a code the UI and the worker can
// branch on and a message a user can act on: what happened, then what to do, one sentence each.
// The wording lives here so the reader, the inspector and the worker all say the same thing.

export type ModelFileErrorCode =
  | 'not-found'
  | 'not-gguf'
  | 'unsupported-version'
  | 'truncated'
  | 'corrupt'
  | 'no-fim';

export class ModelFileError extends Error {
  constructor(
    readonly code: ModelFileErrorCode,
    /** The model file the error is about, as the user gave it. */
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'ModelFileError';
  }
}

const pickModel = "point bantam.completion.model at a .gguf file or run 'Bantam: Download Recommended Model'";

export function notFoundError(path: string): ModelFileError {
  return new ModelFileError('not-found', path, `${path} does not exist; ${pickModel}.`);
}

/** Permission denied and the like: the file is there but Bantam may not read it. */
export function unreadableError(path: string, reason: string): ModelFileError {
  return new ModelFileError(
    'not-found',
    path,
    `${path} cannot be read (${reason}); check its permissions or point bantam.completion.model at another .gguf file.`,
  );
}

export function directoryError(path: string): ModelFileError {
  return new ModelFileError('not-gguf', path, `${path} is a folder, not a model file; point bantam.completion.model at a .gguf file.`);
}

/** Devices, pipes and sockets: opening or reading them could block or never end. */
export function notRegularFileError(path: string): ModelFileError {
  return new ModelFileError('not-gguf', path, `${path} is not a regular file; ${pickModel}.`);
}

export function notGgufError(path: string): ModelFileError {
  return new ModelFileError(
    'not-gguf',
    path,
    `${path} is not a GGUF model (it does not start with 'GGUF'); ${pickModel}.`,
  );
}

export function emptyFileError(path: string): ModelFileError {
  return new ModelFileError('truncated', path, `${path} is empty (0 bytes); download it again or ${pickModel}.`);
}

export function unsupportedVersionError(path: string, version: number): ModelFileError {
  return new ModelFileError(
    'unsupported-version',
    path,
    `${path} is GGUF version ${version}, which Bantam cannot read (it reads versions 2 and 3); download a current GGUF build of the model.`,
  );
}

export function bigEndianError(path: string): ModelFileError {
  return new ModelFileError(
    'unsupported-version',
    path,
    `${path} is a big-endian GGUF, which this machine cannot run; download the model's ordinary (little-endian) GGUF.`,
  );
}

export function unknownTensorTypeError(path: string, tensor: string, type: number): ModelFileError {
  return new ModelFileError(
    'unsupported-version',
    path,
    `${path} stores tensor '${tensor}' in ggml type ${type}, which this version of Bantam does not know; update Bantam or use a Q8_0 or Q4_K_M build of the model.`,
  );
}

/** The file ends inside its header or metadata, so its full size is not known. */
export function truncatedHeaderError(path: string, fileBytes: number): ModelFileError {
  return new ModelFileError(
    'truncated',
    path,
    `${path} is truncated (it ends after ${fileBytes} bytes, inside its header); download it again.`,
  );
}

export function truncatedError(path: string, fileBytes: number, expectedBytes: number): ModelFileError {
  return new ModelFileError(
    'truncated',
    path,
    `${path} is truncated (${fileBytes} of ${expectedBytes} bytes); download it again.`,
  );
}

export function corruptError(path: string, detail: string): ModelFileError {
  return new ModelFileError('corrupt', path, `${path} is corrupt (${detail}); download it again.`);
}

export function noFimError(path: string): ModelFileError {
  return new ModelFileError(
    'no-fim',
    path,
    `${path} has no fill-in-the-middle tokens, so it cannot complete code inline; use a base code model such as Qwen2.5-Coder.`,
  );
}
