// The chat panel's state and its turns, without the panel: the active conversation, the context
// chips waiting for the next question, the tier picked, and the one answer that may be streaming.
// A question goes through the router like every other task (so it routes, asks consent, falls back
// and logs alike), its prompt fitted to the room of whichever model gets it (chatPrompt.ts), and the
// answer streams back to the webview as the HostMessages of chatProtocol.ts. Conversations are saved
// after the question and after the answer, so a crash loses at most the answer in flight.
import { randomUUID } from 'node:crypto';
import { isBackendError } from '../kernel/backendError';
import type { RoutedResult } from '../routing/router';
import type { TierChoice } from '../kernel/taskKinds';
import { fitChatPrompt, type SnippetResolver } from './chatPrompt';
import { MAX_ITEMS, MAX_SHORT, type ChatViewState, type ChipView, type HostMessage, type TurnView } from './chatProtocol';
import { runAnswerTask, type TaskRunner } from './codeTasks';
import { conversationTitle, type Conversation, type ConversationStore, type StoredTurn } from './conversationStore';
import { DELTA_INTERVAL_MS, DeltaCoalescer, SYSTEM_TIMERS, type Timers } from './deltaCoalescer';
import type { PromptSnippet } from './taskPrompts';

export interface ChatChip {
  view: ChipView;
  /** Snippets known when the chip was added (selection, file). */
  snippets?: PromptSnippet[];
  /** Resolved at send time for the question, within a token budget (@codebase). */
  resolve?: SnippetResolver;
}

export type ChatKind = 'chat' | 'multi-file-question' | 'explain';

export interface ChatSessionOptions {
  store: ConversationStore;
  /** The Router (or a test double). */
  runner: TaskRunner;
  post: (message: HostMessage) => void;
  maxAnswerTokens: () => number;
  /** Epoch ms. */
  now?: () => number;
  newId?: () => string;
  log?: (message: string) => void;
  /** Timers for batching deltas; injectable so tests advance time instead of waiting. */
  timers?: Timers;
  deltaIntervalMs?: number;
}

export const BUSY_NOTICE = 'An answer is still streaming: wait for it or press Stop before asking again.';
export const EMPTY_NOTICE = 'Type a question first.';
export const MISSING_NOTICE = 'That conversation no longer exists; it may have been deleted.';
export const LENGTH_NOTICE =
  'The answer reached its token limit (bantam.routing.maxAnswerTokens) and was cut off; ask to continue or raise the limit.';
export const TIMEOUT_ERROR = 'The answer stopped arriving before it ended (timed out); ask again or pick another model.';

/** How an answer ended. */
interface Outcome {
  status: 'done' | 'stopped' | 'error';
  /** The whole answer as the router returned it (absent when it ended without a result). */
  text?: string;
  error?: string;
  result?: RoutedResult;
  notices?: string[];
}

/** The one answer in flight. */
interface Running {
  conversation: Conversation;
  user: StoredTurn;
  answer: StoredTurn;
  controller: AbortController;
  deltas: DeltaCoalescer;
  /** Every chunk streamed so far, in order: what the deltas carried. */
  streamed: string;
  /** Notes from fitting the prompt that was last built (the one the answering model saw). */
  notes: string[];
  ended: boolean;
  finished: Promise<TurnView>;
  settle: (turn: TurnView) => void;
}

export class ChatSession {
  private readonly store: ConversationStore;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly log: (message: string) => void;
  private conversation: Conversation;
  private chips: ChatChip[] = [];
  private tier: TierChoice = 'auto';
  private running: Running | undefined;
  private disposed = false;

  constructor(private readonly options: ChatSessionOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.newId = options.newId ?? randomUUID;
    this.log = options.log ?? (() => undefined);
    // Reopening the panel (or VS Code) continues where the user left off.
    const latest = this.store.list()[0];
    this.conversation = (latest && this.store.get(latest.id)) ?? this.fresh();
  }

