// Reads Bantam's VS Code settings into core's plain config object and reports changes.
import * as vscode from 'vscode';
import { configFrom, type BantamConfig, type RawSettings } from '../core/config';
import manifest from '../../package.json';

/** Every `bantam.*` setting declared in package.json, without the prefix. */
const SETTING_KEYS = Object.keys(manifest.contributes.configuration.properties).map((k) => k.slice('bantam.'.length));

export function readConfig(): BantamConfig {
  // `null`: the workspace's values (a folder's own bantam.context.exclude is read per folder, in
  // filesExclude.ts); without it VS Code warns about the resource-scoped setting in multi-root workspaces.
  const section = vscode.workspace.getConfiguration('bantam', null);
  const raw: RawSettings = {};
  for (const key of SETTING_KEYS) raw[key] = section.get(key);
  return configFrom(raw);
}

/** Calls `listener` with the new config whenever a `bantam.*` setting changes. */
export function onConfigChange(listener: (config: BantamConfig) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration('bantam')) listener(readConfig());
  });
}

/** Writes a setting globally (the user's choice from a quick pick applies to every workspace). */
export async function updateSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('bantam').update(key, value, vscode.ConfigurationTarget.Global);
}
