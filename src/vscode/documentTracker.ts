// Tells the context workspace what the user does: documents opened, edited and closed (the live text
// wins over disk while open), lines looked at for a while, and files created, saved, deleted or
// renamed on disk. Translates VS Code events into core's ContextEvents with workspace paths (folder-
// prefixed in a multi-root workspace); anything outside every folder, or not a file, is none of the
// index's business.
import * as vscode from 'vscode';
import type { WorkspacePaths } from './workspaceFiles';
import type { ContextEvents, LineChange } from '../core/context/contextTypes';
import { countLineBreaks } from '../core/kernel/textLines';

/** A range must stay on screen this long to count as "viewed": scrolling past isn't reading. */
export const VIEW_DWELL_MS = 1500;

export class DocumentTracker implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private viewTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly paths: WorkspacePaths,
    private readonly events: () => ContextEvents | undefined,
    /** Documents longer than this (bantam.context.maxFileBytes) are not sent: the index skips such files anyway. */
    private readonly maxChars: () => number = () => Number.POSITIVE_INFINITY,
  ) {
    // A plain glob watches every workspace folder, the ones added later too.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.withPath(uri, (file) => this.events()?.fileCreated(file))),
      watcher.onDidChange((uri) => this.withPath(uri, (file) => this.events()?.fileChanged(file))),
      watcher.onDidDelete((uri) => this.withPath(uri, (file) => this.events()?.fileDeleted(file))),
      vscode.workspace.onDidRenameFiles((event) => {
        for (const { oldUri, newUri } of event.files) {
          const from = this.relative(oldUri);
          const to = this.relative(newUri);
          if (from && to) this.events()?.fileRenamed(from, to);
          else if (from) this.events()?.fileDeleted(from);
          else if (to) this.events()?.fileCreated(to);
        }
      }),
      vscode.workspace.onDidOpenTextDocument((document) => this.opened(document)),
      vscode.workspace.onDidCloseTextDocument((document) =>
        this.withPath(document.uri, (file) => this.events()?.documentClosed(file)),
      ),
      vscode.workspace.onDidChangeTextDocument((event) => this.changed(event)),
      vscode.workspace.onDidSaveTextDocument((document) =>
        this.withPath(document.uri, (file) => this.events()?.fileChanged(file)),
      ),
      vscode.window.onDidChangeTextEditorVisibleRanges((event) => this.scheduleView(event.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => editor && this.scheduleView(editor)),
    );
  }

  /** Sends every document already open (after the index worker (re)starts). */
  replayOpenDocuments(): void {
    for (const document of vscode.workspace.textDocuments) this.opened(document);
  }

  /** Workspace path with forward slashes, or undefined outside every folder / not a file. */
  relative(uri: vscode.Uri): string | undefined {
    return this.paths.relative(uri);
  }

  private withPath(uri: vscode.Uri, action: (file: string) => void): void {
    const file = this.relative(uri);
    if (file) action(file);
  }

  private opened(document: vscode.TextDocument): void {
    this.withPath(document.uri, (file) => {
      const text = document.getText();
      if (text.length <= this.maxChars()) this.events()?.documentOpened(file, document.languageId, text);
    });
  }

  private changed(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    const file = this.relative(event.document.uri);
    if (!file) return;
    const changes: LineChange[] = event.contentChanges.map((change) => {
      const added = countLineBreaks(change.text, change.text.length);
      const removed = change.range.end.line - change.range.start.line;
      return {
        startLine: change.range.start.line + 1,
        endLine: change.range.start.line + 1 + added,
        lineDelta: added - removed,
      };
    });
    const text = event.document.getText();
    // Grown past the limit: the index forgets the live text rather than take a huge copy per keystroke.
    if (text.length > this.maxChars()) this.events()?.documentClosed(file);
    else this.events()?.documentChanged(file, text, changes);
  }

  private scheduleView(editor: vscode.TextEditor): void {
    clearTimeout(this.viewTimer);
    this.viewTimer = setTimeout(() => {
      const range = editor.visibleRanges[0];
      const file = this.relative(editor.document.uri);
      if (range && file) this.events()?.viewed(file, range.start.line + 1, range.end.line + 1);
    }, VIEW_DWELL_MS);
  }

  dispose(): void {
    clearTimeout(this.viewTimer);
    for (const d of this.disposables) d.dispose();
  }
}
