// The next-edit pipeline end to end in plain Node: the recorded history and the window become the
// model family's prompt, sent to a loopback OpenAI-compatible server speaking /v1/completions; the
// rewrite comes back as minimal edits, or as a refusal the stats count. Also: the prefetch of the state
// after accepting, a server off the machine only after consent, a served model without a name, and a
// server error said once.
import * as assert from 'node:assert/strict';
import { configFrom, type BantamConfig } from '../../../src/core/config';
import { EditHistory } from '../../../src/core/nextEdit/editHistory';
import { NextEditClient } from '../../../src/core/nextEdit/nextEditClient';
import { applyEdits } from '../../../src/core/nextEdit/nextEditDisplay';
import { buildNextEditInput } from '../../../src/core/nextEdit/nextEditInput';
import type { GenerationResult } from '../../../src/core/kernel/completionTypes';
import type { NextEditModel } from '../../../src/core/nextEdit/nextEditModel';
import { NextEditPredictor } from '../../../src/core/nextEdit/nextEditPredictor';
import type { NextEditRequest } from '../../../src/core/nextEdit/nextEditSource';
import { NextEditStats } from '../../../src/core/nextEdit/nextEditStats';
import { sweepPrompt } from '../../../src/core/nextEdit/sweepPrompt';
import { zetaPrompt } from '../../../src/core/nextEdit/zetaPrompt';
import { startFakeProviderServer, type FakeProviderServer } from '../../support/fakeProviderServer';

const PATH = 'src/scale.ts';
const BEFORE = ['export function scale(factor: number, values: number[]): number[] {', '  const out: number[] = [];', '  for (const v of values) out.push(v * factor);', '  return out;', '}', ''].join('\n');
const RENAMED = BEFORE.replace('scale(factor', 'scale(ratio');
const EXPECTED = RENAMED.replace('v * factor', 'v * ratio');
const CURSOR = RENAMED.indexOf('ratio') + 'ratio'.length;
/** The window of this short file is all of it: Sweep answers with the header's line break, then the window. */
const SWEEP_ANSWER = `\n${EXPECTED}\n`;

const MACHINE = { ramBytes: 8 * 2 ** 30, cpuCores: 2, gpu: null };

function request(overrides: Partial<NextEditRequest> = {}): NextEditRequest {
  return { path: PATH, languageId: 'typescript', text: RENAMED, documentVersion: 3, cursorOffset: CURSOR, ...overrides };
}

/** A history holding the rename, typed a keystroke at a time. */
function renamedHistory(): EditHistory {
  const history = new EditHistory(() => true);
  const start = BEFORE.indexOf('factor');
  const [head, tail] = [BEFORE.slice(0, start), BEFORE.slice(start + 'factor'.length)];
  let text = BEFORE;
  let at = 1000;
  for (const word of ['', 'r', 'ra', 'rat', 'rati', 'ratio']) {
    history.record(PATH, text, head + word + tail, (at += 100));
    text = head + word + tail;
  }
  assert.equal(text, RENAMED);
  return history;
}

