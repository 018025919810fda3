// Keeps what must never reach a prompt away from every road that sends one (inline completion, the
// selection, the active file, chips, edit reads): translates VS Code documents and URIs into core's
// PromptExclusions questions, one per workspace folder with that folder's own .gitignore files,
// `files.exclude` and `bantam.context.exclude` (a file of a folder nested in another must pass the
// outer folder's too), and tells them to judge afresh when a .gitignore, either setting or the
// workspace's folders change. Paths are workspace paths (workspaceFiles.ts).
import * as vscode from 'vscode';
import { describePromptBar, PromptExclusions, type PromptBarReason } from '../core/context/promptExclusions';
import { folderExcludeGlobs } from './filesExclude';
import type { WorkspacePaths } from './workspaceFiles';

/** Documents that are the user's own text in the editor: a file, a buffer never saved, a notebook cell. */
const SENDABLE_SCHEMES = new Set(['file', 'untitled', 'vscode-notebook-cell']);

export class PromptGuard implements vscode.Disposable {
  /** Per workspace folder, by its URI. */
  private exclusions = new Map<string, PromptExclusions>();
  /** For files outside every folder: only their name and content are judged. */
  private readonly outside = new PromptExclusions(undefined);
  private readonly disposables: vscode.Disposable[] = [];
  /** Content verdicts by document, for the version they were judged at (completion asks per keystroke). */
  private readonly contentVerdicts = new Map<string, { version: number; reason: PromptBarReason | undefined }>();

  constructor(private readonly paths: WorkspacePaths) {
    this.rebuild();
    // Every .gitignore in every workspace folder.
    const watcher = vscode.workspace.createFileSystemWatcher('**/.gitignore');
    const invalidate = () => this.invalidate();
    watcher.onDidCreate(invalidate);
    watcher.onDidChange(invalidate);
    watcher.onDidDelete(invalidate);
    this.disposables.push(
      watcher,
      paths.onDidChange(() => this.rebuild()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('files.exclude') || event.affectsConfiguration('bantam.context.exclude')) this.invalidate();
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
      judged = { version: document.version, reason: this.outside.reasonForText(document.getText()) };
      this.contentVerdicts.set(key, judged);
    }
    return judged.reason ? describePromptBar(name, judged.reason) : undefined;
  }

  /** True when `text` holds a key or token (whatever file it is in), so it may not reach a prompt. */
  textBarred(text: string): boolean {
    return this.outside.reasonForText(text) !== undefined;
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
    if (!this.paths.hasFolder) return 'Open a folder first.';
    const judges = this.exclusionsFor(relPath);
    if (judges.length === 0) return `${relPath} is in no workspace folder.`;
    const reason = await firstReason(judges, (j) => j.exclusions.reasonFor(j.rel));
    return reason ? describePromptBar(relPath, reason) : undefined;
  }

  /**
   * Why `text`, about to be sent from `relPath` (a selection, a file read for an edit), may not be:
   * the path's rules, then a key or token in the text itself.
   */
  async textRefusal(relPath: string, text: string): Promise<string | undefined> {
    const judges = this.exclusionsFor(relPath);
    const reason = judges.length > 0
      ? await firstReason(judges, (j) => j.exclusions.reasonForSending(j.rel, text))
      : await this.outside.reasonForSending(relPath, text, true);
    return reason ? describePromptBar(relPath, reason) : undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.contentVerdicts.clear();
  }

  private async reasonForUri(uri: vscode.Uri): Promise<PromptBarReason | undefined> {
    if (uri.scheme !== 'file') return undefined;
    const path = this.paths.relative(uri);
    const judges = path === undefined ? [] : this.exclusionsFor(path);
    return judges.length > 0 ? firstReason(judges, (j) => j.exclusions.reasonFor(j.rel)) : this.outside.reasonFor(uri.path, true);
  }

  private displayName(uri: vscode.Uri): string {
    if (uri.scheme !== 'file') return uri.path.split('/').pop() || uri.toString();
    return this.paths.relative(uri) ?? uri.fsPath;
  }

  /** The exclusions of every folder whose rules apply to a workspace path, with the path inside each. */
  private exclusionsFor(path: string): Array<{ exclusions: PromptExclusions; rel: string }> {
    return this.paths.rulesFolders(path).flatMap(({ folder, rel }) => {
      const exclusions = this.exclusions.get(folder.uri.toString());
      return exclusions ? [{ exclusions, rel }] : [];
    });
  }

  private invalidate(): void {
    for (const exclusions of this.exclusions.values()) exclusions.invalidate();
  }

  /** One PromptExclusions per folder, each reading its own folder's exclude settings. */
  private rebuild(): void {
    this.exclusions = new Map(
      this.paths.folders.map((folder) => [folder.uri.toString(), new PromptExclusions(folder.uri.fsPath, () => folderExcludeGlobs(folder.uri))]),
    );
  }
}

/** The first reason any judge gives, asking them in order. */
async function firstReason<T>(
  judges: readonly T[],
  ask: (judge: T) => Promise<PromptBarReason | undefined>,
): Promise<PromptBarReason | undefined> {
  for (const judge of judges) {
    const reason = await ask(judge);
    if (reason !== undefined) return reason;
  }
  return undefined;
}
