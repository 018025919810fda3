// The chat panel's conversations, kept per workspace in a key-value store (VS Code's workspaceState
// in the extension, a Map in tests). Each conversation lives under its own key and one more key
// lists their ids, so saving a turn rewrites one conversation rather than all fifty. What is read
// back is checked field by field: the data may come from another version of Bantam or a hand edit,
// so a malformed entry is dropped, never trusted, and a turn a crash left 'streaming' reads as
// 'stopped' (nothing will ever finish it).
import { isObj, isCount, isStr } from '../kernel/messageChecks';
import { isTurnView, MAX_ITEMS, MAX_SHORT, MAX_TEXT, type ConversationSummary, type TurnView } from './chatProtocol';
import { toPromptSnippet, type PromptSnippet } from './taskPrompts';

/** The slice of VS Code's Memento the store needs. `update(key, undefined)` removes the key. */
export interface KeyValueStore {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void> | void;
}

/** A turn as stored: a user turn also keeps the context that was sent with it. */
export interface StoredTurn extends TurnView {
  context?: PromptSnippet[];
}

export interface Conversation {
  id: string;
  title: string;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
  turns: StoredTurn[];
}

export interface ConversationStoreOptions {
  /** Conversations kept; saving one more drops the least recently updated. */
  maxConversations?: number;
  /** Turns kept per conversation; the oldest go first. */
  maxTurns?: number;
}

export const DEFAULT_MAX_CONVERSATIONS = 50;
export const DEFAULT_MAX_TURNS = 200;
/** Longest title kept (titles are made from the first question). */
export const MAX_TITLE = 60;

const INDEX_KEY = 'bantam.chat.conversations';
const conversationKey = (id: string) => `bantam.chat.conversation.${id}`;

/**
 * Most characters of code a stored conversation keeps from the contexts its questions sent, newest
 * first. The context is kept as the record of what left the editor; beyond this only where it came
 * from is kept, so 50 stored conversations stay within a few megabytes of workspace state.
 */
export const MAX_STORED_CONTEXT_CHARS = 100_000;

/** The turns, with the code of older contexts dropped once the newest have used the allowance. */
function boundedContexts(turns: readonly StoredTurn[]): StoredTurn[] {
  let left = MAX_STORED_CONTEXT_CHARS;
  return [...turns]
    .reverse()
    .map((turn) => {
      if (!turn.context) return turn;
      const chars = turn.context.reduce((sum, s) => sum + s.text.length, 0);
      if (chars <= left) {
        left -= chars;
        return turn;
      }
      left = 0;
      return { ...turn, context: turn.context.map((s) => ({ ...s, text: '' })) };
    })
    .reverse();
}

export class ConversationStore {
  readonly maxConversations: number;
  readonly maxTurns: number;

  constructor(
    private readonly store: KeyValueStore,
    options: ConversationStoreOptions = {},
  ) {
    this.maxConversations = Math.max(1, options.maxConversations ?? DEFAULT_MAX_CONVERSATIONS);
    this.maxTurns = Math.max(2, options.maxTurns ?? DEFAULT_MAX_TURNS);
  }

  /** Summaries of the stored conversations that load, most recently updated first. */
  list(): ConversationSummary[] {
    return this.loadAll()
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, turns: c.turns.length }));
  }

  /** A copy of the conversation (changing it changes nothing stored), or undefined when missing or malformed. */
  get(id: string): Conversation | undefined {
    if (!this.ids().includes(id)) return undefined;
    return this.load(id);
  }

  /**
   * Stores a copy of the conversation (its newest maxTurns turns) and drops the least recently
   * updated conversations beyond maxConversations, and any the index lists that no longer load.
   */
  async save(conversation: Conversation): Promise<void> {
    if (!validId(conversation.id)) throw new Error(`A conversation id must be 1-${MAX_SHORT} characters.`);
    // Read, decide and issue every write before the first await, so two saves in flight can't
    // interleave their read-modify-write of the index.
    const copy: Conversation = structuredClone({
      id: conversation.id,
      title: conversation.title.slice(0, MAX_SHORT),
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
      turns: boundedContexts(conversation.turns.slice(-this.maxTurns)),
    });
    const others = this.loadAll().filter((c) => c.id !== copy.id);
    others.sort((a, b) => b.updatedAt - a.updatedAt);
    const kept = others.slice(0, this.maxConversations - 1);
    const dropped = new Set(this.ids().filter((id) => id !== copy.id && !kept.some((c) => c.id === id)));
    const writes: (PromiseLike<void> | void)[] = [this.store.update(conversationKey(copy.id), copy)];
    writes.push(this.store.update(INDEX_KEY, [copy.id, ...kept.map((c) => c.id)]));
    for (const id of dropped) writes.push(this.store.update(conversationKey(id), undefined));
    await Promise.all(writes);
  }

  async delete(id: string): Promise<void> {
    const ids = this.ids();
    const writes: (PromiseLike<void> | void)[] = [];
    if (ids.includes(id)) writes.push(this.store.update(INDEX_KEY, ids.filter((i) => i !== id)));
    if (validId(id)) writes.push(this.store.update(conversationKey(id), undefined));
    await Promise.all(writes);
  }

  /** The listed ids, malformed and duplicate entries left out. */
  private ids(): string[] {
    const raw = this.store.get(INDEX_KEY);
    if (!Array.isArray(raw)) return [];
    return [...new Set(raw.filter(validId))];
  }

  private loadAll(): Conversation[] {
    return this.ids()
      .map((id) => this.load(id))
      .filter((c): c is Conversation => c !== undefined);
  }

  private load(id: string): Conversation | undefined {
    return readConversation(this.store.get(conversationKey(id)), id, this.maxTurns);
  }
}

