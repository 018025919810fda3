// Shows generated text (stats, reports) in a read-only editor through a virtual document scheme.
import * as vscode from 'vscode';

export const READ_ONLY_SCHEME = 'bantam';

export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(READ_ONLY_SCHEME, this);
  // A closed document's text is dropped: answers and reports would otherwise stay for the session.
  private readonly closing = vscode.workspace.onDidCloseTextDocument((document) => {
    if (document.uri.scheme === READ_ONLY_SCHEME) this.contents.delete(document.uri.path);
  });

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.contents.get(uri.path) ?? '';
  }

  /** Opens (or refreshes) the read-only document `name` with `text`. */
  async show(name: string, text: string, language = 'markdown'): Promise<vscode.TextEditor> {
    const uri = this.update(name, text);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, language);
    return vscode.window.showTextDocument(document, { preview: true });
  }

  /** Replaces the text of `name` (an open editor shows it at once) and returns its URI. */
  update(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: READ_ONLY_SCHEME, path: `/${name}` });
    this.contents.set(uri.path, text);
    this.changed.fire(uri);
    return uri;
  }

  dispose(): void {
    this.registration.dispose();
    this.closing.dispose();
    this.changed.dispose();
    this.contents.clear();
  }
}
