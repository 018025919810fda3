// The codebase context of the open workspace, as VS Code shows it: core's ContextService does the
// work (the index worker, index runs, retrieval, search); this adapter starts it once activation is
// over (never delaying it), feeds it the editor's documents, shows the first full index's progress
// in the status area, rebuilds on request with a cancellable notification, and answers "Show
// Context at Cursor". Every workspace folder is indexed, each with its own excludes; when folders
// are added or removed, or a folder's bantam.context.exclude changes, the index starts afresh over
// the new set (the cache keeps that quick).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContextConfig, CompletionConfig } from '../core/config';
import type { PromptBudgets } from '../core/kernel/completionTypes';
import { folderExcludeGlobs } from './filesExclude';
import { promptWindowLines } from '../core/completion/promptBuilder';
import type { CompletionContext } from '../core/context/completionContext';
import { renderContextReport } from '../core/context/contextReport';
import { ContextService } from '../core/context/contextService';
import type { ContextRequest, ContextResult, IndexProgress } from '../core/context/contextTypes';
import { DocumentTracker } from './documentTracker';
import type { ReadOnlyDocuments } from './readOnlyDocument';
import type { WorkspacePaths } from './workspaceFiles';

export interface WorkspaceContextOptions {
  /** The workspace's folders (at least one when this is built). */
  paths: WorkspacePaths;
  extensionPath: string;
  storageDir: string;
  config: () => { context: ContextConfig; completion: CompletionConfig };
  /** The budgets completion builds prompts with now (sized to the machine); the configured ones if absent. */
  budgets?: () => PromptBudgets;
  log: vscode.LogOutputChannel;
}

/** How long Show Context at Cursor waits for retrieval. */
const SHOW_CONTEXT_DEADLINE_MS = 10_000;

