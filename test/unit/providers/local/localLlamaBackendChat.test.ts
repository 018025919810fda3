// LocalLlamaBackend.chat against a real worker and the tiny test model: streaming, limits, stop
// strings, abort, the context-window error, host-side validation, the model's own chat template,
// and completions sharing the worker with chats. The tiny model's text is noise; these tests assert
// structure (chunks, counts, reasons), not content.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBackendError } from '../../../../src/core/kernel/backendError';
import type { ChatMessage } from '../../../../src/core/kernel/chatTypes';
import {
  LocalLlamaBackend,
  type LocalChatOptions,
  type LocalLlamaBackendOptions,
} from '../../../../src/core/providers/local/localLlamaBackend';
import { gv, writeGguf } from '../../../support/gguf/ggufWriter';
import { tinyModelSpec } from '../../../support/gguf/tinyModel';
import { ensureTinyModels, qwenPrompt, sampleCode, tinyModel, workerPath } from './llamaTestModels';

function backend(overrides: Partial<LocalLlamaBackendOptions> = {}): LocalLlamaBackend {
  return new LocalLlamaBackend({
    workerPath,
    modelPath: tinyModel,
    threads: 1,
    flashAttention: true,
    contextSize: 4096,
    batchSize: 64,
    restart: { initialDelayMs: 50, maxDelayMs: 200 },
    ...overrides,
  });
}

const options = (extra: Partial<LocalChatOptions> = {}): LocalChatOptions => ({
  maxTokens: 32,
  temperature: 0,
  timeoutMs: 30_000,
  ...extra,
});

// The tiny model says "quick brown\n" after any token off its chain; ending the conversation with a
// started answer (continued, not closed) keeps ChatML's final "\n" from ending it at once.
const conversation: ChatMessage[] = [
  { role: 'system', content: 'Answer briefly.' },
  { role: 'user', content: 'What does scale0 do?' },
  { role: 'assistant', content: 'It' },
];

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected the promise to reject');
}

