// The codebase context of the open workspace, as VS Code sees it: starts the index worker once
// activation is over (never delaying it), shows the first full index's progress in the status area,
// rebuilds on request with a cancellable notification, restarts when the exclusion settings change,
// and answers "Show Context at Cursor". The work itself happens in core (retrieval) and in the index
// worker thread (parsing); this file only translates.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContextConfig, CompletionConfig } from '../core/config';
import type { PromptBudgets } from '../core/kernel/completionTypes';
import { filesExcludeGlobs } from './filesExclude';
import { promptWindowLines } from '../core/completion/promptBuilder';
import type { CompletionContext, ContextRetriever } from '../core/context/completionContext';
import { renderContextReport } from '../core/context/contextReport';
import type {
  CodebaseAnswerContext,
  CodebaseQuery,
  ContextEvents,
  ContextRequest,
  ContextResult,
  IndexProgress,
} from '../core/context/contextTypes';
import { IndexClient } from '../core/context/indexClient';
import { DocumentTracker } from './documentTracker';
import type { ReadOnlyDocuments } from './readOnlyDocument';

export interface WorkspaceContextOptions {
  folder: vscode.Uri;
  extensionPath: string;
  storageDir: string;
  config: () => { context: ContextConfig; completion: CompletionConfig };
  /** The budgets completion builds prompts with now (sized to the machine); the configured ones if absent. */
  budgets?: () => PromptBudgets;
  log: vscode.LogOutputChannel;
}

export class WorkspaceContext implements ContextRetriever, vscode.Disposable {
  private client: IndexClient | undefined;
  private readonly tracker: DocumentTracker;
  private indexing: { promise: Promise<IndexProgress | undefined>; cancel: AbortController } | undefined;
  private lastProgress: IndexProgress | undefined;
  private readonly progressListeners = new Set<(p: IndexProgress) => void>();
  private disposed = false;

  constructor(private readonly options: WorkspaceContextOptions) {
    this.tracker = new DocumentTracker(options.folder, () => this.events(), () => options.config().context.maxFileBytes);
  }

  /** Starts the worker and the first full index, with progress in the status area. */
  start(): void {
    if (this.disposed || this.client || !this.options.config().context.enabled) return;
    this.startClient();
    void this.index(vscode.ProgressLocation.Window, 'Bantam: indexing');
  }

  private startClient(): void {
    const { context } = this.options.config();
    this.client = IndexClient.start({
      workerPath: path.join(this.options.extensionPath, 'dist', 'indexWorker.js'),
      grammarDir: path.join(this.options.extensionPath, 'grammars'),
      root: this.options.folder.fsPath,
      storageDir: this.options.storageDir,
      excludeGlobs: [...filesExcludeGlobs(this.options.folder), ...context.exclude],
      maxFileBytes: context.maxFileBytes,
      maxFiles: context.maxFiles,
      log: (message: string) => this.options.log.info(message),
    });
    this.tracker.replayOpenDocuments();
  }

  /** Stops the worker (context disabled); start() brings it back. */
  stop(): void {
    this.indexing?.cancel.abort();
    this.indexing = undefined;
    this.client?.dispose();
    this.client = undefined;
  }

  /** Exclusions or the size caps changed: a new worker with the new rules (the cache keeps it quick). */
  restart(): void {
    this.stop();
    this.start();
  }

  get progress(): IndexProgress | undefined {
    return this.lastProgress;
  }

  /** Resolves when the running full index (if any) ends. */
  async whenIndexed(): Promise<IndexProgress | undefined> {
    return this.indexing?.promise ?? this.lastProgress;
  }

  onProgress(listener: (p: IndexProgress) => void): vscode.Disposable {
    this.progressListeners.add(listener);
    return { dispose: () => this.progressListeners.delete(listener) };
  }

  /** "Bantam: Rebuild Index": re-scan and re-index everything, cancellable. */
  async rebuild(): Promise<IndexProgress | undefined> {
    if (!this.options.config().context.enabled) {
      void vscode.window.showInformationMessage(
        'Bantam: codebase context is off. Turn on bantam.context.enabled to index the workspace.',
      );
      return undefined;
    }
    if (!this.client) this.startClient();
    this.indexing?.cancel.abort();
    await this.indexing?.promise;
    return this.index(vscode.ProgressLocation.Notification, 'Bantam: rebuilding the index', true);
  }

  async retrieve(request: ContextRequest, signal?: AbortSignal): Promise<ContextResult> {
    if (!this.client) return { snippets: [], tokens: 0 };
    return this.client.retrieve(request, signal);
  }

  /**
   * "Ask About Codebase": the definitions and files relevant to a question, from what is indexed so
   * far. Undefined when codebase context is off or the index worker is unavailable (logged): the
   * question then goes without excerpts.
   */
  async searchCodebase(query: CodebaseQuery, signal?: AbortSignal): Promise<CodebaseAnswerContext | undefined> {
    if (!this.client) return undefined;
    try {
      return await this.client.searchCodebase(query, signal);
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      this.options.log.warn(`codebase search failed: ${(error as Error).message}`);
      return undefined;
    }
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
      void vscode.window.showInformationMessage('Bantam: context is built for files inside the workspace folder only.');
      return undefined;
    }
    const result = await completion.resultFor(request, true);
    const position = editor.selection.active;
    const progress = this.lastProgress;
    await documents.show(
      'Bantam Context at Cursor.md',
      renderContextReport({
        file: request.file,
        line: position.line + 1,
        column: position.character + 1,
        budgetTokens: request.budgetTokens,
        result,
        indexSummary: this.client
          ? progress
            ? `Index: ${progress.done} of ${progress.total} files${progress.phase === 'indexing' ? ' so far (still indexing)' : ''}.`
            : undefined
          : 'Codebase context is off (bantam.context.enabled).',
      }),
    );
    return result;
  }

  private events(): ContextEvents | undefined {
    return this.client;
  }

  private index(location: vscode.ProgressLocation, title: string, fresh = false): Promise<IndexProgress | undefined> {
    const client = this.client;
    if (!client) return Promise.resolve(undefined);
    const cancel = new AbortController();
    const promise = Promise.resolve(
      vscode.window.withProgress(
        { location, title, cancellable: location === vscode.ProgressLocation.Notification },
        async (reporter, token) => {
          token.onCancellationRequested(() => cancel.abort());
          let reported = 0;
          try {
            const final = await client.indexAll(
              (p: IndexProgress) => {
                this.report(p);
                const percent = p.total > 0 ? Math.floor((p.done / p.total) * 100) : 0;
                reporter.report({ message: `${p.done}/${p.total} files`, increment: percent - reported });
                reported = percent;
              },
              cancel.signal,
              { fresh },
            );
            this.report(final);
            if (final.capped) {
              void vscode.window.showWarningMessage(
                `Bantam indexed the first ${final.done} files only (bantam.context.maxFiles). Exclude folders with bantam.context.exclude or raise the cap.`,
              );
            }
            return final;
          } catch (error) {
            // A worker that died mid-index restarts and re-indexes by itself (from the cache).
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
    this.indexing = { promise, cancel };
    void promise.finally(() => {
      if (this.indexing?.promise === promise) this.indexing = undefined;
    });
    return promise;
  }

  private report(progress: IndexProgress): void {
    this.lastProgress = progress;
    for (const listener of this.progressListeners) listener(progress);
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
    this.tracker.dispose();
  }
}
