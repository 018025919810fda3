// Both ends of the worker protocol accept only well-formed messages.
import * as assert from 'node:assert/strict';
import { parseHostMessage, parseWorkerMessage } from '../../../../src/core/providers/local/llamaProtocol';
import { LOADED_MESSAGE } from './loadedMessage';

const generate = { type: 'generate', id: 1, prompt: 'p', maxTokens: 8, stop: ['\n'], timeoutMs: 1000, temperature: 0 };
const chat = {
  type: 'chat',
  id: 2,
  messages: [
    { role: 'system', content: 's' },
    { role: 'user', content: 'u' },
    { role: 'assistant', content: 'a' },
  ],
  maxTokens: 8,
  temperature: 0.2,
  timeoutMs: 1000,
};
const result = { text: 'x', promptTokens: 3, reusedTokens: 1, generatedTokens: 1, ttftMs: 5, totalMs: 6, stoppedBy: 'eos' };

const goodLoaded = LOADED_MESSAGE;
const load = { type: 'load', modelPath: '/m.gguf', gpu: 'auto', threads: 1, flashAttention: true, contextSize: 2048, batchSize: 256 };
const withAccelerator = (change: Record<string, unknown>) => ({
  ...goodLoaded,
  info: { ...goodLoaded.info, accelerator: { ...goodLoaded.info.accelerator, ...change } },
});

const extent = { shape: 'line-or-block', linePrefix: '  return ', languageId: 'typescript', tabSize: 4, maxFirstLineChars: 128 };

describe('parseHostMessage', () => {
  it('accepts every well-formed message', () => {
    const ok: unknown[] = [
      ...(['auto', 'metal', 'cuda', 'vulkan', 'off'] as const).map((gpu) => ({ ...load, gpu })),
      generate,
      { ...generate, fresh: true, stream: false },
      { ...generate, extent },
      { ...generate, extent: { ...extent, shape: 'block' } },
      chat,
      { ...chat, messages: [{ role: 'user', content: '' }] },
      { ...chat, stop: ['\n\n'], ignoreEos: false },
      { type: 'abort', id: 1 },
      { type: 'tokenize', id: 2, text: 'abc' },
      { type: 'measureRates', id: 3, promptTokens: 100, genTokens: 10 },
      { type: 'dispose' },
    ];
    for (const m of ok) assert.notEqual(parseHostMessage(m), undefined, JSON.stringify(m));
  });

  it('rejects unknown and malformed messages', () => {
    const bad: unknown[] = [
      null,
      42,
      'generate',
      [],
      { type: 'explode' },
      { ...generate, id: '1' },
      { ...generate, stop: [1] },
      { ...generate, maxTokens: -1 },
      { ...generate, timeoutMs: 0 },
      { ...generate, temperature: -0.5 },
      { ...generate, fresh: 'yes' },
      { ...generate, extent: { ...extent, shape: 'line' } },
      { ...generate, extent: { ...extent, linePrefix: 3 } },
      { ...generate, extent: { ...extent, tabSize: 0 } },
      { ...generate, extent: 'line-or-block' },
      { ...load, threads: 0 },
      { ...load, gpu: undefined },
      { ...load, gpu: 'rocm' },
      { ...load, gpu: false },
      { type: 'abort' },
      // chat: no messages, a bad role or content, a system message after the first, bad limits
      { ...chat, messages: [] },
      { ...chat, messages: 'hello' },
      { ...chat, messages: [{ role: 'tool', content: 'x' }] },
      { ...chat, messages: [{ role: 'user' }] },
      { ...chat, messages: [{ role: 'user', content: 42 }] },
      { ...chat, messages: [null] },
      { ...chat, messages: [{ role: 'user', content: 'u' }, { role: 'system', content: 's' }] },
      { ...chat, id: undefined },
      { ...chat, maxTokens: 1.5 },
      { ...chat, timeoutMs: 0 },
      { ...chat, temperature: Number.NaN },
      { ...chat, stop: 'END' },
      { ...chat, ignoreEos: 1 },
      { type: 'measureRates', id: 3, promptTokens: 0, genTokens: 10 },
    ];
    for (const m of bad) assert.equal(parseHostMessage(m), undefined, JSON.stringify(m));
  });
});

describe('parseWorkerMessage', () => {
  it('accepts a done message and restores NaN timings that JSON turned into null', () => {
    const parsed = parseWorkerMessage(JSON.parse(JSON.stringify({ type: 'done', id: 4, result: { ...result, ttftMs: Number.NaN } })));
    assert.equal(parsed?.type, 'done');
    assert.ok(parsed?.type === 'done' && Number.isNaN(parsed.result.ttftMs));
  });

  it('accepts a loaded message with or without a measured prompt rate', () => {
    assert.notEqual(parseWorkerMessage(goodLoaded), undefined);
    assert.notEqual(parseWorkerMessage({ ...goodLoaded, promptTokPerS: null }), undefined);
  });

  it('accepts a loaded message on a GPU, and one that fell back to the CPU with its reason', () => {
    const cuda = withAccelerator({ kind: 'cuda', devices: ['NVIDIA GeForce RTX 4070'], gpuLayers: 25, vramUsedBytes: 900_000_000, vramTotalBytes: 12e9 });
    assert.notEqual(parseWorkerMessage(cuda), undefined);
    assert.notEqual(parseWorkerMessage(withAccelerator({ fallback: 'Bantam runs the model on the CPU: no CUDA driver.' })), undefined);
  });

  it('rejects malformed worker messages', () => {
    const bad: unknown[] = [
      undefined,
      { type: 'done', id: 4, result: { ...result, stoppedBy: 'boredom' } },
      { type: 'done', id: 4, result: { ...result, text: 3 } },
      { type: 'error', code: 'kaboom', message: 'x' },
      { type: 'chunk', id: 1 },
      { type: 'loaded', info: {}, trainContextSize: 1, vocab: {}, loadMs: 1 },
      { ...goodLoaded, promptTokPerS: -3 },
      { ...goodLoaded, promptTokPerS: '250' },
      { ...goodLoaded, promptTokPerS: undefined },
      { ...goodLoaded, info: { ...goodLoaded.info, accelerator: undefined } },
      withAccelerator({ kind: 'rocm' }),
      withAccelerator({ gpuLayers: 26 }),
      withAccelerator({ devices: [1] }),
      withAccelerator({ vramUsedBytes: -1 }),
      withAccelerator({ unifiedMemory: 'yes' }),
      withAccelerator({ fallback: undefined }),
    ];
    for (const m of bad) assert.equal(parseWorkerMessage(m), undefined, JSON.stringify(m));
  });

  it('accepts load and request errors', () => {
    assert.notEqual(parseWorkerMessage({ type: 'error', code: 'no-fim', message: 'no FIM' }), undefined);
    assert.notEqual(parseWorkerMessage({ type: 'error', id: 2, code: 'prompt-too-long', message: 'long' }), undefined);
  });
});
