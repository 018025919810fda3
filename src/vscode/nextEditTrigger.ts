// Decides when to ask for a next edit and hands the answer to the presenter. The moments and waits are
// core's (nextEdit/nextEditTiming.ts): after an edit settles (never inside a word being typed), at once
// after a next edit is accepted (the prefetched one, when the presenter's prefetch guessed the state
// right), and when the cursor moves near a recent edit; the eagerness setting and an adaptive wait
// (longer after dismissals, shorter after accepts) set how long it waits, and the embedded model reads
// the prompt ahead meanwhile. 'Bantam: Suggest Next Edit'
// asks at once. A newer event aborts the request in flight; an answer is shown only if the document,
// editor and cursor are still the ones it was asked for (a single empty selection).
import * as vscode from 'vscode';
import type { NextEditEagerness } from '../core/nextEdit/nextEditTypes';
import type { NextEditOutcome } from '../core/nextEdit/nextEditSource';
import { AdaptiveWait, decideNextEditTiming, type NextEditTrigger as TimingTrigger } from '../core/nextEdit/nextEditTiming';
import { isTurnedDown } from '../core/nextEdit/nextEditStats';
import { stateAfterAccepting, planDisplay } from '../core/nextEdit/nextEditDisplay';
import type { NextEditPredictor } from '../core/nextEdit/nextEditPredictor';
import type { EditHunk } from '../core/nextEdit/nextEditTypes';
import { toCompletionRequest } from './inlineCompletionProvider';
import type { NextEditPresenter } from './nextEditPresenter';
import type { WorkspacePaths } from './workspaceFiles';

/**
 * The read-ahead starts once the user has paused this long (longer than the gap between a typist's
 * keystrokes), so typing does not start and call off a prompt read at every key, each of which holds
 * the model host for a batch that ghost text then waits for.
 */
const READ_AHEAD_QUIET_MS = 250;

export interface NextEditTriggerOptions {
  /** The predictor to ask; undefined while next-edit is off. */
  source: () => Pick<NextEditPredictor, 'suggest' | 'prefetch' | 'cancelPrefetch' | 'readAhead'> | undefined;
  presenter: NextEditPresenter;
  /** True for documents that must never reach a prompt (git-ignored, secret-looking). */
  barred: (document: vscode.TextDocument) => Promise<boolean>;
  eagerness: () => NextEditEagerness;
  /** The recorded edits, for "the cursor moved near a recent edit". */
  recentEdits: () => readonly EditHunk[];
  paths?: WorkspacePaths;
  /** Each decision, for the output channel's trace level. */
  log?: (message: string) => void;
  /** Calls off the predictor's prefetch (also while next-edit is off, when source() is undefined). */
  cancelPrefetch: () => void;
  /** Next-edit was turned off: free what it holds. */
  turnedOff?: () => void;
}

