// Retrieval: for a cursor, the code from elsewhere the model needs, ranked and packed into a budget.
//
// Candidates, from most to least telling:
//   1. definitions of the identifiers around the cursor and in the current scope, looked up in the
//      file itself, then in the files it imports (resolved by path), then workspace-wide by name
//      among languages that can see each other (TS/JS, C/C++). A member call whose receiver's type
//      the file tells (receiverTypes.ts) takes that type's method; a name defined in more imported
//      files than maxWorkspaceMatches is ambiguous unless an import names it;
//   1b. on a line not yet typed, signatures of what the user may call next (newLineCandidates.ts):
//      the enclosing signature's types, the imported names, names used elsewhere in the file;
//   2. the signatures of the enclosing scopes (class, function) when they sit above the prompt's
//      prefix window, so the model still knows where it is;
//   3. ranges the user recently edited, then recently viewed;
//   4. similar code: windows of open files sharing the most identifiers with the lines just typed.
// Scores only order the candidates; budgetPacker.ts picks greedily by score and renders by file and
// line, so the same set always renders the same bytes and the model's KV cache of the context block
// survives typing. Code the prompt already shows (the visible lines of the current file) is never
// repeated. Definitions too long to carry whole are cut to their head, or, for classes and other
// containers, to an outline of their member signatures: the shape is what a caller needs.

import { estimateTokens } from '../kernel/tokenEstimate';
import { packSnippets, type ScoredSnippet } from './budgetPacker';
import type {
  ContextLanguage,
  ContextRequest,
  ContextResult,
  FileSymbols,
  IndexedDefinition,
  RetrievedSnippet,
  SnippetReason,
  SymbolDefinition,
} from './contextTypes';
import { enclosingScopes, identifiersNear, type EnclosingScope } from './cursorSyntax';
import { CONTAINER_KINDS, definitionLines, signatureSpan } from './definitionLines';
import type { ParsedDocument } from './documentTrees';
import { limitPerPlace, placeCount } from './definitionPlaces';
import { importedFiles } from './importedFiles';
import { languageForDocument, lookupGroup } from './languages/registry';
import { isLineNotYetTyped, LINES_ABOVE_FOR_AFFINITY, newLineCandidates } from './newLineCandidates';
import { memberReceivers, receiverTypeOf } from './receiverTypes';
import type { RecentRanges } from './recentRanges';
import { looksLikeSecretContent } from './secretFiles';
import { indexedSignature, signatureLines } from './signatureLines';
import type { SimilarCodeIndex } from './similarCode';
import { countLineBreaks, lineStartOffset, splitLines } from '../kernel/textLines';

/** What retrieval reads from; the context workspace (index worker, CLI, tests) implements it. */
export interface RetrievalSources {
  /** The document parsed (incrementally when it was parsed before); undefined without a grammar or when too large. */
  parse(file: string, language: ContextLanguage, text: string): Promise<ParsedDocument | undefined>;
  /** Indexed symbols of a file. */
  symbolsOf(file: string): FileSymbols | undefined;
  /** Every indexed definition with this exact name. */
  definitionsNamed(name: string): readonly IndexedDefinition[];
  /**
   * Workspace files an import statement of `fromFile` refers to, best first; `names` are the names it
   * imports (Python's `from . import models` names a module), followed through re-exporting index files.
   */
  resolveImport(fromFile: string, language: ContextLanguage, source: string, names?: readonly string[]): string[];
  /**
   * Current lines of a file: the open document's if open, else from disk; undefined if unreadable or
   * not indexable. The array may be shared between requests: never changed.
   */
  linesOf(file: string): readonly string[] | undefined;
  readonly recent: RecentRanges;
  readonly similar: SimilarCodeIndex;
  now(): number;
}

export interface RetrievalOptions {
  /** Lines above / below the cursor whose identifiers count as "near". */
  linesBefore: number;
  linesAfter: number;
  /** Most distinct names looked up per request (nearest first). */
  maxNames: number;
  /** A name defined in more places than this workspace-wide is too ambiguous to guess from. */
  maxWorkspaceMatches: number;
  /** Definitions longer than this are carried as a head or an outline. */
  maxDefinitionLines: number;
  /**
   * On a line not yet typed, functions longer than newLineWholeLines are carried as their signature,
   * types longer than newLineOutlineLines as their outline.
   */
  newLineWholeLines: number;
  newLineOutlineLines: number;
  /** Lines of surrounding code kept around a recent edit. */
  editMarginLines: number;
  maxRecentEdits: number;
  maxRecentViews: number;
  maxSimilar: number;
}

