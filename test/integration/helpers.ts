// Shared helpers for the integration suites that run inside a real VS Code extension host.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BantamApi } from '../../src/extension';
import { startFakeOllama, type FakeOllama, type FakeOllamaModel } from '../support/fakeOllamaServer';
export { closedPort } from '../support/closedPort';

export const EXTENSION_ID = 'bantam.bantam';
export const CURSOR = '█';

export async function bantam(): Promise<BantamApi> {
  const extension = vscode.extensions.getExtension<BantamApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed in the test host`);
  return extension.activate();
}

export function extensionPath(): string {
  return vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
}

/** The tiny random-weight qwen2 test model written by scripts/makeTestModels.mjs. */
export function tinyModelPath(): string {
  const file = path.join(extensionPath(), '.cache', 'models', 'bantam-tiny-qwen2.gguf');
  assert.ok(fs.existsSync(file), `test model missing: ${file} (run node scripts/makeTestModels.mjs --tiny)`);
  return file;
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test host has no workspace folder open');
  return folder.uri.fsPath;
}

/** Sets a bantam.* setting for the workspace and waits until the extension has seen it. */
export async function setSetting(key: string, value: unknown): Promise<void> {
  // Settings declared with machine scope (the endpoints API keys go to) can't be set per workspace.
  const declared = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON?.contributes?.configuration?.properties?.[`bantam.${key}`];
  const target = declared?.scope === 'machine' ? vscode.ConfigurationTarget.Global : vscode.ConfigurationTarget.Workspace;
  await vscode.workspace.getConfiguration('bantam').update(key, value, target);
  const settled = () => JSON.stringify(vscode.workspace.getConfiguration('bantam').get(key)) === JSON.stringify(value);
  await waitFor(() => settled() || value === undefined, 5000, `setting ${key}`);
}

export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Writes `content` (with one CURSOR marker) to a new file in the workspace, opens it and puts the
 * cursor at the marker.
 */
export async function openWithCursor(name: string, content: string): Promise<vscode.TextEditor> {
  const offset = content.indexOf(CURSOR);
  assert.ok(offset >= 0, 'content needs a cursor marker');
  const file = path.join(workspaceDir(), name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content.replace(CURSOR, ''));
  const document = await vscode.workspace.openTextDocument(file);
  const editor = await vscode.window.showTextDocument(document);
  const position = document.positionAt(offset);
  editor.selection = new vscode.Selection(position, position);
  return editor;
}

/** Asks for an inline suggestion at the cursor and waits until Bantam has produced one. */
export async function requestSuggestion(api: BantamApi, timeoutMs = 90_000): Promise<NonNullable<BantamApi['lastSuggestion']>> {
  const before = api.lastSuggestion;
  const deadline = Date.now() + timeoutMs;
  let suggestion: BantamApi['lastSuggestion'];
  while (!suggestion) {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    const step = Math.min(5000, deadline - Date.now());
    if (step <= 0) throw new Error(`no suggestion within ${timeoutMs} ms (state: ${JSON.stringify(api.service.currentState)})`);
    try {
      suggestion = await waitFor(() => api.lastSuggestion !== before && api.lastSuggestion, step, 'a suggestion');
    } catch {
      // VS Code may have dropped the trigger (e.g. while the model was loading): ask again.
    }
  }
  return suggestion;
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * The test host's --user-data-dir (settings.json, logs/). scripts/runIntegration.mjs lays a run out
 * as <tmp>/results.json (env BANTAM_TEST_RESULTS) next to <tmp>/user-data, for code-server and
 * desktop VS Code alike.
 */
export function hostUserDataDir(): string {
  const results = process.env.BANTAM_TEST_RESULTS;
  assert.ok(results, 'BANTAM_TEST_RESULTS is not set: run the suites through scripts/runIntegration.mjs');
  const dir = path.join(path.dirname(results), 'user-data');
  assert.ok(fs.existsSync(dir), `no user-data dir at ${dir}: has runIntegration.mjs changed its layout?`);
  return dir;
}

/** Every file under `dir`, recursively (absolute paths); none when it does not exist. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map((name) => path.join(dir, String(name)))
    .filter((file) => {
      try {
        return fs.statSync(file).isFile();
      } catch {
        return false; // removed while we looked (log rotation)
      }
    });
}

/** Back to the embedded backend with the tiny test model, and no Ollama settings (after an Ollama suite). */
export async function restoreEmbeddedBackend(): Promise<void> {
  await setSetting('completion.backend', 'embedded');
  await setSetting('completion.model', tinyModelPath());
  await setSetting('ollama.host', undefined);
  await setSetting('ollama.model', undefined);
}

/**
 * For a describe block: a fake Ollama serving `models`, started before its tests and closed after
 * them, with the embedded backend restored and the editors closed. Returns a getter for the server.
 */
export function useFakeOllama(models: FakeOllamaModel[]): () => FakeOllama {
  let ollama: FakeOllama | undefined;
  before(async () => {
    ollama = await startFakeOllama({ models });
  });
  after(async () => {
    await restoreEmbeddedBackend();
    await ollama?.close();
    await closeAllEditors();
  });
  return () => ollama!;
}
