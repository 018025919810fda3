// The completion engine with a scripted backend: which requests reach the model and which are
// answered from the typing-through cache, the prompt LRU or a prefetch; how aborts, empty answers and
// errors end; what the benchmark experiments change in what the backend is asked; how the timings add up.
import * as assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CompletionStats } from '../../../src/core/completion/completionStats';
import {
  CompletionEngine,
  type EngineExperiment,
  type EngineSuggestion,
  type EngineTimings,
} from '../../../src/core/completion/engine';
import { planGeneration } from '../../../src/core/completion/generationPlan';
import { buildPrompt } from '../../../src/core/completion/promptBuilder';
import type {
  BuiltPrompt,
  CompletionBackend,
  CompletionRequest,
  FimFamily,
  GenerateOptions,
  GenerationResult,
} from '../../../src/core/kernel/completionTypes';
import { configFrom, type CompletionConfig } from '../../../src/core/config';
import { requestAt } from '../../support/cursor';
import { typeAt } from './promptFixtures';

/** What one generate call does. */
interface Step {
  /** Raw model output (before postprocess). */
  text?: string;
  stoppedBy?: GenerationResult['stoppedBy'];
  /** Reject with this instead of answering. */
  error?: Error;
  /** Wait until release() or until the signal aborts. */
  hold?: boolean;
  /** How a held call answers an abort: resolve with stoppedBy 'abort' (default) or reject. */
  onAbort?: 'resolve' | 'reject';
  /** Call onFirstToken (default: when there is text). */
  firstToken?: boolean;
  /** Runs when the call arrives, before the first token (e.g. to move the clock). */
  beforeFirstToken?: () => void;
  /** Runs after the first token, before the answer. */
  afterFirstToken?: () => void;
  /** The backend's own report of its time. */
  totalMs?: number;
  ttftMs?: number;
  /** Prompt tokens it reports, and how many of them it found in its cache (default 100 and 90). */
  promptTokens?: number;
  reusedTokens?: number;
}

interface GenerateCall {
  prompt: BuiltPrompt;
  options: GenerateOptions;
}

/** A CompletionBackend that answers from a script and records every call. */
class ScriptedBackend implements CompletionBackend {
  readonly id = 'scripted';
  readonly calls: GenerateCall[] = [];
  familyCalls = 0;
  /** What promptTokPerS() reports (a backend that measured nothing reports undefined). */
  rate: number | undefined;
  private readonly steps: Step[] = [];
  private readonly held: Array<() => void> = [];
  private readonly callWaiters: Array<{ count: number; wake: () => void }> = [];

  constructor(private readonly fimFamily: FimFamily = 'qwen') {}

  script(...steps: Step[]): this {
    this.steps.push(...steps);
    return this;
  }

  async family(): Promise<FimFamily> {
    this.familyCalls++;
    return this.fimFamily;
  }

  async generate(prompt: BuiltPrompt, options: GenerateOptions): Promise<GenerationResult> {
    this.calls.push({ prompt, options });
    for (const waiter of this.callWaiters.filter((w) => this.calls.length >= w.count)) {
      this.callWaiters.splice(this.callWaiters.indexOf(waiter), 1);
      waiter.wake();
    }
    const step = this.steps.shift() ?? { text: '' };
    const result = (text: string, stoppedBy: GenerationResult['stoppedBy']): GenerationResult => ({
      text,
      promptTokens: step.promptTokens ?? 100,
      reusedTokens: step.reusedTokens ?? 90,
      generatedTokens: text.length === 0 ? 0 : 3,
      ttftMs: step.ttftMs ?? Number.NaN,
      totalMs: step.totalMs ?? 0,
      stoppedBy,
    });
    step.beforeFirstToken?.();
    if (step.hold) {
      const aborted = await this.holdUntilReleased(options.signal);
      if (aborted) {
        if (step.onAbort === 'reject') throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
        return result('', 'abort');
      }
    }
    if (step.error) throw step.error;
    if (step.firstToken ?? (step.text ?? '').length > 0) options.onFirstToken?.();
    step.afterFirstToken?.();
    return result(step.text ?? '', step.stoppedBy ?? 'eos');
  }

  promptTokPerS(): number | undefined {
    return this.rate;
  }

  /** Lets the oldest held call answer. */
  release(): void {
    const next = this.held.shift();
    assert.ok(next, 'no generate call is being held');
    next();
  }

  /** Resolves once generate has been called `count` times in all. */
  called(count: number): Promise<void> {
    if (this.calls.length >= count) return Promise.resolve();
    return new Promise((wake) => this.callWaiters.push({ count, wake }));
  }

  dispose(): void {}

  private holdUntilReleased(signal: AbortSignal | undefined): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(true);
      const release = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(false);
      };
      const onAbort = (): void => {
        this.held.splice(this.held.indexOf(release), 1);
        resolve(true);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.held.push(release);
    });
  }
}

/** A scripted backend with a cache it can read a prompt into (like the embedded model). */
class ReadingBackend extends ScriptedBackend {
  readonly reads: Array<{ prompt: BuiltPrompt; signal: AbortSignal }> = [];
  /** Hold each read until its signal aborts (a read still running). */
  holdReads = false;

