// The next-edit benchmark's traces replay as the editor sees them: each step typed as keystrokes into
// the pipeline's EditHistory (which coalesces nearby steps), and each step's prompt is the pipeline's
// own (buildNextEditInput with Sweep's window around the cursor, then Sweep's prompt), whose earlier
// history stays a prefix of the next step's prompt for the KV cache.
import * as assert from 'node:assert/strict';
import { followLines, keystrokes, loadTraces, traceSteps } from '../../../bench/nextEditTrace';
import { sweepWindow } from '../../../src/core/nextEdit/editableWindow';
import { buildNextEditInput } from '../../../src/core/nextEdit/nextEditInput';
import { sweepPrompt, SWEEP_FILE_SEP } from '../../../src/core/nextEdit/sweepPrompt';
import { repoRoot } from '../../support/repoRoot';

describe('next-edit benchmark traces', () => {
  const traces = loadTraces(repoRoot);
  const steps = traceSteps(traces);
  const stepsOf = (name: string) => steps.filter((s) => s.trace.startsWith(name));

  it('three real multi-site changes, each step but the last asking for the next edit', () => {
    assert.deepEqual(
      traces.map((t) => t.name),
      ['rename a parameter and its uses', 'add a field and its initialisation', "change a call's signature and its callers"],
    );
    assert.equal(steps.length, traces.reduce((n, t) => n + t.steps.length - 1, 0));
  });

  it('a step is typed one character at a time: the old characters erased, then the new ones typed', () => {
    const doc = 'const reason = llamaErrors.find(x);';
    const typed = keystrokes(doc, doc.indexOf('llamaErrors'), { find: 'llamaErrors', replace: 'errorLines' });
    assert.equal(typed.docs.at(-1), 'const reason = errorLines.find(x);');
    assert.equal(typed.cursor, doc.indexOf('llamaErrors') + 'errorLines'.length - 's'.length, 'after the last character typed');
    let previous = doc;
    for (const now of typed.docs) {
      assert.equal(Math.abs(now.length - previous.length), 1, `one keystroke: ${JSON.stringify(previous)} -> ${JSON.stringify(now)}`);
      previous = now;
    }
    // "llamaErrors" -> "errorLines": the shared trailing "s" stays; 10 erased, 9 typed.
    assert.equal(typed.docs.length, 19);
  });

  it("each step's prompt is the pipeline's: Sweep's prompt of buildNextEditInput, with Sweep's window kept from the trace's previous step", () => {
    for (const [i, step] of steps.entries()) {
      const before = steps[i - 1]?.trace === step.trace ? steps[i - 1]!.prompt.window : undefined;
      const previous = before && { startLine: before.startLine, endLine: before.endLine };
      assert.deepEqual(step.prompt.window, sweepWindow(step.request.text, step.request.cursorOffset, previous), `${step.trace} ${step.step}`);
      const input = buildNextEditInput(step.request, 'sweep', { hunks: () => step.hunks, viewed: () => [] }, undefined, previous);
      assert.deepEqual(step.prompt, sweepPrompt(input), `${step.trace} ${step.step}`);
      assert.ok(step.prompt.text.endsWith(`${SWEEP_FILE_SEP}updated/${step.request.path}`));
    }
  });

  it('steps typed within seconds and a few lines apart coalesce into one hunk; distant ones stay apart', () => {
    // The rename's uses are on the lines right below its signature: one hunk, being typed.
    for (const step of stepsOf('rename')) assert.equal(step.hunks.length, 1, `rename step ${step.step}`);
    const renamed = stepsOf('rename').at(-1)!;
    assert.match(renamed.hunks[0]!.original, /llamaErrors: readonly string\[\][\s\S]*llamaErrors\.find/);
    assert.match(renamed.hunks[0]!.updated, /errorLines: readonly string\[\][\s\S]*errorLines\.find/);
    // The hunk being typed is not a .diff block: original/ has the window before it, current/ after it.
    assert.ok(!renamed.prompt.text.includes('.diff'));
    const [original, current] = renamed.prompt.text.split(`${SWEEP_FILE_SEP}current/`);
    assert.match(original!, /llamaErrors: readonly string\[\]/);
    assert.match(current!, /errorLines: readonly string\[\]/);
    // The field's declaration and its initialisation 28 lines below: two hunks, the older a .diff block.
    const field = stepsOf('add a field')[1]!;
    assert.equal(field.hunks.length, 2);
    assert.equal(field.prompt.text.split('.diff\noriginal:\n').length - 1, 1);
  });

  it("every trace has steps whose window the rest of the change still rewrites (others' next site is beyond the window)", () => {
    for (const trace of traces) {
      assert.ok(steps.some((s) => s.trace === trace.name && s.expectedWindow !== s.prompt.window.text), trace.name);
    }
    const first = steps[0]!;
    assert.doesNotMatch(first.expectedWindow, /llamaErrors/);
    assert.equal(first.expectedWindow.split('\n').length, first.prompt.window.text.split('\n').length, 'a rename adds no lines');
  });

  it("the expected window follows the window's lines through the rest of the change: moved by lines added above, grown by lines added in it", () => {
    const doc = ['a', 'b', 'c', 'd', 'e', 'f'].join('\n');
    const window = { startLine: 2, endLine: 4 };
    assert.deepEqual(followLines(doc, doc.replace('a', 'a\na2'), window), { startLine: 3, endLine: 5 });
    assert.deepEqual(followLines(doc, doc.replace('c', 'c\nc2\nc3'), window), { startLine: 2, endLine: 6 });
    assert.deepEqual(followLines(doc, doc.replace('d\n', ''), window), { startLine: 2, endLine: 3 });
    assert.deepEqual(followLines(doc, doc.replace('f', 'f\ng'), window), window);
    assert.deepEqual(followLines(doc, doc.replace('c', 'C'), window), window);
  });

  it("a step's history stays a prefix of the next step's prompt (the KV cache keeps it)", () => {
    for (let i = 1; i < steps.length; i++) {
      const [before, after] = [steps[i - 1]!, steps[i]!];
      if (after.trace !== before.trace) continue;
      // Up to the original/ header: a new hunk adds its .diff block there, a coalesced one changes nothing before it.
      const history = before.prompt.text.slice(0, before.prompt.text.indexOf(`${SWEEP_FILE_SEP}original/`));
      assert.ok(after.prompt.text.startsWith(history), `${after.trace} ${after.step}`);
      assert.ok(after.prompt.stablePrefixChars >= before.prompt.stablePrefixChars);
    }
    assert.ok(steps.some((s) => s.prompt.text.indexOf(`${SWEEP_FILE_SEP}original/`) > 0), 'some prompt has history before its windows');
  });
});
