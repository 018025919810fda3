// Downloads a model by node-llama-cpp URI into Bantam's models folder, with progress and cancel.
// node-llama-cpp's downloader retries for a long time when there is no network, so a quick
// reachability probe runs first and turns "offline" into an immediate, actionable error.

export interface DownloadProgress {
  downloadedBytes: number;
  totalBytes: number;
}

export class ModelDownloadError extends Error {
  constructor(
    message: string,
    readonly code: 'offline' | 'cancelled' | 'failed',
  ) {
    super(message);
    this.name = 'ModelDownloadError';
  }
}

export const DEFAULT_MODEL_ENDPOINT = 'https://huggingface.co';

/** Rejects quickly when the model host can't be reached at all (no DNS, no route, refused). */
export async function probeModelHost(
  endpoint = DEFAULT_MODEL_ENDPOINT,
  timeoutMs = 8000,
  fetchImpl: typeof fetch = fetch,
): Promise<void> {
  try {
    await fetchImpl(endpoint, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    const host = URL.canParse(endpoint) ? new URL(endpoint).host : endpoint;
    throw new ModelDownloadError(
      `Can't reach ${host} to download the model (${cause}). Download the GGUF file on a machine with network access and set bantam.completion.model to its path.`,
      'offline',
    );
  }
}

export async function downloadModel(
  uri: string,
  modelsDir: string,
  onProgress: (progress: DownloadProgress) => void,
  signal: AbortSignal,
  endpoint = DEFAULT_MODEL_ENDPOINT,
): Promise<string> {
  await probeModelHost(endpoint);
  const { resolveModelFile } = await import('node-llama-cpp');
  try {
    return await resolveModelFile(uri, {
      directory: modelsDir,
      download: 'auto',
      cli: false,
      signal,
      deleteTempFileOnCancel: true,
      endpoints: { huggingFace: endpoint },
      onProgress: ({ downloadedSize, totalSize }) => onProgress({ downloadedBytes: downloadedSize, totalBytes: totalSize }),
    });
  } catch (error) {
    if (signal.aborted) throw new ModelDownloadError('Model download cancelled.', 'cancelled');
    throw new ModelDownloadError(`Model download failed: ${(error as Error).message}`, 'failed');
  }
}