  async readPrompt(prompt: BuiltPrompt, signal: AbortSignal): Promise<GenerationResult> {
    this.reads.push({ prompt, signal });
    if (this.holdReads && !signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    const stoppedBy = signal.aborted ? 'abort' : 'maxTokens';
    return { text: '', promptTokens: 100, reusedTokens: 0, generatedTokens: 0, ttftMs: Number.NaN, totalMs: 0, stoppedBy };
  }
}

/** A clock that moves only when told to. */
class ManualClock {
  private t = 0;
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Defaults from the settings, with no debounce wait unless a test asks for one. */
function completionConfig(overrides: Partial<CompletionConfig> = {}): CompletionConfig {
  return { ...configFrom().completion, debounceMinMs: 0, debounceMaxMs: 0, ...overrides };
}

interface HarnessOptions {
  config?: Partial<CompletionConfig>;
  experiment?: EngineExperiment;
  now?: () => number;
  noBackend?: boolean;
  /** What loadedBackend() reports: the harness's backend (default), or nothing loaded yet. */
  loaded?: boolean;
  backend?: ScriptedBackend;
}

const engines: CompletionEngine[] = [];

function harness(options: HarnessOptions = {}) {
  const backend = options.backend ?? new ScriptedBackend();
  const stats = new CompletionStats();
  const clock = new ManualClock();
  const timings: EngineTimings[] = [];
  const logs: string[] = [];
  const config = completionConfig(options.config);
  let backendLookups = 0;
  const engine = new CompletionEngine({
    backend: () => {
      backendLookups++;
      return options.noBackend ? undefined : backend;
    },
    loadedBackend: () => (options.noBackend || options.loaded === false ? undefined : backend),
    config: () => config,
    stats,
    now: options.now ?? clock.now,
    experiment: options.experiment,
    onTimings: (t) => timings.push({ ...t }),
    log: (message) => logs.push(message),
  });
  engines.push(engine);
  const complete = (request: CompletionRequest, signal: AbortSignal = new AbortController().signal) =>
    engine.complete(request, signal);
  return {
    engine,
    backend,
    stats,
    clock,
    timings,
    logs,
    config,
    complete,
    backendLookups: () => backendLookups,
    lastTimings: (): EngineTimings => {
      const last = timings[timings.length - 1];
      assert.ok(last, 'no timings reported');
      return last;
    },
  };
}

function defined(suggestion: EngineSuggestion | undefined): EngineSuggestion {
  assert.ok(suggestion, 'expected a suggestion');
  return suggestion;
}

// A document whose prompt at the full budgets is far more than a slow backend reads in time.
const LONG = `${Array.from({ length: 300 }, (_, i) => `const value${i} = compute(${i}, "entry ${i}");`).join('\n')}\nconst total = █\n`;

// A single-line position: the rest of the line is blank, the text before it opens no block.
const DOC = 'function add(a: number, b: number) {\n  return █\n}\n';
const BEFORE = 'function add(a: number, b: number) {\n  return ';
const AFTER = '\n}\n';

afterEach(() => {
  for (const engine of engines.splice(0)) engine.dispose();
});

describe('CompletionEngine', () => {
  describe('a suggestion from the model', () => {
    const cases: Array<{ name: string; raw: string; shown: string }> = [
      { name: 'plain answer', raw: 'a + b;', shown: 'a + b;' },
      { name: 'a single-line answer is cut at the line break', raw: 'a + b;\n}\n\nfunction sub() {}', shown: 'a + b;' },
      { name: 'a leaked control token ends it', raw: 'a + b;<|endoftext|><|fim_prefix|>junk', shown: 'a + b;' },
      { name: 'trailing blanks are trimmed', raw: 'a + b;   ', shown: 'a + b;' },
    ];
    for (const c of cases) {
      it(`${c.name}: ${JSON.stringify(c.raw)} -> ${JSON.stringify(c.shown)}`, async () => {
        const h = harness();
        h.backend.script({ text: c.raw });
        const suggestion = defined(await h.complete(requestAt(DOC)));
        assert.equal(suggestion.text, c.shown);
        assert.equal(suggestion.source, 'model');
        assert.equal(h.backend.calls.length, 1);
      });
    }

    it('asks the backend with the Bantam prompt and the plan for the position', async () => {
      const h = harness();
      h.backend.script({ text: 'a + b;' });
      const request = requestAt(DOC);
      const controller = new AbortController();
      await h.complete(request, controller.signal);
      const [call] = h.backend.calls;
      assert.ok(call);
      assert.equal(call.prompt.text, buildPrompt(request, 'qwen', h.config.budgets, []).text);
      assert.equal(call.options.maxTokens, h.config.maxTokens, 'the end of a line may lead into a block');
      assert.ok(call.options.stop.includes('\n\n'), 'a blank line ends it');
      assert.equal(call.options.extent?.shape, 'line-or-block', 'the model\'s first line decides');
      assert.equal(call.options.extent?.linePrefix, '  return ');
      assert.equal(call.options.temperature, h.config.temperature);
      assert.equal(call.options.timeoutMs, h.config.timeoutMs);
      assert.equal(call.options.signal, controller.signal);
      assert.equal(call.options.fresh, false);
    });

    it('counts the request, the model call and the shown suggestion', async () => {
      const h = harness();
      h.backend.script({ text: 'a + b;', ttftMs: 12 });
      const suggestion = defined(await h.complete(requestAt(DOC)));
      const s = h.stats.snapshot();
      assert.deepEqual(
        [s.requests, s.modelCalls, s.shown, s.cacheHits, s.cancelled, s.errors],
        [1, 1, 1, 0, 0, 0],
      );
      assert.equal(s.ttftP50Ms, 12);
      assert.equal(h.lastTimings().outcome, 'model');
      assert.equal(h.lastTimings().reachedModel, true);
      assert.deepEqual(
        [h.lastTimings().promptTokens, h.lastTimings().reusedTokens, h.lastTimings().generatedTokens],
        [100, 90, 3],
      );
      assert.equal(suggestion.latencyMs, suggestion.timings.totalMs);
    });

    it('gives every shown suggestion its own id', async () => {
      const h = harness();
      h.backend.script({ text: 'a + b;' }, { text: ' * 2;' });
      const first = defined(await h.complete(requestAt(DOC)));
      const second = defined(await h.complete(requestAt('function add(a: number, b: number) {\n  return x█\n}\n')));
      assert.notEqual(first.id, second.id);
    });

    it('without a backend (service disabled or in error) there is no suggestion and no error', async () => {
      const h = harness({ noBackend: true });
      assert.equal(await h.complete(requestAt(DOC)), undefined);
      assert.equal(h.lastTimings().outcome, 'error');
      assert.equal(h.stats.snapshot().errors, 0);
    });
  });

  describe('requests the prefilter turns away never reach the backend', () => {
    const cases: Array<{ name: string; request: CompletionRequest; config?: Partial<CompletionConfig> }> = [
      { name: 'a selection', request: requestAt(DOC, { selectionEmpty: false }) },
      { name: 'a disabled language (plaintext by default)', request: requestAt(DOC, { languageId: 'plaintext' }) },
      { name: 'a language the user disabled', request: requestAt(DOC), config: { disabledLanguages: ['typescript'] } },
      { name: 'mid-word', request: requestAt('const value = fo█o;\n') },
      { name: 'completions switched off', request: requestAt(DOC), config: { enabled: false } },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const h = harness({ config: c.config });
        h.backend.script({ text: 'a + b;' });
        assert.equal(await h.complete(c.request), undefined);
        assert.equal(h.backend.calls.length, 0);
        assert.equal(h.backend.familyCalls, 0);
        assert.equal(h.backendLookups(), 0, 'not even the backend lookup (it may build a model)');
        assert.equal(h.lastTimings().outcome, 'filtered');
        assert.equal(h.stats.snapshot().requests, 0);
      });
    }
  });

