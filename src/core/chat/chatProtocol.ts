// The typed messages between the chat webview (media/chat) and the extension (src/vscode/chatView.ts).
// Both sides run every message they receive through the parser for its direction: anything
// unknown, malformed or oversized is dropped (and logged by the receiver), never trusted. The
// webview is treated as untrusted input: it renders model output, so a bug there must not become a
// way to drive the extension. Pure data and checks, no DOM and no vscode, so both bundles share it.
import { isBool, isCount, isObj, isStr, type Obj } from '../kernel/messageChecks';
import type { TierChoice } from '../kernel/taskKinds';

/** Longest text a single message field may carry (a pasted file is fine; a runaway string is not). */
export const MAX_TEXT = 1_000_000;
/** Longest short field (ids, paths, labels, queries). */
export const MAX_SHORT = 4_096;
/** Most items in a list (turns, chips, conversations, picker results). */
export const MAX_ITEMS = 2_000;

export type ChipKind = 'selection' | 'file' | 'codebase';

/** A piece of context attached to the next question (or to a sent turn), as the view shows it. */
export interface ChipView {
  id: string;
  kind: ChipKind;
  /** e.g. "cart.ts:12-30", "cart.ts", "@codebase". */
  label: string;
  /** Estimated tokens it adds to the prompt (for @codebase: the budget it may use). */
  tokens: number;
}

export type TurnStatus = 'streaming' | 'done' | 'stopped' | 'error';

export interface RouteView {
  tier: 'local' | 'frontier';
  provider: string;
  model: string;
}

/** An excerpt of the workspace that was sent with a question (shown as the answer's sources). */
export interface SourceView {
  file: string;
  startLine: number;
  endLine: number;
  reason: string;
}

export interface TurnView {
  id: string;
  role: 'user' | 'assistant';
  /** The user's words, or the answer so far (markdown, untrusted: the view sanitizes it). */
  text: string;
  status: TurnStatus;
  /** Context sent with a user turn. */
  chips?: ChipView[];
  /** Who answered an assistant turn. */
  route?: RouteView;
  /** Fallback and routing notices for an assistant turn. */
  notices?: string[];
  /** Why an assistant turn failed. */
  error?: string;
  /** The workspace excerpts the question carried (an assistant turn's sources). */
  sources?: SourceView[];
  usage?: { input: number; output: number };
}

export interface ConversationSummary {
  id: string;
  title: string;
  /** Epoch ms. */
  updatedAt: number;
  turns: number;
}

export interface ChatViewState {
  conversations: ConversationSummary[];
  activeId: string;
  turns: TurnView[];
  /** Context chips waiting for the next question. */
  chips: ChipView[];
  tier: TierChoice;
  /** An answer is streaming: Send is disabled and Stop shown. */
  busy: boolean;
}

// ---- extension -> webview ----

export type HostMessage =
  | { type: 'state'; state: ChatViewState }
  | { type: 'turnStarted'; conversationId: string; turns: TurnView[] }
  | { type: 'delta'; conversationId: string; turnId: string; text: string }
  /** The model the router chose for a streaming answer, as soon as it is chosen (again on a fallback). */
  | { type: 'turnRoute'; conversationId: string; turnId: string; route: RouteView }
  | { type: 'turnEnded'; conversationId: string; turn: TurnView }
  | { type: 'chips'; chips: ChipView[] }
  | { type: 'filePicker'; query: string; items: { path: string; detail?: string }[] }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; text: string }
  | { type: 'focusInput' };

// ---- webview -> extension ----

export type ViewMessage =
  | { type: 'ready' }
  | { type: 'send'; text: string; tier: TierChoice }
  | { type: 'stop' }
  | { type: 'setTier'; tier: TierChoice }
  | { type: 'addChip'; kind: ChipKind; path?: string }
  | { type: 'removeChip'; chipId: string }
  | { type: 'searchFiles'; query: string }
  | { type: 'copy'; code: string }
  | { type: 'insert'; code: string }
  | { type: 'apply'; code: string; language?: string; path?: string }
  | { type: 'openFile'; path: string; line?: number }
  | { type: 'newConversation' }
  | { type: 'openConversation'; id: string }
  | { type: 'deleteConversation'; id: string };

// ---- checks ----

const TIERS: readonly TierChoice[] = ['auto', 'local', 'frontier'];
const CHIP_KINDS: readonly ChipKind[] = ['selection', 'file', 'codebase'];
const STATUSES: readonly TurnStatus[] = ['streaming', 'done', 'stopped', 'error'];
const LEVELS = ['info', 'warning', 'error'] as const;

