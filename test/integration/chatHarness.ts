// What the chat integration suite needs besides the frontier harness: a spy on the chat panel's two
// message streams (what the extension posts to the webview, what arrives from it), a look at the
// panel's private readiness, and a copy of the tiny test model with a chat template, so the real
// embedded llama worker answers a chat question with text (the stock model has no template; under
// ChatML its greedy path ends at once, an empty answer).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostMessage, TurnView } from '../../src/core/chat/chatProtocol';
import type { ConversationStore, KeyValueStore } from '../../src/core/chat/conversationStore';
import type { ChatView } from '../../src/vscode/chatView';
import { gv, writeGguf } from '../support/gguf/ggufWriter';
import { tinyModelSpec } from '../support/gguf/tinyModel';

/** The chat panel's traffic, recorded while the spy lasts; the panel still does everything as usual. */
export interface ChatSpy {
  /** Every message the extension posted toward the webview (posted only while the view is ready). */
  readonly posted: HostMessage[];
  /** Every message handed to `receive`: the webview's own ('ready', ...) and the tests'. */
  readonly received: unknown[];
  /** The text of the deltas posted for one answer turn, concatenated. */
  deltasFor(turnId: string): string;
  notices(level?: 'info' | 'warning' | 'error'): string[];
  dispose(): void;
}

/** The private parts of ChatView a test looks at (the view has no public readiness or store). */
interface ChatViewInternals {
  post(message: HostMessage): void;
  receive(raw: unknown): Promise<void>;
  ready: boolean;
  view: { visible: boolean } | undefined;
}

/**
 * Wraps the panel's `post` and `receive` on the instance. Both are looked up on `this` at call time
 * (the session posts through `this.post`, the webview's listener calls `this.receive`), so the
 * wrappers see the real traffic, not just the tests' calls.
 */
export function spyOnChat(chat: ChatView): ChatSpy {
  const inner = chat as unknown as ChatViewInternals;
  const post = inner.post;
  const receive = inner.receive;
  const posted: HostMessage[] = [];
  const received: unknown[] = [];
  inner.post = function (this: ChatViewInternals, message: HostMessage) {
    posted.push(message);
    return post.call(this, message);
  };
  inner.receive = function (this: ChatViewInternals, raw: unknown) {
    received.push(raw);
    return receive.call(this, raw);
  };
  return {
    posted,
    received,
    deltasFor: (turnId) =>
      posted
        .filter((m): m is Extract<HostMessage, { type: 'delta' }> => m.type === 'delta' && m.turnId === turnId)
        .map((m) => m.text)
        .join(''),
    notices: (level) =>
      posted
        .filter((m): m is Extract<HostMessage, { type: 'notice' }> => m.type === 'notice' && (level === undefined || m.level === level))
        .map((m) => m.text),
    dispose: () => {
      // Instance properties shadow the prototype's methods: deleting them puts the originals back.
      delete (inner as Partial<ChatViewInternals>).post;
      delete (inner as Partial<ChatViewInternals>).receive;
    },
  };
}

/** True once the webview has said 'ready' (and until it is disposed). */
export function chatReady(chat: ChatView): boolean {
  return (chat as unknown as ChatViewInternals).ready;
}

/** True while the panel's webview is resolved and on screen. */
export function chatVisible(chat: ChatView): boolean {
  return (chat as unknown as ChatViewInternals).view?.visible === true;
}

/** The key-value store (workspaceState) under the panel's ConversationStore, to build another over it. */
export function conversationBackingStore(chat: ChatView): KeyValueStore {
  const store = (chat.session as unknown as { store: ConversationStore }).store;
  return (store as unknown as { store: KeyValueStore }).store;
}

/** The last two turns of the panel's conversation: the question and its answer. */
export function lastExchange(chat: ChatView): { user: TurnView; answer: TurnView } {
  const turns = chat.session.state().turns;
  const [user, answer] = turns.slice(-2);
  if (!user || !answer) throw new Error(`the conversation has ${turns.length} turn(s), not a question and an answer`);
  return { user, answer };
}

/** A Jinja chat template whose prompt ends in "assistant:", off the tiny model's path to end of text. */
const CHAT_TEMPLATE =
  "{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}\n{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}";

export const CHAT_MODEL_FILE = 'bantam-tiny-chat.gguf';

/** Writes the tiny model with a chat template into a new temp folder; `dispose` removes it. */
export async function writeTinyChatModel(): Promise<{ path: string; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'bantam-it-chat-model-'));
  const spec = tinyModelSpec({ fim: true, kind: 'tiny-chat-template', version: 1 });
  const file = join(dir, CHAT_MODEL_FILE);
  await writeGguf(file, { metadata: [...spec.metadata, ['tokenizer.chat_template', gv.str(CHAT_TEMPLATE)]], tensors: spec.tensors });
  return { path: file, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