export const DEFAULT_RETRIEVAL_OPTIONS: RetrievalOptions = {
  linesBefore: 30,
  linesAfter: 8,
  maxNames: 48,
  maxWorkspaceMatches: 4,
  maxDefinitionLines: 30,
  newLineWholeLines: 6,
  newLineOutlineLines: 12,
  editMarginLines: 2,
  maxRecentEdits: 6,
  maxRecentViews: 3,
  maxSimilar: 3,
};

// Base scores per source. Definitions reached through an import are the surest bet; the name
// alone (workspace-wide) is a guess. Recent edits beat similar code: they are intent, not likeness.
const SCORE = {
  imported: 1.0,
  sameFile: 0.9,
  scope: 0.85,
  workspace: 0.6,
  recentEdit: 0.55,
  similar: 0.45,
  recentView: 0.35,
} as const;

/**
 * Kinds that say most to a caller per token: callables and types over variables and fields. A class
 * weighs a little less than a function so that `Pricing.computeTotal(...)` brings the method first
 * (the packer then fits the class's outline around it when there is room).
 */
const KIND_WEIGHT: Partial<Record<SymbolDefinition['kind'], number>> = {
  class: 0.95,
  variable: 0.7,
  field: 0.6,
  constant: 0.85,
  module: 0.5,
};


interface Candidate extends ScoredSnippet {
  kind: SnippetReason;
}

export async function retrieveContext(
  request: ContextRequest,
  sources: RetrievalSources,
  options: RetrievalOptions = DEFAULT_RETRIEVAL_OPTIONS,
): Promise<ContextResult> {
  const collector = new CandidateCollector(request, sources);
  const language = languageForDocument(request.languageId, request.file);
  const doc = language ? await sources.parse(request.file, language, request.text) : undefined;
  if (language && doc) {
    // The scopes around the cursor, worked out once: the scope lines, `this`'s class for member
    // calls and the enclosing signature's types all read them.
    const scopes = enclosingScopes(doc, request.offset);
    addScopes(collector, scopes, request);
    addDefinitions(collector, doc, scopes, language, request, sources, options);
  }
  addRecent(collector, sources, options);
  addSimilar(collector, request, sources, options);

  const packed = packSnippets(collector.list(), request.budgetTokens, { overheadTokens: snippetOverheadTokens });
  // The text about to be sent is checked whole (the index judged only a file's first 64 KB, and an
  // open document is judged as it was typed): only what was packed, so the check stays off the
  // candidates that are never sent.
  const sendable = packed.snippets.filter((s) => !looksLikeSecretContent(s.text, Number.POSITIVE_INFINITY));
  const tokens =
    sendable.length === packed.snippets.length ? packed.totalTokens : sendable.reduce((sum, s) => sum + s.tokens + snippetOverheadTokens(s), 0);
  const snippets: RetrievedSnippet[] = sendable.map((s) => ({
    file: s.file,
    startLine: s.startLine,
    endLine: s.endLine,
    text: s.text,
    reason: s.reason,
    kind: s.kind,
    tokens: s.tokens,
    score: s.score,
  }));
  return { snippets, tokens };
}

/**
 * What a snippet costs in the prompt beyond its text: the `<|file_sep|>path\n` header and the line
 * break after it, rounded up with a token of slack so the prompt builder never has to cut a snippet
 * that retrieval chose (what "Show Context at Cursor" lists is exactly what is sent).
 */
export function snippetOverheadTokens(snippet: { file: string }): number {
  return estimateTokens(`${snippet.file}\n`) + 2;
}

/** Keeps the best-scored candidate per range; a range reached twice keeps both reasons. */
class CandidateCollector {
  private readonly byRange = new Map<string, Candidate>();
  readonly lines: FileLines;
  /** The request's file (its text is the live one; the index's signatures may lag it). */
  readonly file: string;
  constructor(
    private readonly request: ContextRequest,
    sources: RetrievalSources,
  ) {
    this.lines = new FileLines(request, sources);
    this.file = request.file;
  }

  add(candidate: Candidate): void {
    if (candidate.text.trim().length === 0) return;
    if (candidate.file === this.request.file && this.isVisible(candidate.startLine, candidate.endLine)) return;
    const key = `${candidate.file}\u0000${candidate.startLine}\u0000${candidate.endLine}`;
    const existing = this.byRange.get(key);
    if (!existing) {
      this.byRange.set(key, candidate);
      return;
    }
    if (candidate.score > existing.score) {
      this.byRange.set(key, { ...candidate, reason: mergeReasons(candidate.reason, existing.reason) });
    } else {
      existing.reason = mergeReasons(existing.reason, candidate.reason);
    }
  }