  state(): ChatViewState {
    return {
      conversations: this.store.list(),
      activeId: this.conversation.id,
      turns: this.conversation.turns.map(view),
      chips: this.chips.map((c) => c.view),
      tier: this.tier,
      busy: this.busy,
    };
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  setTier(tier: TierChoice): void {
    this.tier = tier;
  }

  /** A chip with the id, or the kind and label, of one already waiting replaces it in place. */
  addChip(chip: ChatChip): void {
    const same = (c: ChatChip) => c.view.id === chip.view.id || (c.view.kind === chip.view.kind && c.view.label === chip.view.label);
    const at = this.chips.findIndex(same);
    if (at >= 0) this.chips = [...this.chips.slice(0, at), chip, ...this.chips.slice(at + 1).filter((c) => !same(c))];
    else this.chips = [...this.chips, chip];
    this.postChips();
  }

  removeChip(id: string): void {
    this.chips = this.chips.filter((c) => c.view.id !== id);
    this.postChips();
  }

  /**
   * Asks `text` with the waiting chips (which are then cleared). Resolves with the final answer turn
   * and never rejects: a failure is an answer with status 'error'. A send refused (busy, nothing to
   * ask, disposed) posts a notice and resolves with an 'error' turn that is not part of the conversation.
   */
  async send(text: string, options: { tier?: TierChoice; kind?: ChatKind } = {}): Promise<TurnView> {
    if (this.disposed) return this.refuse('The chat panel was closed.', false);
    if (this.running) return this.refuse(BUSY_NOTICE, true, 'warning');
    const kind = options.kind ?? 'chat';
    if (!text.trim() && kind !== 'explain' && this.chips.length === 0) return this.refuse(EMPTY_NOTICE, true, 'info');
    if (options.tier) this.tier = options.tier;

    const chips = this.chips;
    this.chips = [];
    this.postChips();

    const conversation = this.conversation;
    const earlier = conversation.turns.slice();
    const at = this.now();
    if (earlier.length === 0) {
      const about = chips.map((c) => c.view.label).join(', ');
      conversation.title = conversationTitle(text, about ? `${kind === 'explain' ? 'Explain' : 'About'} ${about}` : undefined);
      conversation.createdAt = at;
    }
    const user: StoredTurn = { id: this.newId(), role: 'user', text, status: 'done' };
    if (chips.length) user.chips = chips.map((c) => c.view);
    const answer: StoredTurn = { id: this.newId(), role: 'assistant', text: '', status: 'streaming' };
    conversation.turns.push(user, answer);
    conversation.turns.splice(0, Math.max(0, conversation.turns.length - this.store.maxTurns));
    conversation.updatedAt = at;

    let settle!: (turn: TurnView) => void;
    const finished = new Promise<TurnView>((resolve) => (settle = resolve));
    const run: Running = {
      conversation,
      user,
      answer,
      controller: new AbortController(),
      deltas: new DeltaCoalescer(
        (delta) => this.post({ type: 'delta', conversationId: conversation.id, turnId: answer.id, text: delta }),
        this.now,
        this.options.timers ?? SYSTEM_TIMERS,
        this.options.deltaIntervalMs ?? DELTA_INTERVAL_MS,
      ),
      streamed: '',
      notes: [],
      ended: false,
      finished,
      settle,
    };
    this.running = run;
    this.post({ type: 'turnStarted', conversationId: conversation.id, turns: [view(user), view(answer)] });
    const saved = this.persist(conversation);

    void this.answer(run, kind, text, chips, earlier);
    const turn = await finished;
    await saved;
    return turn;
  }

  /** Cancels the answer in flight end to end (the router's signal) and ends it at once as 'stopped', keeping its text. */
  stop(): void {
    const run = this.running;
    if (!run) return;
    run.controller.abort();
    this.end(run, { status: 'stopped' });
  }

  /** Files whose content this conversation sent to a model (attached, selected, or picked by @codebase). */
  sentFiles(): Set<string> {
    return new Set(this.conversation.turns.flatMap((turn) => (turn.context ?? []).map((s) => s.file)));
  }

  newConversation(): void {
    this.stop();
    this.conversation = this.fresh();
    this.postState();
  }

  openConversation(id: string): void {
    if (id !== this.conversation.id) {
      const found = this.store.get(id);
      if (found) {
        this.stop();
        this.conversation = found;
      } else {
        this.notice('warning', MISSING_NOTICE);
      }
    }
    this.postState();
  }

  /** Deletes a conversation (stopping its answer if one streams); deleting the active one opens a new, empty one. */
  async deleteConversation(id: string): Promise<void> {
    if (this.running?.conversation.id === id) this.stop();
    if (this.conversation.id === id) this.conversation = this.fresh();
    try {
      await this.store.delete(id);
    } catch (error) {
      this.log(`chat: deleting a conversation failed: ${messageOf(error)}`);
      this.notice('error', `The conversation could not be deleted: ${messageOf(error)}`);
    }
    this.postState();
  }

  dispose(): void {
    this.stop();
    this.disposed = true;
  }

  // ---- the answer ----

  private async answer(run: Running, kind: ChatKind, question: string, chips: ChatChip[], earlier: StoredTurn[]): Promise<void> {
    const snippets = chips.flatMap((c) => c.snippets ?? []);
    const resolvers = chips.flatMap((c) => (c.resolve ? [c.resolve] : []));
    try {
      const result = await runAnswerTask(
        this.options.runner,
        {
          kind,
          // Called once per model tried: what the last call gathered is what the answering model saw.
          gather: async (room) => {
            const prompt = await fitChatPrompt({ kind, question, snippets, resolvers, earlier, room, log: this.log });
            run.user.context = prompt.context;
            run.notes = prompt.notes;
            return prompt.input;
          },
        },
        {
          signal: run.controller.signal,
          requested: this.tier,
          maxTokens: this.options.maxAnswerTokens(),
          onRoute: (route) => {
            if (run.ended || route.tier === 'none') return;
            run.answer.route = { tier: route.tier, provider: route.provider, model: route.model };
            // Shown while the answer streams: which model is answering (again after a fallback).
            run.deltas.flush();
            this.post({ type: 'turnRoute', conversationId: run.conversation.id, turnId: run.answer.id, route: { ...run.answer.route } });
          },
          onText: (chunk) => {
            if (run.ended) return;
            run.streamed += chunk;
            // The state a re-shown panel asks for carries the answer so far, not an empty turn.
            run.answer.text = run.streamed;
            run.deltas.push(chunk);
          },
        },
      );
      this.end(run, outcomeOf(result));
    } catch (error) {
      if (run.controller.signal.aborted) this.end(run, { status: 'stopped' });
      else if (isBackendError(error)) this.end(run, { status: 'error', error: error.message });
      else {
        this.log(`chat: the answer failed unexpectedly: ${messageOf(error)}`);
        this.end(run, { status: 'error', error: `The answer failed unexpectedly: ${messageOf(error)}` });
      }
    }
  }

  /** Ends the answer once (a late result after Stop changes nothing), posts it and saves it. */
  private end(run: Running, outcome: Outcome): void {
    if (run.ended) return;
    run.ended = true;
    if (this.running === run) this.running = undefined;
    const { answer, conversation } = run;
    // The deltas must add up to the final text: text the router returns beyond what streamed (a
    // provider that does not stream) goes out as one more delta.
    let text = run.streamed;
    if (outcome.text !== undefined && outcome.text !== text) {
      if (outcome.text.startsWith(text)) {
        run.deltas.push(outcome.text.slice(text.length));
        text = outcome.text;
      } else {
        this.log('chat: the answer returned differs from the text streamed; keeping what streamed');
      }
    }
    run.deltas.flush();
    answer.text = text;
    answer.status = outcome.status;
    if (outcome.error !== undefined) answer.error = outcome.error;
    const result = outcome.result;
    if (result) {
      answer.route = { tier: result.tier, provider: result.provider, model: result.model };
      answer.usage = { input: count(result.usage.inputTokens), output: count(result.usage.outputTokens) };
    }
    // The excerpts the answering model was shown are the answer's sources (the panel lists them).
    const sent = run.user.context ?? [];
    if (sent.length) {
      answer.sources = sent.slice(0, MAX_ITEMS).map((s) => ({ file: s.file, startLine: s.startLine, endLine: s.endLine, reason: s.reason.slice(0, MAX_SHORT) }));
    }
    const notices = [...run.notes, ...(result?.notices ?? []), ...(outcome.notices ?? [])].map((n) => n.slice(0, MAX_SHORT));
    if (notices.length) answer.notices = notices;
    conversation.updatedAt = this.now();
    this.post({ type: 'turnEnded', conversationId: conversation.id, turn: view(answer) });
    void this.persist(conversation).then(() => run.settle(view(answer)));
  }

  // ---- helpers ----

  private fresh(): Conversation {
    const at = this.now();
    return { id: this.newId(), title: conversationTitle(''), createdAt: at, updatedAt: at, turns: [] };
  }

  /** Saves without rejecting: a store that fails loses persistence, not the answer on screen. */
  private async persist(conversation: Conversation): Promise<void> {
    try {
      await this.store.save(conversation);
    } catch (error) {
      this.log(`chat: saving the conversation failed: ${messageOf(error)}`);
      this.notice('warning', `The conversation could not be saved (${messageOf(error)}); it may not survive a restart.`);
    }
  }

  private refuse(reason: string, tell: boolean, level: 'info' | 'warning' = 'warning'): TurnView {
    if (tell) this.notice(level, reason);
    return { id: this.newId(), role: 'assistant', text: '', status: 'error', error: reason };
  }

  private notice(level: 'info' | 'warning' | 'error', text: string): void {
    this.post({ type: 'notice', level, text });
  }

  private postChips(): void {
    this.post({ type: 'chips', chips: this.chips.map((c) => c.view) });
  }

  private postState(): void {
    this.post({ type: 'state', state: this.state() });
  }

  private post(message: HostMessage): void {
    if (this.disposed) return;
    try {
      this.options.post(message);
    } catch (error) {
      // A panel that went away must not break the answer or its saving.
      this.log(`chat: posting ${message.type} failed: ${messageOf(error)}`);
    }
  }
}

function outcomeOf(result: RoutedResult): Outcome {
  switch (result.finishReason) {
    case 'abort':
      return { status: 'stopped', text: result.text, result };
    case 'timeout':
      return { status: 'error', text: result.text, error: TIMEOUT_ERROR, result };
    case 'length':
      return { status: 'done', text: result.text, result, notices: [LENGTH_NOTICE] };
    default:
      return { status: 'done', text: result.text, result };
  }
}

/** A stored turn as the view gets it: the context it carried stays in the extension. */
function view(turn: StoredTurn): TurnView {
  const { context: _context, ...rest } = turn;
  return structuredClone(rest);
}

function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.round(n) : 0;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
