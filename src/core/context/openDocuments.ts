// The documents open in editors, whose live text wins over disk until they close: their text,
// whether the privacy rules keep them out, the debounced re-extraction of their symbols while the
// user types, the recent edits and views they record, and the parse trees kept for incremental
// re-parsing.
//
// Privacy rule: an open document the filter skips (by path, by a link leading out, or by content) is
// withdrawn from the index, the similar-code index and recent ranges, and its text is never used.

import type { ContextLanguage, LineChange, SkipReason } from './contextTypes';
import type { DiskSync } from './diskSync';
import { DocumentTrees, type ParsedDocument } from './documentTrees';
import { contentSkipReason } from './fileFilter';
import { hashContent } from './indexCache';
import { languageForDocument, languageForPath } from './languages/registry';
import { normalizeRel, type WorkspaceState } from './workspaceState';

/** Open documents whose parse trees are kept for incremental re-parsing. */
const MAX_DOCUMENT_TREES = 16;

export interface OpenDocument {
  languageId: string;
  language: ContextLanguage | undefined;
  text: string;
  /** Why this document is kept out of everything, or undefined when it may be used. */
  excluded: SkipReason | undefined;
  /** Judged once when it opens: its file is a link leading outside, or to a file the rules leave out. */
  linkReason: SkipReason | undefined;
}

export class OpenDocuments {
  private readonly docs = new Map<string, OpenDocument>();
  private readonly extractTimers = new Map<string, NodeJS.Timeout>();
  private readonly pendingExtractions = new Set<Promise<void>>();
  private trees: DocumentTrees | undefined;

  /** `disk` re-reads a closed document's file; `extractDelayMs` debounces re-extraction while typing. */
  constructor(
    private readonly state: WorkspaceState,
    private readonly disk: DiskSync,
    private readonly extractDelayMs: number,
  ) {}

  get size(): number {
    return this.docs.size;
  }

  has(rel: string): boolean {
    return this.docs.has(rel);
  }

  get(rel: string): Readonly<OpenDocument> | undefined {
    return this.docs.get(rel);
  }

  files(): IterableIterator<string> {
    return this.docs.keys();
  }

  /** May this file's content be used at all (context, parse)? */
  usable(rel: string): boolean {
    const doc = this.docs.get(rel);
    if (doc) return doc.excluded === undefined;
    return this.state.pathSkipReason(rel) === undefined;
  }

  /** A document was opened (or its language changed). Its live text wins over disk until closed. */
  async documentOpened(file: string, languageId: string, text: string): Promise<void> {
    const state = this.state;
    await state.ready();
    const rel = normalizeRel(file);
    if (rel === undefined) return;
    state.bump(rel);
    const linkReason = state.linkReasonSync(rel);
    const excluded = state.pathSkipReason(rel) ?? linkReason ?? contentSkipReason(rel, text, state.maxFileBytes);
    const language = languageForDocument(languageId, rel);
    this.docs.set(rel, { languageId, language, text, excluded, linkReason });
    this.applyDocument(rel, 0);
  }

  /** The document's text changed; `changes` as the document tracker reports them (contextTypes). */
  async documentChanged(file: string, text: string, changes: readonly LineChange[]): Promise<void> {
    const state = this.state;
    await state.ready();
    const rel = normalizeRel(file);
    if (rel === undefined) return;
    state.bump(rel);
    let doc = this.docs.get(rel);
    if (!doc) {
      const linkReason = state.linkReasonSync(rel);
      doc = { languageId: '', language: languageForPath(rel), text, excluded: state.pathSkipReason(rel) ?? linkReason, linkReason };
      this.docs.set(rel, doc);
    }
    doc.text = text;
    const pathReason = state.pathSkipReason(rel) ?? doc.linkReason;
    doc.excluded = pathReason ?? contentSkipReason(rel, text, state.maxFileBytes);
    if (!doc.excluded) {
      const now = state.clock();
      for (const c of changes) {
        // startLine..endLine are the changed lines in the NEW text; they replaced old lines
        // startLine..endLine - lineDelta. Earlier ranges shift first, so the recorded edit and
        // the ranges below it agree on the new line numbers.
        const start = Math.min(c.startLine, c.endLine);
        const end = Math.max(c.startLine, c.endLine);
        if (c.lineDelta > 0) state.recent.shift(rel, Math.max(start, end - c.lineDelta + 1), c.lineDelta);
        else if (c.lineDelta < 0) state.recent.shift(rel, end + 1, c.lineDelta);
        state.recent.recordEdit(rel, start, end, now);
      }
    }
    this.applyDocument(rel, this.extractDelayMs);
  }

  /** The document was closed: disk is the truth again. */
  async documentClosed(file: string): Promise<void> {
    await this.state.ready();
    const rel = normalizeRel(file);
    if (rel === undefined) return;
    const doc = this.docs.get(rel);
    this.docs.delete(rel);
    this.cancelExtraction(rel);
    this.trees?.close(rel);
    this.state.similar.remove(rel);
    if (!doc) return;
    await this.disk.indexFromDisk(rel, undefined);
  }

