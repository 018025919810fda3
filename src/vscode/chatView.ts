// The chat side panel's extension half: serves the webview (strict CSP, local resources only),
// checks every message it posts back (chatProtocol.ts) and turns them into actions: questions go to
// the ChatSession (core), context chips are read from the editor and the index, code blocks are
// copied, inserted at the cursor, or applied to a file through the same diff preview and undoable
// edit as the refactor commands. The webview renders model output, so nothing it sends is trusted.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import fuzzysort from 'fuzzysort';
import type { ChatChip, ChatSession } from '../core/chat/chatSession';
import { describeRejected, parseViewMessage, type ChipKind, type HostMessage, type TurnView, type ViewMessage } from '../core/chat/chatProtocol';
import { QUESTION_CONTEXT_TOKENS } from '../core/chat/promptBudget';
import { toPromptSnippet } from '../core/chat/taskPrompts';
import { estimateTokens } from '../core/kernel/tokenEstimate';
import type { FileChange } from '../core/edits/changePlan';
import { parseEdits } from '../core/edits/editParser';
import { planFromAnswer } from '../core/edits/editPipeline';
import type { ChangePreview } from './changePreview';
import { chatHtml } from './chatHtml';
import type { PromptGuard } from './promptGuard';
import type { UserPrompts } from './userPrompts';
import { currentText, type WorkspacePaths } from './workspaceFiles';
import type { ContextService } from '../core/context/contextService';

export const CHAT_VIEW_ID = 'bantam.chat';
/** A file chip larger than this is refused: select the part that matters instead. */
const MAX_FILE_CHIP_TOKENS = 24_000;
/** How long the workspace file list for the @file picker is reused. */
const FILE_LIST_TTL_MS = 10_000;
const MAX_PICKER_ITEMS = 50;

export interface ChatViewDeps {
  extensionUri: vscode.Uri;
  /** The workspace's folders; chips, @file and code blocks name files by workspace path. */
  paths: WorkspacePaths;
  session: (post: (message: HostMessage) => void) => ChatSession;
  /** The workspace's codebase context; undefined without a folder. */
  context: ContextService | undefined;
  guard: PromptGuard;
  preview: ChangePreview | undefined;
  prompts: () => UserPrompts;
  log: vscode.LogOutputChannel;
}

