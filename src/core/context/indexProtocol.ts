// The typed message protocol between the index client (extension host, CLI, benchmark) and the index
// worker thread. Both sides validate what they receive: a message crossing the thread boundary is
// plain structured-clone data, so anything malformed is dropped with a description (and logged by
// the caller), never trusted. Requests carry an id and every answer echoes it; failures come back as
// `error` messages, never as exceptions across the boundary. File and document events carry no id:
// they are fire-and-forget, and a failure is only logged.

import type {
  CodebaseAnswerContext,
  CodebaseQuery,
  CodebaseSnippet,
  ContextRequest,
  ContextResult,
  IndexProgress,
  LineChange,
  RetrievedSnippet,
} from './contextTypes';
import type { ContextStats } from './contextWorkspace';
import type { IndexFolder } from './workspaceState';
import { isBool, isCount, isId, isObj, isStr, type Obj } from '../kernel/messageChecks';

/** What the worker needs to build its ContextWorkspace. */
export interface IndexWorkerConfig {
  /** Absolute path of the workspace folder. */
  root: string;
  /** Every folder of a multi-root workspace, each with its excludes; overrides `root` and `excludeGlobs`. */
  folders?: IndexFolder[];
  /** Folder with web-tree-sitter.wasm, the grammars and queries/ (the extension's `grammars/`). */
  grammarDir: string;
  /** Where the index cache is persisted; none means no persistence. */
  storageDir?: string;
  excludeGlobs: string[];
  maxFileBytes: number;
  maxFiles: number;
}

/** The worker's state, for the stats command and the memory cap. */
export type IndexStats = ContextStats;

// ---- host -> worker ----

export interface InitMessage extends IndexWorkerConfig {
  type: 'init';
  id: number;
}
export interface IndexAllMessage {
  type: 'indexAll';
  id: number;
  /** Re-parse everything, ignoring the cache. */
  fresh?: boolean;
}
export interface CancelMessage {
  type: 'cancel';
  /** The request to cancel (an indexAll, a retrieve or a search). */
  id: number;
}
export interface RetrieveMessage {
  type: 'retrieve';
  id: number;
  request: ContextRequest;
}
/** "Ask About Codebase": the definitions and files relevant to a question. */
export interface SearchMessage {
  type: 'search';
  id: number;
  query: CodebaseQuery;
}
export interface StatsRequestMessage {
  type: 'stats';
  id: number;
}
/** Asks for the indexed paths (benchmark, diagnostics). */
export interface FilesRequestMessage {
  type: 'files';
  id: number;
}
export interface ShutdownMessage {
  type: 'shutdown';
  id: number;
}
export interface FileEventMessage {
  type: 'fileEvent';
  event: 'created' | 'changed' | 'deleted';
  file: string;
}
export interface FileRenamedMessage {
  type: 'fileRenamed';
  from: string;
  to: string;
}
export interface DocumentOpenedMessage {
  type: 'documentOpened';
  file: string;
  languageId: string;
  text: string;
}
export interface DocumentChangedMessage {
  type: 'documentChanged';
  file: string;
  text: string;
  changes: LineChange[];
}
export interface DocumentClosedMessage {
  type: 'documentClosed';
  file: string;
}
export interface ViewedMessage {
  type: 'viewed';
  file: string;
  startLine: number;
  endLine: number;
}

export type IndexHostMessage =
  | InitMessage
  | IndexAllMessage
  | CancelMessage
  | RetrieveMessage
  | SearchMessage
  | StatsRequestMessage
  | FilesRequestMessage
  | ShutdownMessage
  | FileEventMessage
  | FileRenamedMessage
  | DocumentOpenedMessage
  | DocumentChangedMessage
  | DocumentClosedMessage
  | ViewedMessage;

// ---- worker -> host ----

/** Answers init and shutdown. */
export interface OkMessage {
  type: 'ok';
  id: number;
}
export interface ProgressMessage {
  type: 'progress';
  id: number;
  progress: IndexProgress;
}
/** The final answer to indexAll ('done' or 'cancelled'). */
export interface IndexedMessage {
  type: 'indexed';
  id: number;
  progress: IndexProgress;
}
export interface ContextMessage {
  type: 'context';
  id: number;
  result: ContextResult;
}
/** The answer to a search. */
export interface SearchResultMessage {
  type: 'search';
  id: number;
  result: CodebaseAnswerContext;
}
export interface StatsMessage {
  type: 'stats';
  id: number;
  stats: IndexStats;
}
export interface FilesMessage {
  type: 'files';
  id: number;
  files: string[];
}
export interface LogMessage {
  type: 'log';
  line: string;
}

/**
 * `bad-message`: the worker could not accept the message; `not-initialized`: a request before init;
 * `cancelled`: the request was cancelled; `failed`: the operation threw.
 */
export type IndexErrorCode = 'bad-message' | 'not-initialized' | 'cancelled' | 'failed';

export interface IndexErrorMessage {
  type: 'error';
  /** Absent when the failed message had no usable id. */
  id?: number;
  code: IndexErrorCode;
  message: string;
}

