// Shows a next-edit suggestion with VS Code's stable API and carries out what the user does with it.
// core/nextEdit/nextEditDisplay.ts decides the form: an insertion at the cursor becomes an inline
// completion (handed to the inline provider through ghostItem, so VS Code's own Tab accepts it);
// anything else is drawn as decorations (struck-through deletions, ghost-styled inserted text, and a
// "Tab to jump" marker at the end of the cursor's line), while the context key bantam.nextEditVisible
// lets Tab and Escape reach jumpOrAccept and dismiss. Tab jumps to the edit, Tab again applies every
// edit as one undoable edit against the version they were computed for. Typing, moving the cursor,
// another editor, or Escape dismisses; nothing here moves the cursor except a Tab.
import * as vscode from 'vscode';
import { editedLines, markerText, planDecorations, planDisplay, type DecorationsDisplay, type GhostDisplay } from '../core/nextEdit/nextEditDisplay';
import type { NextEditDismissal, NextEditOutcome } from '../core/nextEdit/nextEditSource';
import type { NextEditSuggestion } from '../core/nextEdit/nextEditTypes';

export const NEXT_EDIT_VISIBLE_KEY = 'bantam.nextEditVisible';
export const JUMP_OR_ACCEPT_COMMAND = 'bantam.nextEdit.jumpOrAccept';
export const DISMISS_COMMAND = 'bantam.nextEdit.dismiss';
/** Run by VS Code when the user accepts next-edit ghost text. */
export const GHOST_ACCEPTED_COMMAND = 'bantam.nextEdit.ghostAccepted';

/** What the presenter has drawn, as plain positions (VS Code can't be asked what decorations show). */
export interface ShownNextEdit {
  uri: string;
  as: 'ghost' | 'decorations';
  /** Decorations: the marker at the end of the cursor's line. */
  marker?: { line: number; text: string };
  deletions: Array<{ start: vscode.Position; end: vscode.Position; text: string }>;
  insertions: Array<{ at: vscode.Position; text: string }>;
  /** Ghost text: where it starts, the range it replaces and its text. */
  ghost?: { start: vscode.Position; end: vscode.Position; text: string };
}

interface Showing {
  editor: vscode.TextEditor;
  /** The context key has reached the workbench: Tab and Escape now come here. */
  keyed: boolean;
  suggestion: NextEditSuggestion;
  display: DecorationsDisplay;
  /** The cursor as this presenter last left it: any other selection is the user moving away. */
  cursor: vscode.Selection;
}

interface PendingGhost {
  document: vscode.TextDocument;
  version: number;
  suggestion: NextEditSuggestion;
  display: GhostDisplay;
  /** VS Code has asked for it (the inline provider handed it over). */
  shown: boolean;
  /** The document's length it was computed against. */
  length: number;
}

