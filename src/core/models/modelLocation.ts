// Turns the bantam.completion.model setting into a model file path, or a message saying what the
// user should do. node-llama-cpp resolves hf: URIs (lazily imported: it is ESM and heavy), so the
// same naming serves the download command and every later start.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { isModelUri, RECOMMENDED_MODELS, type RecommendedModel } from './recommendedModel';

export type ModelLocation =
  | { kind: 'file'; path: string }
  | { kind: 'not-downloaded'; uri: string; message: string };

export interface ModelLocationOptions {
  /** Folder where downloaded models live (the extension's global storage). */
  modelsDir: string;
  /** First workspace folder, for relative paths and ${workspaceFolder}. */
  workspaceFolder?: string;
  recommended: RecommendedModel;
}

/** Expands `~` and `${workspaceFolder}` and makes a relative path absolute against the workspace. */
export function expandModelPath(value: string, workspaceFolder?: string): string {
  let p = value.trim();
  if (p === '~' || p.startsWith('~/')) p = join(homedir(), p.slice(1));
  if (workspaceFolder) p = p.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  if (!isAbsolute(p)) p = resolve(workspaceFolder ?? process.cwd(), p);
  return p;
}

/** The file an hf: URI was downloaded to in `modelsDir`, or undefined when it was not. */
export async function resolveDownloadedModel(uri: string, modelsDir: string): Promise<string | undefined> {
  const { resolveModelFile } = await import('node-llama-cpp');
  try {
    return await resolveModelFile(uri, { directory: modelsDir, download: false, cli: false });
  } catch {
    return undefined;
  }
}

export async function locateModel(setting: string, options: ModelLocationOptions): Promise<ModelLocation> {
  const value = setting.trim();
  const uri = value === '' ? options.recommended.uri : isModelUri(value) ? value : undefined;
  if (uri === undefined) return { kind: 'file', path: expandModelPath(value, options.workspaceFolder) };
  if (value === '') {
    // The recommended model, if the download command already fetched it; else another size of the
    // table that it fetched (it chose by the GPU it probed then, or the machine changed since), biggest first.
    const candidates = [options.recommended, ...Object.values(RECOMMENDED_MODELS).reverse().filter((m) => m.uri !== uri)];
    for (const candidate of candidates) {
      const downloaded = await resolveDownloadedModel(candidate.uri, options.modelsDir);
      if (downloaded && existsSync(downloaded)) return { kind: 'file', path: downloaded };
    }
    return {
      kind: 'not-downloaded',
      uri,
      message:
        "No completion model yet: run 'Bantam: Download Recommended Model', or set bantam.completion.model to a GGUF file.",
    };
  }
  const downloaded = await resolveDownloadedModel(uri, options.modelsDir);
  if (downloaded && existsSync(downloaded)) return { kind: 'file', path: downloaded };
  return {
    kind: 'not-downloaded',
    uri,
    message: `${uri} is not downloaded yet: run 'Bantam: Download Recommended Model', or set bantam.completion.model to a local GGUF file.`,
  };
}