export type IndexWorkerMessage =
  | OkMessage
  | ProgressMessage
  | IndexedMessage
  | ContextMessage
  | SearchResultMessage
  | StatsMessage
  | FilesMessage
  | LogMessage
  | IndexErrorMessage;

// ---- validation ----

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}
function isLine(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1;
}
function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}
/** Workspace-relative path: non-empty, not absolute, no `..` segment (the worker reads these from disk). */
function isRelPath(v: unknown): v is string {
  if (!isStr(v) || v === '' || v.length > 4096 || v.includes('\0')) return false;
  if (v.startsWith('/') || v.startsWith('\\') || /^[A-Za-z]:/.test(v)) return false;
  return !v.split(/[\\/]/).includes('..');
}

const skipReasons: readonly string[] = ['ignored', 'excluded', 'secret', 'outside', 'too-large', 'binary', 'minified', 'generated'];
const snippetKinds: readonly string[] = ['definition', 'scope', 'recent-edit', 'recent-view', 'similar'];
const codebaseKinds: readonly string[] = ['definition', 'outline', 'file'];
/** Longer than any question typed in a box; a bound so a runaway caller can't stall the worker. */
const MAX_QUESTION_CHARS = 100_000;
const MAX_OPEN_FILES = 1000;
const phases: readonly string[] = ['scanning', 'indexing', 'done', 'cancelled'];
const errorCodes: readonly string[] = ['bad-message', 'not-initialized', 'cancelled', 'failed'];

function isContextRequest(v: unknown): v is ContextRequest {
  return (
    isObj(v) &&
    isRelPath(v.file) &&
    isStr(v.languageId) &&
    isStr(v.text) &&
    isCount(v.offset) &&
    v.offset <= v.text.length &&
    isCount(v.budgetTokens) &&
    (v.visibleLines === undefined ||
      (isObj(v.visibleLines) && isLine(v.visibleLines.startLine) && isLine(v.visibleLines.endLine)))
  );
}

function isCodebaseQuery(v: unknown): v is CodebaseQuery {
  return (
    isObj(v) &&
    isStr(v.question) &&
    v.question.length <= MAX_QUESTION_CHARS &&
    isCount(v.budgetTokens) &&
    (v.activeFile === undefined || isRelPath(v.activeFile)) &&
    (v.openFiles === undefined ||
      (Array.isArray(v.openFiles) && v.openFiles.length <= MAX_OPEN_FILES && v.openFiles.every(isRelPath))) &&
    (v.maxFiles === undefined || (isCount(v.maxFiles) && v.maxFiles >= 1))
  );
}

function isCodebaseSnippet(v: unknown): v is CodebaseSnippet {
  return (
    isObj(v) &&
    isStr(v.file) &&
    isLine(v.startLine) &&
    isLine(v.endLine) &&
    v.endLine >= v.startLine &&
    isStr(v.text) &&
    isStr(v.reason) &&
    isCount(v.tokens) &&
    isStr(v.kind) &&
    codebaseKinds.includes(v.kind) &&
    isNum(v.score)
  );
}

function isAnswerContext(v: unknown): v is CodebaseAnswerContext {
  return (
    isObj(v) &&
    Array.isArray(v.snippets) &&
    v.snippets.every(isCodebaseSnippet) &&
    isCount(v.filesConsidered) &&
    Array.isArray(v.terms) &&
    v.terms.every(isStr) &&
    isBool(v.truncated) &&
    isCount(v.tokens)
  );
}

function isLineChange(v: unknown): v is LineChange {
  return isObj(v) && isLine(v.startLine) && isLine(v.endLine) && v.endLine >= v.startLine && isInt(v.lineDelta);
}

function isProgress(v: unknown): v is IndexProgress {
  return (
    isObj(v) &&
    isStr(v.phase) &&
    phases.includes(v.phase) &&
    isCount(v.total) &&
    isCount(v.done) &&
    isCount(v.cached) &&
    isCount(v.skipped) &&
    (v.lines === undefined || isCount(v.lines)) &&
    isBool(v.capped)
  );
}

function isSnippet(v: unknown): v is RetrievedSnippet {
  return (
    isObj(v) &&
    isStr(v.file) &&
    isLine(v.startLine) &&
    isLine(v.endLine) &&
    isStr(v.text) &&
    isStr(v.reason) &&
    isStr(v.kind) &&
    snippetKinds.includes(v.kind) &&
    isNum(v.tokens) &&
    isNum(v.score)
  );
}

function isResult(v: unknown): v is ContextResult {
  return isObj(v) && Array.isArray(v.snippets) && v.snippets.every(isSnippet) && isNum(v.tokens);
}

