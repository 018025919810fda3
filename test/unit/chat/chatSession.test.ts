// Tests for the chat session with a fake router (chatFakes.ts): what a question posts to the view and
// in what order, the prompt it builds for the room it is given (history newest first, chips once,
// @codebase within a budget that fits), Stop, failures, the busy refusal, persistence across
// sessions over the same store (including a crash mid-answer and corrupt data), and the
// conversation list actions. Every message posted must pass the webview's own protocol check.
import * as assert from 'node:assert/strict';
import { ChatSession, BUSY_NOTICE, EMPTY_NOTICE, LENGTH_NOTICE, MISSING_NOTICE, TIMEOUT_ERROR, type ChatChip } from '../../../src/core/chat/chatSession';
import { parseHostMessage, type HostMessage } from '../../../src/core/chat/chatProtocol';
import { ConversationStore } from '../../../src/core/chat/conversationStore';
import { fitToRoom, QUESTION_CONTEXT_TOKENS } from '../../../src/core/chat/promptBudget';
import { buildAnswerMessages, type PromptSnippet } from '../../../src/core/chat/taskPrompts';
import { BackendError } from '../../../src/core/kernel/backendError';
import type { ChatMessage } from '../../../src/core/kernel/chatTypes';
import { Router } from '../../../src/core/routing/router';
import { FakeClock, FakeRunner, MemoryStore, type RunScript } from './chatFakes';

/** Prompt tokens as the router counts them against a room. */
const router = new Router({} as never);
const tokens = (messages: readonly ChatMessage[]) => router.promptTokens(messages);

/** Messages the webview's protocol check would have dropped. */
const dropped: string[] = [];

type Of<T extends HostMessage['type']> = Extract<HostMessage, { type: T }>;

function setup(options: { kv?: MemoryStore; script?: RunScript } = {}) {
  const clock = new FakeClock();
  clock.time = 1_000;
  const kv = options.kv ?? new MemoryStore();
  const store = new ConversationStore(kv);
  const runner = new FakeRunner(clock);
  if (options.script) runner.script = options.script;
  const posted: HostMessage[] = [];
  const logged: string[] = [];
  let ids = 0;
  const session = new ChatSession({
    store,
    runner,
    post: (message) => {
      // Checked here but asserted after each test: the session catches what its post callback throws.
      if (!parseHostMessage(structuredClone(message))) dropped.push(JSON.stringify(message).slice(0, 200));
      posted.push(structuredClone(message));
    },
    maxAnswerTokens: () => 321,
    now: clock.now,
    newId: () => `id${++ids}`,
    timers: clock,
    log: (m) => logged.push(m),
  });
  const of = <T extends HostMessage['type']>(type: T) => posted.filter((m): m is Of<T> => m.type === type);
  const lastState = () => of('state').at(-1)!.state;
  return { clock, kv, store, runner, posted, logged, session, of, lastState };
}

const snippet = (file: string, text: string, startLine = 1): PromptSnippet => ({
  file,
  startLine,
  endLine: startLine + text.split('\n').length - 1,
  text,
  reason: 'selected',
});

function chip(kind: 'selection' | 'file', id: string, label: string, snippets: PromptSnippet[]): ChatChip {
  return { view: { id, kind, label, tokens: 10 }, snippets };
}

