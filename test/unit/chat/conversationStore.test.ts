// Tests for the stored conversations: a round trip through a JSON key-value store like VS Code's
// workspaceState, the limits (conversations and turns), and data that is not what this version
// wrote (another version, a hand edit, a crash mid-answer): malformed entries are dropped, and a
// turn left 'streaming' loads as 'stopped'. Also the titles made from a first question.
import * as assert from 'node:assert/strict';
import {
  conversationTitle,
  ConversationStore,
  MAX_STORED_CONTEXT_CHARS,
  MAX_TITLE,
  type Conversation,
  type StoredTurn,
} from '../../../src/core/chat/conversationStore';
import { MemoryStore } from './chatFakes';

const INDEX = 'bantam.chat.conversations';
const key = (id: string) => `bantam.chat.conversation.${id}`;

function turn(id: string, fields: Partial<StoredTurn> = {}): StoredTurn {
  return { id, role: 'user', text: `text ${id}`, status: 'done', ...fields };
}

function conversation(id: string, updatedAt: number, turns: StoredTurn[] = [turn(`${id}-1`)]): Conversation {
  return { id, title: `title ${id}`, createdAt: 1, updatedAt, turns };
}

describe('ConversationStore', () => {
  it("keeps the code of the newest contexts only, and where the older ones came from", async () => {
    const half = 'x'.repeat(MAX_STORED_CONTEXT_CHARS / 2);
    const context = (file: string) => [{ file, startLine: 1, endLine: 900, text: half, reason: 'attached file' }];
    const store = new ConversationStore(new MemoryStore());
    await store.save(conversation('c1', 5, [turn('u1', { context: context('a.ts') }), turn('u2', { context: context('b.ts') }), turn('u3', { context: context('c.ts') })]));
    const kept = store.get('c1')!.turns.map((t) => t.context![0]!.text.length);
    assert.deepEqual(kept, [0, half.length, half.length]);
  });

  it('keeps an answer\'s sources', async () => {
    const store = new ConversationStore(new MemoryStore());
    const sources = [{ file: 'src/a.ts', startLine: 1, endLine: 4, reason: 'defines a' }];
    await store.save(conversation('c1', 5, [turn('a', { role: 'assistant', sources })]));
    assert.deepEqual(store.get('c1')!.turns[0]!.sources, sources);
  });

  it('round-trips a conversation, its turns and the context a user turn kept', async () => {
    const kv = new MemoryStore();
    const context = [{ file: 'src/a.ts', startLine: 1, endLine: 2, text: 'a\nb', reason: 'selected' }];
    const saved = conversation('c1', 10, [
      turn('u', { chips: [{ id: 'k', kind: 'selection', label: 'a.ts:1-2', tokens: 3 }], context }),
      turn('a', {
        role: 'assistant',
        text: 'answer',
        route: { tier: 'local', provider: 'Fake', model: 'm' },
        notices: ['n'],
        usage: { input: 5, output: 6 },
      }),
      turn('e', { role: 'assistant', text: '', status: 'error', error: 'it failed' }),
    ]);
    await new ConversationStore(kv).save(saved);
    const store = new ConversationStore(kv);
    assert.deepEqual(store.get('c1'), saved);
    assert.deepEqual(store.list(), [{ id: 'c1', title: 'title c1', updatedAt: 10, turns: 3 }]);
  });

  it('lists newest first and hands out copies that do not change what is stored', async () => {
    const store = new ConversationStore(new MemoryStore());
    for (const [id, at] of [['a', 5], ['b', 9], ['c', 1]] as const) await store.save(conversation(id, at));
    assert.deepEqual(store.list().map((s) => s.id), ['b', 'a', 'c']);
    const copy = store.get('a')!;
    copy.turns[0]!.text = 'changed';
    copy.title = 'changed';
    assert.equal(store.get('a')!.turns[0]!.text, 'text a-1');
    assert.equal(store.get('a')!.title, 'title a');
    const original = conversation('d', 2);
    await store.save(original);
    original.turns[0]!.text = 'changed after saving';
    assert.equal(store.get('d')!.turns[0]!.text, 'text d-1');
  });

  it('keeps maxConversations, dropping the least recently updated and their data', async () => {
    const kv = new MemoryStore();
    const store = new ConversationStore(kv, { maxConversations: 3 });
    for (const [id, at] of [['a', 1], ['b', 4], ['c', 3], ['d', 2]] as const) await store.save(conversation(id, at));
    assert.deepEqual(store.list().map((s) => s.id), ['b', 'c', 'd']);
    assert.equal(kv.get(key('a')), undefined);
    // Saving one again (a new turn) makes it newest without dropping anything else.
    await store.save(conversation('d', 9));
    assert.deepEqual(store.list().map((s) => s.id), ['d', 'b', 'c']);
  });

  it('keeps the newest maxTurns turns of a conversation', async () => {
    const store = new ConversationStore(new MemoryStore(), { maxTurns: 4 });
    const turns = Array.from({ length: 7 }, (_, i) => turn(`t${i}`));
    await store.save(conversation('c', 1, turns));
    assert.deepEqual(store.get('c')!.turns.map((t) => t.id), ['t3', 't4', 't5', 't6']);
  });

  it('deletes a conversation and its data', async () => {
    const kv = new MemoryStore();
    const store = new ConversationStore(kv);
    await store.save(conversation('a', 1));
    await store.save(conversation('b', 2));
    await store.delete('a');
    await store.delete('never-there');
    assert.deepEqual(store.list().map((s) => s.id), ['b']);
    assert.equal(store.get('a'), undefined);
    assert.equal(kv.get(key('a')), undefined);
  });

  it('loads a turn a crash left streaming as stopped, keeping its text', async () => {
    const kv = new MemoryStore();
    await new ConversationStore(kv).save(
      conversation('c', 1, [turn('u'), turn('a', { role: 'assistant', text: 'half an ans', status: 'streaming' })]),
    );
    const loaded = new ConversationStore(kv).get('c')!;
    assert.equal(loaded.turns[1]!.status, 'stopped');
    assert.equal(loaded.turns[1]!.text, 'half an ans');
  });

  describe('data it did not write', () => {
    const good = () => conversation('good', 5);
    const indexCases: { name: string; index: unknown; listed: string[] }[] = [
      { name: 'an index that is not a list', index: { good: true }, listed: [] },
      { name: 'ids that are not strings', index: [42, null, 'good', { id: 'x' }], listed: ['good'] },
      { name: 'a duplicate id', index: ['good', 'good'], listed: ['good'] },
      { name: 'an id with no data', index: ['missing', 'good'], listed: ['good'] },
    ];
    for (const c of indexCases) {
      it(`drops ${c.name}`, () => {
        const kv = new MemoryStore();
        kv.update(key('good'), good());
        kv.update(INDEX, c.index);
        const store = new ConversationStore(kv);
        assert.deepEqual(store.list().map((s) => s.id), c.listed);
        assert.equal(store.get('missing'), undefined);
      });
    }

    const conversationCases: { name: string; value: unknown }[] = [
      { name: 'not an object', value: 'hello' },
      { name: 'a list', value: [good()] },
      { name: 'another id than its key', value: { ...good(), id: 'other' } },
      { name: 'no title', value: { ...good(), title: undefined } },
      { name: 'a title that is too long', value: { ...good(), title: 'x'.repeat(5000) } },
      { name: 'a negative time', value: { ...good(), updatedAt: -1 } },
      { name: 'a time that is not a number', value: { ...good(), createdAt: '2024' } },
      { name: 'turns that are not a list', value: { ...good(), turns: { 0: turn('t') } } },
    ];
    for (const c of conversationCases) {
      it(`drops a conversation with ${c.name}, keeping the others`, () => {
        const kv = new MemoryStore();
        kv.update(key('good'), c.value);
        kv.update(key('fine'), conversation('fine', 1));
        kv.update(INDEX, ['good', 'fine']);
        const store = new ConversationStore(kv);
        assert.equal(store.get('good'), undefined);
        assert.deepEqual(store.list().map((s) => s.id), ['fine']);
      });
    }

    const turnCases: { name: string; turn: unknown }[] = [
      { name: 'not an object', turn: 7 },
      { name: 'an unknown role', turn: { ...turn('x'), role: 'system' } },
      { name: 'an unknown status', turn: { ...turn('x'), status: 'thinking' } },
      { name: 'text that is not a string', turn: { ...turn('x'), text: 12 } },
      { name: 'a malformed chip', turn: { ...turn('x'), chips: [{ id: 'c', kind: 'url', label: 'l', tokens: 1 }] } },
      { name: 'a malformed route', turn: { ...turn('x'), route: { tier: 'cloud', provider: 'p', model: 'm' } } },
      { name: 'negative usage', turn: { ...turn('x'), usage: { input: -1, output: 0 } } },
    ];
    for (const c of turnCases) {
      it(`drops a turn with ${c.name}, keeping the conversation`, () => {
        const kv = new MemoryStore();
        kv.update(key('c'), { ...conversation('c', 1), turns: [turn('before'), c.turn, turn('after')] });
        kv.update(INDEX, ['c']);
        assert.deepEqual(new ConversationStore(kv).get('c')!.turns.map((t) => t.id), ['before', 'after']);
      });
    }

    it('drops a malformed context and fields it does not know, keeping the turn', () => {
      const kv = new MemoryStore();
      const bad = { ...turn('x'), context: [{ file: 'a.ts', startLine: 1, endLine: 'two', text: '', reason: '' }], extra: 'keep me?' };
      const unknownInChip = { ...turn('y'), chips: [{ id: 'c', kind: 'file', label: 'a.ts', tokens: 1, onclick: 'x' }] };
      kv.update(key('c'), { ...conversation('c', 1), turns: [bad, unknownInChip] });
      kv.update(INDEX, ['c']);
      const [x, y] = new ConversationStore(kv).get('c')!.turns;
      assert.deepEqual(x, turn('x'));
      assert.deepEqual(y!.chips, [{ id: 'c', kind: 'file', label: 'a.ts', tokens: 1 }]);
    });

    it('cleans what does not load out of the store on the next save', async () => {
      const kv = new MemoryStore();
      kv.update(key('broken'), 'nonsense');
      kv.update(INDEX, ['broken', 7]);
      await new ConversationStore(kv).save(conversation('new', 1));
      assert.deepEqual(kv.get(INDEX), ['new']);
      assert.equal(kv.get(key('broken')), undefined);
    });
  });

  describe('conversationTitle', () => {
    const long = 'How does the checkout flow compute discounts for bundled items and what happens on refunds';
    const cases: { question: string; title: string }[] = [
      { question: 'Why is total() wrong?', title: 'Why is total() wrong?' },
      { question: '\n\n   What does   this\tdo?\nmore detail here', title: 'What does this do?' },
      { question: long, title: 'How does the checkout flow compute discounts for bundled…' },
      { question: 'x'.repeat(100), title: `${'x'.repeat(MAX_TITLE - 1)}…` },
      { question: '   \n ', title: 'New conversation' },
    ];
    for (const c of cases) {
      it(`titles ${JSON.stringify(c.question.slice(0, 30))}`, () => {
        const title = conversationTitle(c.question);
        assert.equal(title, c.title);
        assert.ok(title.length <= MAX_TITLE);
      });
    }
    it('uses the fallback when the question has no words', () => {
      assert.equal(conversationTitle('', 'Explain cart.ts:1-4'), 'Explain cart.ts:1-4');
    });
  });
});