export class NextEditTrigger implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | undefined;
  /** The read-ahead of the prompt the pending request will send, while the trigger waits. */
  private reading: AbortController | undefined;
  private readTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly wait: AdaptiveWait;
  /**
   * The last edit, decided once the events that came with it are in: VS Code reports a typed
   * character before it moves the cursor past it, and a burst of changes (a paste, a command typing a
   * word) arrives at once, so the decision waits for the cursor where it landed.
   */
  private pendingEdit: { editor: vscode.TextEditor; trigger: TimingTrigger } | undefined;
  private decideTimer: ReturnType<typeof setTimeout> | undefined;
  /** The document version an accept produced (its change event is not an edit to wait after). */
  private acceptedVersion: { uri: string; version: number } | undefined;
  private lastAsked: { path: string; documentVersion: number; line: number } | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly options: NextEditTriggerOptions) {
    this.wait = new AdaptiveWait(options.eagerness());
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((event) => {
        const editor = vscode.window.activeTextEditor;
        if (event.contentChanges.length === 0 || editor?.document !== event.document) return;
        const accepted = this.acceptedVersion;
        this.acceptedVersion = undefined;
        if (accepted?.uri === event.document.uri.toString() && accepted.version === event.document.version) return;
        const inserted = event.contentChanges.map((c) => c.text).join('');
        const deleted = event.contentChanges.reduce((sum, c) => sum + c.rangeLength, 0);
        this.cancel();
        this.pendingEdit = { editor, trigger: { kind: 'edit', inserted, deleted } };
        this.decideSoon();
      }),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        const { textEditor: editor } = event;
        if (editor !== vscode.window.activeTextEditor) return;
        if (this.pendingEdit) this.decideSoon();
        else this.consider(editor, { kind: 'cursor-moved' });
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.cancel()),
    ];
  }

  /** The wait after an edit now (for tests and the stats). */
  get waitMs(): number {
    return this.wait.waitMs;
  }

  /** Asks now for the active editor (the command). Resolves once the answer is shown or dropped. */
  async suggestNow(): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return false;
    this.cancel();
    return this.request(editor);
  }

  /**
   * What the user did with a suggestion: an accept asks for the next one at once and shortens the
   * wait; a dismissal lengthens it and drops the prefetch; a shown suggestion starts the prefetch
   * of the one after it.
   */
  outcome(outcome: NextEditOutcome): void {
    if (outcome.kind === 'shown') {
      this.prefetchAfter(outcome);
      return;
    }
    if (outcome.kind === 'accepted') {
      this.wait.recordAccepted();
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      // Accepted ghost text is reported from the document change itself, before this trigger hears of
      // that change: it is the accept, not an edit to wait after.
      this.acceptedVersion = { uri: editor.document.uri.toString(), version: editor.document.version };
      this.consider(editor, { kind: 'accepted' });
      return;
    }
    if (outcome.kind === 'dismissed') {
      this.options.cancelPrefetch();
      if (isTurnedDown(outcome.reason)) this.wait.recordDismissed();
    }
  }

  /**
   * Follows the settings: the eagerness; when next-edit is turned off, stops, dismisses what shows and
   * lets go of the rest (the prefetch, the model, the recorded edits).
   */
  settingsChanged(): void {
    this.wait.setEagerness(this.options.eagerness());
    if (this.options.source()) return;
    this.cancel();
    this.options.presenter.dismiss('disabled');
    this.options.cancelPrefetch();
    this.options.turnedOff?.();
  }

  /** Decides the pending edit once the events queued with it have been seen. */
  private decideSoon(): void {
    if (this.decideTimer !== undefined) clearTimeout(this.decideTimer);
    this.decideTimer = setTimeout(() => {
      this.decideTimer = undefined;
      const pending = this.pendingEdit;
      this.pendingEdit = undefined;
      if (pending && pending.editor === vscode.window.activeTextEditor) this.consider(pending.editor, pending.trigger);
    }, 0);
  }

  private consider(editor: vscode.TextEditor, trigger: TimingTrigger): void {
    if (!this.options.source()) return;
    const document = editor.document;
    const cursor = editor.selection.active;
    const path = this.options.paths?.relative(document.uri) ?? vscode.workspace.asRelativePath(document.uri, false);
    const decision = decideNextEditTiming({
      trigger,
      eagerness: this.options.eagerness(),
      waitMs: this.wait.waitMs,
      path,
      documentVersion: document.version,
      line: cursor.line,
      lineText: document.lineAt(cursor.line).text,
      column: cursor.character,
      selectionEmpty: editor.selections.length === 1 && editor.selection.isEmpty,
      suggestionShowing: this.options.presenter.shown() !== undefined,
      recentEdits: this.options.recentEdits(),
      lastAsked: this.lastAsked,
      now: performance.now(),
    });
    this.options.log?.(`next-edit ${trigger.kind} at ${cursor.line}:${cursor.character} v${document.version}: ${decision.ask ? `ask in ${decision.delayMs} ms` : 'skip'} (${decision.reason})`);
    // A cursor move never calls off an ask already on its way (after an accept, after an edit).
    if (trigger.kind === 'cursor-moved' && (!decision.ask || this.timer !== undefined)) return;
    this.cancel();
    if (!decision.ask) return;
    this.timer = setTimeout(() => void this.request(editor), decision.delayMs);
    if (decision.delayMs > READ_AHEAD_QUIET_MS) this.readTimer = setTimeout(() => this.readAhead(editor), READ_AHEAD_QUIET_MS);
  }

  /**
   * Reads the prompt the request will send into the model's cache while the trigger waits (the
   * embedded model only), so the request reads little more than its last token. The next event calls
   * it off; the request itself takes over from it, keeping what it read.
   */
  private readAhead(editor: vscode.TextEditor): void {
    this.readTimer = undefined;
    const source = this.options.source();
    if (!source) return;
    const document = editor.document;
    const version = document.version;
    const controller = new AbortController();
    this.reading = controller;
    void this.options.barred(document).then((barred) => {
      if (barred || controller.signal.aborted || document.version !== version) return;
      const request = toCompletionRequest(document, editor.selection.active, false, true, editor, this.options.paths);
      return source.readAhead(
        { path: request.relativePath, languageId: request.languageId, text: request.text, documentVersion: version, cursorOffset: request.offset },
        controller.signal,
      );
    }).catch(() => undefined);
  }

  private async request(editor: vscode.TextEditor): Promise<boolean> {
    this.timer = undefined;
    const source = this.options.source();
    const document = editor.document;
    if (!source || editor !== vscode.window.activeTextEditor || editor.selections.length !== 1 || !editor.selection.isEmpty) return false;
    const controller = new AbortController();
    this.inFlight?.abort();
    this.inFlight = controller;
    try {
      if ((await this.options.barred(document)) || controller.signal.aborted) return false;
      const version = document.version;
      const selection = editor.selection;
      const request = toCompletionRequest(document, selection.active, false, true, editor, this.options.paths);
      this.lastAsked = { path: request.relativePath, documentVersion: version, line: selection.active.line };
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

  /** Asks in the background for the suggestion that follows `shown` once it is accepted. */
  private prefetchAfter(shown: Extract<NextEditOutcome, { kind: 'shown' }>): void {
    const source = this.options.source();
    const editor = vscode.window.activeTextEditor;
    if (!source || !editor || editor.document.version !== shown.suggestion.documentVersion) return;
    const document = editor.document;
    const text = document.getText();
    const display = planDisplay(text, document.offsetAt(editor.selection.active), shown.suggestion.edits);
    if (!display) return;
    const after = stateAfterAccepting(text, display, shown.suggestion.edits);
    const request = toCompletionRequest(document, editor.selection.active, false, true, editor, this.options.paths);
    source.prefetch({ path: request.relativePath, languageId: request.languageId, text: after.text, documentVersion: -1, cursorOffset: after.cursorOffset });
  }

  private cancel(): void {
    if (this.readTimer !== undefined) clearTimeout(this.readTimer);
    this.readTimer = undefined;
    this.reading?.abort();
    this.reading = undefined;
    if (this.decideTimer !== undefined) clearTimeout(this.decideTimer);
    this.decideTimer = undefined;
    this.pendingEdit = undefined;
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