export class ChatView implements vscode.WebviewViewProvider, vscode.Disposable {
  readonly session: ChatSession;
  private view: vscode.WebviewView | undefined;
  private ready = false;
  private files: { at: number; paths: string[] } | undefined;
  /** The last text editor the user was in: the webview takes focus, and with it activeTextEditor. */
  private lastEditor: vscode.TextEditor | undefined =
    vscode.window.activeTextEditor?.document.uri.scheme === 'file' ? vscode.window.activeTextEditor : undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Listeners of the current webview, dropped with it (the view is rebuilt each time it is shown). */
  private viewSubscriptions: vscode.Disposable[] = [];
  /** Messages are handled in arrival order: a chip added just before Send goes with that question. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: ChatViewDeps) {
    this.session = deps.session((message) => this.post(message));
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor && editor.document.uri.scheme === 'file') this.lastEditor = editor;
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'media');
    view.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media] };
    view.webview.html = chatHtml({
      cspSource: view.webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'chat.js')).toString(),
      styleUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'chat.css')).toString(),
      codiconsUri: view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'codicon.css')).toString(),
    });
    for (const s of this.viewSubscriptions.splice(0)) s.dispose();
    this.viewSubscriptions.push(
      view.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      view.onDidDispose(() => {
        if (this.view !== view) return;
        this.view = undefined;
        this.ready = false;
        for (const s of this.viewSubscriptions.splice(0)) s.dispose();
      }),
    );
  }

  /** Reveals the panel (and waits until the webview has said it is ready, up to a few seconds). */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${CHAT_VIEW_ID}.focus`);
    const deadline = Date.now() + 5000;
    while (!this.ready && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    this.post({ type: 'focusInput' });
  }

  /** Asks `question` in the panel, with the given chips added first; resolves with the answer turn. */
  async ask(question: string, kind: 'chat' | 'multi-file-question' | 'explain', chips: ChipKind[] = []): Promise<TurnView> {
    await this.reveal();
    for (const chip of chips) await this.addChip(chip);
    return this.session.send(question, { kind });
  }

  /** Adds a context chip from the editor or the index; says why when it can't. */
  async addChip(kind: ChipKind, path?: string): Promise<boolean> {
    const chip = kind === 'selection' ? await this.selectionChip() : kind === 'file' ? await this.fileChip(path) : this.codebaseChip();
    if (typeof chip === 'string') {
      this.post({ type: 'notice', level: 'warning', text: chip });
      return false;
    }
    this.session.addChip(chip);
    return true;
  }

  private post(message: HostMessage): void {
    if (this.view && this.ready) void this.view.webview.postMessage(message);
  }

  /**
   * Handles one message from the webview (public so integration tests can drive the host half), in
   * arrival order. Resolves when it has been handled; for a question, when its answer has ended. An
   * answer runs on while later messages (Stop above all) are handled.
   */
  receive(raw: unknown): Promise<void> {
    let handled: Promise<void> = Promise.resolve();
    const started = this.queue.then(() => {
      handled = this.handleRaw(raw);
      const isSend = typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'send';
      return isSend ? undefined : handled;
    });
    this.queue = started.catch(() => undefined);
    return started.then(() => handled);
  }

  private async handleRaw(raw: unknown): Promise<void> {
    const message = parseViewMessage(raw);
    if (!message) {
      this.deps.log.warn(`chat view: dropped a ${describeRejected(raw)}`);
      return;
    }
    try {
      await this.handle(message);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.deps.log.warn(`chat view: ${message.type} failed: ${text}`);
      this.post({ type: 'notice', level: 'error', text });
    }
  }

  private async handle(message: ViewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'state', state: this.session.state() });
        return;
      case 'send':
        await this.session.send(message.text, { tier: message.tier });
        return;
      case 'stop':
        this.session.stop();
        return;
      case 'setTier':
        this.session.setTier(message.tier);
        return;
      case 'addChip':
        await this.addChip(message.kind, message.path);
        return;
      case 'removeChip':
        this.session.removeChip(message.chipId);
        return;
      case 'searchFiles':
        this.post({ type: 'filePicker', query: message.query, items: await this.searchFiles(message.query) });
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(message.code);
        this.post({ type: 'notice', level: 'info', text: 'Copied.' });
        return;
      case 'insert':
        await this.insert(message.code);
        return;
      case 'apply':
        await this.apply(message.code, message.path);
        return;
      case 'openFile':
        await this.openFile(message.path, message.line);
        return;
      case 'newConversation':
        this.session.newConversation();
        return;
      case 'openConversation':
        this.session.openConversation(message.id);
        return;
      case 'deleteConversation':
        await this.session.deleteConversation(message.id);
        return;
    }
  }

  // ---- chips ----

  private editor(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active && active.document.uri.scheme === 'file') return active;
    return this.lastEditor && !this.lastEditor.document.isClosed ? this.lastEditor : undefined;
  }

  private async selectionChip(): Promise<ChatChip | string> {
    const editor = this.editor();
    if (!editor || editor.selection.isEmpty) return 'Select some code in an editor first.';
    const path = this.deps.paths.relative(editor.document.uri);
    if (!path) return 'The selection must be in a file of a workspace folder.';
    const barred = await this.deps.guard.documentRefusal(editor.document);
    if (barred) return barred;
    const { start, end } = editor.selection;
    const last = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
    const range = new vscode.Range(start.line, 0, last, editor.document.lineAt(last).text.length);
    const text = editor.document.getText(range);
    const label = `${path.split('/').pop()}:${start.line + 1}-${last + 1}`;
    return {
      view: { id: `selection:${path}:${start.line + 1}-${last + 1}`, kind: 'selection', label, tokens: estimateTokens(text) },
      snippets: [{ file: path, startLine: start.line + 1, endLine: last + 1, text, reason: 'selected' }],
    };
  }

  private async fileChip(requested?: string): Promise<ChatChip | string> {
    let path: string | undefined;
    if (requested !== undefined) {
      const resolved = await this.deps.paths.resolve(requested);
      if ('refused' in resolved) return `${requested}: ${resolved.refused}.`;
      path = resolved.path;
    } else {
      const editor = this.editor();
      path = editor ? this.deps.paths.relative(editor.document.uri) : undefined;
      if (!path) return 'Open a file of a workspace folder first.';
    }
    const refusal = await this.refusal(path);
    if (refusal) return refusal;
    const uri = this.deps.paths.uri(path);
    const text = uri && (await currentText(uri));
    if (text === undefined) return `${path} does not exist.`;
    const secret = await this.deps.guard.textRefusal(path, text);
    if (secret) return secret;
    const tokens = estimateTokens(text);
    if (tokens > MAX_FILE_CHIP_TOKENS) return `${path} is about ${tokens} tokens, too large to attach whole; select the part that matters.`;
    const lines = text.split('\n').length;
    return {
      view: { id: `file:${path}`, kind: 'file', label: path.split('/').pop()!, tokens },
      snippets: [{ file: path, startLine: 1, endLine: lines, text, reason: 'attached file' }],
    };
  }

  private codebaseChip(): ChatChip | string {
    const context = this.deps.context;
    if (!context) return 'Open a folder to ask about its code.';
    return {
      view: { id: 'codebase', kind: 'codebase', label: '@codebase', tokens: QUESTION_CONTEXT_TOKENS },
      resolve: async (question, budgetTokens) => {
        const editor = this.editor();
        const activeFile = editor ? this.deps.paths.relative(editor.document.uri) : undefined;
        const result = await context.searchCodebase({ question, budgetTokens, activeFile });
        return (result?.snippets ?? []).map(toPromptSnippet);
      },
    };
  }

  private refusal(path: string): Promise<string | undefined> {
    return this.deps.guard.refusal(path);
  }

  private async searchFiles(query: string): Promise<{ path: string; detail?: string }[]> {
    if (!this.deps.paths.hasFolder) return [];
    if (!this.files || Date.now() - this.files.at > FILE_LIST_TTL_MS) {
      // Every folder's files (a plain glob searches them all), named with their folder when several.
      const found = await vscode.workspace.findFiles('**/*', undefined, 20_000);
      const named = found.map((uri) => this.deps.paths.relative(uri)).filter((p): p is string => !!p);
      // Only files that may be attached: an ignored or secret file's very name stays out of the webview.
      const allowed = await Promise.all(named.map(async (p) => ((await this.refusal(p)) === undefined ? p : undefined)));
      const paths = allowed.filter((p): p is string => p !== undefined);
      this.files = { at: Date.now(), paths: paths.sort() };
    }
    const paths = this.files.paths;
    const picked = query.trim()
      ? fuzzysort.go(query.trim(), paths, { limit: MAX_PICKER_ITEMS }).map((r) => r.target)
      : paths.slice(0, MAX_PICKER_ITEMS);
    return picked.map((path) => ({ path, detail: path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : undefined }));
  }

  // ---- code blocks ----

  private async insert(code: string): Promise<void> {
    const editor = this.editor();
    const path = editor ? this.deps.paths.relative(editor.document.uri) : undefined;
    if (!editor || !path) {
      this.post({ type: 'notice', level: 'warning', text: 'Open a file of a workspace folder to insert into.' });
      return;
    }
    const refusal = await this.refusal(path);
    if (refusal) {
      this.post({ type: 'notice', level: 'warning', text: refusal });
      return;
    }
    const done = await editor.edit((edit) => edit.replace(editor.selection, code));
    this.post({ type: 'notice', level: done ? 'info' : 'error', text: done ? 'Inserted.' : 'The editor refused the insert.' });
  }

  /**
   * Applies a code block: search/replace edits when it holds some, else it replaces the target
   * editor's selection (or, with nothing selected, the whole file). Always previewed as a diff first.
   */
  private async apply(code: string, requestedPath?: string): Promise<void> {
    const preview = this.deps.preview;
    const paths = this.deps.paths;
    if (!preview || !paths.hasFolder) {
      this.post({ type: 'notice', level: 'warning', text: 'Open a folder to apply code to its files.' });
      return;
    }
    const read = async (path: string) => {
      const uri = paths.uri(path);
      return !uri || (await this.refusal(path)) ? undefined : currentText(uri);
    };
    let changes: FileChange[];
    let answer = code;
    if (parseEdits(code).edits.length === 0) {
      // A search/replace block from a fence that names its file (```ts src/a.ts) arrives without its
      // path line: the fence's path, or else the target editor's file, is the one it edits (applied
      // as plain code, its markers would be written into the file).
      const editor = this.editor();
      const target = requestedPath ?? (editor ? this.deps.paths.relative(editor.document.uri) : undefined);
      if (target && parseEdits(`${target}\n${code}`).edits.length > 0) answer = `${target}\n${code}`;
    }
    if (parseEdits(answer).edits.length > 0) {
      // A code block may rewrite or delete only what the conversation showed a model, or the file
      // the user applies it to; it may create new files.
      const shown = this.session.sentFiles();
      const editor = this.editor();
      const target = requestedPath ?? (editor ? this.deps.paths.relative(editor.document.uri) : undefined);
      if (target) shown.add(target);
      const plan = await planFromAnswer(answer, read, {
        resolvePath: (path) => paths.resolveNormalized(path),
        allowPath: async (path, kinds) =>
          (await this.refusal(path)) ??
          (!shown.has(path) && (kinds.has('modify') || kinds.has('delete'))
            ? `this conversation never showed ${path} to a model, so a code block may not ${kinds.has('delete') ? 'delete' : 'change'} it`
            : undefined),
      });
      if (plan.messages.length) {
        this.post({ type: 'notice', level: 'error', text: `Nothing was applied: ${plan.messages.join(' ')}` });
        return;
      }
      changes = plan.changes;
    } else if (/^<{7} SEARCH\s*$/m.test(code)) {
      // Markers Bantam can't read (no usable path) must never be written into a file as code.
      this.post({ type: 'notice', level: 'error', text: 'Nothing was applied: the block holds search/replace markers but no file Bantam can match them to.' });
      return;
    } else {
      const target = await this.applyTarget(requestedPath);
      if (typeof target === 'string') {
        this.post({ type: 'notice', level: 'warning', text: target });
        return;
      }
      const { path, document, selection } = target;
      const before = document.getText();
      const after = selection && !selection.isEmpty
        ? before.slice(0, document.offsetAt(selection.start)) + code + before.slice(document.offsetAt(selection.end))
        : code;
      changes = [{ path, kind: 'modify', before, after }];
    }
    if (changes.every((c) => c.before === c.after)) {
      this.post({ type: 'notice', level: 'info', text: 'The code is already there: nothing to apply.' });
      return;
    }
    const prompts = this.deps.prompts();
    const outcome = await preview.review(
      changes,
      'Bantam: Apply from chat',
      `Bantam: apply the code block to ${changes.length} file(s)?`,
      (summary, files) => prompts.confirmChanges(summary, files),
      (files) => prompts.confirmSensitive(files),
    );
    if (outcome === 'declined') return;
    this.post(
      outcome.applied
        ? { type: 'notice', level: 'info', text: `Applied to ${outcome.files.join(', ')}.` }
        : { type: 'notice', level: 'error', text: outcome.message },
    );
  }

  private async applyTarget(
    requestedPath?: string,
  ): Promise<{ path: string; document: vscode.TextDocument; selection?: vscode.Selection } | string> {
    if (requestedPath) {
      const resolved = await this.deps.paths.resolve(requestedPath);
      if ('refused' in resolved) return `${requestedPath}: ${resolved.refused}.`;
      const refusal = await this.refusal(resolved.path);
      if (refusal) return refusal;
      const uri = this.deps.paths.uri(resolved.path)!;
      const document = await vscode.workspace.openTextDocument(uri).then(undefined, () => undefined);
      if (!document) return `${resolved.path} does not exist; a new file needs search/replace edits or a path the model creates.`;
      const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
      return { path: resolved.path, document, selection: editor?.selection };
    }
    const editor = this.editor();
    const path = editor ? this.deps.paths.relative(editor.document.uri) : undefined;
    if (!editor || !path) return 'Open the file to apply the code to (or name it in the code block: ```ts src/file.ts).';
    const refusal = await this.refusal(path);
    if (refusal) return refusal;
    return { path, document: editor.document, selection: editor.selection };
  }

  private async openFile(path: string, line?: number): Promise<void> {
    const resolved = await this.deps.paths.resolve(path);
    if ('refused' in resolved) return;
    // The reference was written by a model: it opens only what Bantam would itself read.
    const refusal = await this.refusal(resolved.path);
    if (refusal) {
      this.post({ type: 'notice', level: 'warning', text: refusal });
      return;
    }
    const uri = this.deps.paths.uri(resolved.path)!;
    const document = await vscode.workspace.openTextDocument(uri).then(undefined, () => undefined);
    if (!document) {
      this.post({ type: 'notice', level: 'warning', text: `${resolved.path} does not exist.` });
      return;
    }
    const position = new vscode.Position(Math.max(0, Math.min((line ?? 1) - 1, document.lineCount - 1)), 0);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position), preview: true });
  }

  dispose(): void {
    this.session.dispose();
    for (const s of [...this.subscriptions.splice(0), ...this.viewSubscriptions.splice(0)]) s.dispose();
  }
}
