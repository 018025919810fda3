// Adapter between VS Code's inline completion API and core's completion engine: translates the
// document, cursor and CancellationToken into a plain request and an AbortSignal, and the engine's
// suggestion back into an InlineCompletionItem whose accept command feeds stats and prefetch.
import * as vscode from 'vscode';
import type { CompletionEngine, EngineSuggestion } from '../core/completion/engine';
import type { CompletionRequest } from '../core/completion/types';

export const ACCEPT_COMMAND = 'bantam.acceptedCompletion';

export function toCompletionRequest(
  document: vscode.TextDocument,
  position: vscode.Position,
  explicit: boolean,
  selectionEmpty: boolean,
): CompletionRequest {
  return {
    uri: document.uri.toString(),
    relativePath: vscode.workspace.asRelativePath(document.uri, false).replace(/\\/g, '/'),
    languageId: document.languageId,
    text: document.getText(),
    offset: document.offsetAt(position),
    selectionEmpty,
    explicit,
  };
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
  ) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const engine = this.engine();
    if (!engine) return undefined;
    // While the suggest widget is open its selection wins; ghost text on top of it would conflict.
    if (context.selectedCompletionInfo) return undefined;
    if (await this.barred(document)) return undefined;
    const editor = vscode.window.activeTextEditor;
    const selectionEmpty =
      editor && editor.document === document ? editor.selections.every((s) => s.isEmpty) : true;
    const explicit = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke;
    const request = toCompletionRequest(document, position, explicit, selectionEmpty);
    const abort = abortSignalFor(token);
    try {
      const suggestion = await engine.complete(request, abort.signal);
      if (!suggestion || token.isCancellationRequested) return undefined;
      this.onShown(suggestion);
      const item = new vscode.InlineCompletionItem(suggestion.text, new vscode.Range(position, position), {
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
