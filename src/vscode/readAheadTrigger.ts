// Tells the completion engine where the cursor came to rest, so the embedded model reads the prompt
// for that place before the user types there (core/completion/readAhead.ts has the rule and why).
//
// A selection event is a move when the selection differs from that editor's previous event, the
// document has not changed since, and no edit came just before it (typing moves the cursor too, the
// host may deliver a keystroke's selection event after the next keystroke's edit, and the inline
// provider already handles typing).
// Another editor becoming active is an arrival too. The place is read once the cursor has stayed put
// for READ_AHEAD_SETTLE_MS; several cursors are left alone (the suggestion goes to the primary one
// only, and which one the user types at next is anyone's guess).
import * as vscode from 'vscode';
import type { CompletionEngine } from '../core/completion/engine';
import { READ_AHEAD_SETTLE_MS, typedOver } from '../core/completion/readAhead';
import { toCompletionRequest } from './inlineCompletionProvider';
import type { WorkspacePaths } from './workspaceFiles';

/** A selection event this soon after an edit of its document belongs to the edit. */
const EDIT_ECHO_MS = 100;

export class ReadAheadTrigger implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Document version and selection at each editor's previous selection event. */
  private readonly seen = new WeakMap<vscode.TextEditor, { version: number; selection: vscode.Selection }>();
  /** When each document last changed. */
  private readonly editedAt = new WeakMap<vscode.TextDocument, number>();

  constructor(
    private readonly engine: () => CompletionEngine | undefined,
    /** True for documents that must never reach a prompt (the inline provider's guard). */
    private readonly barred: (document: vscode.TextDocument) => Promise<boolean>,
    /** Names documents as the inline provider does. */
    private readonly paths?: WorkspacePaths,
    private readonly settleMs = READ_AHEAD_SETTLE_MS,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) this.editedAt.set(event.document, performance.now());
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => this.onSelection(event.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) this.arrived(editor);
      }),
    ];
  }

  private onSelection(editor: vscode.TextEditor): void {
    const version = editor.document.version;
    const selection = editor.selection;
    const previous = this.seen.get(editor);
    this.seen.set(editor, { version, selection });
    const editedAt = this.editedAt.get(editor.document);
    const afterEdit = editedAt !== undefined && performance.now() - editedAt < EDIT_ECHO_MS;
    if (afterEdit || (previous !== undefined && previous.version !== version)) {
      // Typing (or an edit) moved the cursor: the keystroke's own request reads the place.
      this.cancel();
      return;
    }
    // The same selection reported again is no move.
    if (previous?.selection.isEqual(selection)) return;
    this.arrived(editor);
  }

  private arrived(editor: vscode.TextEditor): void {
    if (editor !== vscode.window.activeTextEditor) return;
    this.cancel();
    const version = editor.document.version;
    const selection = editor.selection;
    this.timer = setTimeout(() => void this.read(editor, version, selection), this.settleMs);
  }

  private async read(editor: vscode.TextEditor, version: number, selection: vscode.Selection): Promise<void> {
    this.timer = undefined;
    const engine = this.engine();
    const document = editor.document;
    if (!engine || editor !== vscode.window.activeTextEditor || document.version !== version) return;
    if (editor.selections.length !== 1 || !editor.selection.isEqual(selection)) return;
    if (await this.barred(document)) return;
    const request = toCompletionRequest(document, selection.start, false, true, editor, this.paths);
    const state = selection.isEmpty ? request : typedOver(request, request.offset, document.offsetAt(selection.end));
    await engine.readAhead(state);
  }

  private cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.cancel();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