  describe('typing through a shown suggestion', () => {
    const cases: Array<{ typed: string; rest: string | undefined }> = [
      { typed: 'a', rest: ' + b;' },
      { typed: 'a ', rest: '+ b;' },
      { typed: 'a + b', rest: ';' },
      { typed: 'x', rest: undefined }, // not the suggestion: the model is asked again
    ];
    for (const c of cases) {
      it(`after typing ${JSON.stringify(c.typed)}: ${c.rest === undefined ? 'asks the model' : `shows ${JSON.stringify(c.rest)}`}`, async () => {
        const h = harness();
        h.backend.script({ text: 'a + b;' }, { text: ' * 2;' });
        const request = requestAt(DOC);
        defined(await h.complete(request));
        const next = await h.complete(typeAt(request, c.typed));
        if (c.rest === undefined) {
          assert.equal(h.backend.calls.length, 2);
          assert.equal(defined(next).source, 'model');
          return;
        }
        const suggestion = defined(next);
        assert.equal(suggestion.text, c.rest);
        assert.equal(suggestion.source, 'typed-through');
        assert.equal(h.backend.calls.length, 1, 'no backend call');
        assert.equal(h.lastTimings().outcome, 'typed-through');
        assert.equal(h.lastTimings().reachedModel, false);
        assert.equal(h.stats.snapshot().cacheHits, 1);
      });
    }
  });

  describe('the prompt LRU', () => {
    it('serves the same prompt again without a backend call (backspacing to an earlier position)', async () => {
      const h = harness();
      h.backend.script({ text: 'a + b;' }, { text: ' * 2;' });
      const request = requestAt(DOC);
      defined(await h.complete(request));
      // A character that is not the suggestion: a new model call, which replaces the shown suggestion.
      defined(await h.complete(typeAt(request, 'x')));
      const again = defined(await h.complete(request));
      assert.equal(again.text, 'a + b;');
      assert.equal(again.source, 'cache');
      assert.equal(h.backend.calls.length, 2);
      assert.equal(h.lastTimings().outcome, 'cache');
      assert.equal(h.lastTimings().reachedModel, false);
    });

    it('remembers an answer postprocess throws away: undefined, and no second call for that prompt', async () => {
      const h = harness();
      h.backend.script({ text: '   \n' }, { text: 'a + b;' });
      const request = requestAt(DOC);
      assert.equal(await h.complete(request), undefined);
      assert.equal(h.lastTimings().outcome, 'empty');
      assert.equal(h.lastTimings().reachedModel, true);
      assert.equal(await h.complete(request), undefined);
      assert.equal(h.lastTimings().outcome, 'empty');
      assert.equal(h.backend.calls.length, 1);
      assert.equal(h.stats.snapshot().shown, 0);
    });
  });

