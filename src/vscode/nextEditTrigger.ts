// Decides when to ask for a next edit and hands the answer to the presenter: once an edit in the
// active editor has settled (no further change for the settle time, so never mid-word), or at once
// on 'Bantam: Suggest Next Edit'. A newer edit aborts the request in flight; an answer is shown only
// if the document, editor and cursor are still the ones it was asked for (a single empty selection).
import * as vscode from 'vscode';
import type { NextEditSource } from '../core/nextEdit/nextEditSource';
import { toCompletionRequest } from './inlineCompletionProvider';
import type { NextEditPresenter } from './nextEditPresenter';
import type { WorkspacePaths } from './workspaceFiles';

/** Quiet time after the last change before asking (the adaptive wait of the eagerness setting replaces it). */
export const NEXT_EDIT_SETTLE_MS = 400;

export interface NextEditTriggerOptions {
  /** The source to ask; undefined while next-edit is off. */
  source: () => NextEditSource | undefined;
  presenter: NextEditPresenter;
  /** True for documents that must never reach a prompt (git-ignored, secret-looking). */
  barred: (document: vscode.TextDocument) => Promise<boolean>;
  paths?: WorkspacePaths;
  settleMs?: () => number;
}

export class NextEditTrigger implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly options: NextEditTriggerOptions) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        const editor = vscode.window.activeTextEditor;
        if (event.contentChanges.length === 0 || editor?.document !== event.document) return;
        this.cancel();
        if (!this.options.source()) return;
        this.timer = setTimeout(() => void this.request(editor), this.options.settleMs?.() ?? NEXT_EDIT_SETTLE_MS);
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.cancel()),
    ];
  }

  /** Asks now for the active editor (the command). Resolves once the answer is shown or dropped. */
  async suggestNow(): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return false;
    this.cancel();
    return this.request(editor);
  }

  /** Stops waiting and drops the request in flight; dismisses what is shown when next-edit is off. */
  settingsChanged(): void {
    if (this.options.source()) return;
    this.cancel();
    this.options.presenter.dismiss('disabled');
  }

  private async request(editor: vscode.TextEditor): Promise<boolean> {
    this.timer = undefined;
    const source = this.options.source();
    const document = editor.document;
    if (!source || editor !== vscode.window.activeTextEditor || editor.selections.length !== 1 || !editor.selection.isEmpty) return false;
    if (await this.options.barred(document)) return false;
    const version = document.version;
    const selection = editor.selection;
    const request = toCompletionRequest(document, selection.active, false, true, editor, this.options.paths);
    const controller = new AbortController();
    this.inFlight?.abort();
    this.inFlight = controller;
    try {
      const suggestion = await source.suggest(
        { path: request.relativePath, languageId: request.languageId, text: request.text, documentVersion: version, cursorOffset: request.offset },
        controller.signal,
      );
      const current = editor === vscode.window.activeTextEditor && document.version === version && editor.selection.isEqual(selection);
      if (!suggestion || controller.signal.aborted || !current) return false;
      return this.options.presenter.show(editor, suggestion);
    } finally {
      if (this.inFlight === controller) this.inFlight = undefined;
    }
  }

  private cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
    this.inFlight = undefined;
  }

  dispose(): void {
    this.cancel();
    for (const s of this.subscriptions) s.dispose();
  }
}