  /** Lines the prompt already carries: repeating them wastes budget and moves with every keystroke. */
  isVisible(startLine: number, endLine: number): boolean {
    const visible = this.request.visibleLines;
    return visible !== undefined && startLine <= visible.endLine && endLine >= visible.startLine;
  }

  list(): Candidate[] {
    return [...this.byRange.values()];
  }
}

function mergeReasons(a: string, b: string): string {
  return a === b || a.includes(b) ? a : `${a}; ${b}`;
}

function addScopes(collector: CandidateCollector, scopes: readonly EnclosingScope[], request: ContextRequest): void {
  const lines = collector.lines.of(request.file) ?? [];
  scopes.forEach((scope, depth) => {
    const text = lines[scope.startLine - 1];
    if (text === undefined) return;
    collector.add({
      file: request.file,
      startLine: scope.startLine,
      endLine: scope.startLine,
      text,
      reason: `enclosing ${scope.kind} ${scope.name}`,
      kind: 'scope',
      // The innermost scope matters most; outer ones still tell the model where it is.
      score: SCORE.scope - depth * 0.05,
    });
  });
}

function addDefinitions(
  collector: CandidateCollector,
  doc: ParsedDocument,
  scopes: readonly EnclosingScope[],
  language: ContextLanguage,
  request: ContextRequest,
  sources: RetrievalSources,
  options: RetrievalOptions,
): void {
  const cursorLine = countLineBreaks(request.text, request.offset) + 1;
  const own = sources.symbolsOf(request.file);
  const imported = importedFiles(request.file, language, own, sources);
  const group = lookupGroup(language);
  const names = identifiersNear(doc, request.offset, {
    linesBefore: options.linesBefore,
    linesAfter: options.linesAfter,
  }).slice(0, options.maxNames);
  const newLine = isLineNotYetTyped(request.text, request.offset);
  const classAtCursor = scopes.find((s) => s.kind === 'class' || s.kind === 'interface' || s.kind === 'enum')?.name;
  const receivers = new ReceiverTypes(language, request, classAtCursor, cursorLine, options);
  // On a line not yet typed, a long function is carried as its signature: many cheap signatures
  // over a few bodies.
  const shapeOf = (def: IndexedDefinition): DefinitionShape =>
    newLine && !CONTAINER_KINDS.has(def.kind) && def.endLine - def.startLine + 1 > options.newLineWholeLines ? 'signature' : 'definition';
  // and a type longer than newLineOutlineLines as its outline.
  const shaped: RetrievalOptions = newLine ? { ...options, maxDefinitionLines: Math.min(options.maxDefinitionLines, options.newLineOutlineLines) } : options;
  const add = (def: IndexedDefinition, score: number, reason: string) =>
    addDefinition(collector, def, sources, score, reason, shaped, shapeOf(def));

  for (const near of names) {
    const proximity = 1 / (1 + near.distance / 8);
    const found = sources.definitionsNamed(near.name);
    if (found.length === 0) continue;
    const outsideCursor = (d: IndexedDefinition) => !(d.file === request.file && d.startLine <= cursorLine && cursorLine <= d.endLine);

    // `x.foo(` with x's type known from the file: that type's `foo`, wherever it is defined.
    const receiverTypes = receivers.typesFor(near.name);
    const ofReceiver = receiverTypes.size === 0
      ? []
      : found.filter((d) => d.container !== undefined && receiverTypes.has(d.container) && lookupGroup(d.language) === group && outsideCursor(d));
    if (ofReceiver.length > 0 && placeCount(ofReceiver) <= options.maxWorkspaceMatches) {
      for (const def of limitPerPlace(ofReceiver)) add(def, SCORE.imported * proximity, `definition of ${near.name} (method of ${def.container})`);
      continue;
    }

    // Many same-named definitions in this file (a property on every node class) are as ambiguous.
    const sameFile = found.filter((d) => d.file === request.file);
    const local = placeCount(sameFile) > options.maxWorkspaceMatches ? [] : sameFile;
    let viaImport = found.filter((d) => imported.files.has(d.file));
    if (placeCount(viaImport) > options.maxWorkspaceMatches) {
      // One name in many imported files (thirty `Build` methods) is a guess unless an import names it.
      viaImport = viaImport.filter((d) => imported.names.get(d.file)?.has(near.name) && d.container === undefined);
      if (placeCount(viaImport) > options.maxWorkspaceMatches) viaImport = [];
    }
    for (const def of limitPerPlace(local)) {
      // The definition the cursor is inside is the scope, not something the model needs to look up.
      if (!outsideCursor(def)) continue;
      add(def, SCORE.sameFile * proximity, `definition of ${near.name} (this file)`);
    }
    for (const def of limitPerPlace(viaImport)) {
      add(def, SCORE.imported * proximity, `definition of ${near.name} (imported from ${imported.files.get(def.file)})`);
    }
    if (sameFile.length > 0 || viaImport.length > 0) continue;
    if (found.some((d) => imported.files.has(d.file))) continue; // ambiguous through the imports

    const elsewhere = found.filter((d) => d.file !== request.file && lookupGroup(d.language) === group);
    if (elsewhere.length === 0 || placeCount(elsewhere) > options.maxWorkspaceMatches) continue;
    for (const def of limitPerPlace(elsewhere)) {
      add(def, SCORE.workspace * proximity, `definition of ${near.name} (workspace)`);
    }
  }

  if (newLine) {
    const near = new Set(names.map((n) => n.name));
    // Every word of the lines just above, comments included (`# now the header`); keywords and
    // built-in types say nothing and nameAffinity.ts drops them.
    const above = request.text.slice(lineStartOffset(request.text, Math.max(1, cursorLine - LINES_ABOVE_FOR_AFFINITY)), lineStartOffset(request.text, cursorLine));
    const namesAbove = above.match(/[A-Za-z_$][\w$]*/g) ?? [];
    const picks = newLineCandidates(
      { request, doc, scopes, language, imported, near, namesAbove, cursorLine, maxMatches: options.maxWorkspaceMatches },
      sources,
    );
    // Best first; past twice what the budget carries (room for picks that overlap others or lose to
    // them), the rest would never be packed, and rendering them would only read their files.
    let cost = 0;
    for (const pick of picks) {
      if (cost > 2 * request.budgetTokens) break;
      cost += addDefinition(collector, pick.def, sources, pick.score, pick.reason, shaped, pick.shape);
    }
  }
}