describe('NextEditPredictor (the next-edit pipeline)', () => {
  let fake: FakeProviderServer;
  let settings: Record<string, unknown>;
  let told: string[];
  const config = (): BantamConfig => configFrom(settings);

  function predictor(options: { history?: EditHistory; stats?: NextEditStats; consent?: (host: string) => Promise<boolean> } = {}) {
    const client = new NextEditClient({ hostScript: '/nonexistent/modelHost.js', modelsDir: '/nonexistent', machine: MACHINE, notify: (m) => told.push(m), consent: options.consent });
    const history = options.history ?? renamedHistory();
    return { client, history, predictor: new NextEditPredictor({ config, client, history, stats: options.stats, now: () => 2000 }) };
  }

  beforeEach(async () => {
    fake = await startFakeProviderServer({ script: { chunks: [SWEEP_ANSWER] } });
    settings = { 'nextEdit.enabled': true, 'nextEdit.backend': 'openai', 'nextEdit.model': 'sweep-next-edit-1.5b', 'openai.baseUrl': `${fake.url}/v1` };
    told = [];
  });

  afterEach(async () => {
    await fake.close();
  });

  it('sends the Sweep prompt of the history and window, and answers with the edit at the use two lines below', async () => {
    const stats = new NextEditStats();
    const { client, history, predictor: p } = predictor({ stats });
    const attempt = await p.attempt(request(), new AbortController().signal);
    client.dispose();
    assert.ok(attempt.suggestion, attempt.refused);
    assert.equal(attempt.suggestion.documentVersion, 3);
    assert.equal(applyEdits(RENAMED, attempt.suggestion.edits), EXPECTED);
    assert.deepEqual(attempt.suggestion.edits.map((e) => RENAMED.slice(e.startOffset, e.endOffset)), ['factor']);

    const [sent] = fake.requestsTo('/completions');
    const expected = sweepPrompt(buildNextEditInput(request(), 'sweep', history));
    assert.equal(sent?.body.prompt, expected.text);
    assert.equal(sent?.body.model, 'sweep-next-edit-1.5b');
    assert.equal(sent?.body.temperature, 0);
    assert.deepEqual(sent?.body.stop, ['<|file_sep|>', '<|endoftext|>']);
    // The rename is the hunk being typed: the window before it is the `original/` block.
    assert.ok(expected.text.includes(`<|file_sep|>original/${PATH}\n${BEFORE.replace(/\n$/, '')}`), expected.text);
    assert.ok(expected.text.endsWith(`<|file_sep|>updated/${PATH}`));
    assert.equal(stats.snapshot().requests, 1);
  });

  it('prompts a model named like Zeta in Zeta’s format, and reads its region markers', async () => {
    settings['nextEdit.model'] = 'zeta';
    fake.setScript({ chunks: [`<|editable_region_start|>\n${EXPECTED}\n<|editable_region_end|>`] });
    const { client, history, predictor: p } = predictor();
    const attempt = await p.attempt(request(), new AbortController().signal);
    client.dispose();
    assert.ok(attempt.suggestion, attempt.refused);
    assert.equal(applyEdits(RENAMED, attempt.suggestion.edits), EXPECTED);
    assert.equal(fake.requestsTo('/completions')[0]?.body.prompt, zetaPrompt(buildNextEditInput(request(), 'zeta', history)).text);
  });

  for (const [what, chunks, reason] of [
    ['the window unchanged', [`\n${RENAMED}\n`], 'no-change'],
    ['an empty rewrite', ['\n\n'], 'empty'],
    ['a rewrite holding FIM markup', [`\n<|fim_middle|>${EXPECTED}`], 'markup'],
  ] as Array<[string, string[], string]>) {
    it(`shows nothing for ${what}, and counts why`, async () => {
      fake.setScript({ chunks });
      const stats = new NextEditStats();
      const { client, predictor: p } = predictor({ stats });
      const attempt = await p.attempt(request(), new AbortController().signal);
      client.dispose();
      assert.equal(attempt.suggestion, undefined);
      assert.match(attempt.refused ?? '', new RegExp(`^${reason}:`));
      assert.equal(stats.snapshot().refused[reason as 'no-change'], 1);
    });
  }

  it('shows nothing for a rewrite cut off by the token limit (it would delete the rest of the window)', async () => {
    fake.setScript({ chunks: ['\nexport function scale(ratio'], finishReason: 'length' });
    const { client, predictor: p } = predictor();
    const attempt = await p.attempt(request(), new AbortController().signal);
    client.dispose();
    assert.equal(attempt.suggestion, undefined);
    assert.match(attempt.refused ?? '', /^cut-off:/);
  });

  it('does not suggest redoing an edit the user just undid', async () => {
    // The user changed `v * factor` to `v * ratio`, then undid it.
    const history = renamedHistory();
    history.record(PATH, RENAMED, EXPECTED, 1800);
    history.record(PATH, EXPECTED, RENAMED, 1900, 'undo');
    const { client, predictor: p } = predictor({ history });
    const attempt = await p.attempt(request(), new AbortController().signal);
    client.dispose();
    assert.equal(attempt.suggestion, undefined);
    assert.match(attempt.refused ?? '', /^repeats-undo:/);
  });

  it('takes a prefetched suggestion for the state after accepting, without asking the model again', async () => {
    const { client, predictor: p } = predictor();
    p.prefetch(request({ documentVersion: 0 }));
    const attempt = await p.attempt(request({ documentVersion: 9 }), new AbortController().signal);
    client.dispose();
    assert.equal(fake.requestsTo('/completions').length, 1);
    assert.equal(attempt.suggestion?.documentVersion, 9);
    assert.equal(applyEdits(RENAMED, attempt.suggestion!.edits), EXPECTED);
  });

  it('drops a prefetch when the next request is for another state', async () => {
    fake.setScript({ chunks: [SWEEP_ANSWER], firstByteDelayMs: 300 });
    const { client, predictor: p } = predictor();
    p.prefetch(request({ cursorOffset: 0 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const attempt = await p.attempt(request(), new AbortController().signal);
    client.dispose();
    const sent = fake.requestsTo('/completions');
    assert.equal(sent.length, 2);
    assert.equal(await fake.settled(sent[0]!), 'client-closed');
    assert.ok(attempt.suggestion);
  });

  it('reads ahead the very prompt the request for the same state then sends, on a model that can read ahead', async () => {
    const read: string[] = [];
    const asked: string[] = [];
    const result = (text: string): GenerationResult => ({ text, promptTokens: 1, reusedTokens: 0, generatedTokens: 1, ttftMs: 1, totalMs: 1, stoppedBy: 'stop' });
    const model: NextEditModel = {
      rewrite: async (prompt) => {
        asked.push(prompt.text);
        return result(SWEEP_ANSWER);
      },
      readPrompt: async (prompt) => {
        read.push(prompt.text);
        return result('');
      },
      dispose: () => undefined,
    };
    const p = new NextEditPredictor({
      config,
      client: { ready: async () => ({ model, format: 'sweep', label: 'fake' }), reportError: (m) => told.push(m) },
      history: renamedHistory(),
      now: () => 2000,
    });
    assert.equal(await p.readAhead(request(), new AbortController().signal), true);
    const attempt = await p.attempt(request(), new AbortController().signal);
    assert.ok(attempt.suggestion, attempt.refused);
    assert.equal(read.length, 1);
    assert.deepEqual(asked, read);
    assert.deepEqual(told, []);
  });

  it('a served model does not read ahead: nothing is sent before the request', async () => {
    const { client, predictor: p } = predictor();
    assert.equal(await p.readAhead(request(), new AbortController().signal), false);
    client.dispose();
    assert.equal(fake.requestsTo('/completions').length, 0);
  });

  it('keeps a document’s window while the cursor moves a few lines inside it, so the prompt’s window blocks stay byte-identical', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `const v${i} = ${i};`).join('\n');
    const at = (line: number) => long.split('\n').slice(0, line).join('\n').length + 1;
    fake.setScript({ chunks: [''] });
    const { client, predictor: p } = predictor({ history: new EditHistory(() => true) });
    const first = await p.attempt(request({ text: long, cursorOffset: at(20) }), new AbortController().signal);
    const near = await p.attempt(request({ text: long, cursorOffset: at(23) }), new AbortController().signal);
    const far = await p.attempt(request({ text: long, cursorOffset: at(29) }), new AbortController().signal);
    client.dispose();
    assert.deepEqual([first.prompt?.window.startLine, near.prompt?.window.startLine, far.prompt?.window.startLine], [10, 10, 19]);
    assert.equal(near.prompt?.text, first.prompt?.text);
  });

  it('sends nothing to a server off this machine until the user agrees, and asks once', async () => {
    settings['openai.baseUrl'] = 'http://203.0.113.7:9/v1';
    const asked: string[] = [];
    const { client, predictor: p } = predictor({ consent: async (host) => (asked.push(host), false) });
    assert.equal(await p.suggest(request(), new AbortController().signal), undefined);
    assert.equal(await p.suggest(request(), new AbortController().signal), undefined);
    client.dispose();
    assert.deepEqual(asked, ['203.0.113.7:9']);
    assert.equal(fake.requests.length, 0);
  });

  it('asks again after Forget Frontier Consent', async () => {
    settings['openai.baseUrl'] = 'http://203.0.113.7:9/v1';
    const asked: string[] = [];
    const { client, predictor: p } = predictor({ consent: async (host) => (asked.push(host), false) });
    await p.suggest(request(), new AbortController().signal);
    client.forgetConsents();
    await p.suggest(request(), new AbortController().signal);
    client.dispose();
    assert.equal(asked.length, 2);
  });

  it('a prefetch a request took over is called off when that request is', async () => {
    fake.setScript({ chunks: [SWEEP_ANSWER], firstByteDelayMs: 3000 });
    const stats = new NextEditStats();
    const { client, predictor: p } = predictor({ stats });
    p.prefetch(request());
    const controller = new AbortController();
    const pending = p.attempt(request(), controller.signal);
    const [sent] = await (async () => {
      for (let i = 0; i < 100 && fake.requestsTo('/completions').length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      return fake.requestsTo('/completions');
    })();
    controller.abort();
    assert.equal((await pending).suggestion, undefined);
    assert.equal(await fake.settled(sent!), 'client-closed');
    client.dispose();
    assert.deepEqual([stats.snapshot().requests, stats.snapshot().errors], [0, 0], 'an aborted request is neither a request answered nor an error');
  });

  it('a prefetch nobody asked for is not counted in the stats', async () => {
    fake.setScript({ chunks: [`\n${RENAMED}\n`] });
    const stats = new NextEditStats();
    const { client, predictor: p } = predictor({ stats });
    p.prefetch(request({ cursorOffset: 0 }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    client.dispose();
    assert.equal(fake.requestsTo('/completions').length, 1);
    assert.deepEqual([stats.snapshot().requests, stats.snapshot().refused['no-change']], [0, undefined]);
  });

  it('a served backend without a model name says what to set, once', async () => {
    settings['nextEdit.model'] = '';
    const { client, predictor: p } = predictor();
    await p.suggest(request(), new AbortController().signal);
    await p.suggest(request(), new AbortController().signal);
    client.dispose();
    assert.equal(told.length, 1);
    assert.match(told[0]!, /set bantam\.nextEdit\.model to the name of the next-edit model served at 127\.0\.0\.1:\d+/);
    assert.equal(fake.requests.length, 0);
  });

  it('a server error is counted and said once, however often it answers so', async () => {
    fake.setScript({ httpError: { status: 500, message: 'model crashed' } });
    const stats = new NextEditStats();
    const { client, predictor: p } = predictor({ stats });
    await p.suggest(request(), new AbortController().signal);
    await p.suggest(request(), new AbortController().signal);
    client.dispose();
    assert.equal(stats.snapshot().errors, 2);
    assert.equal(told.length, 1, told.join('\n'));
    assert.match(told[0]!, /^Bantam next-edit: /);
  });

  it('an aborted request shows nothing and counts no error', async () => {
    fake.setScript({ chunks: [SWEEP_ANSWER], firstByteDelayMs: 2000 });
    const stats = new NextEditStats();
    const { client, predictor: p } = predictor({ stats });
    const controller = new AbortController();
    const pending = p.suggest(request(), controller.signal);
    setTimeout(() => controller.abort(), 50);
    assert.equal(await pending, undefined);
    client.dispose();
    assert.equal(stats.snapshot().errors, 0);
    assert.deepEqual(told, []);
  });
});