export class WorkspaceContext implements vscode.Disposable {
  /** The work itself, for completion and the commands to use directly. */
  readonly service: ContextService;
  private readonly tracker: DocumentTracker;
  private disposed = false;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly options: WorkspaceContextOptions) {
    const { paths } = options;
    this.tracker = new DocumentTracker(paths, () => this.service.events, () => options.config().context.maxFileBytes);
    this.service = new ContextService({
      workerPath: path.join(options.extensionPath, 'dist', 'indexWorker.js'),
      grammarDir: path.join(options.extensionPath, 'grammars'),
      root: paths.folders[0]?.uri.fsPath ?? '',
      // Each folder with its own files.exclude and bantam.context.exclude, read at each start.
      folders: () => paths.folders.map((f) => ({ name: f.name, root: f.uri.fsPath, excludeGlobs: folderExcludeGlobs(f.uri) })),
      storageDir: options.storageDir,
      settings: () => options.config().context,
      onStarted: () => this.tracker.replayOpenDocuments(),
      log: (message) => options.log.info(message),
      warn: (message) => options.log.warn(message),
    });
    this.subscriptions.push(
      // Folders added or removed: index the new set (a running worker only; none while context is off).
      paths.onDidChange(() => {
        if (this.service.running) this.restart();
      }),
      // A folder's own bantam.context.exclude (multi-root); the workspace-wide value is settingsPolicy's.
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!paths.workspaceRoots.multi || !this.service.running) return;
        if (paths.folders.some((f) => event.affectsConfiguration('bantam.context.exclude', f.uri))) this.restart();
      }),
    );
  }

  /** Starts the worker and the first full index, with progress in the status area. */
  start(): void {
    if (this.disposed || this.service.running || !this.service.start()) return;
    void this.index(vscode.ProgressLocation.Window, 'Bantam: indexing');
  }

  /** Stops the worker (context disabled); start() brings it back. */
  stop(): void {
    this.service.stop();
  }

  /** Exclusions or the size caps changed: a new worker with the new rules (the cache keeps it quick). */
  restart(): void {
    this.stop();
    this.start();
  }

  /** "Bantam: Rebuild Index": re-scan and re-index everything, cancellable. */
  async rebuild(): Promise<IndexProgress | undefined> {
    if (!this.options.config().context.enabled) {
      void vscode.window.showInformationMessage(
        'Bantam: codebase context is off. Turn on bantam.context.enabled to index the workspace.',
      );
      return undefined;
    }
    this.service.start();
    return this.index(vscode.ProgressLocation.Notification, 'Bantam: rebuilding the index', true);
  }

  /** The context request completion would make at the active editor's cursor. */
  requestAtCursor(editor: vscode.TextEditor): ContextRequest | undefined {
    const file = this.tracker.relative(editor.document.uri);
    if (!file) return undefined;
    const text = editor.document.getText();
    const offset = editor.document.offsetAt(editor.selection.active);
    const budgets = this.options.budgets?.() ?? this.options.config().completion.budgets;
    return {
      file,
      languageId: editor.document.languageId,
      text,
      offset,
      budgetTokens: budgets.contextTokens,
      visibleLines: promptWindowLines({ text, offset }, budgets),
    };
  }

  /**
   * "Bantam: Show Context at Cursor": what a completion here would carry, in a read-only document.
   * Retrieves afresh through the engine's CompletionContext, which adopts the result: the next
   * completion here sends exactly what is shown.
   */
  async showAtCursor(documents: ReadOnlyDocuments, completion: CompletionContext): Promise<ContextResult | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Bantam: open a file and place the cursor to see its context.');
      return undefined;
    }
    const request = this.requestAtCursor(editor);
    if (!request) {
      void vscode.window.showInformationMessage('Bantam: context is built for files inside a workspace folder only.');
      return undefined;
    }
    // The user waits for this report: it shows what retrieval finds, not what fit the completion's
    // few-millisecond deadline on a busy machine.
    const result = await completion.resultFor(request, true, undefined, true, SHOW_CONTEXT_DEADLINE_MS);
    const position = editor.selection.active;
    const progress = this.service.progress;
    await documents.show(
      'Bantam Context at Cursor.md',
      renderContextReport({
        file: request.file,
        line: position.line + 1,
        column: position.character + 1,
        budgetTokens: request.budgetTokens,
        result,
        indexSummary: this.service.running
          ? progress
            ? `Index: ${progress.done} of ${progress.total} files${progress.phase === 'indexing' ? ' so far (still indexing)' : ''}.`
            : undefined
          : 'Codebase context is off (bantam.context.enabled).',
      }),
    );
    return result;
  }

  private index(location: vscode.ProgressLocation, title: string, fresh = false): Promise<IndexProgress | undefined> {
    if (!this.service.running) return Promise.resolve(undefined);
    return Promise.resolve(
      vscode.window.withProgress(
        { location, title, cancellable: location === vscode.ProgressLocation.Notification },
        async (reporter, token) => {
          const cancel = new AbortController();
          token.onCancellationRequested(() => cancel.abort());
          let reported = 0;
          try {
            const final = await this.service.index(
              (p: IndexProgress) => {
                const percent = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 0;
                reporter.report({ message: `${p.done}/${p.total} files`, increment: percent - reported });
                reported = percent;
              },
              cancel.signal,
              { fresh },
            );
            if (final.capped) {
              void vscode.window.showWarningMessage(
                `Bantam indexed the first ${final.done} files only (bantam.context.maxFiles). Exclude folders with bantam.context.exclude or raise the cap.`,
              );
            }
            return final;
          } catch (error) {
            // A worker that died mid-index restarts and re-indexes by itself (from the cache). A run
            // called off (a newer run, a settings change) resolves as cancelled, never lands here.
            const restarting = (error as { code?: string }).code === 'worker-stopped';
            if (!cancel.signal.aborted && !this.disposed && !restarting) {
              this.options.log.warn(`indexing failed: ${(error as Error).message}`);
              void vscode.window.showWarningMessage(
                `Bantam could not index the workspace: ${(error as Error).message} Completion still works without codebase context; run "Bantam: Rebuild Index" to retry.`,
              );
            }
            return undefined;
          }
        },
      ),
    );
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.service.dispose();
    this.tracker.dispose();
  }
}
