// Where a document sits in the workspace folder, and what a file holds right now (the open
// document's text, unsaved edits included, else the disk's): the two questions every command that
// sends or changes files asks.
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';

/** Workspace-relative path with forward slashes, or undefined outside the folder / not a file. */
export function workspaceRelative(folder: vscode.Uri | undefined, uri: vscode.Uri): string | undefined {
  if (!folder || uri.scheme !== 'file' || folder.scheme !== 'file') return undefined;
  const root = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return uri.path.startsWith(root) ? uri.path.slice(root.length) : undefined;
}

/** The text of `uri` now: the open document's, else the file's; undefined when there is no such file. */
export async function currentText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return fsp.readFile(uri.fsPath, 'utf8').catch(() => undefined);
}