function isStats(v: unknown): v is IndexStats {
  if (!isObj(v) || !isObj(v.memory) || !isObj(v.skipped)) return false;
  const m = v.memory;
  return (
    isStr(v.root) &&
    isCount(v.files) &&
    isCount(v.definitions) &&
    isCount(v.openDocuments) &&
    isBool(v.indexing) &&
    isCount(v.cacheHits) &&
    isCount(v.parsed) &&
    isCount(v.unchangedSkippedRead) &&
    isCount(v.failed) &&
    Object.entries(v.skipped).every(([k, n]) => skipReasons.includes(k) && isCount(n)) &&
    (v.lastProgress === null || isProgress(v.lastProgress)) &&
    isNum(m.heapUsedMb) &&
    isNum(m.externalMb) &&
    isNum(m.rssMb)
  );
}

function isFolder(v: unknown): v is IndexFolder {
  return isObj(v) && isStr(v.name) && isStr(v.root) && v.root !== '' && Array.isArray(v.excludeGlobs) && v.excludeGlobs.every(isStr);
}

function isConfig(v: Obj): boolean {
  return (
    isStr(v.root) &&
    v.root !== '' &&
    isStr(v.grammarDir) &&
    v.grammarDir !== '' &&
    (v.storageDir === undefined || isStr(v.storageDir)) &&
    Array.isArray(v.excludeGlobs) &&
    v.excludeGlobs.every(isStr) &&
    (v.folders === undefined || (Array.isArray(v.folders) && v.folders.every(isFolder))) &&
    isCount(v.maxFileBytes) &&
    v.maxFileBytes > 0 &&
    isCount(v.maxFiles) &&
    v.maxFiles > 0
  );
}

/** The message if it is a well-formed host -> worker message, else undefined. */
export function parseIndexHostMessage(v: unknown): IndexHostMessage | undefined {
  if (!isObj(v)) return undefined;
  switch (v.type) {
    case 'init':
      return isId(v.id) && isConfig(v) ? (v as unknown as InitMessage) : undefined;
    case 'indexAll':
      return isId(v.id) && (v.fresh === undefined || isBool(v.fresh)) ? (v as unknown as IndexAllMessage) : undefined;
    case 'cancel':
    case 'stats':
    case 'files':
    case 'shutdown':
      return isId(v.id) ? (v as unknown as IndexHostMessage) : undefined;
    case 'retrieve':
      return isId(v.id) && isContextRequest(v.request) ? (v as unknown as RetrieveMessage) : undefined;
    case 'search':
      return isId(v.id) && isCodebaseQuery(v.query) ? (v as unknown as SearchMessage) : undefined;
    case 'fileEvent':
      return isStr(v.event) && ['created', 'changed', 'deleted'].includes(v.event) && isRelPath(v.file)
        ? (v as unknown as FileEventMessage)
        : undefined;
    case 'fileRenamed':
      return isRelPath(v.from) && isRelPath(v.to) ? (v as unknown as FileRenamedMessage) : undefined;
    case 'documentOpened':
      return isRelPath(v.file) && isStr(v.languageId) && isStr(v.text)
        ? (v as unknown as DocumentOpenedMessage)
        : undefined;
    case 'documentChanged':
      return isRelPath(v.file) && isStr(v.text) && Array.isArray(v.changes) && v.changes.every(isLineChange)
        ? (v as unknown as DocumentChangedMessage)
        : undefined;
    case 'documentClosed':
      return isRelPath(v.file) ? (v as unknown as DocumentClosedMessage) : undefined;
    case 'viewed':
      return isRelPath(v.file) && isLine(v.startLine) && isLine(v.endLine) ? (v as unknown as ViewedMessage) : undefined;
    default:
      return undefined;
  }
}

/** The message if it is a well-formed worker -> host message, else undefined. */
export function parseIndexWorkerMessage(v: unknown): IndexWorkerMessage | undefined {
  if (!isObj(v)) return undefined;
  switch (v.type) {
    case 'ok':
      return isId(v.id) ? (v as unknown as OkMessage) : undefined;
    case 'progress':
    case 'indexed':
      return isId(v.id) && isProgress(v.progress) ? (v as unknown as ProgressMessage | IndexedMessage) : undefined;
    case 'context':
      return isId(v.id) && isResult(v.result) ? (v as unknown as ContextMessage) : undefined;
    case 'search':
      return isId(v.id) && isAnswerContext(v.result) ? (v as unknown as SearchResultMessage) : undefined;
    case 'stats':
      return isId(v.id) && isStats(v.stats) ? (v as unknown as StatsMessage) : undefined;
    case 'files':
      return isId(v.id) && Array.isArray(v.files) && v.files.every(isStr) ? (v as unknown as FilesMessage) : undefined;
    case 'log':
      return isStr(v.line) ? (v as unknown as LogMessage) : undefined;
    case 'error':
      return (v.id === undefined || isId(v.id)) && isStr(v.code) && errorCodes.includes(v.code) && isStr(v.message)
        ? (v as unknown as IndexErrorMessage)
        : undefined;
    default:
      return undefined;
  }
}

export { describeRejected } from '../kernel/messageChecks';

/** The id of a message, when it has a usable one (to answer a rejected request). */
export function messageId(v: unknown): number | undefined {
  return isObj(v) && isId(v.id) ? v.id : undefined;
}
