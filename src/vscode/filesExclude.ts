// VS Code's `files.exclude` as globs: the index leaves these files out, and so does every prompt.
import * as vscode from 'vscode';

/** `files.exclude` patterns switched on, for the workspace folder. */
export function filesExcludeGlobs(folder: vscode.Uri): string[] {
  const patterns = vscode.workspace.getConfiguration('files', folder).get<Record<string, unknown>>('exclude') ?? {};
  return Object.entries(patterns)
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
}