  describe('aborts', () => {
    it('a keystroke arriving during the debounce ends the request without a backend call', async () => {
      const h = harness({ config: { debounceMinMs: 10_000, debounceMaxMs: 10_000 } });
      h.backend.script({ text: 'a + b;' });
      const controller = new AbortController();
      const pending = h.complete(requestAt(DOC), controller.signal);
      await nextTurn(); // the engine is waiting out the debounce now
      assert.equal(h.backend.calls.length, 0);
      controller.abort();
      assert.equal(await pending, undefined);
      assert.equal(h.backend.calls.length, 0);
      assert.equal(h.lastTimings().outcome, 'cancelled');
      assert.equal(h.lastTimings().reachedModel, false);
      assert.equal(h.stats.snapshot().cancelled, 1);
    });

    it('the debounce keeps its own clock: an injected clock with another origin does not skip it', async () => {
      // e.g. a clock counting from the start of a benchmark run, far behind performance.now().
      const origin = 1_000_000;
      const h = harness({
        config: { debounceMinMs: 10_000, debounceMaxMs: 10_000 },
        now: () => performance.now() - origin,
      });
      h.backend.script({ text: 'a + b;' });
      const controller = new AbortController();
      const pending = h.complete(requestAt(DOC), controller.signal);
      await nextTurn();
      assert.equal(h.backend.calls.length, 0, 'the model was asked before the debounce ran out');
      controller.abort();
      assert.equal(await pending, undefined);
      assert.equal(h.backend.calls.length, 0);
    });

    for (const onAbort of ['resolve', 'reject'] as const) {
      it(`an abort during generation (backend ${onAbort}s) ends with undefined, counted as cancelled, nothing cached`, async () => {
        const h = harness();
        h.backend.script({ text: 'a + b;', hold: true, onAbort }, { text: 'a + b;' });
        const controller = new AbortController();
        const request = requestAt(DOC);
        const pending = h.complete(request, controller.signal);
        await h.backend.called(1);
        controller.abort();
        assert.equal(await pending, undefined);
        assert.equal(h.backend.calls[0]!.options.signal?.aborted, true, 'the backend saw the abort');
        assert.equal(h.lastTimings().outcome, 'cancelled');
        assert.equal(h.lastTimings().reachedModel, true);
        const s = h.stats.snapshot();
        assert.equal(s.cancelled, 1);
        assert.equal(s.errors, 0);
        assert.equal(s.shown, 0);
        // The aborted prompt was not remembered as empty: asking again reaches the model.
        assert.equal(defined(await h.complete(request)).source, 'model');
        assert.equal(h.backend.calls.length, 2);
      });
    }
  });