/** A title from the first question: its first non-empty line, whitespace collapsed, cut at a word near MAX_TITLE. */
export function conversationTitle(question: string, fallback = 'New conversation'): string {
  const line = question
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .find((l) => l.length > 0);
  if (!line) return fallback;
  if (line.length <= MAX_TITLE) return line;
  const cut = line.slice(0, MAX_TITLE - 1);
  const space = cut.lastIndexOf(' ');
  // Cut at a word when one ends in the last third; a single long token is cut where it is.
  return `${(space >= (MAX_TITLE * 2) / 3 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function validId(v: unknown): v is string {
  return isStr(v) && v.length > 0 && v.length <= MAX_SHORT;
}

function isSnippet(v: unknown): v is PromptSnippet {
  return (
    isObj(v) &&
    isStr(v.file) &&
    v.file.length <= MAX_SHORT &&
    isCount(v.startLine) &&
    isCount(v.endLine) &&
    isStr(v.text) &&
    v.text.length <= MAX_TEXT &&
    isStr(v.reason) &&
    v.reason.length <= MAX_SHORT
  );
}

/** One stored turn, checked and copied; undefined when it must be dropped. */
function readTurn(v: unknown): StoredTurn | undefined {
  if (!isTurnView(v)) return undefined;
  // Rebuilt field by field, so nothing the checks did not look at comes along.
  const turn: StoredTurn = {
    id: v.id,
    role: v.role,
    text: v.text,
    // A turn still 'streaming' on load was cut off by a crash or a restart: nothing will finish it.
    status: v.status === 'streaming' ? 'stopped' : v.status,
  };
  if (v.chips) turn.chips = v.chips.map(({ id, kind, label, tokens }) => ({ id, kind, label, tokens }));
  if (v.route) turn.route = { tier: v.route.tier, provider: v.route.provider, model: v.route.model };
  if (v.notices) turn.notices = [...v.notices];
  if (v.error !== undefined) turn.error = v.error;
  if (v.usage) turn.usage = { input: v.usage.input, output: v.usage.output };
  if (v.sources) turn.sources = v.sources.map(({ file, startLine, endLine, reason }) => ({ file, startLine, endLine, reason }));
  const context = (v as { context?: unknown }).context;
  // Context is kept only when every snippet is sound: a half-kept context would misreport what was sent.
  if (Array.isArray(context) && context.length <= MAX_ITEMS && context.every(isSnippet)) {
    turn.context = context.map(toPromptSnippet);
  }
  return turn;
}

/** A stored conversation, checked and copied; malformed turns are left out, a malformed conversation is undefined. */
function readConversation(v: unknown, id: string, maxTurns: number): Conversation | undefined {
  if (!isObj(v) || v.id !== id || !isStr(v.title) || v.title.length > MAX_SHORT) return undefined;
  if (!isCount(v.createdAt) || !isCount(v.updatedAt) || !Array.isArray(v.turns)) return undefined;
  const turns = v.turns
    .slice(-maxTurns)
    .map(readTurn)
    .filter((t): t is StoredTurn => t !== undefined);
  return { id, title: v.title, createdAt: v.createdAt, updatedAt: v.updatedAt, turns };
}
