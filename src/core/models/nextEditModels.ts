// Which next-edit model Bantam recommends, and where the bantam.nextEdit.model setting points.
// Next-edit models rewrite a window of the file rather than fill in the middle; Sweep's open ones
// (Qwen2.5-Coder fine-tunes, Jan 2026) are published as Q8_0 GGUF files by Sweep themselves.
import { existsSync } from 'node:fs';
import { expandModelPath, resolveDownloadedModel } from './modelLocation';
import { isModelUri, recommendModelSize, type MachineProfile, type RecommendedModel } from './recommendedModel';

// The files in Sweep's own Hugging Face repositories (sweepai/sweep-next-edit-0.5B and -1.5B).
export const NEXT_EDIT_MODELS = {
  '0.5b': {
    uri: 'hf:sweepai/sweep-next-edit-0.5B/sweep-next-edit-0.5b.q8_0.gguf',
    fileName: 'sweep-next-edit-0.5b.q8_0.gguf',
    label: 'Sweep Next-Edit 0.5B, Q8_0',
    approxBytes: 531_000_000,
  },
  '1.5b': {
    uri: 'hf:sweepai/sweep-next-edit-1.5B/sweep-next-edit-1.5b.q8_0.v2.gguf',
    fileName: 'sweep-next-edit-1.5b.q8_0.v2.gguf',
    label: 'Sweep Next-Edit 1.5B, Q8_0',
    approxBytes: 1_650_000_000,
  },
} as const satisfies Record<string, RecommendedModel>;

/**
 * 1.5B (68% on Sweep's benchmark against 61%) wherever the completion table would run a 1.5B model
 * or bigger for ghost text (a GPU, or a large CPU); 0.5B elsewhere: a rewrite of a 21-line window
 * writes ~200 tokens, which the 1.5B model does ~3x slower on the same CPU.
 */
export function recommendNextEditModel(machine: MachineProfile): RecommendedModel {
  return recommendModelSize(machine) === '0.5b' ? NEXT_EDIT_MODELS['0.5b'] : NEXT_EDIT_MODELS['1.5b'];
}

export type NextEditModelLocation = { kind: 'file'; path: string } | { kind: 'not-downloaded'; uri: string; message: string };

/**
 * The file bantam.nextEdit.model names for the embedded backend: a path, an hf: URI already
 * downloaded, or (empty) the recommended next-edit model or the other size, once downloaded.
 */
export async function locateNextEditModel(
  setting: string,
  options: { modelsDir: string; workspaceFolder?: string; recommended: RecommendedModel },
): Promise<NextEditModelLocation> {
  const value = setting.trim();
  if (value !== '' && !isModelUri(value)) return { kind: 'file', path: expandModelPath(value, options.workspaceFolder) };
  const candidates = value !== '' ? [value] : [options.recommended.uri, ...Object.values(NEXT_EDIT_MODELS).map((m) => m.uri).filter((u) => u !== options.recommended.uri)];
  for (const uri of candidates) {
    const downloaded = await resolveDownloadedModel(uri, options.modelsDir);
    if (downloaded && existsSync(downloaded)) return { kind: 'file', path: downloaded };
  }
  return {
    kind: 'not-downloaded',
    uri: candidates[0]!,
    message: "No next-edit model yet: run 'Bantam: Download Next-Edit Model', or set bantam.nextEdit.model to a GGUF file.",
  };
}