  describe('prefetching the suggestion after accepting, as soon as one is shown', () => {
    const accepted = 'a + b;';
    const nextDoc = `${BEFORE}${accepted}${AFTER}`;
    const nextRequest = (): CompletionRequest => typeAt(requestAt(DOC), accepted);

    it('showing a suggestion asks for the one after accepting it, before any accept', async () => {
      const h = harness();
      h.backend.script({ text: accepted }, { text: ' // sum' });
      await h.complete(requestAt(DOC));
      await h.backend.called(2);
      const prefetch = h.backend.calls[1]!;
      const next = nextRequest();
      assert.equal(next.text, nextDoc);
      assert.equal(prefetch.prompt.text, buildPrompt(next, 'qwen', h.config.budgets, []).text);
      assert.equal(h.stats.snapshot().accepted, 0, 'nothing was accepted yet');
    });

    it('with a cache Bantam manages, the prefetch continues the generation: the shown prompt plus the suggestion', async () => {
      const h = harness({ backend: new ReadingBackend() });
      h.backend.script({ text: accepted }, { text: ' // sum' }, { text: '\n' });
      const first = defined(await h.complete(requestAt(DOC)));
      await h.backend.called(2);
      const shownPrompt = h.backend.calls[0]!.prompt;
      const prefetch = h.backend.calls[1]!;
      assert.equal(prefetch.prompt.text, shownPrompt.text + accepted);
      assert.equal(prefetch.prompt.prefix, shownPrompt.prefix + accepted);
      // Planned for the document after the accept (the end of a finished line), not the first position.
      assert.deepEqual(prefetch.options.stop, planGeneration(nextRequest(), 'qwen', h.config).stop);
      // Tab: the follow-up is the prefetch's answer, and the prefetch after it continues once more.
      await nextTurn();
      h.engine.accepted(first.id);
      const second = defined(await h.complete(nextRequest()));
      assert.equal(second.source, 'prefetch');
      await h.backend.called(3);
      assert.equal(h.backend.calls[2]!.prompt.text, shownPrompt.text + accepted + ' // sum');
    });

    it('a continuation may grow the prompt only so far beyond its budgets (Tab after Tab), then it starts afresh', async () => {
      const budgets = { prefixTokens: 64, suffixTokens: 8, farSuffixTokens: 0, contextTokens: 0 };
      const h = harness({ backend: new ReadingBackend(), config: { budgets } });
      // About 400 estimated tokens: past the 72 of the budgets plus the 256 a continuation may add.
      const long = `${'a + '.repeat(200)}b;`;
      h.backend.script({ text: long }, { text: '' });
      const shown = defined(await h.complete(requestAt(DOC)));
      assert.equal(shown.text, long);
      await h.backend.called(2);
      const next = typeAt(requestAt(DOC), long);
      assert.equal(h.backend.calls[1]!.prompt.text, buildPrompt(next, 'qwen', budgets, []).text);
    });

    it('a suggestion that replaces the rest of the line gets a fresh prompt for the new position', async () => {
      const h = harness({ backend: new ReadingBackend() });
      const request = requestAt('const m = Math.max(█);\n');
      h.backend.script({ text: 'a, b);' }, { text: '' });
      const shown = defined(await h.complete(request));
      assert.equal(shown.replaceLength, 2);
      await h.backend.called(2);
      const next = { ...request, text: 'const m = Math.max(a, b);\n', offset: request.offset + 'a, b);'.length };
      assert.equal(h.backend.calls[1]!.prompt.text, buildPrompt(next, 'qwen', h.config.budgets, []).text);
    });

    it('the PSM baseline prefetches with a fresh prompt, as its peers would', async () => {
      const h = harness({ backend: new ReadingBackend(), experiment: { layout: 'psm-baseline', freshSequence: false } });
      h.backend.script({ text: accepted }, { text: '' });
      await h.complete(requestAt(DOC));
      await h.backend.called(2);
      assert.equal(h.backend.calls[1]!.prompt.text, `<|fim_prefix|>${BEFORE}${accepted}<|fim_suffix|>${AFTER}<|fim_middle|>`);
    });

    it('accept, then the next request is answered by the finished prefetch without a model call', async () => {
      const h = harness();
      h.backend.script({ text: accepted }, { text: ' // sum' });
      const shown = defined(await h.complete(requestAt(DOC)));
      await h.backend.called(2);
      await nextTurn(); // the prefetch finishes
      h.engine.accepted(shown.id);
      const suggestion = defined(await h.complete(nextRequest()));
      assert.equal(suggestion.text, ' // sum');
      assert.equal(suggestion.source, 'prefetch');
      assert.equal(h.backend.calls.length, 2);
      assert.equal(h.stats.snapshot().accepted, 1);
    });

    it('the next request waits for a prefetch still in flight instead of asking again', async () => {
      const h = harness();
      h.backend.script({ text: accepted }, { text: ' // sum', hold: true });
      h.engine.accepted(defined(await h.complete(requestAt(DOC))).id);
      await h.backend.called(2);
      const pending = h.complete(nextRequest());
      await nextTurn();
      assert.equal(h.backend.calls.length, 2, 'no second call while the prefetch runs');
      h.backend.release();
      const suggestion = defined(await pending);
      assert.equal(suggestion.text, ' // sum');
      assert.equal(suggestion.source, 'prefetch');
      assert.equal(h.stats.snapshot().cacheHits, 1);
    });

    it('a prefetch that turns out empty answers the request as empty, without a second call', async () => {
      const h = harness();
      h.backend.script({ text: accepted }, { text: '  \n', hold: true }, { text: ' // sum' });
      h.engine.accepted(defined(await h.complete(requestAt(DOC))).id);
      await h.backend.called(2);
      const pending = h.complete(nextRequest());
      await nextTurn();
      h.backend.release();
      assert.equal(await pending, undefined);
      assert.equal(h.lastTimings().outcome, 'empty');
      assert.equal(h.backend.calls.length, 2);
    });

    it('typing through the shown suggestion keeps the prefetch, and the end of it lands on the prefetch', async () => {
      const h = harness();
      h.backend.script({ text: accepted }, { text: ' // sum', hold: true });
      await h.complete(requestAt(DOC));
      await h.backend.called(2);
      // Accept Word: VS Code inserts "a " and asks again there; then the rest.
      const partial = defined(await h.complete(typeAt(requestAt(DOC), 'a ')));
      assert.equal(partial.source, 'typed-through');
      assert.equal(partial.text, '+ b;');
      assert.equal(h.backend.calls[1]!.options.signal?.aborted, false, 'the prefetch goes on');
      const pending = h.complete(nextRequest());
      h.backend.release();
      const next = defined(await pending);
      assert.equal(next.source, 'prefetch');
      assert.equal(next.text, ' // sum');
      assert.equal(h.backend.calls.length, 2);
    });

    it('a request elsewhere cancels a prefetch still in flight', async () => {
      const h = harness();
      h.backend.script({ text: accepted }, { text: ' // sum', hold: true }, { text: 'x' });
      await h.complete(requestAt(DOC));
      await h.backend.called(2);
      await h.complete(requestAt('function g() {\n  const y = █\n}\n'));
      assert.equal(h.backend.calls[1]!.options.signal?.aborted, true, 'the prefetch was aborted');
    });

    it('accepting after the prefetch was cancelled starts it again', async () => {
      const h = harness({ experiment: { layout: 'bantam', freshSequence: false, prefetchOnShow: false } });
      h.backend.script({ text: accepted }, { text: ' // sum' });
      const shown = defined(await h.complete(requestAt(DOC)));
      await nextTurn();
      assert.equal(h.backend.calls.length, 1, 'no prefetch on show when the experiment turns it off');
      h.engine.accepted(shown.id);
      await h.backend.called(2);
      assert.equal(h.backend.calls[1]!.prompt.text, buildPrompt(nextRequest(), 'qwen', h.config.budgets, []).text);
    });

    it('a suggestion that replaces the rest of its line prefetches the line as accepted', async () => {
      const h = harness();
      h.backend.script({ text: 'a, b);' }, { text: '' });
      const request = requestAt('const m = Math.max(█);\n');
      const shown = defined(await h.complete(request));
      assert.equal(shown.replaceLength, 2);
      await h.backend.called(2);
      assert.ok(h.backend.calls[1]!.prompt.prefix.endsWith('const m = Math.max(a, b);'), h.backend.calls[1]!.prompt.prefix);
    });

    it('a prefetch for the position the model is answering already gives way', async () => {
      const h = harness({ experiment: { layout: 'bantam', freshSequence: false, prefetchOnShow: false } });
      h.backend.script({ text: accepted }, { text: ' // sum', hold: true });
      const shown = defined(await h.complete(requestAt(DOC)));
      const pending = h.complete(nextRequest());
      await h.backend.called(2);
      h.engine.accepted(shown.id);
      await nextTurn();
      assert.equal(h.backend.calls.length, 2, 'no prefetch for the position being answered');
      assert.equal(h.backend.calls[1]!.options.signal?.aborted, false);
      h.backend.release();
      assert.equal(defined(await pending).source, 'model');
    });

    it('an unknown id counts nothing; a suggestion is accepted once', async () => {
      const h = harness();
      h.backend.script({ text: accepted }, { text: ' // sum' });
      const shown = defined(await h.complete(requestAt(DOC)));
      h.engine.accepted(shown.id + 100);
      assert.equal(h.stats.snapshot().accepted, 0);
      h.engine.accepted(shown.id);
      h.engine.accepted(shown.id);
      await nextTurn();
      assert.equal(h.stats.snapshot().accepted, 1);
      assert.equal(h.backend.calls.length, 2, 'one prefetch in all');
    });
  });

