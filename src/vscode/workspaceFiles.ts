// Where a document sits in the workspace, and what a file holds right now (the open document's
// text, unsaved edits included, else the disk's): the two questions every command that sends or
// changes files asks. WorkspacePaths follows the workspace's folders (added or removed while running
// too) and names files as core does (kernel/workspaceRoots.ts): plain relative paths with one folder,
// `folderName/path` with several.
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import { normalizeWorkspacePath, resolveFolderPath, type WorkspacePath } from '../core/edits/workspacePath';
import { WorkspaceRoots, type RootFolder } from '../core/kernel/workspaceRoots';

/** A workspace folder as VS Code has it, with its unique name (the prefix of its paths when several). */
export interface NamedFolder {
  readonly name: string;
  readonly uri: vscode.Uri;
}

export class WorkspacePaths implements vscode.Disposable {
  private roots = new WorkspaceRoots([]);
  private named: NamedFolder[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after folders were added, removed or renamed. */
  readonly onDidChange = this.changed.event;
  private readonly listener: vscode.Disposable;

  constructor() {
    this.refresh();
    this.listener = vscode.workspace.onDidChangeWorkspaceFolders(() => {
      this.refresh();
      this.changed.fire();
    });
  }

  /** True when at least one folder (on disk) is open. */
  get hasFolder(): boolean {
    return this.named.length > 0;
  }

  /** The folders, in the workspace's order. */
  get folders(): readonly NamedFolder[] {
    return this.named;
  }

  /** The core view of the folders (names and roots). */
  get workspaceRoots(): WorkspaceRoots {
    return this.roots;
  }

  /** Workspace path with forward slashes, or undefined outside every folder / not a file. */
  relative(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== 'file') return undefined;
    return this.roots.pathOfAbsolute(uri.fsPath);
  }

  /** The URI a workspace path names; undefined when it names no folder. */
  uri(path: string): vscode.Uri | undefined {
    const located = this.roots.locate(path);
    if (!located) return undefined;
    const folder = this.folderOf(located.folder);
    return folder && (located.rel === '' ? folder.uri : vscode.Uri.joinPath(folder.uri, located.rel));
  }

  /** The folder a workspace path is in, and the path inside it. */
  locate(path: string): { folder: NamedFolder; rel: string } | undefined {
    const located = this.roots.locate(path);
    const folder = located && this.folderOf(located.folder);
    return folder && located.rel !== '' ? { folder, rel: located.rel } : undefined;
  }

  /**
   * Every folder whose rules apply to a workspace path, with the path inside each: its own folder
   * first, then the folders it is nested in. Empty when it names no folder.
   */
  rulesFolders(path: string): Array<{ folder: NamedFolder; rel: string }> {
    const located = this.roots.locate(path);
    if (!located || located.rel === '') return [];
    const own = { folder: this.folderOf(located.folder)!, rel: located.rel };
    const outer = this.roots.enclosing(located.folder).map(({ folder, prefix }) => ({ folder: this.folderOf(folder)!, rel: `${prefix}/${located.rel}` }));
    return [own, ...outer];
  }

  /**
   * A path from a model or the webview as the workspace path it names (normalized, then resolved to
   * its folder: see resolveFolderPath), or why it is refused.
   */
  async resolve(raw: string): Promise<WorkspacePath> {
    const normalized = normalizeWorkspacePath(raw);
    if ('refused' in normalized) return normalized;
    return this.resolveNormalized(normalized.path);
  }

  /** resolve() for a path normalizeWorkspacePath already accepted (planChanges' resolvePath). */
  resolveNormalized(path: string): Promise<WorkspacePath> {
    return resolveFolderPath(path, this.roots, (abs) => fsp.stat(abs).then((s) => s.isFile(), () => false));
  }

  dispose(): void {
    this.listener.dispose();
    this.changed.dispose();
  }

  private folderOf(root: RootFolder): NamedFolder | undefined {
    return this.named[this.roots.folders.indexOf(root)];
  }

  private refresh(): void {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    this.roots = new WorkspaceRoots(folders.map((f) => ({ name: f.name, root: f.uri.fsPath })));
    this.named = folders.map((f, i) => ({ name: this.roots.folders[i]!.name, uri: f.uri }));
  }
}

/** The text of `uri` now: the open document's, else the file's; undefined when there is no such file. */
export async function currentText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return fsp.readFile(uri.fsPath, 'utf8').catch(() => undefined);
}
