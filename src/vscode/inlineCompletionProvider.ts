// Adapter between VS Code's inline completion API and core's completion engine: translates the
// document, cursor, editor indentation and CancellationToken into a plain request and an AbortSignal,
// and the engine's suggestion back into an InlineCompletionItem whose range covers the rest of the
// line it replaces (closers it writes again) and whose accept command feeds the stats. A next-edit
// insertion waiting at the cursor is handed over first.
import * as vscode from 'vscode';
import type { CompletionEngine, EngineSuggestion } from '../core/completion/engine';
import type { CompletionRequest } from '../core/kernel/completionTypes';
import type { WorkspacePaths } from './workspaceFiles';

export const ACCEPT_COMMAND = 'bantam.acceptedCompletion';

export function toCompletionRequest(
  document: vscode.TextDocument,
  position: vscode.Position,
  explicit: boolean,
  selectionEmpty: boolean,
  editor?: vscode.TextEditor,
  paths?: WorkspacePaths,
): CompletionRequest {
  const request: CompletionRequest = {
    uri: document.uri.toString(),
    relativePath: documentPath(document.uri, paths),
    languageId: document.languageId,
    text: document.getText(),
    offset: document.offsetAt(position),
    selectionEmpty,
    explicit,
  };
  const { insertSpaces, tabSize } = editor?.options ?? {};
  if (typeof insertSpaces === 'boolean' && typeof tabSize === 'number') request.indentation = { useTabs: !insertSpaces, size: tabSize };
  return request;
}

/**
 * The path a document is named by in the prompt and the context index: its workspace path
 * (`folderName/...` in a multi-root workspace), else what VS Code shows for it.
 */
function documentPath(uri: vscode.Uri, paths: WorkspacePaths | undefined): string {
  const inWorkspace = paths?.workspaceRoots.multi ? paths.relative(uri) : undefined;
  return inWorkspace ?? vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/');
}

/** Turns a VS Code CancellationToken into an AbortSignal (the form core and the worker understand). */
export function abortSignalFor(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const listener = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => listener.dispose() };
}

export class BantamInlineCompletionProvider implements vscode.InlineCompletionItemProvider {
  constructor(
    private readonly engine: () => CompletionEngine | undefined,
    private readonly onShown: (suggestion: EngineSuggestion) => void,
    /** True for documents that must never reach a prompt (git-ignored, secret-looking). */
    private readonly barred: (document: vscode.TextDocument) => Promise<boolean> = async () => false,
    /** Names documents in a multi-root workspace (folder-prefixed). */
    private readonly paths?: WorkspacePaths,
    /** A next-edit insertion waiting at this place (nextEditPresenter.ts); it goes before the engine. */
    private readonly nextEditItem?: (document: vscode.TextDocument, position: vscode.Position) => vscode.InlineCompletionItem | undefined,
  ) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const nextEdit = this.nextEditItem?.(document, position);
    if (nextEdit) return [nextEdit];
    const engine = this.engine();
    if (!engine) return undefined;
    // While the suggest widget is open its selection wins; ghost text on top of it would conflict.
    if (context.selectedCompletionInfo) return undefined;
    if (await this.barred(document)) return undefined;
    const active = vscode.window.activeTextEditor;
    const editor = active && active.document === document ? active : undefined;
    const selectionEmpty = editor ? editor.selections.every((s) => s.isEmpty) : true;
    const explicit = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
    const request = toCompletionRequest(document, position, explicit, selectionEmpty, editor, this.paths);
    const abort = abortSignalFor(token);
    try {
      const suggestion = await engine.complete(request, abort.signal);
      if (!suggestion || token.isCancellationRequested) return undefined;
      this.onShown(suggestion);
      const end = document.positionAt(request.offset + suggestion.replaceLength);
      const item = new vscode.InlineCompletionItem(suggestion.text, new vscode.Range(position, end), {
        title: 'Bantam: suggestion accepted',
        command: ACCEPT_COMMAND,
        arguments: [suggestion.id],
      });
      return [item];
    } finally {
      abort.dispose();
    }
  }
}