  describe('the prompt is sized to how fast the backend reads', () => {
    // 300 lines above the cursor: far more than the default prefix budget.
    const scaledBudgets = (config: CompletionConfig, step: number) => ({
      prefixTokens: Math.round(config.budgets.prefixTokens * step),
      suffixTokens: config.budgets.suffixTokens,
      farSuffixTokens: Math.round(config.budgets.farSuffixTokens * step),
      contextTokens: Math.round(config.budgets.contextTokens * step),
    });

    it('by default (a new place reads within 1.5 s) a backend that reads 125 tok/s gets an eighth', async () => {
      const h = harness();
      h.backend.rate = 125;
      h.backend.script({ text: '1;' });
      const request = requestAt(LONG);
      await h.complete(request);
      // No context source: 1288 tokens at most, an eighth of that (161) reads in 1.3 s at 125 tok/s; 3/16 (242) would not.
      const budgets = { ...scaledBudgets(h.config, 0.125), contextTokens: 0 };
      assert.equal(h.backend.calls[0]!.prompt.text, buildPrompt(request, 'qwen', budgets, []).text);
      assert.equal(h.engine.promptSize()?.scale, 0.125);
    });

    it('a backend that reads 125 tok/s gets 3/16 of the budgets with coldPromptMs 2000 (reads in ~2 s), and says so', async () => {
      const h = harness({ config: { coldPromptMs: 2000 } });
      h.backend.rate = 125;
      h.backend.script({ text: '1;' });
      const request = requestAt(LONG);
      await h.complete(request);
      const sent = h.backend.calls[0]!.prompt;
      // No context source: 1288 tokens at most, 3/16 of that (242) reads in 2 s at 125 tok/s.
      const budgets = { ...scaledBudgets(h.config, 0.1875), contextTokens: 0 };
      assert.equal(sent.text, buildPrompt(request, 'qwen', budgets, []).text);
      assert.ok(sent.text.length * 2 < buildPrompt(request, 'qwen', h.config.budgets, []).text.length);
      assert.deepEqual(h.engine.promptSize(), { budgets, scale: 0.1875, promptTokPerS: 125 });
    });

    it('with codebase context its budget counts too: an eighth, and the retriever is asked for that', async () => {
      const backend = new ScriptedBackend().script({ text: '1;' });
      backend.rate = 125;
      const config = completionConfig();
      const asked: number[] = [];
      const engine = new CompletionEngine({
        backend: () => backend,
        config: () => config,
        context: {
          snippets: async (_request, budgetTokens) => {
            asked.push(budgetTokens);
            return [];
          },
        },
      });
      engines.push(engine);
      const request = requestAt(LONG);
      await engine.complete(request, new AbortController().signal);
      assert.deepEqual(asked, [64]);
      assert.equal(backend.calls[0]!.prompt.text, buildPrompt(request, 'qwen', scaledBudgets(config, 0.125), []).text);
    });

    it('a finished long read teaches the rate: the next prompt is smaller', async () => {
      const h = harness({ config: { coldPromptMs: 2000 } });
      h.backend.script({ text: '1;', promptTokens: 1000, reusedTokens: 0, ttftMs: 8000 }, { text: '2;' });
      const request = requestAt(LONG);
      await h.complete(request);
      assert.equal(h.backend.calls[0]!.prompt.text, buildPrompt(request, 'qwen', h.config.budgets, []).text, 'nothing known yet');
      const next = typeAt(request, 'x');
      await h.complete(next);
      const budgets = { ...scaledBudgets(h.config, 0.1875), contextTokens: 0 };
      assert.equal(h.backend.calls[1]!.prompt.text, buildPrompt(next, 'qwen', budgets, []).text);
    });

    it('with coldPromptMs 0 the budgets are used as set, however slow the backend', async () => {
      const h = harness({ config: { coldPromptMs: 0 } });
      h.backend.rate = 50;
      h.backend.script({ text: '1;' });
      const request = requestAt(LONG);
      await h.complete(request);
      assert.equal(h.backend.calls[0]!.prompt.text, buildPrompt(request, 'qwen', h.config.budgets, []).text);
    });

    it('another backend starts the sizing afresh', async () => {
      const slow = new ScriptedBackend();
      slow.script({ text: '1;', promptTokens: 1000, reusedTokens: 0, ttftMs: 8000 });
      const fresh = new ScriptedBackend().script({ text: '2;' });
      let current = slow;
      const config = completionConfig();
      const engine = new CompletionEngine({ backend: () => current, config: () => config });
      engines.push(engine);
      await engine.complete(requestAt(LONG), new AbortController().signal);
      current = fresh;
      const request = typeAt(requestAt(LONG), 'y');
      await engine.complete(request, new AbortController().signal);
      assert.equal(fresh.calls[0]!.prompt.text, buildPrompt(request, 'qwen', config.budgets, []).text);
    });
  });

