// Keeps what must never reach a prompt away from every road that sends one (inline completion, the
// selection, the active file, chips, edit reads): translates VS Code documents and URIs into core's
// PromptExclusions questions, with `files.exclude` and `bantam.context.exclude` as its exclude globs,
// and tells it to judge afresh when a .gitignore or either setting changes.
import * as vscode from 'vscode';
import { describePromptBar, PromptExclusions, type PromptBarReason } from '../core/context/promptExclusions';
import { filesExcludeGlobs } from './filesExclude';
import { workspaceRelative } from './workspaceFiles';

/** Documents that are the user's own text in the editor: a file, a buffer never saved, a notebook cell. */
const SENDABLE_SCHEMES = new Set(['file', 'untitled', 'vscode-notebook-cell']);

export class PromptGuard implements vscode.Disposable {
  private readonly exclusions: PromptExclusions;
  private readonly disposables: vscode.Disposable[] = [];
  /** Content verdicts by document, for the version they were judged at (completion asks per keystroke). */
  private readonly contentVerdicts = new Map<string, { version: number; reason: PromptBarReason | undefined }>();

  constructor(
    private readonly folder: vscode.Uri | undefined,
    contextExclude: () => readonly string[] = () => [],
  ) {
    this.exclusions = new PromptExclusions(folder?.fsPath, () => [
      ...(folder ? filesExcludeGlobs(folder) : []),
      ...contextExclude(),
    ]);
    if (folder) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/.gitignore'));
      const invalidate = () => this.exclusions.invalidate();
      watcher.onDidCreate(invalidate);
      watcher.onDidChange(invalidate);
      watcher.onDidDelete(invalidate);
      this.disposables.push(watcher);
    }
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('files.exclude') || event.affectsConfiguration('bantam.context.exclude')) {
          this.exclusions.invalidate();
        }
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.contentVerdicts.delete(document.uri.toString())),
    );
  }

  /** True when the document (its path, or the text it holds) may not be sent to a model. */
  async barred(document: vscode.TextDocument): Promise<boolean> {
    return (await this.documentRefusal(document)) !== undefined;
  }

  /**
   * Why the document may not be sent, in one sentence, or undefined: its path (see refusal), a scheme
   * that is not the user's own text (settings, output, git views), or a key or token in its text.
   */
  async documentRefusal(document: vscode.TextDocument): Promise<string | undefined> {
    const name = this.displayName(document.uri);
    if (!SENDABLE_SCHEMES.has(document.uri.scheme)) {
      return `${name} is not a file of yours (${document.uri.scheme}:), so Bantam never sends it to a model.`;
    }
    // A notebook cell is judged by its notebook's path (an ignored notebook's cells stay out too).
    const uri = document.uri.scheme === 'vscode-notebook-cell' ? document.uri.with({ scheme: 'file', fragment: '' }) : document.uri;
    const byPath = await this.reasonForUri(uri);
    if (byPath) return describePromptBar(name, byPath);
    const key = document.uri.toString();
    let judged = this.contentVerdicts.get(key);
    if (judged?.version !== document.version) {
      judged = { version: document.version, reason: this.exclusions.reasonForText(document.getText()) };
      this.contentVerdicts.set(key, judged);
    }
    return judged.reason ? describePromptBar(name, judged.reason) : undefined;
  }

  /** True when the file at `uri` may not be sent to a model (nor changed by one). */
  async barredPath(uri: vscode.Uri): Promise<boolean> {
    return (await this.reasonForUri(uri)) !== undefined;
  }

  /**
   * Why the workspace file at `relPath` may not be read into a prompt nor changed by a model, in one
   * sentence, or undefined when it may: a symbolic link leading outside the folder (or to a file the
   * rules leave out), a git-ignored, excluded or secret-looking file.
   */
  async refusal(relPath: string): Promise<string | undefined> {
    if (!this.folder) return 'Open a folder first.';
    const reason = await this.exclusions.reasonFor(relPath);
    return reason ? describePromptBar(relPath, reason) : undefined;
  }

  /**
   * Why `text`, about to be sent from `relPath` (a selection, a file read for an edit), may not be:
   * the path's rules, then a key or token in the text itself.
   */
  async textRefusal(relPath: string, text: string): Promise<string | undefined> {
    const reason = await this.exclusions.reasonForSending(relPath, text);
    return reason ? describePromptBar(relPath, reason) : undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.contentVerdicts.clear();
  }

  private async reasonForUri(uri: vscode.Uri): Promise<PromptBarReason | undefined> {
    if (uri.scheme !== 'file') return undefined;
    const rel = workspaceRelative(this.folder, uri);
    return this.exclusions.reasonFor(rel ?? uri.path, rel === undefined);
  }

  private displayName(uri: vscode.Uri): string {
    if (uri.scheme !== 'file') return uri.path.split('/').pop() || uri.toString();
    return workspaceRelative(this.folder, uri) ?? uri.fsPath;
  }
}
