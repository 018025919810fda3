// The pure parts of chat on the llama worker: the shared chat roles in node-llama-cpp's history
// shape, which of a chat template's stop triggers are matched as text, and the too-long message.
import * as assert from 'node:assert/strict';
import type { ChatMessage } from '../../../../../src/core/kernel/chatTypes';
import { chatTooLong, textStopTriggers, toChatHistory } from '../../../../../src/core/providers/local/host/llamaChat';

type NodeLlamaCpp = typeof import('node-llama-cpp', { with: { 'resolution-mode': 'import' } });

describe('toChatHistory', () => {
  const cases: Array<{ name: string; messages: ChatMessage[]; expected: unknown[] }> = [
    {
      name: 'a question opens a model turn to answer',
      messages: [{ role: 'user', content: 'hi' }],
      expected: [{ type: 'user', text: 'hi' }, { type: 'model', response: [] }],
    },
    {
      name: 'system, user, assistant and user map one to one',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'b' },
        { role: 'user', content: 'c' },
      ],
      expected: [
        { type: 'system', text: 'be brief' },
        { type: 'user', text: 'a' },
        { type: 'model', response: ['b'] },
        { type: 'user', text: 'c' },
        { type: 'model', response: [] },
      ],
    },
    {
      name: 'a last assistant message is continued, not closed',
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'Sure,' },
      ],
      expected: [{ type: 'user', text: 'a' }, { type: 'model', response: ['Sure,'] }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(toChatHistory(c.messages), c.expected));
  }
});

describe('textStopTriggers', () => {
  let nlc: NodeLlamaCpp;
  before(async () => {
    nlc = await import('node-llama-cpp');
  });

  it('keeps plain and special-token text, drops builtin special tokens, and removes duplicates', () => {
    const { LlamaText, SpecialToken, SpecialTokensText } = nlc;
    const triggers = [
      LlamaText(new SpecialToken('EOS')),
      LlamaText(new SpecialTokensText('<|im_end|>')),
      LlamaText('<|im_end|>'),
      LlamaText(['\n', new SpecialTokensText('<|user|>')]),
      LlamaText(['User:', new SpecialToken('EOT')]),
      LlamaText(''),
    ];
    assert.deepEqual(textStopTriggers(triggers), ['<|im_end|>', '\n<|user|>']);
  });

  it("takes ChatML's own end-of-turn marker", () => {
    const { contextText, stopGenerationTriggers } = new nlc.ChatMLChatWrapper().generateContextState({
      chatHistory: toChatHistory([{ role: 'user', content: 'hi' }]),
    });
    assert.ok(contextText.toString().endsWith('<|im_start|>assistant\n'));
    assert.deepEqual(textStopTriggers(stopGenerationTriggers), ['<|im_end|>']);
  });
});

describe('chatTooLong', () => {
  it('says how long the prompt is, how big the window is, and what to do', () => {
    const e = chatTooLong(5000, 4096);
    assert.equal(e.code, 'prompt-too-long');
    assert.equal(
      e.message,
      "The prompt is 5000 tokens but the embedded model's window is 4096; use a frontier model or raise bantam.embedded.contextSize.",
    );
  });
});