  /** The user looked at lines of a file (visible range of an editor). */
  async viewed(file: string, startLine: number, endLine: number): Promise<void> {
    const state = this.state;
    await state.ready();
    const rel = normalizeRel(file);
    if (rel === undefined || state.pathSkipReason(rel) !== undefined) return;
    if (this.docs.get(rel)?.excluded) return;
    state.recent.recordView(rel, startLine, endLine, state.clock());
  }

  /** Runs pending (debounced) symbol extractions of open documents now and waits for them. */
  async flushDocuments(): Promise<void> {
    for (const [file, timer] of [...this.extractTimers]) {
      clearTimeout(timer);
      this.extractTimers.delete(file);
      this.startDocumentExtraction(file);
    }
    await Promise.all([...this.pendingExtractions]);
  }

  /** A rename moved an open document (and its parse tree) from `from` to `to`. */
  rename(from: string, to: string): void {
    this.trees?.rename(from, to);
    const doc = this.docs.get(from);
    if (doc) {
      this.docs.delete(from);
      this.docs.set(to, doc);
    }
  }

  /** "Rebuild": every open document is re-extracted from its text now. */
  reextractAll(): void {
    for (const file of this.docs.keys()) this.applyDocument(file, 0);
  }

  /**
   * Re-applies the path filter to everything indexed or open (the rules changed): indexed files it
   * now skips drop out, open documents it now skips are withdrawn (an open one stays indexed by its
   * live text otherwise, so only this part can tell the two apart).
   */
  recheckPaths(): void {
    const state = this.state;
    for (const file of [...state.index.files()]) {
      if (this.docs.has(file)) continue;
      const reason = state.pathSkipReason(file);
      if (reason !== undefined) state.forget(file);
    }
    for (const [file, doc] of this.docs) {
      const reason = state.pathSkipReason(file);
      if (reason !== undefined && doc.excluded === undefined) {
        doc.excluded = reason;
        this.applyDocument(file, 0);
      }
    }
  }

  /** Parses `text` for `rel`, reusing its previous tree when there is one (documentTrees.ts). */
  async parse(rel: string, language: ContextLanguage, text: string): Promise<ParsedDocument | undefined> {
    if (!this.trees) {
      const runtime = await this.state.runtime();
      this.trees ??= new DocumentTrees(runtime, { maxDocuments: MAX_DOCUMENT_TREES });
    }
    return this.trees.parse(rel, language, text);
  }

  /** Stops the extraction timers and frees the parse trees. */
  dispose(): void {
    for (const timer of this.extractTimers.values()) clearTimeout(timer);
    this.extractTimers.clear();
    this.trees?.dispose();
    this.trees = undefined;
  }

  /** After an open/change: feed or withdraw the document everywhere, then (re-)extract its symbols. */
  private applyDocument(rel: string, delayMs: number): void {
    const state = this.state;
    const doc = this.docs.get(rel);
    if (!doc) return;
    if (doc.excluded) {
      this.cancelExtraction(rel);
      state.forget(rel);
      state.similar.remove(rel);
      state.recent.remove(rel);
      this.trees?.close(rel);
      return;
    }
    state.similar.update(rel, doc.text);
    if (!doc.language) {
      // No grammar: text-only context; a stale entry under another language must not linger.
      state.index.delete(rel);
      return;
    }
    this.cancelExtraction(rel);
    if (delayMs <= 0) {
      this.startDocumentExtraction(rel);
      return;
    }
    const timer = setTimeout(() => {
      this.extractTimers.delete(rel);
      this.startDocumentExtraction(rel);
    }, delayMs);
    timer.unref?.();
    this.extractTimers.set(rel, timer);
  }

  private cancelExtraction(rel: string): void {
    const timer = this.extractTimers.get(rel);
    if (timer) clearTimeout(timer);
    this.extractTimers.delete(rel);
  }

  private startDocumentExtraction(rel: string): void {
    const job = this.extractDocument(rel).catch((e: unknown) => {
      this.state.fail(rel, 'cannot parse open document', e);
    });
    this.pendingExtractions.add(job);
    void job.finally(() => this.pendingExtractions.delete(job));
  }

  private async extractDocument(rel: string): Promise<void> {
    const state = this.state;
    const doc = this.docs.get(rel);
    if (!doc || doc.excluded || !doc.language || state.disposed) return;
    const { text, language } = doc;
    const hash = hashContent(text, language);
    const entry = state.index.get(rel);
    if (entry && entry.hash === hash && entry.symbols.language === language) return;
    const { symbols } = await state.symbolsFor(hash, language, text);
    // Apply only if the document still shows exactly this text.
    const now = this.docs.get(rel);
    if (now !== doc || now.text !== text || now.excluded || state.disposed) return;
    state.index.set(rel, hash, symbols);
    state.fileStats.delete(rel); // live text: no disk stat vouches for it
  }
}
