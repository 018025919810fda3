// Keeps documents that must never reach a prompt (git-ignored, secret-looking) away from inline
// completion: translates a VS Code document into core's PromptExclusions question, and tells it to
// re-read the rules when any .gitignore in the workspace changes.
import * as vscode from 'vscode';
import { PromptExclusions } from '../core/context/promptExclusions';
import { leadsOutside } from '../core/edits/diskApply';
import { workspaceRelative } from './workspaceFiles';

export class PromptGuard implements vscode.Disposable {
  private readonly exclusions: PromptExclusions;
  private readonly watcher: vscode.FileSystemWatcher | undefined;

  constructor(private readonly folder: vscode.Uri | undefined) {
    this.exclusions = new PromptExclusions(folder?.fsPath);
    if (folder) {
      this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/.gitignore'));
      const invalidate = () => this.exclusions.invalidate();
      this.watcher.onDidCreate(invalidate);
      this.watcher.onDidChange(invalidate);
      this.watcher.onDidDelete(invalidate);
    }
  }

  /** True when the document may not be sent to a model. */
  async barred(document: vscode.TextDocument): Promise<boolean> {
    return this.barredPath(document.uri);
  }

  /** True when the file at `uri` may not be sent to a model (nor changed by one). */
  async barredPath(uri: vscode.Uri): Promise<boolean> {
    if (uri.scheme !== 'file') return false;
    const rel = workspaceRelative(this.folder, uri);
    return (await this.exclusions.reasonFor(rel ?? uri.path, rel === undefined)) !== undefined;
  }

  /**
   * Why the workspace file at `relPath` may not be read into a prompt nor changed by a model, in one
   * sentence, or undefined when it may: a symbolic link leading outside the folder, a git-ignored or
   * secret-looking file.
   */
  async refusal(relPath: string): Promise<string | undefined> {
    if (!this.folder) return 'Open a folder first.';
    if (await leadsOutside(this.folder.fsPath, relPath)) return `${relPath} leads outside the workspace through a symbolic link.`;
    if (await this.barredPath(vscode.Uri.joinPath(this.folder, relPath))) {
      return `${relPath} is git-ignored or looks secret, so Bantam never sends it to a model nor lets one change it.`;
    }
    return undefined;
  }

  dispose(): void {
    this.watcher?.dispose();
  }
}