/**
 * Types of the receivers of member calls near the cursor (`x.foo(`), from the declarations in the
 * file (receiverTypes.ts). Worked out lazily, once per receiver.
 */
class ReceiverTypes {
  private readonly byMember: Map<string, Set<string>>;
  private readonly typeOf = new Map<string, string | undefined>();

  constructor(
    private readonly language: ContextLanguage,
    private readonly request: ContextRequest,
    /** `this`/`self`'s class. */
    private readonly classAtCursor: string | undefined,
    cursorLine: number,
    options: RetrievalOptions,
  ) {
    const text = request.text;
    const from = lineStartOffset(text, Math.max(1, cursorLine - options.linesBefore));
    const to = lineStartOffset(text, cursorLine + options.linesAfter + 1);
    this.byMember = memberReceivers(text.slice(from, to));
  }

  typesFor(member: string): Set<string> {
    const types = new Set<string>();
    for (const receiver of this.byMember.get(member) ?? []) {
      if (!this.typeOf.has(receiver)) {
        this.typeOf.set(receiver, receiverTypeOf(this.request.text, receiver, this.request.offset, this.language, this.classAtCursor));
      }
      const type = this.typeOf.get(receiver);
      if (type !== undefined) types.add(type);
    }
    return types;
  }
}

type DefinitionShape = 'signature' | 'definition';

/** Adds a definition's candidate; returns what it would cost in the prompt (0 when none was added). */
function addDefinition(
  collector: CandidateCollector,
  def: IndexedDefinition,
  sources: RetrievalSources,
  score: number,
  reason: string,
  options: RetrievalOptions,
  shape: DefinitionShape = 'definition',
): number {
  const weight = KIND_WEIGHT[def.kind] ?? 1;
  const add = (startLine: number, endLine: number, text: string): number => {
    const candidate: Candidate = { file: def.file, startLine, endLine, text, reason, kind: 'definition', score: score * weight };
    collector.add(candidate);
    return estimateTokens(text) + snippetOverheadTokens(candidate);
  };
  const oneLine = shape === 'signature' && def.file !== collector.file ? indexedSignature(def) : undefined;
  if (oneLine !== undefined) return add(def.startLine, def.startLine, oneLine);
  const lines = collector.lines.of(def.file);
  if (lines === undefined) return 0;
  if (def.startLine < 1 || def.startLine > lines.length) return 0;
  if (shape === 'signature') {
    const span = signatureLines(def, lines);
    return span ? add(span.startLine, span.endLine, lines.slice(span.startLine - 1, span.endLine).join('\n')) : 0;
  }
  const endLine = Math.min(def.endLine, lines.length);
  const members = () => sources.symbolsOf(def.file)?.definitions ?? [];
  const body = definitionText(def, endLine, lines, members, options.maxDefinitionLines);
  const candidate: Candidate = { file: def.file, ...body, reason, kind: 'definition', score: score * weight };
  collector.add(candidate);
  return estimateTokens(body.text) + snippetOverheadTokens(candidate);
}

