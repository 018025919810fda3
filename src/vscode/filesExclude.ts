// A folder's exclude globs as the index and every prompt apply them: VS Code's `files.exclude` and
// `bantam.context.exclude`, both read for that folder (a multi-root workspace's folders can each set
// their own in their .vscode/settings.json).
import * as vscode from 'vscode';
import { configFrom } from '../core/config';

/** `files.exclude` patterns switched on, for the workspace folder. */
export function filesExcludeGlobs(folder: vscode.Uri): string[] {
  const patterns = vscode.workspace.getConfiguration('files', folder).get<Record<string, unknown>>('exclude') ?? {};
  return Object.entries(patterns)
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
}

/** `bantam.context.exclude` as the folder sets it (checked like every setting; the default when unusable). */
export function contextExcludeGlobs(folder: vscode.Uri): string[] {
  const raw = vscode.workspace.getConfiguration('bantam.context', folder).get('exclude');
  return configFrom({ 'context.exclude': raw }).context.exclude;
}

/** Both, for the folder: what its files are never indexed nor sent by. */
export function folderExcludeGlobs(folder: vscode.Uri): string[] {
  return [...filesExcludeGlobs(folder), ...contextExcludeGlobs(folder)];
}
