// Commands that choose, fetch and restart the models: download the recommended completion or
// next-edit model (with VS Code progress: bytes, cancel), pick a local GGUF file, switch backend, restart.
import * as vscode from 'vscode';
import { downloadModel, ModelDownloadError } from '../core/models/modelDownload';
import { isModelUri, type RecommendedModel } from '../core/models/recommendedModel';
import { updateSetting } from './settings';

function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '?';
  const mb = bytes / 1e6;
  return mb >= 1000 ? `${(mb / 1000).toFixed(2)} GB` : `${mb.toFixed(0)} MB`;
}

/**
 * Downloads the model the setting names if it is an hf: URI, otherwise the recommended one.
 * Resolves to the file path, or undefined when cancelled or failed (the user was told why).
 */
export async function downloadRecommendedModel(
  modelsDir: string,
  recommended: RecommendedModel,
  currentSetting: string,
  endpoint: string,
  /** The command offered when the download fails (choosing a local file instead); none for null. */
  chooseFileCommand: string | null = 'bantam.selectModelFile',
): Promise<string | undefined> {
  const uri = isModelUri(currentSetting) ? currentSetting.trim() : recommended.uri;
  const label = uri === recommended.uri ? recommended.label : uri;
  try {
    const path = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Bantam: downloading ${label}`, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        try {
          return await downloadModel(
            uri,
            modelsDir,
            ({ downloadedBytes, totalBytes }) => {
              const fraction = totalBytes > 0 ? downloadedBytes / totalBytes : 0;
              const increment = Math.max(0, fraction * 100 - reported);
              reported += increment;
              progress.report({ increment, message: `${formatBytes(downloadedBytes)} of ${formatBytes(totalBytes)}` });
            },
            controller.signal,
            endpoint,
          );
        } finally {
          cancel.dispose();
        }
      },
    );
    void vscode.window.showInformationMessage(`Bantam: ${label} is ready.`);
    return path;
  } catch (error) {
    if (error instanceof ModelDownloadError && error.code === 'cancelled') {
      void vscode.window.showInformationMessage('Bantam: model download cancelled.');
      return undefined;
    }
    const action = 'Choose a Local File';
    if (chooseFileCommand === null) {
      void vscode.window.showErrorMessage(`Bantam: ${(error as Error).message}`);
      return undefined;
    }
    void vscode.window.showErrorMessage(`Bantam: ${(error as Error).message}`, action).then((choice) => {
      if (choice === action) void vscode.commands.executeCommand(chooseFileCommand);
    });
    return undefined;
  }
}

export async function selectModelFile(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Use for Completion',
    filters: { 'GGUF models': ['gguf'] },
    title: 'Bantam: choose a GGUF code model with fill-in-the-middle tokens',
  });
  const file = picked?.[0]?.fsPath;
  if (file) await updateSetting('completion.model', file);
  return file;
}

export async function switchBackend(current: string): Promise<string | undefined> {
  const items: (vscode.QuickPickItem & { id: string })[] = [
    { id: 'embedded', label: 'Embedded', description: 'node-llama-cpp in a worker process, no server to install' },
    { id: 'ollama', label: 'Ollama', description: 'an Ollama server (bantam.ollama.host)' },
    { id: 'openai', label: 'OpenAI-compatible server', description: "a team's inference server's /completions (bantam.openai.baseUrl)" },
  ].map((item) => ({ ...item, picked: item.id === current, detail: item.id === current ? 'current' : undefined }));
  const choice = await vscode.window.showQuickPick(items, { title: 'Bantam: completion backend' });
  if (choice && choice.id !== current) await updateSetting('completion.backend', choice.id);
  return choice?.id;
}