const text = (v: unknown): v is string => isStr(v) && v.length <= MAX_TEXT;
const short = (v: unknown): v is string => isStr(v) && v.length <= MAX_SHORT;
const optShort = (v: unknown): boolean => v === undefined || short(v);
const oneOf = <T extends string>(v: unknown, allowed: readonly T[]): v is T => isStr(v) && (allowed as readonly string[]).includes(v);
const list = <T>(v: unknown, item: (x: unknown) => x is T): v is T[] => Array.isArray(v) && v.length <= MAX_ITEMS && v.every(item);
const line = (v: unknown): boolean => v === undefined || (isCount(v) && v >= 1);

export function isChipView(v: unknown): v is ChipView {
  return isObj(v) && short(v.id) && oneOf(v.kind, CHIP_KINDS) && short(v.label) && isCount(v.tokens);
}

function isSource(v: unknown): v is SourceView {
  return isObj(v) && short(v.file) && isCount(v.startLine) && isCount(v.endLine) && short(v.reason);
}

function isRoute(v: unknown): v is RouteView {
  return isObj(v) && oneOf(v.tier, ['local', 'frontier'] as const) && short(v.provider) && short(v.model);
}

export function isTurnView(v: unknown): v is TurnView {
  if (!isObj(v) || !short(v.id) || !oneOf(v.role, ['user', 'assistant'] as const) || !text(v.text) || !oneOf(v.status, STATUSES)) {
    return false;
  }
  if (v.chips !== undefined && !list(v.chips, isChipView)) return false;
  if (v.route !== undefined && !isRoute(v.route)) return false;
  if (v.notices !== undefined && !list(v.notices, short)) return false;
  if (v.error !== undefined && !text(v.error)) return false;
  if (v.sources !== undefined && !list(v.sources, isSource)) return false;
  if (v.usage !== undefined && !(isObj(v.usage) && isCount(v.usage.input) && isCount(v.usage.output))) return false;
  return true;
}

function isSummary(v: unknown): v is ConversationSummary {
  return isObj(v) && short(v.id) && short(v.title) && isCount(v.updatedAt) && isCount(v.turns);
}

function isState(v: unknown): v is ChatViewState {
  return (
    isObj(v) &&
    list(v.conversations, isSummary) &&
    short(v.activeId) &&
    list(v.turns, isTurnView) &&
    list(v.chips, isChipView) &&
    oneOf(v.tier, TIERS) &&
    isBool(v.busy)
  );
}

function isPickerItem(v: unknown): v is { path: string; detail?: string } {
  return isObj(v) && short(v.path) && optShort(v.detail);
}

const HOST_CHECKS: Record<HostMessage['type'], (m: Obj) => boolean> = {
  state: (m) => isState(m.state),
  turnStarted: (m) => short(m.conversationId) && list(m.turns, isTurnView),
  delta: (m) => short(m.conversationId) && short(m.turnId) && text(m.text),
  turnRoute: (m) => short(m.conversationId) && short(m.turnId) && isRoute(m.route),
  turnEnded: (m) => short(m.conversationId) && isTurnView(m.turn),
  chips: (m) => list(m.chips, isChipView),
  filePicker: (m) => short(m.query) && list(m.items, isPickerItem),
  notice: (m) => oneOf(m.level, LEVELS) && text(m.text),
  focusInput: () => true,
};

const VIEW_CHECKS: Record<ViewMessage['type'], (m: Obj) => boolean> = {
  ready: () => true,
  send: (m) => text(m.text) && oneOf(m.tier, TIERS),
  stop: () => true,
  setTier: (m) => oneOf(m.tier, TIERS),
  addChip: (m) => oneOf(m.kind, CHIP_KINDS) && optShort(m.path),
  removeChip: (m) => short(m.chipId),
  searchFiles: (m) => short(m.query),
  copy: (m) => text(m.code),
  insert: (m) => text(m.code),
  apply: (m) => text(m.code) && optShort(m.language) && optShort(m.path),
  openFile: (m) => short(m.path) && line(m.line),
  newConversation: () => true,
  openConversation: (m) => short(m.id),
  deleteConversation: (m) => short(m.id),
};

function parse<T extends { type: string }>(value: unknown, checks: Record<string, (m: Obj) => boolean>): T | undefined {
  if (!isObj(value) || !isStr(value.type) || !Object.prototype.hasOwnProperty.call(checks, value.type)) return undefined;
  return checks[value.type]!(value) ? (value as unknown as T) : undefined;
}

/** A message from the extension, checked (the webview's side); undefined when it must be dropped. */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  return parse<HostMessage>(value, HOST_CHECKS);
}

/** A message from the webview, checked (the extension's side); undefined when it must be dropped. */
export function parseViewMessage(value: unknown): ViewMessage | undefined {
  return parse<ViewMessage>(value, VIEW_CHECKS);
}

export { describeRejected } from '../kernel/messageChecks';