describe('ChatSession', () => {
  afterEach(() => assert.deepEqual(dropped.splice(0), [], 'every message posted passes the view\'s check'));

  describe('a question', () => {
    it('posts the turn, its deltas and its end, and resolves with the answer', async () => {
      const { session, posted, of, runner, store } = setup();
      const turn = await session.send('Why is total() wrong?');

      // The first chunk goes out at once; the second, 0 ms later, waits for the end of the answer.
      assert.deepEqual(posted.map((m) => m.type), ['chips', 'turnStarted', 'turnRoute', 'delta', 'delta', 'turnEnded']);
      const started = of('turnStarted')[0]!;
      assert.deepEqual(started.turns, [
        { id: 'id2', role: 'user', text: 'Why is total() wrong?', status: 'done' },
        { id: 'id3', role: 'assistant', text: '', status: 'streaming' },
      ]);
      assert.deepEqual(of('delta').map((d) => d.text), ['Hello', ', world']);
      assert.ok(of('delta').every((d) => d.turnId === 'id3' && d.conversationId === started.conversationId));
      // Which model answers is known before the first word of the answer.
      assert.deepEqual(of('turnRoute'), [
        { type: 'turnRoute', conversationId: started.conversationId, turnId: 'id3', route: { tier: 'local', provider: 'Fake', model: 'fake-1' } },
      ]);
      assert.deepEqual(turn, {
        id: 'id3',
        role: 'assistant',
        text: 'Hello, world',
        status: 'done',
        route: { tier: 'local', provider: 'Fake', model: 'fake-1' },
        usage: { input: 11, output: 7 },
      });
      assert.deepEqual(of('turnEnded')[0]!.turn, turn);

      const task = runner.tasks[0]!;
      assert.equal(task.kind, 'chat');
      assert.equal(task.requested, 'auto');
      assert.equal(task.maxTokens, 321);
      assert.deepEqual(runner.prompts[0], {
        messages: buildAnswerMessages({ kind: 'chat', question: 'Why is total() wrong?', context: [], history: [] }),
        files: [],
      });
      const state = session.state();
      assert.equal(state.busy, false);
      assert.deepEqual(state.conversations, [{ id: state.activeId, title: 'Why is total() wrong?', updatedAt: 1_000, turns: 2 }]);
      assert.deepEqual(store.get(state.activeId)!.turns.map((t) => t.status), ['done', 'done']);
    });

    const routing: { name: string; act: (s: ChatSession) => Promise<unknown>; kind: string; requested: string; tier: string }[] = [
      { name: 'a chat at the picked tier', act: (s) => s.send('q', { tier: 'frontier' }), kind: 'chat', requested: 'frontier', tier: 'frontier' },
      { name: 'the tier set before', act: (s) => (s.setTier('local'), s.send('q')), kind: 'chat', requested: 'local', tier: 'local' },
      { name: 'Ask About Codebase', act: (s) => s.send('q', { kind: 'multi-file-question' }), kind: 'multi-file-question', requested: 'auto', tier: 'auto' },
      { name: 'Ask About Selection', act: (s) => s.send('', { kind: 'explain' }), kind: 'explain', requested: 'auto', tier: 'auto' },
    ];
    for (const c of routing) {
      it(`routes ${c.name}`, async () => {
        const { session, runner } = setup();
        await c.act(session);
        assert.equal(runner.tasks[0]!.kind, c.kind);
        assert.equal(runner.tasks[0]!.requested, c.requested);
        assert.equal(session.state().tier, c.tier);
      });
    }

    it('batches deltas to one per 30 ms, all sent before the turn ends', async () => {
      const { session, of, posted, clock } = setup({
        script: { chunks: [[1_000, 'a'], [1_005, 'b'], [1_010, 'c'], [1_050, 'd'], [1_051, 'e']] },
      });
      await session.send('q');
      assert.deepEqual(of('delta').map((d) => d.text), ['a', 'bc', 'de']);
      assert.equal(posted.at(-1)!.type, 'turnEnded');
      assert.equal(clock.pending, 0);
    });

    it('titles the conversation from its first question only', async () => {
      const { session } = setup();
      await session.send('  \nHow are discounts applied to bundles?\nDetails follow');
      await session.send('And refunds?');
      assert.equal(session.state().conversations[0]!.title, 'How are discounts applied to bundles?');
    });

    it('titles a question asked through its chips alone', async () => {
      const { session } = setup();
      session.addChip(chip('selection', 's', 'cart.ts:1-4', [snippet('src/cart.ts', 'a\nb\nc\nd')]));
      await session.send('', { kind: 'explain' });
      assert.equal(session.state().conversations[0]!.title, 'Explain cart.ts:1-4');
    });
  });

  describe('history', () => {
    const questions = ['first question about the cart module', 'second: how are totals rounded', 'third one', 'fourth, the longest question of them all, about taxes and rounding rules'];
    const answer = (i: number) => `answer ${i}: ${'the code does this and that. '.repeat(i + 2)}`;
    const question = 'and now?';

    /** A conversation of four answered exchanges with a failed one in the middle (never sent again). */
    async function seeded() {
      const s = setup();
      for (const [i, q] of questions.entries()) {
        s.runner.script = { chunks: [answer(i)] };
        await s.session.send(q);
        if (i === 1) {
          s.runner.script = { fail: new BackendError('unreachable', 'Nothing answered. Start the model.') };
          await s.session.send('this one failed');
        }
      }
      return s;
    }
    const pairs = questions.map((q, i): ChatMessage[] => [
      { role: 'user', content: q },
      { role: 'assistant', content: answer(i) },
    ]);
    const withNewest = (n: number) => buildAnswerMessages({ kind: 'chat', question, context: [], history: pairs.slice(pairs.length - n).flat() });

    const cases: { name: string; room: () => number; kept: number }[] = [
      { name: 'all of it when it fits', room: () => 100_000, kept: 4 },
      { name: 'exactly what fits', room: () => tokens(withNewest(3)), kept: 3 },
      { name: 'the newest, dropping the oldest', room: () => tokens(withNewest(2)) + 2, kept: 2 },
      { name: 'none when only the question fits', room: () => tokens(withNewest(0)) + 1, kept: 0 },
      {
        name: 'nothing older when the newest does not fit, even if an older one would',
        room: () => tokens(withNewest(0)) + tokens(pairs[0]!) + 1,
        kept: 0,
      },
      { name: 'none, and still the question, when even it does not fit', room: () => 5, kept: 0 },
    ];
    for (const c of cases) {
      it(`sends ${c.name}`, async () => {
        const { session, runner } = await seeded();
        const room = c.room();
        runner.script = { rooms: [room] };
        await session.send(question);
        const messages = runner.prompts.at(-1)!.messages;
        assert.deepEqual(messages, withNewest(c.kept));
        if (c.kept > 0) assert.ok(tokens(messages) <= room);
      });
    }

    it('is gathered again for the smaller room of a fallback model', async () => {
      const { session, runner } = await seeded();
      runner.script = { rooms: [100_000, tokens(withNewest(1)) + 1] };
      await session.send(question);
      assert.deepEqual(runner.prompts.at(-1)!.messages, withNewest(1));
    });
  });

  describe('chips', () => {
    const selection = snippet('src/cart.ts', 'export function total() {\n  return 1;\n}', 10);
    const file = { ...snippet('src/item.ts', 'export const price = 1;'), reason: 'attached file' };

    it('sends the chips once, keeps what was sent on the question, then clears them', async () => {
      const { session, runner, of, store } = setup();
      session.addChip(chip('selection', 's1', 'cart.ts:10-12', [selection]));
      session.addChip(chip('file', 'f1', 'item.ts', [file]));
      await session.send('Explain these');
      assert.deepEqual(runner.prompts[0], {
        messages: buildAnswerMessages({ kind: 'chat', question: 'Explain these', context: [selection, file], history: [] }),
        files: ['src/cart.ts', 'src/item.ts'],
      });
      assert.deepEqual(of('chips').map((m) => m.chips.map((c) => c.id)), [['s1'], ['s1', 'f1'], []]);
      const [user] = session.state().turns;
      assert.deepEqual(user!.chips!.map((c) => c.label), ['cart.ts:10-12', 'item.ts']);
      assert.equal('context' in user!, false, 'the view never gets the code that was sent');
      assert.deepEqual(store.get(session.state().activeId)!.turns[0]!.context, [selection, file]);
      // The answer lists what it was shown as its sources (where, not the code).
      const answer = session.state().turns[1]!;
      assert.deepEqual(answer.sources, [
        { file: 'src/cart.ts', startLine: 10, endLine: 12, reason: selection.reason },
        { file: 'src/item.ts', startLine: 1, endLine: 1, reason: 'attached file' },
      ]);

      await session.send('And now?');
      assert.deepEqual(runner.prompts[1]!.files, []);
      assert.equal(runner.prompts[1]!.messages.at(-1)!.content, '## Question\nAnd now?');
    });

    const edits: { name: string; act: (s: ChatSession) => void; ids: string[] }[] = [
      {
        name: 'a second chip of the same kind and label replaces the first in place',
        act: (s) => {
          s.addChip(chip('selection', 'a', 'cart.ts:1-2', []));
          s.addChip(chip('file', 'b', 'cart.ts', []));
          s.addChip(chip('selection', 'c', 'cart.ts:1-2', []));
        },
        ids: ['c', 'b'],
      },
      {
        name: 'a chip with the same id replaces the first',
        act: (s) => {
          s.addChip(chip('file', 'f', 'a.ts', []));
          s.addChip(chip('file', 'f', 'a.ts (changed)', []));
        },
        ids: ['f'],
      },
      {
        name: 'the same label of another kind is another chip',
        act: (s) => {
          s.addChip(chip('file', 'x', 'cart.ts', []));
          s.addChip(chip('selection', 'y', 'cart.ts', []));
        },
        ids: ['x', 'y'],
      },
      {
        name: 'removing drops the chip with the id, and an unknown id changes nothing',
        act: (s) => {
          s.addChip(chip('file', 'x', 'a.ts', []));
          s.addChip(chip('file', 'y', 'b.ts', []));
          s.removeChip('x');
          s.removeChip('nope');
        },
        ids: ['y'],
      },
    ];
    for (const c of edits) {
      it(c.name, () => {
        const { session, of } = setup();
        c.act(session);
        assert.deepEqual(of('chips').at(-1)!.chips.map((v) => v.id), c.ids);
        assert.deepEqual(session.state().chips.map((v) => v.id), c.ids);
      });
    }

    it('cuts an attached snippet too big for the room to the lines that fit, and says so', async () => {
      const big = snippet('src/big.ts', Array.from({ length: 400 }, (_, i) => `const value${i} = compute(${i});`).join('\n'));
      const { session, runner } = setup({ script: { rooms: [1_000] } });
      session.addChip(chip('file', 'f', 'big.ts', [big]));
      const turn = await session.send('What is this?');
      const prompt = runner.prompts[0]!;
      assert.ok(tokens(prompt.messages) <= 1_000);
      assert.match(prompt.messages.at(-1)!.content, /src\/big\.ts:1-\d+ \(selected, cut to fit\)/);
      assert.match(turn.notices![0]!, /src\/big\.ts was cut to lines 1-\d+ to fit/);
    });
  });

  describe('@codebase', () => {
    const attached = snippet('src/cart.ts', 'export function total() {\n  return items.reduce((a, b) => a + b.price, 0);\n}');
    const found = Array.from({ length: 60 }, (_, i) =>
      ({ ...snippet(`src/f${i}.ts`, `export function f${i}(x: number) {\n${'  x = x * 2 + 1;\n'.repeat(20)}  return x;\n}`), reason: 'retrieved' }),
    );
    const base = buildAnswerMessages({ kind: 'multi-file-question', question: 'where is tax?', context: [attached] });

    const cases: { name: string; room: number }[] = [
      { name: 'the preferred amount in a large room', room: 100_000 },
      { name: 'what a small room leaves', room: 4_000 },
    ];
    for (const c of cases) {
      it(`asks for ${c.name} and sends only what fits it`, async () => {
        const { session, runner } = setup({ script: { rooms: [c.room] } });
        const calls: [string, number][] = [];
        session.addChip(chip('selection', 's', 'cart.ts:1-3', [attached]));
        session.addChip({
          view: { id: 'codebase', kind: 'codebase', label: '@codebase', tokens: QUESTION_CONTEXT_TOKENS },
          resolve: async (q, budget) => (calls.push([q, budget]), found),
        });
        await session.send('where is tax?', { kind: 'multi-file-question' });
        assert.deepEqual(calls, [['where is tax?', fitToRoom(QUESTION_CONTEXT_TOKENS, c.room - tokens(base))]]);
        const budget = calls[0]![1];
        assert.ok(budget > 0 && budget <= QUESTION_CONTEXT_TOKENS);
        const prompt = runner.prompts[0]!;
        assert.ok(tokens(prompt.messages) <= c.room, 'the whole prompt fits the room');
        const sent = prompt.files.filter((f) => f.startsWith('src/f'));
        assert.ok(sent.length > 0 && sent.length < found.length, `sent ${sent.length} of ${found.length} excerpts`);
        assert.deepEqual(sent, found.slice(0, sent.length).map((s) => s.file), 'the best excerpts, in order');
        assert.ok(tokens(prompt.messages) - tokens(base) <= budget + 10, 'the excerpts keep within the budget');
      });
    }

    it('is not searched when the attached code fills the room, and the answer says so', async () => {
      const { session } = setup({ script: { rooms: [tokens(base) + 100] } });
      let called = false;
      session.addChip(chip('selection', 's', 'cart.ts:1-3', [attached]));
      session.addChip({ view: { id: 'codebase', kind: 'codebase', label: '@codebase', tokens: 1 }, resolve: async () => ((called = true), found) });
      const turn = await session.send('where is tax?', { kind: 'multi-file-question' });
      assert.equal(called, false);
      assert.match(turn.notices![0]!, /@codebase was left out/);
    });

    it('answers without its excerpts when the search fails, and says so', async () => {
      const { session, runner } = setup();
      session.addChip({
        view: { id: 'codebase', kind: 'codebase', label: '@codebase', tokens: 1 },
        resolve: async () => {
          throw new Error('the index is still building.');
        },
      });
      const turn = await session.send('where is tax?');
      assert.equal(turn.status, 'done');
      assert.deepEqual(runner.prompts[0]!.files, []);
      assert.deepEqual(turn.notices, ['@codebase excerpts could not be gathered (the index is still building), so the question was sent without them.']);
    });
  });

  describe('Stop', () => {
    const cases: { name: string; onAbort: RunScript['onAbort']; runnerSawAbort: boolean }[] = [
      { name: 'a runner that ends with finishReason abort', onAbort: 'return', runnerSawAbort: true },
      { name: 'a runner that rejects with aborted', onAbort: 'throw', runnerSawAbort: true },
      { name: 'a runner that ignores the signal', onAbort: 'ignore', runnerSawAbort: true },
    ];
    for (const c of cases) {
      it(`ends the turn as stopped with its partial text, with ${c.name}`, async () => {
        const { session, runner, of, store } = setup({ script: { chunks: ['Hel', 'lo', ' world'], pauseAfter: 1, onAbort: c.onAbort } });
        const sending = session.send('q');
        await runner.whenPaused();
        assert.equal(session.busy, true);
        session.stop();
        assert.equal(session.busy, false, 'Send is enabled again at once');
        assert.equal(runner.tasks[0]!.signal!.aborted, true, 'the router got the abort');
        const turn = await sending;
        assert.equal(turn.status, 'stopped');
        assert.equal(turn.text, 'Hel');
        runner.release();
        await new Promise((r) => setImmediate(r));
        assert.equal(runner.sawAbort[0], c.runnerSawAbort);
        assert.equal(of('delta').map((d) => d.text).join(''), 'Hel', 'nothing streams after Stop');
        assert.equal(of('turnEnded').length, 1);
        const stored = store.get(session.state().activeId)!.turns[1]!;
        assert.deepEqual([stored.status, stored.text], ['stopped', 'Hel']);
      });
    }

    it('gives a re-shown panel the answer so far while it streams', async () => {
      const { session, runner } = setup({ script: { chunks: ['Half ', 'of it', ' and the rest'], pauseAfter: 2 } });
      const sending = session.send('q');
      await runner.whenPaused();
      const streaming = session.state().turns.at(-1)!;
      assert.deepEqual([streaming.status, streaming.text], ['streaming', 'Half of it']);
      runner.release();
      assert.equal((await sending).text, 'Half of it and the rest');
    });

    it('stops an answer before any text arrived', async () => {
      const { session, runner } = setup({ script: { chunks: ['never'], pauseAfter: 0 } });
      const sending = session.send('q');
      await runner.whenPaused();
      session.stop();
      const turn = await sending;
      assert.deepEqual([turn.status, turn.text], ['stopped', '']);
    });

    it('does nothing when no answer is streaming', () => {
      const { session, posted } = setup();
      session.stop();
      assert.deepEqual(posted, []);
    });
  });

  describe('failures and endings', () => {
    const cases: { name: string; script: RunScript; status: string; text: string; error?: string; notices?: string[] }[] = [
      {
        name: 'a backend error becomes its message',
        script: { fail: new BackendError('unreachable', 'Ollama (127.0.0.1:11434) did not answer. Start it with `ollama serve`.') },
        status: 'error',
        text: '',
        error: 'Ollama (127.0.0.1:11434) did not answer. Start it with `ollama serve`.',
      },
      {
        name: 'a cancelled consent question is an error, not a stop',
        script: { fail: new BackendError('aborted', 'Cancelled: nothing was sent.') },
        status: 'error',
        text: '',
        error: 'Cancelled: nothing was sent.',
      },
      {
        name: 'anything else is reported as unexpected',
        script: { fail: new TypeError('x is undefined') },
        status: 'error',
        text: '',
        error: 'The answer failed unexpectedly: x is undefined',
      },
      {
        name: 'an answer cut at its token limit is done, with a notice',
        script: { chunks: ['partial'], finishReason: 'length' },
        status: 'done',
        text: 'partial',
        notices: [LENGTH_NOTICE],
      },
      {
        name: 'an answer that timed out keeps its text as an error',
        script: { chunks: ['some'], finishReason: 'timeout' },
        status: 'error',
        text: 'some',
        error: TIMEOUT_ERROR,
      },
      {
        name: 'the router\'s notices go on the answer',
        script: { chunks: ['ok'], notices: ['Anthropic failed, so the local model answers instead.'] },
        status: 'done',
        text: 'ok',
        notices: ['Anthropic failed, so the local model answers instead.'],
      },
      {
        name: 'an answer that did not stream arrives as one delta',
        script: { chunks: [], text: 'the whole answer' },
        status: 'done',
        text: 'the whole answer',
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const { session, of, store } = setup({ script: c.script });
        const turn = await session.send('q');
        assert.equal(turn.status, c.status);
        assert.equal(turn.text, c.text);
        assert.equal(turn.error, c.error);
        assert.deepEqual(turn.notices, c.notices);
        assert.equal(of('delta').map((d) => d.text).join(''), c.text);
        assert.deepEqual(of('turnEnded')[0]!.turn, turn);
        assert.equal(session.busy, false);
        assert.equal(store.get(session.state().activeId)!.turns[1]!.status, c.status);
      });
    }

    it('keeps answering when the store cannot save, and warns', async () => {
      const kv = new MemoryStore();
      kv.update = () => {
        throw new Error('disk full');
      };
      const { session, of } = setup({ kv });
      const turn = await session.send('q');
      assert.equal(turn.status, 'done');
      assert.ok(of('notice').some((n) => n.level === 'warning' && n.text.includes('disk full')));
    });
  });

  describe('refusals', () => {
    it('refuses a question while an answer streams, keeping the waiting chips', async () => {
      const { session, runner, of } = setup({ script: { chunks: ['a', 'b'], pauseAfter: 1 } });
      const first = session.send('one');
      await runner.whenPaused();
      session.addChip(chip('file', 'f', 'a.ts', [snippet('a.ts', 'x')]));
      const refused = await session.send('two');
      assert.deepEqual([refused.status, refused.error], ['error', BUSY_NOTICE]);
      assert.deepEqual(of('notice').map((n) => [n.level, n.text]), [['warning', BUSY_NOTICE]]);
      assert.equal(runner.tasks.length, 1);
      assert.deepEqual(session.state().chips.map((c) => c.id), ['f']);
      runner.release();
      assert.equal((await first).status, 'done');
      assert.equal(session.state().turns.length, 2);
    });

    it('refuses an empty question with nothing attached', async () => {
      const { session, runner, of } = setup();
      const refused = await session.send('  \n ');
      assert.equal(refused.status, 'error');
      assert.deepEqual(of('notice').map((n) => n.text), [EMPTY_NOTICE]);
      assert.equal(runner.tasks.length, 0);
    });

    it('stops the answer on dispose and posts nothing after', async () => {
      const { session, runner, posted } = setup({ script: { chunks: ['a', 'b'], pauseAfter: 1, onAbort: 'ignore' } });
      const sending = session.send('q');
      await runner.whenPaused();
      session.dispose();
      assert.equal((await sending).status, 'stopped');
      const count = posted.length;
      runner.release();
      assert.equal((await session.send('again')).status, 'error');
      session.newConversation();
      assert.equal(posted.length, count);
    });
  });

  describe('persistence', () => {
    it('a new session over the same store continues the latest conversation', async () => {
      const kv = new MemoryStore();
      const first = setup({ kv });
      await first.session.send('First question');
      const second = setup({ kv });
      const state = second.session.state();
      assert.equal(state.activeId, first.session.state().activeId);
      assert.deepEqual(state.turns, first.session.state().turns);
      assert.deepEqual(state.conversations.map((c) => [c.title, c.turns]), [['First question', 2]]);
      await second.session.send('Second question');
      assert.deepEqual(
        second.runner.prompts[0]!.messages.slice(1, 3),
        [
          { role: 'user', content: 'First question' },
          { role: 'assistant', content: 'Hello, world' },
        ],
      );
    });

    it('an answer a crash cut off reloads as stopped', async () => {
      const kv = new MemoryStore();
      const crashed = setup({ kv, script: { chunks: ['par', 'tial'], pauseAfter: 1 } });
      void crashed.session.send('q');
      await crashed.runner.whenPaused();
      const reopened = setup({ kv }).session.state();
      assert.deepEqual(reopened.turns.map((t) => t.status), ['done', 'stopped']);
      crashed.runner.release();
    });

    it('starts empty over corrupt data, and opens what still loads', () => {
      const kv = new MemoryStore();
      kv.update('bantam.chat.conversations', ['bad', 'good', 3]);
      kv.update('bantam.chat.conversation.bad', { id: 'bad', title: 7 });
      const empty = setup({ kv }).session.state();
      assert.deepEqual([empty.conversations, empty.turns], [[], []]);
      kv.update('bantam.chat.conversation.good', { id: 'good', title: 'Kept', createdAt: 1, updatedAt: 2, turns: [{ id: 't', role: 'user', text: 'hi', status: 'done' }, 'junk'] });
      const state = setup({ kv }).session.state();
      assert.equal(state.activeId, 'good');
      assert.deepEqual(state.turns.map((t) => t.text), ['hi']);
    });
  });

  describe('conversations', () => {
    it('new, open and delete post the state they lead to', async () => {
      const { session, lastState, of } = setup();
      await session.send('one');
      const one = session.state().activeId;

      session.newConversation();
      let state = lastState();
      assert.notEqual(state.activeId, one);
      assert.deepEqual(state.turns, []);
      assert.deepEqual(state.conversations.map((c) => c.id), [one], 'an empty conversation is not listed until asked in');
      await session.send('two');
      const two = session.state().activeId;

      session.openConversation(one);
      state = lastState();
      assert.equal(state.activeId, one);
      assert.deepEqual(state.turns.map((t) => t.text), ['one', 'Hello, world']);

      session.openConversation('gone');
      assert.equal(lastState().activeId, one);
      assert.deepEqual(of('notice').map((n) => n.text), [MISSING_NOTICE]);

      await session.deleteConversation(two);
      state = lastState();
      assert.equal(state.activeId, one, 'deleting another conversation keeps the open one');
      assert.deepEqual(state.conversations.map((c) => c.id), [one]);

      await session.deleteConversation(one);
      state = lastState();
      assert.ok(state.activeId !== one && state.activeId !== two);
      assert.deepEqual([state.turns, state.conversations], [[], []]);
    });

    it('deleting the conversation of a streaming answer stops it and leaves nothing behind', async () => {
      const { session, runner, store, lastState } = setup({ script: { chunks: ['a', 'b'], pauseAfter: 1 } });
      const sending = session.send('q');
      await runner.whenPaused();
      const id = session.state().activeId;
      await session.deleteConversation(id);
      assert.equal((await sending).status, 'stopped');
      assert.equal(store.get(id), undefined);
      assert.deepEqual(lastState().conversations, []);
      assert.equal(lastState().busy, false);
    });

    it('a new conversation while an answer streams stops it and keeps it stopped in its own', async () => {
      const { session, runner, store, lastState } = setup({ script: { chunks: ['a', 'b'], pauseAfter: 1 } });
      const sending = session.send('q');
      await runner.whenPaused();
      const id = session.state().activeId;
      session.newConversation();
      assert.equal(lastState().busy, false);
      await sending;
      assert.deepEqual(store.get(id)!.turns.map((t) => [t.status, t.text]), [['done', 'q'], ['stopped', 'a']]);
    });
  });
});