describe('LocalLlamaBackend.chat with the tiny model', function () {
  this.timeout(60_000);
  let b: LocalLlamaBackend | undefined;
  let tmp: string;

  before(() => {
    ensureTinyModels();
    tmp = mkdtempSync(join(tmpdir(), 'bantam-llama-chat-'));
  });
  afterEach(() => {
    b?.dispose();
    b = undefined;
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('streams chunks that add up to the answer, with counts from the worker', async () => {
    b = backend();
    const chunks: string[] = [];
    let firstTokens = 0;
    const r = await b.chat(conversation, options({ onChunk: (t) => chunks.push(t), onFirstToken: () => firstTokens++ }));
    assert.ok(r.text.length > 0, 'non-empty answer');
    assert.equal(chunks.join(''), r.text);
    assert.ok(chunks.length > 1, 'streamed in pieces');
    assert.equal(r.stoppedBy, 'eos');
    assert.equal(r.reported, true);
    assert.equal(firstTokens, 1);
    assert.ok(r.promptTokens > 10 && r.generatedTokens > 0);
    assert.ok(Number.isFinite(r.ttftMs) && r.ttftMs <= r.totalMs);
  });

  it('respects maxTokens', async () => {
    b = backend();
    const r = await b.chat(conversation, options({ maxTokens: 3 }));
    assert.equal(r.stoppedBy, 'maxTokens');
    assert.equal(r.generatedTokens, 3);
  });

  it('ends at a caller stop string and leaves it out of the text', async () => {
    b = backend();
    const free = (await b.chat(conversation, options())).text;
    const stop = free.slice(2, 5);
    const r = await b.chat(conversation, options({ stop: [stop] }));
    assert.equal(r.stoppedBy, 'stop');
    assert.equal(r.text, free.slice(0, free.indexOf(stop)));
  });

  it('reuses the cached conversation for a follow-up turn', async () => {
    b = backend();
    const first = await b.chat(conversation, options());
    const followUp = await b.chat(
      [...conversation.slice(0, 2), { role: 'assistant', content: `It${first.text}` }, { role: 'user', content: 'And scale1?' }],
      options(),
    );
    assert.ok(followUp.reusedTokens > 10, `reused ${followUp.reusedTokens} of ${followUp.promptTokens}`);
  });

  it('resolves at once with the text so far when aborted mid-answer; the worker then serves a completion', async () => {
    b = backend();
    await b.load();
    const controller = new AbortController();
    const chunks: string[] = [];
    const r = await b.chat(
      conversation,
      options({
        maxTokens: 3000,
        ignoreEos: true,
        signal: controller.signal,
        onChunk: (t) => {
          chunks.push(t);
          if (chunks.length === 3) controller.abort();
        },
      }),
    );
    assert.equal(r.stoppedBy, 'abort');
    assert.equal(r.reported, false);
    assert.equal(r.text, chunks.slice(0, 3).join(''));
    const next = await b.generate(qwenPrompt(sampleCode, '\n'), { maxTokens: 8, stop: [], timeoutMs: 30_000, temperature: 0 });
    assert.notEqual(next.stoppedBy, 'abort');
    assert.ok(next.text.length > 0);
  });

  it('answers an already-aborted signal without starting the worker', async () => {
    b = backend();
    const r = await b.chat(conversation, options({ signal: AbortSignal.abort() }));
    assert.equal(r.stoppedBy, 'abort');
    assert.equal(r.text, '');
    assert.equal(b.pid, undefined);
  });

  it('keeps the text when generation runs past timeoutMs', async () => {
    b = backend();
    const r = await b.chat(conversation, options({ maxTokens: 3000, ignoreEos: true, timeoutMs: 100 }));
    assert.equal(r.stoppedBy, 'timeout');
    assert.ok(r.text.length > 0);
  });

  it('rejects a conversation longer than the context window with a clear error, and still serves one that fits', async () => {
    b = backend({ contextSize: 512 });
    const window = await b.contextSize();
    assert.ok(window >= 512, `context ${window}`);
    const err = await rejection(b.chat([{ role: 'user', content: sampleCode.repeat(3) }], options()));
    assert.ok(isBackendError(err, 'http'), String(err));
    assert.match(
      err.message,
      new RegExp(`^The prompt is \\d+ tokens but the embedded model's window is ${window}; use a frontier model or raise bantam\\.embedded\\.contextSize\\.$`),
    );
    const ok = await b.chat(conversation, options({ maxTokens: 4 }));
    assert.ok(ok.generatedTokens > 0);
  });

  describe('rejects a malformed conversation before it reaches the worker', () => {
    const bad: Array<[string, unknown]> = [
      ['no messages', []],
      ['an unknown role', [{ role: 'tool', content: 'x' }]],
      ['content that is not text', [{ role: 'user', content: 7 }]],
      ['a system message after the first', [{ role: 'user', content: 'a' }, { role: 'system', content: 's' }]],
    ];
    for (const [name, messages] of bad) {
      it(name, async () => {
        b = backend();
        const err = await rejection(b.chat(messages as ChatMessage[], options()));
        assert.ok(isBackendError(err, 'malformed'), String(err));
        assert.equal(b.pid, undefined);
      });
    }
  });

  it('serves completions after a chat, and a chat after a completion', async () => {
    b = backend();
    const infill = () => b!.generate(qwenPrompt(sampleCode, '\n'), { maxTokens: 16, stop: [], timeoutMs: 30_000, temperature: 0 });
    const before = await infill();
    const answer = await b.chat(conversation, options());
    const after = await infill();
    const again = await b.chat(conversation, options());
    assert.ok(before.text.length > 0 && answer.text.length > 0);
    assert.equal(after.text, before.text);
    assert.equal(after.stoppedBy, before.stoppedBy);
    // The chat took the one sequence's cache: the completion read its whole prompt again.
    assert.equal(after.reusedTokens, 0);
    assert.equal(again.text, answer.text);
  });

  it("renders with the model's own chat template when the GGUF has one", async () => {
    // The tiny model plus a Jinja chat template of its own: the prompt must be that template's rendering.
    const template =
      "{% for m in messages %}[{{ m['role'] }}] {{ m['content'] }}\n{% endfor %}{% if add_generation_prompt %}[assistant] {% endif %}";
    const tiny = tinyModelSpec({ fim: true, kind: 'tiny-chat-template', version: 1 });
    const spec = { ...tiny, metadata: [...tiny.metadata, ['tokenizer.chat_template', gv.str(template)] as const] };
    const modelPath = join(tmp, 'tiny-chat-template.gguf');
    await writeGguf(modelPath, spec);
    b = backend({ modelPath });

    const question: ChatMessage[] = [
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: 'What does scale0 do?' },
    ];
    const r = await b.chat(question, options());
    const rendered = '[system] Answer briefly.\n[user] What does scale0 do?\n[assistant] ';
    assert.equal(r.promptTokens, await b.tokenCount(rendered));
    // ChatML would have rendered the same conversation differently (longer, with <|im_start|> markers).
    const chatMl = '<|im_start|>system\nAnswer briefly.<|im_end|>\n<|im_start|>user\nWhat does scale0 do?<|im_end|>\n<|im_start|>assistant\n';
    assert.notEqual(r.promptTokens, await b.tokenCount(chatMl));
    // The template's own turn separator ("\n" before the next "[role]") ends the answer.
    assert.ok(!r.text.includes('\n'), JSON.stringify(r.text));
  });
});