export class NextEditPresenter implements vscode.Disposable {
  private showing: Showing | undefined;
  private ghost: PendingGhost | undefined;
  private readonly deletionType = vscode.window.createTextEditorDecorationType({
    textDecoration: 'line-through',
    backgroundColor: new vscode.ThemeColor('diffEditor.removedTextBackground'),
  });
  private readonly insertionType = vscode.window.createTextEditorDecorationType({
    after: {
      color: new vscode.ThemeColor('editorGhostText.foreground'),
      backgroundColor: new vscode.ThemeColor('diffEditor.insertedTextBackground'),
      fontStyle: 'italic',
    },
  });
  private readonly markerType = vscode.window.createTextEditorDecorationType({
    after: {
      color: new vscode.ThemeColor('editorGhostText.foreground'),
      border: '1px solid',
      borderColor: new vscode.ThemeColor('editorGhostText.foreground'),
      margin: '0 0 0 1.5em',
    },
  });
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly onOutcome: (outcome: NextEditOutcome) => void = () => undefined) {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length === 0) return;
        if (this.showing?.editor.document === event.document) this.dismiss('typed');
        if (this.ghost?.document === event.document) {
          // VS Code's accept is a document change that comes before its command.
          if (this.ghostTaken(this.ghost)) this.ghostAccepted();
          else this.dropGhost('typed');
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        const showing = this.showing;
        if (showing && event.textEditor === showing.editor && !event.selections[0]?.isEqual(showing.cursor)) this.dismiss('moved');
        // Ghost text is VS Code's to hide; once the cursor leaves its place it is gone for good.
        const ghost = this.ghost;
        const at = event.selections[0];
        if (ghost && event.textEditor.document === ghost.document && (!at?.isEmpty || ghost.document.offsetAt(at.active) !== ghost.display.startOffset)) {
          this.dropGhost('moved');
        }
      }),
      vscode.window.onDidChangeActiveTextEditor(() => {
        if (this.showing) this.dismiss('editor-changed');
        if (this.ghost) this.dropGhost('editor-changed');
      }),
    ];
  }

  /** Shows `suggestion` in `editor`, whose cursor it was computed at; false when it no longer fits. */
  show(editor: vscode.TextEditor, suggestion: NextEditSuggestion): boolean {
    const document = editor.document;
    this.dismiss('stale');
    this.dropGhost('stale');
    if (document.version !== suggestion.documentVersion) return false;
    const text = document.getText();
    const display = planDisplay(text, document.offsetAt(editor.selection.active), suggestion.edits);
    if (!display) return false;
    if (display.kind === 'ghost') {
      this.ghost = { document, version: document.version, suggestion, display, shown: false, length: text.length };
      void vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      return true;
    }
    this.showing = { editor, suggestion, display, cursor: editor.selection, keyed: false };
    this.render();
    this.onOutcome({ kind: 'shown', suggestion, as: 'decorations' });
    return true;
  }

  /**
   * The inline completion for a next-edit insertion waiting at this place, if any (the inline
   * provider asks before anything else).
   */
  ghostItem(document: vscode.TextDocument, position: vscode.Position): vscode.InlineCompletionItem | undefined {
    const ghost = this.ghost;
    if (!ghost || ghost.document !== document || document.version !== ghost.version) return undefined;
    if (document.offsetAt(position) !== ghost.display.startOffset) return undefined;
    if (!ghost.shown) {
      ghost.shown = true;
      this.onOutcome({ kind: 'shown', suggestion: ghost.suggestion, as: 'ghost' });
    }
    const range = new vscode.Range(position, document.positionAt(ghost.display.endOffset));
    return new vscode.InlineCompletionItem(ghost.display.text, range, { title: 'Bantam: next edit accepted', command: GHOST_ACCEPTED_COMMAND });
  }

  /** True when the one change since the ghost text was shown is its acceptance. */
  private ghostTaken(ghost: PendingGhost): boolean {
    const { document, display } = ghost;
    if (!ghost.shown || document.version !== ghost.version + 1) return false;
    const start = document.positionAt(display.startOffset);
    const inserted = document.getText(new vscode.Range(start, document.positionAt(display.startOffset + display.text.length)));
    return inserted === display.text && document.getText().length === ghost.length + display.text.length - (display.endOffset - display.startOffset);
  }

  /** VS Code accepted the ghost text (its accept command, or the change that accepting made). */
  ghostAccepted(): void {
    const ghost = this.ghost;
    this.ghost = undefined;
    if (ghost) this.onOutcome({ kind: 'accepted', suggestion: ghost.suggestion });
  }

  /** Tab: jump to the edit, or apply it when the cursor is there already. */
  async jumpOrAccept(): Promise<void> {
    const showing = this.showing;
    const editor = vscode.window.activeTextEditor;
    if (!showing || editor !== showing.editor) {
      // Only reachable through a race with the context key: Tab keeps its meaning.
      await vscode.commands.executeCommand('tab');
      return;
    }
    if (editor.document.version !== showing.suggestion.documentVersion) {
      this.dismiss('stale');
      return;
    }
    if (showing.display.needsJump) this.jump(showing);
    else await this.apply(showing);
  }

  private jump(showing: Showing): void {
    const { editor, suggestion } = showing;
    const target = editor.document.positionAt(showing.display.jumpOffset);
    const text = editor.document.getText();
    showing.display = planDecorations(text, showing.display.jumpOffset, suggestion.edits);
    showing.cursor = new vscode.Selection(target, target);
    editor.selection = showing.cursor;
    editor.revealRange(new vscode.Range(target, target), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    this.render();
    this.onOutcome({ kind: 'jumped', suggestion });
  }

  private async apply(showing: Showing): Promise<void> {
    const { editor, suggestion, display } = showing;
    const document = editor.document;
    this.clear();
    // editor.edit refuses when the document changed since this version (VS Code checks it again).
    const applied = await editor.edit(
      (builder) => {
        for (const edit of suggestion.edits) {
          builder.replace(new vscode.Range(document.positionAt(edit.startOffset), document.positionAt(edit.endOffset)), edit.newText);
        }
      },
      { undoStopBefore: true, undoStopAfter: true },
    );
    if (!applied) {
      this.onOutcome({ kind: 'dismissed', suggestion, reason: 'stale' });
      return;
    }
    const cursor = document.positionAt(display.offsetAfterApply);
    editor.selection = new vscode.Selection(cursor, cursor);
    this.onOutcome({ kind: 'accepted', suggestion });
  }

  /** Takes the shown suggestion away (Escape, typing, moving elsewhere; next-edit turned off takes ghost text too). */
  dismiss(reason: NextEditDismissal): void {
    if (reason === 'disabled') this.dropGhost(reason);
    const showing = this.showing;
    if (!showing) return;
    this.clear();
    this.onOutcome({ kind: 'dismissed', suggestion: showing.suggestion, reason });
  }

  private dropGhost(reason: NextEditDismissal): void {
    const ghost = this.ghost;
    this.ghost = undefined;
    if (ghost?.shown) this.onOutcome({ kind: 'dismissed', suggestion: ghost.suggestion, reason });
  }

  /** What is drawn now (and bound to Tab and Escape), if anything. */
  shown(): ShownNextEdit | undefined {
    if (this.showing?.keyed) {
      const { editor, display } = this.showing;
      const document = editor.document;
      return {
        uri: document.uri.toString(),
        as: 'decorations',
        marker: { line: this.showing.cursor.active.line, text: markerText(display) },
        deletions: display.deletions.map((d) => {
          const range = new vscode.Range(document.positionAt(d.startOffset), document.positionAt(d.endOffset));
          return { start: range.start, end: range.end, text: document.getText(range) };
        }),
        insertions: display.insertions.map((i) => ({ at: document.positionAt(i.offset), text: i.text })),
      };
    }
    const ghost = this.ghost;
    if (!ghost?.shown) return undefined;
    const document = ghost.document;
    const start = document.positionAt(ghost.display.startOffset);
    return {
      uri: document.uri.toString(),
      as: 'ghost',
      deletions: [],
      insertions: [],
      ghost: { start, end: document.positionAt(ghost.display.endOffset), text: ghost.display.text },
    };
  }

  private render(): void {
    const showing = this.showing;
    if (!showing) return;
    const { editor, display } = showing;
    const document = editor.document;
    const hover = this.hover(showing);
    editor.setDecorations(
      this.deletionType,
      display.deletions.map((d) => ({ range: new vscode.Range(document.positionAt(d.startOffset), document.positionAt(d.endOffset)), hoverMessage: hover })),
    );
    editor.setDecorations(
      this.insertionType,
      display.insertions.map((i) => {
        const at = document.positionAt(i.offset);
        return { range: new vscode.Range(at, at), hoverMessage: hover, renderOptions: { after: { contentText: i.label } } };
      }),
    );
    const lineEnd = document.lineAt(showing.cursor.active.line).range.end;
    editor.setDecorations(this.markerType, [
      { range: new vscode.Range(lineEnd, lineEnd), renderOptions: { after: { contentText: ` ${markerText(display)} ` } } },
    ]);
    void vscode.commands.executeCommand('setContext', NEXT_EDIT_VISIBLE_KEY, true).then(() => {
      showing.keyed = true;
    });
  }

  /** The suggestion's lines before and after, as a diff, for the hover on its decorations. */
  private hover(showing: Showing): vscode.MarkdownString {
    const { before, after } = editedLines(showing.editor.document.getText(), showing.suggestion.edits);
    const lines = [...before.split('\n').map((l) => `- ${l}`), ...after.split('\n').map((l) => `+ ${l}`)];
    return new vscode.MarkdownString('Bantam next edit: Tab to jump, Tab again to accept, Escape to dismiss').appendCodeblock(lines.join('\n'), 'diff');
  }

  private clear(): void {
    const editor = this.showing?.editor;
    this.showing = undefined;
    if (editor) for (const type of [this.deletionType, this.insertionType, this.markerType]) editor.setDecorations(type, []);
    void vscode.commands.executeCommand('setContext', NEXT_EDIT_VISIBLE_KEY, false);
  }

  dispose(): void {
    this.clear();
    this.ghost = undefined;
    for (const s of this.subscriptions) s.dispose();
    this.deletionType.dispose();
    this.insertionType.dispose();
    this.markerType.dispose();
  }
}
