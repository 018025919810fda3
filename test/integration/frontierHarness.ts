// Shared set-up of the frontier integration suites (frontier.test.ts, frontierRouting.test.ts):
// a fake Anthropic server and a fake Ollama server on loopback, Bantam's settings pointed at them,
// the API key set through the real "Bantam: Set API Key" command, and the user's answers scripted
// (a modal dialog cannot be clicked from inside the extension host). Everything is put back after.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BantamApi } from '../../src/extension';
import type { ConsentAnswer, UserPrompts } from '../../src/vscode/userPrompts';
import { FAKE_MODELS, startFakeOllama, type FakeOllama } from '../support/fakeOllamaServer';
import { startFakeProviderServer, type FakeProviderRequest, type FakeProviderServer } from '../support/fakeProviderServer';
import { bantam, closeAllEditors, setSetting, waitFor, workspaceDir } from './helpers';

/** Distinctive fake keys, so a leak is unmistakable wherever it lands. */
export const API_KEY = 'sk-ant-bantam-it-KEY-3f9c1e7a5d2b4680';
export const WRONG_KEY = 'sk-ant-bantam-it-WRONG-8e41c0d2a9b7';
/** A model with a built-in price, so the routing log can estimate a cost. */
export const FRONTIER_MODEL = 'claude-sonnet-4-5';
export const LOCAL_MODEL = FAKE_MODELS.llamaChat.name;

/** The user's answers, scripted per test; every question asked is recorded. */
export class ScriptedPrompts implements UserPrompts {
  consentAnswer: ConsentAnswer = 'send';
  confirm: (summary: string, files: readonly string[]) => boolean | Promise<boolean> = () => true;
  /** The answer to the second question, about files that run code. */
  confirmSensitiveAnswer = true;
  secret: string | undefined = API_KEY;
  picked: string | undefined = 'anthropic';
  text: string | undefined;
  readonly consentAsked: Array<{ label: string; files: string[] }> = [];
  readonly confirmAsked: Array<{ summary: string; files: string[] }> = [];
  readonly sensitiveAsked: Array<Array<{ path: string; why: string }>> = [];

  reset(): void {
    this.consentAnswer = 'send';
    this.confirm = () => true;
    this.secret = API_KEY;
    this.picked = 'anthropic';
    this.text = undefined;
    this.consentAsked.length = 0;
    this.confirmAsked.length = 0;
    this.confirmSensitiveAnswer = true;
    this.sensitiveAsked.length = 0;
    this.completionConsentAnswer = false;
    this.completionConsentAsked.length = 0;
  }

  async askText(): Promise<string | undefined> {
    return this.text;
  }

  async consent(label: string, files: readonly string[]): Promise<ConsentAnswer> {
    this.consentAsked.push({ label, files: [...files] });
    return this.consentAnswer;
  }

  async confirmChanges(summary: string, files: readonly string[]): Promise<boolean> {
    this.confirmAsked.push({ summary, files: [...files] });
    return this.confirm(summary, files);
  }

  /** Inline completion to a host off the machine: refused unless a test says otherwise. */
  completionConsentAnswer = false;
  readonly completionConsentAsked: string[] = [];

  async completionConsent(host: string): Promise<boolean> {
    this.completionConsentAsked.push(host);
    return this.completionConsentAnswer;
  }

  async confirmSensitive(files: ReadonlyArray<{ path: string; why: string }>): Promise<boolean> {
    this.sensitiveAsked.push(files.map((f) => ({ ...f })));
    return this.confirmSensitiveAnswer;
  }

  async askSecret(): Promise<string | undefined> {
    return this.secret;
  }

  async pick<T extends string>(_title: string, items: readonly { label: string; value: T }[]): Promise<T | undefined> {
    if (this.picked === undefined) return undefined;
    const item = items.find((i) => i.value === this.picked);
    assert.ok(item, `scripted pick ${this.picked} is not among ${items.map((i) => i.value).join(', ')}`);
    return item.value;
  }
}

export class FrontierHarness {
  private readonly previous = new Map<string, unknown>();

  private constructor(
    readonly api: BantamApi,
    readonly provider: FakeProviderServer,
    readonly ollama: FakeOllama,
    readonly prompts: ScriptedPrompts,
    private readonly originalPrompts: UserPrompts,
  ) {}

  /** Starts the fakes, points Bantam at them, stores API_KEY and waits for the workspace index. */
  static async start(): Promise<FrontierHarness> {
    const api = await bantam();
    // The fake checks the key like Anthropic does, and quotes a wrong one back, as a careless server would.
    const provider = await startFakeProviderServer({ apiKey: API_KEY, echoKeyInErrors: true });
    const ollama = await startFakeOllama({ models: [FAKE_MODELS.llamaChat] });
    const harness = new FrontierHarness(api, provider, ollama, new ScriptedPrompts(), api.prompts);
    api.prompts = harness.prompts;
    await harness.set('anthropic.baseUrl', provider.url);
    await harness.set('anthropic.model', FRONTIER_MODEL);
    await harness.set('routing.frontierProvider', 'anthropic');
    await harness.set('routing.frontierEnabled', true);
    await harness.set('routing.tier', 'auto');
    // Local tasks and fallbacks go to the fake Ollama: deterministic, and no model file is loaded.
    await harness.set('routing.localProvider', 'ollama');
    await harness.set('ollama.host', ollama.url);
    await harness.set('ollama.chatModel', LOCAL_MODEL);
    // No inline completion while these suites edit documents.
    await harness.set('completion.enabled', false);
    await harness.setKey(API_KEY);
    await waitFor(() => api.workspaceContext?.service.progress?.phase === 'done', 60_000, 'the workspace index');
    return harness;
  }