interface DefinitionText {
  text: string;
  startLine: number;
  endLine: number;
  /** The file lines the text shows, when not startLine..endLine in a row (an outline). */
  lines?: number[];
  /** Leading decorator lines, which the packer drops first when it must trim. */
  leadLines: number;
}

/**
 * A definition's text: whole when short; otherwise an outline for containers (their signature, each
 * member's signature line, the closing line) or the head of a long function. Heads and outlines start
 * at the signature (`def`, `class`, `fn`), whole however many lines it spans; decorators and
 * annotations above it come along only when they leave room for it.
 */
function definitionText(
  def: SymbolDefinition,
  endLine: number,
  lines: readonly string[],
  members: () => readonly SymbolDefinition[],
  maxLines: number,
): DefinitionText {
  const length = endLine - def.startLine + 1;
  const header = signatureSpan(def, lines);
  if (length <= maxLines) {
    return { text: lines.slice(def.startLine - 1, endLine).join('\n'), startLine: def.startLine, endLine, leadLines: header.start - def.startLine };
  }
  if (CONTAINER_KINDS.has(def.kind)) {
    const outline = definitionLines(def, lines, members(), maxLines);
    if (outline.outline) {
      return {
        text: outline.lines.map((line) => lines[line - 1]).join('\n'),
        startLine: outline.lines[0]!,
        endLine: outline.lines[outline.lines.length - 1]!,
        lines: outline.lines,
        leadLines: outline.leadLines,
      };
    }
  }
  const from = header.end - def.startLine + 1 <= maxLines ? def.startLine : header.start;
  const last = Math.min(endLine, Math.max(header.end, from + maxLines - 1));
  return { text: lines.slice(from - 1, last).join('\n'), startLine: from, endLine: last, leadLines: header.start - from };
}

function addRecent(collector: CandidateCollector, sources: RetrievalSources, options: RetrievalOptions): void {
  const now = sources.now();
  const take = (kind: 'edit' | 'view', limit: number, base: number, label: string, reasonKind: SnippetReason) => {
    sources.recent.recent({ now, kinds: [kind], limit }).forEach((range, rank) => {
      const lines = collector.lines.of(range.file);
      if (lines === undefined) return;
      const margin = kind === 'edit' ? options.editMarginLines : 0;
      const startLine = Math.max(1, range.startLine - margin);
      const endLine = Math.min(lines.length, range.endLine + margin);
      if (startLine > endLine) return;
      collector.add({
        file: range.file,
        startLine,
        endLine,
        text: lines.slice(startLine - 1, endLine).join('\n'),
        reason: label,
        kind: reasonKind,
        score: base / (1 + rank * 0.25),
      });
    });
  };
  take('edit', options.maxRecentEdits, SCORE.recentEdit, 'recent edit', 'recent-edit');
  take('view', options.maxRecentViews, SCORE.recentView, 'recently viewed', 'recent-view');
}

function addSimilar(collector: CandidateCollector, request: ContextRequest, sources: RetrievalSources, options: RetrievalOptions): void {
  const matches = sources.similar.query(request.text.slice(0, request.offset), request.file, {
    maxResults: options.maxSimilar,
  });
  matches.forEach((match, rank) => {
    collector.add({ ...match, kind: 'similar', score: SCORE.similar / (1 + rank * 0.25) });
  });
}

/** Each file's lines, looked up once per request however many candidates come from it. */
class FileLines {
  private readonly cache = new Map<string, readonly string[] | undefined>();
  constructor(
    private readonly request: ContextRequest,
    private readonly sources: RetrievalSources,
  ) {}

  of(file: string): readonly string[] | undefined {
    if (this.cache.has(file)) return this.cache.get(file);
    const lines = file === this.request.file ? splitLines(this.request.text) : this.sources.linesOf(file);
    this.cache.set(file, lines);
    return lines;
  }
}
