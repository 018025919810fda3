// Feeds next-edit's edit history (core/nextEdit/editHistory.ts) from the editor: every change of a
// workspace file's document as its text before and after (VS Code's undo and redo named as such), the
// lines the user kept on screen for a while, and the document's records dropped when it closes. A
// document the prompt guard bars (git-ignored, excluded, secret-looking), or one too large to be
// worth keeping a copy of, is never recorded. Only the documents' texts are kept here, no more
// than the history needs to see a change's "before".
import * as vscode from 'vscode';
import type { ChangeReason, EditHistory } from '../core/nextEdit/editHistory';
import { VIEW_DWELL_MS } from './documentTracker';
import type { WorkspacePaths } from './workspaceFiles';

/** Lines of a viewed range kept around the middle of the screen. */
const VIEWED_LINES = 40;

export interface NextEditRecorderOptions {
  history: EditHistory;
  paths: WorkspacePaths;
  /** True for documents that must never reach a prompt. */
  barred: (document: vscode.TextDocument) => Promise<boolean>;
  /** Documents longer than this (characters) are not recorded (bantam.context.maxFileBytes). */
  maxChars: () => number;
  /** Whether next-edit is on: nothing is recorded while it is off. */
  enabled: () => boolean;
}

const REASONS: Partial<Record<vscode.TextDocumentChangeReason, ChangeReason>> = {
  [vscode.TextDocumentChangeReason.Undo]: 'undo',
  [vscode.TextDocumentChangeReason.Redo]: 'redo',
};

export class NextEditRecorder implements vscode.Disposable {
  /** The last text seen of each recorded document, by URI. */
  private readonly texts = new Map<string, string>();
  /** Changes are recorded in the order they happened, each after its document's bar check. */
  private queue: Promise<void> = Promise.resolve();
  private viewTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly options: NextEditRecorderOptions) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => this.changed(event)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document)),
      vscode.window.onDidChangeTextEditorVisibleRanges((event) => this.scheduleView(event.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) this.remember(editor.document);
      }),
    ];
    for (const editor of vscode.window.visibleTextEditors) this.remember(editor.document);
  }

  /** Lets go of every document text kept (next-edit was turned off). */
  clear(): void {
    this.texts.clear();
  }

  /** Resolves once every change seen so far is in the history (tests). */
  settled(): Promise<void> {
    return this.queue;
  }

  private path(document: vscode.TextDocument): string | undefined {
    return document.uri.scheme === 'file' || document.uri.scheme === 'vscode-remote' ? this.options.paths.relative(document.uri) : undefined;
  }

  /** Starts keeping the text of a document that may be recorded, so its first change has a "before". */
  private remember(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    if (!this.options.enabled() || this.texts.has(key) || !this.path(document) || document.getText().length > this.options.maxChars()) return;
    this.texts.set(key, document.getText());
  }

  private changed(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    const document = event.document;
    const key = document.uri.toString();
    const path = this.path(document);
    const after = document.getText();
    const before = this.texts.get(key);
    if (!this.options.enabled() || !path || after.length > this.options.maxChars()) {
      this.texts.delete(key);
      return;
    }
    this.texts.set(key, after);
    // A document first seen changing has no "before": it is kept from now on.
    if (before === undefined) return;
    const at = performance.now();
    const reason = event.reason === undefined ? undefined : REASONS[event.reason];
    const { history, barred } = this.options;
    this.queue = this.queue.then(async () => {
      if (await barred(document)) history.close(path);
      else history.record(path, before, after, at, reason);
    }).catch(() => undefined);
  }

  private forget(document: vscode.TextDocument): void {
    this.texts.delete(document.uri.toString());
    const path = this.path(document);
    if (path) this.queue = this.queue.then(() => this.options.history.close(path));
  }

  private scheduleView(editor: vscode.TextEditor): void {
    if (this.viewTimer !== undefined) clearTimeout(this.viewTimer);
    this.viewTimer = setTimeout(() => void this.viewed(editor), VIEW_DWELL_MS);
  }

  /** Records the lines around the middle of what `editor` shows, if it still shows them. */
  private async viewed(editor: vscode.TextEditor): Promise<void> {
    this.viewTimer = undefined;
    const visible = editor.visibleRanges[0];
    const path = this.path(editor.document);
    if (!this.options.enabled() || !visible || !path || !vscode.window.visibleTextEditors.includes(editor)) return;
    if (await this.options.barred(editor.document)) return;
    const middle = Math.floor((visible.start.line + visible.end.line) / 2);
    const startLine = Math.max(visible.start.line, middle - VIEWED_LINES / 2);
    const endLine = Math.min(visible.end.line + 1, startLine + VIEWED_LINES);
    const range = new vscode.Range(startLine, 0, endLine, 0);
    this.options.history.recordViewed({ path, startLine, endLine, text: editor.document.getText(range).replace(/\r?\n$/, ''), at: performance.now() });
  }

  dispose(): void {
    if (this.viewTimer !== undefined) clearTimeout(this.viewTimer);
    for (const s of this.subscriptions) s.dispose();
    this.texts.clear();
  }
}
