// Shows proposed file changes as diffs before anything changes, then applies them as one
// WorkspaceEdit (one undo step). Right before applying, every file is compared with the text the
// model was shown: if a document changed in the meantime, nothing is applied and the user is told.
// Paths are workspace paths: in a multi-root workspace one WorkspaceEdit spans every folder, so one
// undo restores them all.
import * as vscode from 'vscode';
import type { FileChange } from '../core/edits/changePlan';
import { sensitiveChanges } from '../core/edits/sensitivePaths';
import { findStale, staleMessage } from '../core/edits/staleCheck';
import { currentText, type WorkspacePaths } from './workspaceFiles';

export const PROPOSED_SCHEME = 'bantam-proposed';

export type ApplyOutcome = { applied: true; files: string[] } | { applied: false; stale: string[]; message: string };

/** Asks whether to apply the previewed changes (a modal in VS Code; scripted in tests). */
export type ConfirmChanges = (summary: string, files: readonly string[]) => Promise<boolean>;

/** Asks again, naming them, for changed files that run code or configure tools. */
export type ConfirmSensitive = (files: ReadonlyArray<{ path: string; why: string }>) => Promise<boolean>;

/** The smallest single replacement that turns `before` into `after`, as offsets into `before`. */
function changedSpan(before: string, after: string): { start: number; end: number; text: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (
    tail < max - start &&
    before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)
  ) {
    tail++;
  }
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
}

export class ChangePreview implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this);
  private round = 0;

  constructor(private readonly paths: WorkspacePaths) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.toString()) ?? '';
  }

  /** The file a change's path names; a plan's paths were resolved to their folders before it was made. */
  fileUri(relPath: string): vscode.Uri {
    const uri = this.paths.uri(relPath);
    if (!uri) throw new Error(`${relPath} is in no workspace folder.`);
    return uri;
  }

  /** Opens the diffs: one diff editor for one file, VS Code's multi-file diff for several. */
  async show(changes: readonly FileChange[], title: string): Promise<void> {
    // Only the latest preview is kept: an older one's texts would otherwise stay for the session.
    this.contents.clear();
    const round = ++this.round;
    const side = (change: FileChange, which: 'before' | 'after') => {
      const uri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${round}/${which}/${change.path}` });
      this.contents.set(uri.toString(), change[which] ?? '');
      this.changed.fire(uri);
      return uri;
    };
    const triples = changes.map((change) => {
      // The left side is the real file when it exists, so the diff shows exactly what will change.
      const left = change.kind === 'create' ? side(change, 'before') : this.fileUri(change.path);
      return [this.fileUri(change.path), left, side(change, 'after')] as const;
    });
    if (triples.length === 1) {
      const [, left, right] = triples[0]!;
      await vscode.commands.executeCommand('vscode.diff', left, right, `${title}: ${changes[0]!.path} (proposed)`, { preview: true });
      return;
    }
    try {
      await vscode.commands.executeCommand('vscode.changes', title, triples.map((t) => [...t]));
    } catch {
      const [, left, right] = triples[0]!;
      await vscode.commands.executeCommand('vscode.diff', left, right, `${title}: ${changes[0]!.path} (proposed)`);
    }
  }

  /**
   * The whole review: the diffs, the question (files that run code listed first and flagged), a
   * second question naming those files, then one WorkspaceEdit. 'declined' when the user said no to
   * either; otherwise what apply() did.
   */
  async review(
    changes: readonly FileChange[],
    title: string,
    summary: string,
    confirm: ConfirmChanges,
    confirmSensitive: ConfirmSensitive,
  ): Promise<ApplyOutcome | 'declined'> {
    await this.show(changes, title);
    const sensitive = sensitiveChanges(changes.map((c) => c.path));
    const flagged = new Map(sensitive.map((s) => [s.path, s.why]));
    const ordered = [...changes].sort((a, b) => Number(flagged.has(b.path)) - Number(flagged.has(a.path)));
    const files = ordered.map((c) => (flagged.has(c.path) ? `${c.path} (${c.kind}) ⚠ ${flagged.get(c.path)}` : `${c.path} (${c.kind})`));
    if (!(await confirm(summary, files))) return 'declined';
    if (sensitive.length > 0 && !(await confirmSensitive(sensitive))) return 'declined';
    return this.apply(changes, title);
  }

  /** Applies every change as one WorkspaceEdit, or none of them if any file changed since the request. */
  async apply(changes: readonly FileChange[], label: string): Promise<ApplyOutcome> {
    const documents = new Map<string, vscode.TextDocument>();
    const texts = new Map<string, string | undefined>();
    for (const change of changes) {
      const uri = this.fileUri(change.path);
      if (change.kind === 'modify') documents.set(change.path, await vscode.workspace.openTextDocument(uri));
      else texts.set(change.path, await currentText(uri));
    }
    // From here to applyEdit nothing awaits: what is checked is what the edit applies to.
    const stale = findStale(changes, (path) => (documents.has(path) ? documents.get(path)!.getText() : texts.get(path)));
    if (stale.length) return { applied: false, stale, message: staleMessage(stale) };
    const edit = new vscode.WorkspaceEdit();
    const metadata = { needsConfirmation: false, label };
    for (const change of changes) {
      const uri = this.fileUri(change.path);
      if (change.kind === 'create') {
        edit.createFile(uri, { contents: new TextEncoder().encode(change.after ?? '') }, metadata);
      } else if (change.kind === 'delete') {
        edit.deleteFile(uri, { ignoreIfNotExists: false }, metadata);
      } else {
        const document = documents.get(change.path)!;
        const span = changedSpan(change.before ?? '', change.after ?? '');
        edit.replace(uri, new vscode.Range(document.positionAt(span.start), document.positionAt(span.end)), span.text, metadata);
      }
    }
    const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: true });
    if (!applied) {
      // VS Code applies file operations one group after another and does not roll back the earlier
      // ones when a later one fails: look at what really changed rather than promise nothing did.
      const changed: string[] = [];
      for (const change of changes) {
        const now = await currentText(this.fileUri(change.path));
        if (now !== change.before) changed.push(change.path);
      }
      const message =
        changed.length === 0
          ? 'VS Code refused the edit (a file may be read-only); nothing was applied.'
          : `VS Code applied only part of the edit (a file may be read-only): ${changed.join(', ')} changed, the rest did not. Check them, and undo what you don't want.`;
      return { applied: false, stale: [], message };
    }
    return { applied: true, files: changes.map((c) => c.path) };
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}
