// Tests for fitting one chat turn's prompt into a room, the parts the session tests reach only
// indirectly: attached code cut or left out when it does not fit, and the final check that trims
// the whole when the per-part estimates fall short of the whole (an estimator that charges two
// excerpts more together than apart).
import * as assert from 'node:assert/strict';
import { fitChatPrompt, type ChatPromptRequest } from '../../../src/core/chat/chatPrompt';
import { buildAnswerMessages, type PromptSnippet } from '../../../src/core/chat/taskPrompts';
import type { ChatMessage } from '../../../src/core/kernel/chatTypes';
import { MESSAGE_OVERHEAD_TOKENS } from '../../../src/core/routing/router';

const charTokens = (text: string) => text.length;
const cost = (messages: ChatMessage[], estimate: (t: string) => number) =>
  messages.reduce((sum, m) => sum + estimate(m.content) + MESSAGE_OVERHEAD_TOKENS, 0);

const lines = (file: string, n: number): PromptSnippet => ({
  file,
  startLine: 1,
  endLine: n,
  text: Array.from({ length: n }, (_, i) => `line ${i + 1} of ${file}`).join('\n'),
  reason: 'attached file',
});

function request(fields: Partial<ChatPromptRequest>): ChatPromptRequest {
  return { kind: 'chat', question: 'q?', snippets: [], resolvers: [], earlier: [], room: 100_000, estimateTokens: charTokens, ...fields };
}

describe('fitChatPrompt', () => {
  const a = lines('a.ts', 20);
  const b = lines('b.ts', 20);
  const question = buildAnswerMessages({ kind: 'chat', question: 'q?', context: [] });
  const both = buildAnswerMessages({ kind: 'chat', question: 'q?', context: [a, b] });
  const onlyA = buildAnswerMessages({ kind: 'chat', question: 'q?', context: [a] });

  const cases: { name: string; room: number; sent: { file: string; endLine: number }[]; notes: RegExp[] }[] = [
    { name: 'sends attached code whole when it fits', room: cost(both, charTokens), sent: [{ file: 'a.ts', endLine: 20 }, { file: 'b.ts', endLine: 20 }], notes: [] },
    {
      name: 'cuts the snippet that does not fit to the lines that do',
      room: cost(onlyA, charTokens) + 200,
      sent: [{ file: 'a.ts', endLine: 20 }, { file: 'b.ts', endLine: 10 }],
      notes: [/^b\.ts was cut to lines 1-10 /],
    },
    {
      name: 'leaves out a snippet of which not even a line fits',
      room: cost(onlyA, charTokens) + 5,
      sent: [{ file: 'a.ts', endLine: 20 }],
      notes: [/^b\.ts:1-20 was left out/],
    },
    {
      name: 'sends the question alone when it alone is over the room',
      room: 10,
      sent: [],
      notes: [/^a\.ts:1-20 was left out/, /^b\.ts:1-20 was left out/],
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const prompt = await fitChatPrompt(request({ snippets: [a, b], room: c.room }));
      assert.deepEqual(prompt.context.map((s) => ({ file: s.file, endLine: s.endLine })), c.sent);
      assert.deepEqual(prompt.input.context, prompt.context);
      assert.equal(prompt.notes.length, c.notes.length);
      c.notes.forEach((note, i) => assert.match(prompt.notes[i]!, note));
      const messages = buildAnswerMessages(prompt.input);
      if (c.sent.length) assert.ok(cost(messages, charTokens) <= c.room);
      const cut = prompt.context.findIndex((s) => s.reason.endsWith('cut to fit'));
      if (cut >= 0) {
        // The most that fits: one line more would not.
        const whole = [a, b][cut]!;
        const more = { ...prompt.context[cut]!, endLine: prompt.context[cut]!.endLine + 1, text: whole.text.split('\n').slice(0, prompt.context[cut]!.endLine + 1).join('\n') };
        const bigger = buildAnswerMessages({ ...prompt.input, context: prompt.context.map((s, i) => (i === cut ? more : s)) });
        assert.ok(cost(bigger, charTokens) > c.room);
      }
      assert.equal(messages.at(-1)!.content.endsWith('## Question\nq?'), true);
      assert.ok(cost(question, charTokens) <= cost(messages, charTokens));
    });
  }

  it('trims the whole when the parts were underestimated, dropping the last excerpt first', async () => {
    // Two excerpts cost 3000 more together than apart: each one's own estimate misses it.
    const together = (text: string) => text.length + (text.includes('f1.ts') && text.includes('f2.ts') ? 3_000 : 0);
    const found = [lines('f1.ts', 3), lines('f2.ts', 3)];
    const room = cost(question, together) + 1_200 + 600;
    const budgets: number[] = [];
    const prompt = await fitChatPrompt(
      request({ room, estimateTokens: together, resolvers: [async (_q, budget) => (budgets.push(budget), found)] }),
    );
    assert.deepEqual(budgets, [600]);
    assert.deepEqual(prompt.context.map((s) => s.file), ['f1.ts']);
    assert.ok(cost(buildAnswerMessages(prompt.input), together) <= room);
    assert.deepEqual(prompt.notes, ["f2.ts:1-3 was left out: it does not fit the model's prompt."]);
  });
});
