// The next-edit benchmark's traces replay into steps with a growing history, a 21-line window around
// the last edit and the window the whole change leads to; its prompt keeps the history as a prefix.
import * as assert from 'node:assert/strict';
import { loadTraces, traceSteps, WINDOW_LINES } from '../../../bench/nextEditTrace';
import { benchPrompt } from '../../../bench/nextEditBenchPrompt';
import { repoRoot } from '../../support/repoRoot';

describe('next-edit benchmark traces', () => {
  const traces = loadTraces(repoRoot);
  const steps = traceSteps(traces);

  it('three real multi-site changes, each step but the last asking for the next edit', () => {
    assert.deepEqual(
      traces.map((t) => t.name),
      ['rename a parameter and its uses', 'add a field and its initialisation', "change a call's signature and its callers"],
    );
    assert.equal(steps.length, traces.reduce((n, t) => n + t.steps.length - 1, 0));
  });

  it('each step: history of every step so far, a 21-line window holding the last edit', () => {
    for (const step of steps) {
      assert.equal(step.history.length, step.step);
      assert.equal(step.window.endLine - step.window.startLine, WINDOW_LINES);
      assert.equal(step.window.text.split('\n').length, WINDOW_LINES);
      const last = step.history.at(-1)!;
      assert.notEqual(last.original, last.updated);
      assert.ok(step.window.text.includes(last.updated), 'the window holds the last edit');
    }
  });

  it("every trace has steps whose window the rest of the change still rewrites (others' next site is beyond the window)", () => {
    for (const trace of traces) {
      assert.ok(steps.some((s) => s.trace === trace.name && s.expectedWindow !== s.window.text), trace.name);
    }
  });

  it('the first rename step records the renamed signature as original/updated', () => {
    const first = steps[0]!;
    assert.match(first.history[0]!.original, /llamaErrors: readonly string\[\]/);
    assert.match(first.history[0]!.updated, /errorLines: readonly string\[\]/);
    assert.doesNotMatch(first.expectedWindow, /llamaErrors/);
  });

  it("the prompt's history is a prefix of the next step's prompt (the KV cache keeps it)", () => {
    for (let i = 1; i < steps.length; i++) {
      if (steps[i]!.trace !== steps[i - 1]!.trace) continue;
      const before = benchPrompt(steps[i - 1]!);
      const after = benchPrompt(steps[i]!);
      assert.ok(before.stablePrefixChars > 0);
      assert.ok(after.text.startsWith(before.text.slice(0, before.stablePrefixChars)));
      assert.ok(after.text.endsWith('<|file_sep|>updated/' + steps[i]!.path + '\n'));
    }
  });
});