  describe('reading ahead where the cursor comes to rest', () => {
    const reading = (options: HarnessOptions = {}) => {
      const backend = new ReadingBackend();
      return { ...harness({ ...options, backend }), reader: backend };
    };

    it('reads exactly the prompt the first keystroke there sends, sized like it, generating nothing', async () => {
      const h = reading();
      h.reader.rate = 50;
      const request = requestAt(LONG);
      assert.equal(await h.engine.readAhead(request), true);
      assert.equal(h.reader.reads.length, 1);
      assert.equal(h.stats.snapshot().readAheads, 1, 'counted for the stats command');
      assert.equal(h.backend.calls.length, 0, 'no generate call');
      h.backend.script({ text: 'a + b;' });
      await h.complete(request);
      assert.equal(h.reader.reads[0]!.prompt.text, h.backend.calls[0]!.prompt.text);
      assert.notEqual(h.reader.reads[0]!.prompt.text, buildPrompt(request, 'qwen', h.config.budgets, []).text, 'the sized prompt, not the configured one');
    });

    it('reads where no suggestion would show now (mid-word), since typing there comes next', async () => {
      const h = reading();
      assert.equal(await h.engine.readAhead(requestAt('const value = fo█o;\n')), true);
      assert.equal(h.reader.reads.length, 1);
    });

    const refusals: Array<{ name: string; options?: HarnessOptions; request?: CompletionRequest; plain?: boolean }> = [
      { name: 'no model loaded yet (a read-ahead never builds or loads one)', options: { loaded: false } },
      { name: 'a backend without a cache to read into (a server)', plain: true },
      { name: 'bantam.completion.readAhead off', options: { config: { readAhead: false } } },
      { name: 'a benchmark baseline', options: { experiment: { layout: 'psm-baseline', freshSequence: false, readAhead: false } } },
      { name: 'completions switched off', options: { config: { enabled: false } } },
      { name: 'a language the user disabled', options: { config: { disabledLanguages: ['typescript'] } } },
      { name: 'a document over a million characters', request: requestAt(`${'x = 1;\n'.repeat(150_000)}█`) },
    ];
    for (const c of refusals) {
      it(`reads nothing for ${c.name}`, async () => {
        const reader = new ReadingBackend();
        const h = harness({ ...c.options, backend: c.plain ? new ScriptedBackend() : reader });
        assert.equal(await h.engine.readAhead(c.request ?? requestAt(DOC)), false);
        assert.equal(reader.reads.length, 0);
        assert.equal(h.backend.familyCalls, 0);
        assert.equal(h.backendLookups(), 0, 'not even the backend lookup (it may build a model or ask consent)');
      });
    }

    it('reads nothing while a keystroke request is at the model', async () => {
      const h = reading();
      h.backend.script({ text: 'a + b;', hold: true });
      const pending = h.complete(requestAt(DOC));
      await h.backend.called(1);
      assert.equal(await h.engine.readAhead(requestAt('function f() {\n  █\n}\n')), false);
      assert.equal(h.reader.reads.length, 0);
      h.backend.release();
      await pending;
    });

    it('calls off a prefetch still on its way (the user left its place) and reads the new place', async () => {
      const h = reading();
      h.backend.script({ text: 'a + b;' }, { text: ' // sum', hold: true });
      await h.complete(requestAt(DOC));
      await h.backend.called(2);
      assert.equal(await h.engine.readAhead(requestAt('function f() {\n  █\n}\n')), true);
      assert.equal(h.backend.calls[1]!.options.signal?.aborted, true, 'the prefetch was called off');
      assert.equal(h.reader.reads.length, 1);
    });

    it('a finished prefetch still answers if the user comes back after a read-ahead elsewhere', async () => {
      const h = reading();
      const accepted = 'a + b;';
      h.backend.script({ text: accepted }, { text: ' // sum' });
      const shown = defined(await h.complete(requestAt(DOC)));
      await h.backend.called(2);
      await nextTurn();
      assert.equal(await h.engine.readAhead(requestAt('function f() {\n  █\n}\n')), true);
      h.engine.accepted(shown.id);
      const next = defined(await h.complete(typeAt(requestAt(DOC), accepted)));
      assert.equal(next.text, ' // sum');
      assert.equal(h.backend.calls.length, 2, 'no model call: the LRU kept it');
    });

    it('a newer place calls off the read still running', async () => {
      const h = reading();
      h.reader.holdReads = true;
      const first = h.engine.readAhead(requestAt(DOC));
      await nextTurn();
      await nextTurn();
      assert.equal(h.reader.reads.length, 1);
      const second = h.engine.readAhead(requestAt('function f() {\n  █\n}\n'));
      await nextTurn();
      await nextTurn();
      assert.equal(h.reader.reads[0]!.signal.aborted, true);
      assert.equal(h.reader.reads.length, 2);
      assert.equal(await first, true);
      h.engine.dispose();
      assert.equal(h.reader.reads[1]!.signal.aborted, true, 'dispose calls off the last one');
      assert.equal(await second, true);
    });
  });

