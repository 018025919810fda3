// Streams an answer (Ask About Codebase, Explain) into a read-only markdown document, and links the
// `path:line` references in it to the workspace files: a click opens the file at that line. The
// chat panel takes over this role once it exists; this view needs nothing but an editor.
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findFileReferences } from '../core/chat/fileReferences';
import { inertMarkdown } from '../core/chat/inertMarkdown';
import { READ_ONLY_SCHEME, type ReadOnlyDocuments } from './readOnlyDocument';
import type { WorkspacePaths } from './workspaceFiles';

/** How often the document is refreshed while text streams in. */
const REFRESH_MS = 80;

export class AnswerStream {
  private body = '';
  private footer = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly documents: ReadOnlyDocuments,
    private readonly name: string,
    private readonly header: string,
  ) {}

  /** What the document shows: the answer made inert (no image or embed loads in a preview). */
  get text(): string {
    return inertMarkdown(`${this.header}${this.body}${this.footer}`);
  }

  append(chunk: string): void {
    this.body += chunk;
    this.timer ??= setTimeout(() => this.flush(), REFRESH_MS);
  }

  /** Replaces the trailing section (sources, notices, route) and shows everything now. */
  finish(footer: string): void {
    this.footer = footer;
    this.flush();
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.documents.update(this.name, this.text);
  }
}

export class AnswerView implements vscode.DocumentLinkProvider, vscode.Disposable {
  private count = 0;
  private readonly names = new Set<string>();
  /** Whether a referenced path is a workspace file, per answer: links are asked for on every refresh while it streams. */
  private readonly known = new Map<string, Map<string, boolean>>();
  private readonly registration: vscode.Disposable;
  /** A closed answer's bookkeeping goes with it. */
  private readonly closing: vscode.Disposable;

  constructor(
    private readonly documents: ReadOnlyDocuments,
    private readonly paths: WorkspacePaths,
  ) {
    this.registration = vscode.languages.registerDocumentLinkProvider({ scheme: READ_ONLY_SCHEME }, this);
    this.closing = vscode.workspace.onDidCloseTextDocument((document) => {
      this.names.delete(document.uri.path);
      this.known.delete(document.uri.path);
    });
  }

  /** Opens a new answer document beside the editor and returns the stream that fills it. */
  async open(title: string, header: string): Promise<{ stream: AnswerStream; document: vscode.TextDocument }> {
    const name = `Bantam Answer ${++this.count}.md`;
    this.names.add(`/${name}`);
    const stream = new AnswerStream(this.documents, name, `# ${title}\n\n${header}`);
    const editor = await this.documents.show(name, stream.text);
    return { stream, document: editor.document };
  }

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    if (!this.paths.hasFolder || !this.names.has(document.uri.path)) return [];
    let known = this.known.get(document.uri.path);
    if (!known) this.known.set(document.uri.path, (known = new Map()));
    const isFile = (rel: string) => {
      const located = this.paths.locate(rel);
      if (!located) return false;
      const root = located.folder.uri.fsPath;
      const full = path.resolve(root, located.rel);
      if (full !== root && !full.startsWith(root + path.sep)) return false;
      try {
        return existsSync(full) && statSync(full).isFile();
      } catch {
        return false;
      }
    };
    const exists = (rel: string) => {
      let answer = known.get(rel);
      if (answer === undefined) known.set(rel, (answer = isFile(rel)));
      return answer;
    };
    const text = document.getText();
    return findFileReferences(text, exists).map((ref) => {
      const range = new vscode.Range(document.positionAt(ref.start), document.positionAt(ref.start + ref.length));
      const target = this.paths.uri(ref.path)!.with({ fragment: ref.line ? `L${ref.line}` : '' });
      const link = new vscode.DocumentLink(range, target);
      link.tooltip = ref.line ? `Open ${ref.path} at line ${ref.line}` : `Open ${ref.path}`;
      return link;
    });
  }

  dispose(): void {
    this.registration.dispose();
    this.closing.dispose();
  }
}