  /** Sets a bantam.* workspace setting, remembering the value to restore. */
  async set(key: string, value: unknown): Promise<void> {
    if (!this.previous.has(key)) {
      this.previous.set(key, vscode.workspace.getConfiguration('bantam').inspect(key)?.workspaceValue);
    }
    await setSetting(key, value);
  }

  /** Stores `key` as the Anthropic key through the real command, as a user would. */
  async setKey(key: string): Promise<void> {
    this.prompts.picked = 'anthropic';
    this.prompts.secret = key;
    const stored = await vscode.commands.executeCommand('bantam.setApiKey');
    assert.equal(stored, 'anthropic', 'Set API Key did not store the Anthropic key');
  }

  /** The scripts and scripted answers back to their defaults, between tests. */
  reset(): void {
    this.provider.resetScript();
    this.ollama.resetScript();
    this.prompts.reset();
  }

  async stop(): Promise<void> {
    this.prompts.reset();
    this.prompts.picked = 'anthropic';
    await vscode.commands.executeCommand('bantam.clearApiKey');
    this.api.prompts = this.originalPrompts;
    for (const [key, value] of this.previous) await setSetting(key, value);
    await vscode.workspace.saveAll(false);
    await closeAllEditors();
    await this.provider.close();
    await this.ollama.close();
  }

  /** Requests Bantam sent to the fake Anthropic API. */
  anthropicRequests(): FakeProviderRequest[] {
    return this.provider.requestsTo('/v1/messages');
  }

  /** The label the router gives each provider (the routing log's `provider`). */
  get frontierLabel(): string {
    return `Anthropic (127.0.0.1:${this.provider.port})`;
  }

  get localLabel(): string {
    return `Ollama (127.0.0.1:${this.ollama.port})`;
  }
}

/**
 * For a describe block: the harness started before its tests, reset (and every document saved:
 * closing a dirty editor would open a save dialog) after each, stopped after them all. Returns a
 * getter for it.
 */
export function useFrontierHarness(): () => FrontierHarness {
  let harness: FrontierHarness | undefined;
  before(async () => {
    harness = await FrontierHarness.start();
  });
  afterEach(async () => {
    harness?.reset();
    await vscode.workspace.saveAll(false);
  });
  after(async () => {
    await harness?.stop();
  });
  return () => harness!;
}

/** All the text a chat request carried: the system prompt and every message (Anthropic or Ollama body). */
export function promptText(body: any): string {
  const content = (c: unknown): string =>
    typeof c === 'string' ? c : Array.isArray(c) ? c.map((b: { text?: unknown }) => (typeof b?.text === 'string' ? b.text : '')).join('\n') : '';
  const messages: Array<{ content?: unknown }> = Array.isArray(body?.messages) ? body.messages : [];
  return [content(body?.system), ...messages.map((m) => content(m.content))].join('\n');
}

/** One SEARCH/REPLACE block as editFormat.ts tells the model to write it; search/replace are whole lines. */
export function editBlock(file: string, search: string, replace: string): string {
  return `${file}\n\`\`\`ts\n<<<<<<< SEARCH\n${search}=======\n${replace}>>>>>>> REPLACE\n\`\`\`\n`;
}

/** Splits an answer into stream chunks of `size` characters, so the client must reassemble it. */
export function chunked(text: string, size = 23): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

/** Writes a workspace file (relative path) on disk and returns its absolute path. */
export function writeWorkspaceFile(rel: string, text: string): string {
  const file = path.join(workspaceDir(), rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** Opens a workspace file and selects lines first..last (1-based, inclusive, whole lines). */
export async function selectLines(rel: string, first: number, last: number): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(path.join(workspaceDir(), rel));
  const editor = await vscode.window.showTextDocument(document);
  editor.selection = new vscode.Selection(first - 1, 0, last - 1, document.lineAt(last - 1).text.length);
  return editor;
}

/** The open document's text for a workspace file (opening it if needed). */
export async function documentText(rel: string): Promise<string> {
  return (await vscode.workspace.openTextDocument(path.join(workspaceDir(), rel))).getText();
}

/** Messages Bantam shows (error, warning, information), captured while a watch is active. */
export interface MessageWatch {
  readonly shown: string[];
  dispose(): void;
}

/**
 * Records every message shown through vscode.window while it lasts. The test bundle lives inside the
 * extension's folder, so it shares Bantam's `vscode` API object and sees Bantam's calls; the
 * originals still run, so the messages are shown as usual.
 */
export function watchMessages(): MessageWatch {
  const win = vscode.window as unknown as Record<string, (...args: unknown[]) => unknown>;
  const names = ['showErrorMessage', 'showWarningMessage', 'showInformationMessage'] as const;
  const originals = names.map((name) => win[name]!);
  const shown: string[] = [];
  names.forEach((name, i) => {
    win[name] = (...args: unknown[]) => {
      shown.push(`${name}: ${String(args[0])}`);
      return originals[i]!.apply(vscode.window, args);
    };
  });
  return {
    shown,
    dispose: () => names.forEach((name, i) => (win[name] = originals[i]!)),
  };
}

/** The diff tab whose modified side is Bantam's proposal for `file` (absolute path), if open. */
export function proposedDiffTab(file: string): vscode.TabInputTextDiff | undefined {
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const input = tab.input;
      if (input instanceof vscode.TabInputTextDiff && input.modified.scheme === 'bantam-proposed' && input.original.fsPath === file) {
        return input;
      }
    }
  }
  return undefined;
}