  describe('benchmark experiments change what the backend is asked', () => {
    const cases: Array<{
      name: string;
      experiment: EngineExperiment | undefined;
      check: (call: GenerateCall, config: CompletionConfig, request: CompletionRequest) => void;
    }> = [
      {
        name: 'none: the plan decides maxTokens and stop strings, the KV cache is kept',
        experiment: undefined,
        check: (call, config) => {
          assert.equal(call.options.maxTokens, config.maxTokens);
          assert.ok(call.options.stop.length > 0);
          assert.ok(call.options.extent, 'the extent rule');
          assert.equal(call.options.fresh, false);
          assert.ok(call.prompt.text.startsWith('<|repo_name|>'), call.prompt.text);
        },
      },
      {
        name: 'fixedMaxTokens 16: exactly 16 tokens, no stop strings, no end-of-text',
        experiment: { layout: 'bantam', freshSequence: false, fixedMaxTokens: 16 },
        check: (call) => {
          assert.equal(call.options.maxTokens, 16);
          assert.deepEqual(call.options.stop, []);
          assert.equal(call.options.extent, undefined, 'no extent rule either');
          assert.equal(call.options.ignoreEos, true);
        },
      },
      {
        name: "layout 'psm-baseline': prefix, suffix, middle and nothing else",
        experiment: { layout: 'psm-baseline', freshSequence: false },
        check: (call) => {
          assert.equal(call.prompt.text, `<|fim_prefix|>${BEFORE}<|fim_suffix|>${AFTER}<|fim_middle|>`);
          assert.equal(call.options.fresh, false);
        },
      },
      {
        name: 'freshSequence: the backend is told to start from an empty KV cache',
        experiment: { layout: 'bantam', freshSequence: true },
        check: (call, config, request) => {
          assert.equal(call.options.fresh, true);
          assert.equal(call.options.ignoreEos, false);
          assert.equal(call.options.maxTokens, config.maxTokens);
          assert.equal(call.prompt.text, buildPrompt(request, 'qwen', config.budgets, []).text);
        },
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        // No prefetch: only the request's own call is judged.
        const h = harness({ experiment: { layout: 'bantam', freshSequence: false, ...c.experiment, prefetchOnShow: false } });
        h.backend.script({ text: 'a + b;' });
        const request = requestAt(DOC);
        await h.complete(request);
        assert.equal(h.backend.calls.length, 1);
        c.check(h.backend.calls[0]!, h.config, request);
      });
    }
  });

  describe('errors', () => {
    it('a backend error rejects the request, is counted and logged', async () => {
      const h = harness();
      h.backend.script({ error: new Error('worker crashed') });
      await assert.rejects(h.complete(requestAt(DOC)), /worker crashed/);
      assert.equal(h.stats.snapshot().errors, 1);
      assert.equal(h.lastTimings().outcome, 'error');
      assert.ok(h.logs.some((line) => line.includes('worker crashed')), h.logs.join('\n'));
    });

    it('an error after the request was aborted counts as cancelled, not as an error', async () => {
      const h = harness();
      const controller = new AbortController();
      h.backend.script({ error: new Error('socket closed'), beforeFirstToken: () => controller.abort() });
      assert.equal(await h.complete(requestAt(DOC), controller.signal), undefined);
      assert.equal(h.stats.snapshot().errors, 0);
      assert.equal(h.stats.snapshot().cancelled, 1);
    });
  });

  describe('timings', () => {
    it('first token, model time and overhead (= total - debounce - model) from the injected clock', async () => {
      const h = harness({ config: { debounceMinMs: 50, debounceMaxMs: 50 } });
      h.backend.script({
        text: 'a + b;',
        beforeFirstToken: () => h.clock.advance(10),
        afterFirstToken: () => h.clock.advance(30),
        totalMs: 35,
      });
      const pending = h.complete(requestAt(DOC));
      await nextTurn();
      h.clock.advance(50); // while the engine waits out the debounce
      const suggestion = defined(await pending);
      const t = suggestion.timings;
      assert.equal(t.debounceMs, 50);
      assert.equal(t.firstTokenMs, 60, 'keystroke to first token: debounce + 10');
      assert.equal(t.modelMs, 35, "the backend's own report");
      assert.equal(t.totalMs, 90);
      assert.equal(t.overheadMs, 90 - 50 - 35);
      assert.equal(suggestion.latencyMs, 90);
      assert.equal(h.stats.snapshot().lastLatencyMs, 90);
    });

    it('no firstTokenMs when the backend produced no token', async () => {
      const h = harness();
      h.backend.script({ text: 'a + b;', firstToken: false, beforeFirstToken: () => h.clock.advance(20), totalMs: 15 });
      const t = defined(await h.complete(requestAt(DOC))).timings;
      assert.equal(t.firstTokenMs, undefined);
      assert.equal(t.modelMs, 15);
      assert.equal(t.overheadMs, 5);
    });

    it('answers that never reached the model have no model time and no overhead', async () => {
      const h = harness();
      h.backend.script({ text: 'a + b;' });
      const request = requestAt(DOC);
      await h.complete(request);
      h.clock.advance(3);
      const typed = defined(await h.complete(typeAt(request, 'a')));
      assert.equal(typed.timings.reachedModel, false);
      assert.equal(typed.timings.modelMs, undefined);
      assert.equal(typed.timings.overheadMs, undefined);
      assert.equal(typed.timings.debounceMs, 0);
    });
  });
});
