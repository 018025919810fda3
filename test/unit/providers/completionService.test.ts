// The completion service: nothing is built before the first suggestion asks for a backend; the
// model file is found and checked then, with the error the status bar shows when it can't be used;
// the backend is kept while the settings that matter stay the same and replaced when they change;
// Ollama is checked once built and tried again after a pause when it failed.
import { closedPort } from '../../support/closedPort';
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompletionService } from '../../../src/core/providers/completionService';
import type { ServiceState, ServiceStatus } from '../../../src/core/providers/serviceState';
import type { BuiltPrompt, CompletionBackend, GenerateOptions } from '../../../src/core/kernel/completionTypes';
import { configFrom, type BantamConfig, type RawSettings } from '../../../src/core/config';
import { LocalLlamaBackend } from '../../../src/core/providers/local/localLlamaBackend';
import { FAKE_MODELS, startFakeOllama, type FakeOllama } from '../../support/fakeOllamaServer';
import { startFakeProviderServer, type FakeProviderServer } from '../../support/fakeProviderServer';
import { ensureTinyModels, tinyModel, workerPath } from './local/llamaTestModels';

const GiB = 1024 ** 3;
const QWEN = FAKE_MODELS.qwenCoder.name;

class ManualClock {
  private t = 1_000_000;
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

interface Harness {
  service: CompletionService;
  clock: ManualClock;
  logs: string[];
  states: ServiceState[];
  modelsDir: string;
}

let scratch: string;
const services: CompletionService[] = [];

function harness(openAiKey?: string, consent?: (host: string) => Promise<boolean>): Harness {
  const clock = new ManualClock();
  const logs: string[] = [];
  const states: ServiceState[] = [];
  const modelsDir = mkdtempSync(join(scratch, 'models-'));
  const service = new CompletionService({
    modelsDir,
    workerPath,
    workspaceFolder: scratch,
    machine: { ramBytes: 8 * GiB, cpuCores: 2, gpu: null },
    log: (message) => logs.push(message),
    now: clock.now,
    apiKey: async (name) => (name === 'openai' ? openAiKey : undefined),
    consent,
  });
  service.onState((state) => states.push(state));
  services.push(service);
  return { service, clock, logs, states, modelsDir };
}

function embedded(model: string, raw: RawSettings = {}): BantamConfig {
  return configFrom({ 'completion.model': model, ...raw });
}

function ollama(host: string, raw: RawSettings = {}): BantamConfig {
  return configFrom({ 'completion.backend': 'ollama', 'ollama.host': host, 'ollama.model': QWEN, ...raw });
}

/** Resolves when the service reaches `status` (now or later). */
function reaches(service: CompletionService, status: ServiceStatus): Promise<ServiceState> {
  if (service.currentState.status === status) return Promise.resolve(service.currentState);
  return new Promise((resolve) => {
    const stop = service.onState((state) => {
      if (state.status !== status) return;
      stop();
      resolve(state);
    });
  });
}


function qwenPrompt(): BuiltPrompt {
  const prefix = 'function add(a, b) {\n  ';
  const suffix = '\n}\n';
  const text = `<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`;
  return { family: 'qwen', text, prefix, suffix, prefixStart: 0, estimatedTokens: 20 };
}

const generateOptions: GenerateOptions = { maxTokens: 8, stop: ['\n\n'], timeoutMs: 5000, temperature: 0 };

function defined(backend: CompletionBackend | undefined): CompletionBackend {
  assert.ok(backend, 'expected a backend');
  return backend;
}

before(function () {
  this.timeout(120_000);
  ensureTinyModels();
  scratch = mkdtempSync(join(tmpdir(), 'bantam-service-'));
});

after(() => {
  rmSync(scratch, { recursive: true, force: true });
});

afterEach(() => {
  for (const service of services.splice(0)) service.dispose();
});

describe('CompletionService', () => {
  describe('before the first suggestion', () => {
    it('configure() alone looks at nothing: a missing model file is not even noticed', () => {
      const h = harness();
      const missing = join(scratch, 'nowhere', 'missing-model.gguf');
      h.service.configure(embedded(missing));
      assert.equal(h.service.currentState.status, 'idle');
      assert.equal(h.service.currentState.backend, 'embedded');
      assert.equal(h.service.currentState.model, 'missing-model');
      assert.deepEqual(h.logs, []);
    });

    it('configure() alone sends Ollama nothing', async () => {
      const fake = await startFakeOllama();
      try {
        const h = harness();
        h.service.configure(ollama(fake.url));
        await new Promise((resolve) => setTimeout(resolve, 20)); // room for a stray request to arrive
        assert.equal(fake.requests.length, 0);
        assert.deepEqual(
          [h.service.currentState.status, h.service.currentState.backend, h.service.currentState.model],
          ['idle', 'ollama', QWEN],
        );
      } finally {
        await fake.close();
      }
    });

    it('without any settings there is no backend', async () => {
      const h = harness();
      assert.equal(await h.service.backend(), undefined);
      assert.equal(h.service.currentState.status, 'idle');
    });
  });

  describe('disabled', () => {
    it("reports 'disabled' and hands out no backend", async () => {
      const h = harness();
      h.service.configure(embedded(tinyModel, { 'completion.enabled': false }));
      assert.equal(h.service.currentState.status, 'disabled');
      assert.equal(await h.service.backend(), undefined);
      assert.equal(h.service.currentState.status, 'disabled');
    });

    it('switching off and on again with the same settings keeps the backend', async () => {
      const h = harness();
      h.service.configure(embedded(tinyModel));
      const first = defined(await h.service.backend());
      h.service.configure(embedded(tinyModel, { 'completion.enabled': false }));
      assert.equal(await h.service.backend(), undefined);
      h.service.configure(embedded(tinyModel));
      assert.notEqual(h.service.currentState.status, 'disabled');
      assert.equal(await h.service.backend(), first);
    });
  });

  describe('the embedded model file', () => {
    it('a missing file: no backend, an error naming the path', async () => {
      const h = harness();
      const missing = join(scratch, 'nowhere', 'missing-model.gguf');
      h.service.configure(embedded(missing));
      assert.equal(await h.service.backend(), undefined);
      const state = h.service.currentState;
      assert.equal(state.status, 'error');
      assert.equal(state.backend, 'embedded');
      assert.ok(state.message?.includes(missing), state.message);
      assert.ok(h.logs.some((line) => line.includes(missing)), h.logs.join('\n'));
      // It stays an error: nothing is retried on every keystroke.
      assert.equal(await h.service.backend(), undefined);
    });

    it("a file that is not GGUF: an error saying so", async () => {
      const h = harness();
      const file = join(scratch, 'notes.gguf');
      writeFileSync(file, 'These are my notes, not a model.\n'.repeat(10));
      h.service.configure(embedded(file));
      assert.equal(await h.service.backend(), undefined);
      assert.equal(h.service.currentState.status, 'error');
      assert.match(h.service.currentState.message ?? '', /not a GGUF/);
      assert.ok(h.service.currentState.message?.includes(file));
    });

    it('no model set and none downloaded: an error that says how to get one, naming the recommended model', async () => {
      const h = harness();
      h.service.configure(embedded(''));
      assert.equal(await h.service.backend(), undefined);
      const state = h.service.currentState;
      assert.equal(state.status, 'error');
      assert.equal(state.model, 'qwen2.5-coder-0.5b-q8_0', 'the 0.5B model for 8 GiB and 2 cores');
      assert.match(state.message ?? '', /Download Recommended Model/);
    });

    it('once loaded, the state says where the model runs; a GPU build that cannot load is the CPU, with the reason', async function () {
      this.timeout(60_000);
      const h = harness();
      // Metal exists only on macOS; elsewhere it is a GPU build that can never load.
      const gpu = process.platform === 'darwin' ? 'off' : 'metal';
      h.service.configure(embedded(tinyModel, { 'embedded.gpu': gpu, 'embedded.threads': 1 }));
      const backend = defined(await h.service.backend()) as LocalLlamaBackend;
      assert.equal(h.service.currentState.runtime, undefined, 'nothing to say before the model loads');
      await backend.load();
      const runtime = (await reaches(h.service, 'ready')).runtime;
      assert.ok(runtime, 'the ready state carries the runtime');
      assert.equal(runtime.accelerator.kind, 'cpu');
      assert.equal(runtime.threads, 1);
      assert.equal(runtime.accelerator.totalLayers, 3);
      assert.ok(runtime.accelerator.ramUsedBytes > 0);
      if (gpu === 'metal') assert.match(runtime.accelerator.fallback ?? '', /^Bantam runs the model on the CPU: Metal is not available/);
    });

    it('a relative path is found against the workspace folder', async () => {
      const h = harness();
      copyFileSync(tinyModel, join(scratch, 'relative-tiny.gguf'));
      h.service.configure(embedded('relative-tiny.gguf'));
      assert.ok((await h.service.backend()) instanceof LocalLlamaBackend);
    });

    it('the tiny model: a LocalLlamaBackend whose worker has not started', async () => {
      const h = harness();
      h.service.configure(embedded(tinyModel));
      const backend = await h.service.backend();
      assert.ok(backend instanceof LocalLlamaBackend);
      assert.equal(backend.pid, undefined, 'the worker starts on the first completion');
      assert.equal(await backend.family(), 'qwen', 'the family comes from the file inspection');
      assert.equal(h.service.currentState.status, 'idle');
      assert.equal(h.service.currentState.model, 'bantam-tiny-qwen2');
      // Concurrent callers share one build.
      const [a, b] = await Promise.all([h.service.backend(), h.service.backend()]);
      assert.equal(a, backend);
      assert.equal(b, backend);
      h.service.dispose();
      await assert.rejects(backend.load(), /shut down/);
    });
  });

  describe('which settings replace the backend', () => {
    const cases: Array<{ name: string; change: RawSettings; replaced: boolean }> = [
      { name: 'the same settings again', change: {}, replaced: false },
      { name: 'completion.maxTokens (read per request)', change: { 'completion.maxTokens': 50 }, replaced: false },
      { name: 'completion.debounceMaxMs', change: { 'completion.debounceMaxMs': 300 }, replaced: false },
      { name: 'ollama.host (another backend)', change: { 'ollama.host': 'http://127.0.0.1:1' }, replaced: false },
      { name: 'embedded.gpu', change: { 'embedded.gpu': 'off' }, replaced: true },
      { name: 'embedded.threads', change: { 'embedded.threads': 2 }, replaced: true },
      { name: 'embedded.flashAttention', change: { 'embedded.flashAttention': false }, replaced: true },
      { name: 'embedded.contextSize', change: { 'embedded.contextSize': 2048 }, replaced: true },
      { name: 'completion.model', change: { 'completion.model': 'COPY' }, replaced: true },
    ];
    for (const c of cases) {
      it(`${c.name}: ${c.replaced ? 'a new backend, the old one disposed' : 'the same backend'}`, async () => {
        const h = harness();
        h.service.configure(embedded(tinyModel));
        const first = defined(await h.service.backend());
        const change = { ...c.change };
        if (change['completion.model'] === 'COPY') {
          change['completion.model'] = join(scratch, 'copy-of-tiny.gguf');
          copyFileSync(tinyModel, change['completion.model'] as string);
        }
        h.service.configure(embedded(tinyModel, change)); // a fresh, equal-or-changed config object
        if (c.replaced) assert.equal(h.service.currentState.status, 'idle');
        const second = defined(await h.service.backend());
        if (!c.replaced) {
          assert.equal(second, first);
          return;
        }
        assert.notEqual(second, first);
        assert.ok(second instanceof LocalLlamaBackend);
        await assert.rejects((first as LocalLlamaBackend).load(), /shut down/);
      });
    }

    it('restart() drops the backend and builds a new one on next use', async () => {
      const h = harness();
      h.service.configure(embedded(tinyModel));
      const first = defined(await h.service.backend());
      h.service.restart();
      assert.equal(h.service.currentState.status, 'idle');
      const second = defined(await h.service.backend());
      assert.notEqual(second, first);
      await assert.rejects((first as LocalLlamaBackend).load(), /shut down/);
    });

    it('a change while the model file is being checked wins: the older build is dropped', async () => {
      const h = harness();
      h.service.configure(embedded(tinyModel));
      const pending = h.service.backend();
      h.service.configure(embedded(tinyModel, { 'embedded.threads': 3 }));
      const later = defined(await h.service.backend());
      const earlier = await pending;
      // The first caller got nothing or the current backend, never one that was replaced.
      assert.ok(earlier === undefined || earlier === later);
      assert.equal(defined(await h.service.backend()), later);
    });
  });

  describe("an OpenAI-compatible server ('openai')", () => {
    let server: FakeProviderServer;
    const KEY = 'sk-team-server-key-1234';

    beforeEach(async () => {
      server = await startFakeProviderServer({ apiKey: KEY, script: { chunks: ['return', ' a + b;'] } });
    });

    afterEach(async () => {
      await server.close();
    });

    const openai = (raw: RawSettings = {}) =>
      configFrom({
        'completion.backend': 'openai',
        'openai.baseUrl': `${server.url}/v1`,
        'openai.completionModel': 'qwen2.5-coder-1.5b',
        ...raw,
      });

    it("answers from /completions with the key from secret storage, then is 'ready'", async () => {
      const h = harness(KEY);
      h.service.configure(openai());
      assert.equal(h.service.currentState.backend, 'openai');
      assert.equal(h.service.currentState.model, 'qwen2.5-coder-1.5b');
      const backend = defined(await h.service.backend());
      assert.equal(backend.id, 'openai');
      assert.equal(await backend.family(), 'qwen');
      const result = await backend.generate(qwenPrompt(), generateOptions);
      assert.equal(result.text, 'return a + b;');
      const [request] = server.requestsTo('/v1/completions');
      assert.ok(request, 'the server got the request');
      assert.equal(request.headers.authorization, `Bearer ${KEY}`);
      assert.equal(request.body.prompt, qwenPrompt().text);
      assert.equal(request.body.model, 'qwen2.5-coder-1.5b');
      await reaches(h.service, 'ready');
      assert.equal(await h.service.embeddedBackend(), undefined, 'no embedded model behind a server backend');
    });

    it("a rejected key: an error that says to set the key, without the key; another model replaces the backend", async () => {
      const h = harness('sk-wrong-key-5678');
      h.service.configure(openai());
      const backend = defined(await h.service.backend());
      await assert.rejects(backend.generate(qwenPrompt(), generateOptions), /Set API Key/);
      const state = await reaches(h.service, 'error');
      assert.equal(state.backend, 'openai');
      assert.match(state.message ?? '', /Set API Key/);
      assert.ok(!(state.message ?? '').includes('sk-wrong-key-5678'));
      h.service.configure(openai({ 'openai.completionModel': 'other-model' }));
      assert.notEqual(await h.service.backend(), backend);
    });
  });

  describe('Ollama', () => {
    let fake: FakeOllama;

    beforeEach(async () => {
      fake = await startFakeOllama({ models: [FAKE_MODELS.qwenCoder] });
    });

    afterEach(async () => {
      await fake.close();
    });

    it("is checked once built, then 'ready'", async () => {
      const h = harness();
      h.service.configure(ollama(fake.url));
      const backend = defined(await h.service.backend());
      assert.equal(backend.id, 'ollama');
      const state = await reaches(h.service, 'ready');
      assert.equal(state.backend, 'ollama');
      assert.equal(state.model, QWEN);
      assert.ok(fake.requestsTo('/api/tags').length >= 1);
      assert.ok(h.states.some((s) => s.status === 'loading'), 'loading while connecting');
    });

    it('the same settings keep the backend; another host replaces it and shuts the old one down', async () => {
      const h = harness();
      h.service.configure(ollama(fake.url));
      const first = defined(await h.service.backend());
      h.service.configure(ollama(fake.url, { 'completion.maxTokens': 64 }));
      assert.equal(await h.service.backend(), first);
      const other = await startFakeOllama({ models: [FAKE_MODELS.qwenCoder] });
      try {
        h.service.configure(ollama(other.url));
        const second = defined(await h.service.backend());
        assert.notEqual(second, first);
        await assert.rejects(first.generate(qwenPrompt(), generateOptions), /shut down/);
        await reaches(h.service, 'ready');
        assert.ok(other.requestsTo('/api/tags').length >= 1);
      } finally {
        await other.close();
      }
    });

    it('a host off this machine and the private network: asked once, refused without a yes, never contacted before', async () => {
      const asked: string[] = [];
      let answer = false;
      const h = harness(undefined, async (host) => {
        asked.push(host);
        return answer;
      });
      h.service.configure(ollama('http://collector.invalid:11434'));
      assert.deepEqual(h.service.currentState.endpoint, { host: 'collector.invalid:11434', leavesMachine: true });
      assert.equal(await h.service.backend(), undefined);
      assert.equal(await h.service.backend(), undefined);
      assert.deepEqual(asked, ['collector.invalid:11434'], 'asked once, not per keystroke');
      assert.equal(h.service.currentState.status, 'error');
      assert.match(h.service.currentState.message ?? '', /would send the code around your cursor to collector\.invalid:11434/);
      // Restart Model asks again; a yes hands out the backend.
      answer = true;
      h.service.restart();
      assert.equal(defined(await h.service.backend()).id, 'ollama');
      assert.equal(asked.length, 2);
    });

    it('without a way to ask, a host off the machine is refused; loopback never asks', async () => {
      const h = harness();
      h.service.configure(ollama('https://collector.invalid'));
      assert.equal(await h.service.backend(), undefined);
      h.service.configure(ollama(fake.url));
      assert.equal(defined(await h.service.backend()).id, 'ollama');
      assert.deepEqual(h.service.currentState.endpoint?.leavesMachine, false);
    });

    it("an unreachable host: an error that says to run 'ollama serve'; tried again after 5 s", async () => {
      const h = harness();
      const host = `http://127.0.0.1:${await closedPort()}`;
      h.service.configure(ollama(host));
      const backend = defined(await h.service.backend());
      const state = await reaches(h.service, 'error');
      assert.match(state.message ?? '', /ollama serve/);
      assert.ok(state.message?.includes(host), state.message);

      assert.equal(await h.service.backend(), undefined, 'not asked again right away');
      h.clock.advance(5000);
      assert.equal(await h.service.backend(), undefined, 'still within the pause');
      h.clock.advance(1);
      assert.equal(await h.service.backend(), backend, 'after the pause the same backend is tried again');

      // Failing again starts a new pause.
      await assert.rejects(backend.generate(qwenPrompt(), generateOptions), /ollama serve/);
      assert.equal(h.service.currentState.status, 'error');
      assert.equal(await h.service.backend(), undefined);
    });

    it('switched off while in error: shows disabled (a late check cannot undo it); back on: the error again, not ready', async () => {
      const h = harness();
      const host = `http://127.0.0.1:${await closedPort()}`;
      const config = ollama(host);
      h.service.configure(config);
      const building = h.service.backend();
      h.service.configure({ ...config, completion: { ...config.completion, enabled: false } });
      await building;
      await new Promise((resolve) => setTimeout(resolve, 200)); // the failing check lands meanwhile
      assert.equal(h.service.currentState.status, 'disabled');
      assert.equal(h.states.at(-1)?.status, 'disabled', 'listeners were never told otherwise');
      assert.equal(await h.service.backend(), undefined);
      h.service.configure(config);
      const state = await reaches(h.service, 'error');
      assert.match(state.message ?? '', /ollama serve/);
    });

    it('a model pulled after the error recovers by itself on the next try', async () => {
      fake.setModels([]);
      const h = harness();
      h.service.configure(ollama(fake.url));
      const backend = defined(await h.service.backend());
      const state = await reaches(h.service, 'error');
      assert.match(state.message ?? '', /ollama pull/);

      fake.setModels([FAKE_MODELS.qwenCoder]);
      h.clock.advance(5001);
      assert.equal(await h.service.backend(), backend);
      const result = await backend.generate(qwenPrompt(), generateOptions);
      assert.ok(result.text.length > 0);
      assert.equal(h.service.currentState.status, 'ready');
      assert.equal(await h.service.backend(), backend);
    });

    it('an aborted request leaves the service ready', async () => {
      const h = harness();
      fake.setScript({ firstByteDelayMs: 2000 });
      h.service.configure(ollama(fake.url));
      const backend = defined(await h.service.backend());
      await reaches(h.service, 'ready');
      const controller = new AbortController();
      const pending = backend.generate(qwenPrompt(), { ...generateOptions, signal: controller.signal });
      controller.abort();
      const result = await pending;
      assert.equal(result.stoppedBy, 'abort');
      assert.equal(h.service.currentState.status, 'ready');
    });
  });
});
