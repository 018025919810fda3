// Inline completion end to end in a real VS Code host, with the embedded backend and the tiny
// random-weight test model: suggestion, accept, worker crash recovery, bad model files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LocalLlamaBackend } from '../../src/core/providers/local/localLlamaBackend';
import {
  bantam,
  closeAllEditors,
  openWithCursor,
  requestSuggestion,
  setSetting,
  tinyModelPath,
  waitFor,
  workspaceDir,
  closedPort,
} from './helpers';

describe('inline completion (embedded backend)', function () {
  this.timeout(180_000);

  before(async () => {
    await setSetting('completion.backend', 'embedded');
    await setSetting('completion.model', tinyModelPath());
  });

  after(async () => {
    await closeAllEditors();
  });

  it('loads nothing at activation: the backend is idle until the first suggestion', async () => {
    const api = await bantam();
    // No completion has been asked for yet in this host: no worker, no model.
    assert.equal(api.service.currentState.status, 'idle');
    assert.equal(api.stats.snapshot().modelCalls, 0);
  });

  it('never completes in a git-ignored or secret-looking file: the engine is not even asked', async () => {
    const api = await bantam();
    fs.writeFileSync(path.join(workspaceDir(), '.gitignore'), 'private/\n');
    for (const [name, content] of [
      ['private/notes.ts', 'export function secretPlan(): string {\n  return █\n}\n'],
      ['.env.local', 'API_TOKEN=█\n'],
    ] as const) {
      await openWithCursor(name, content);
      const before = api.stats.snapshot().requests;
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(api.stats.snapshot().requests, before, `${name} reached the engine`);
    }
    // The same trigger in an ordinary file does reach it (so the silence above means something).
    await openWithCursor('src/open.ts', 'export function publicPlan(): string {\n  return █\n}\n');
    const before = api.stats.snapshot().requests;
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await new Promise((r) => setTimeout(r, 200));
      return api.stats.snapshot().requests > before;
    }, 20_000, 'a request for an ordinary file');
    fs.rmSync(path.join(workspaceDir(), '.gitignore'));
  });

  it('shows a suggestion and accepting it inserts exactly the suggested text', async () => {
    const api = await bantam();
    const editor = await openWithCursor(
      'src/accept.ts',
      'export function area(width: number, height: number): number {\n  return █\n}\n',
    );
    const before = editor.document.getText();
    const offset = editor.document.offsetAt(editor.selection.active);
    const suggestion = await requestSuggestion(api);
    assert.ok(suggestion.text.length > 0, 'the suggestion is not empty');
    // Ghost text is up; accept it the way Tab does.
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      return editor.document.getText() !== before;
    }, 20_000, 'the suggestion to be accepted');
    const expected = before.slice(0, offset) + suggestion.text + before.slice(offset);
    assert.equal(editor.document.getText(), expected);
    await waitFor(() => api.stats.snapshot().accepted >= 1, 5000, 'the acceptance to be recorded');
    assert.equal(api.service.currentState.status, 'ready');
    assert.match(api.statusBar.text, /Bantam: bantam-tiny-qwen2 \d+ ms/);
  });

  it('recovers when the worker process is killed: the next suggestion still arrives', async () => {
    const api = await bantam();
    const backend = (await api.service.backend()) as LocalLlamaBackend | undefined;
    assert.ok(backend, 'the embedded backend exists');
    const pid = backend.pid;
    assert.ok(pid, 'the worker is running');
    process.kill(pid, 'SIGKILL');
    await waitFor(() => backend.pid !== pid || undefined, 30_000, 'the worker to be replaced').catch(() => undefined);
    await openWithCursor('src/afterCrash.py', 'def greet(name):\n    message = █\n');
    const suggestion = await requestSuggestion(api);
    assert.ok(suggestion.text.length > 0);
    assert.notEqual(backend.pid, pid, 'a new worker process answered');
  });

  it('reads ahead where the cursor comes to rest (a click, a selection to type over), never after typing', async () => {
    const api = await bantam();
    const editor = await openWithCursor('src/readAhead.ts', 'export function area(w: number, h: number) {\n  return █w * h;\n}\n\nexport const unit = 1;\n');
    await requestSuggestion(api).catch(() => undefined);
    await waitFor(() => api.service.loadedBackend(), 60_000, 'the model to be loaded');
    const engine = api.engine;
    const original = engine.readAhead.bind(engine);
    const calls: Array<{ text: string; offset: number; started: Promise<boolean> }> = [];
    engine.readAhead = (request) => {
      const started = original(request);
      calls.push({ text: request.text, offset: request.offset, started });
      return started;
    };
    try {
      const document = editor.document;
      // A click at the end of the last line: the document as it is, the cursor there.
      const end = document.lineAt(4).range.end;
      editor.selection = new vscode.Selection(end, end);
      await waitFor(() => calls.length >= 1, 10_000, 'a read-ahead at the new place');
      assert.equal(calls[0]!.text, document.getText());
      assert.equal(calls[0]!.offset, document.offsetAt(end));
      assert.equal(await calls[0]!.started, true, 'the loaded embedded model read it');

      // A selection of `w * h`: read as the first keystroke over it will find the document.
      const from = new vscode.Position(1, 9);
      const to = new vscode.Position(1, 14);
      editor.selection = new vscode.Selection(from, to);
      await waitFor(() => calls.length >= 2, 10_000, 'a read-ahead for the selection');
      assert.equal(calls[1]!.text, 'export function area(w: number, h: number) {\n  return ;\n}\n\nexport const unit = 1;\n');
      assert.equal(calls[1]!.offset, document.offsetAt(from));
      await calls[1]!.started;

      // Typing moves the cursor too, but the keystroke's own request reads the place.
      const after = new vscode.Position(4, 0);
      editor.selection = new vscode.Selection(after, after);
      await waitFor(() => calls.length >= 3, 10_000, 'a read-ahead after the move');
      await vscode.commands.executeCommand('type', { text: '// x' });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(calls.length, 3, `no read-ahead after typing: ${JSON.stringify(calls.slice(3).map((c) => [c.offset, c.text]))}`);

      // Off means off.
      await setSetting('completion.readAhead', false);
      editor.selection = new vscode.Selection(from, from);
      await waitFor(() => calls.length >= 4, 10_000, 'the trigger to ask');
      assert.equal(await calls[3]!.started, false, 'the engine read nothing');
    } finally {
      engine.readAhead = original;
      await setSetting('completion.readAhead', undefined);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  });

  it('shows the completion stats with the session figures', async () => {
    const api = await bantam();
    const snapshot = (await vscode.commands.executeCommand('bantam.showCompletionStats')) as ReturnType<
      typeof api.stats.snapshot
    >;
    assert.ok(snapshot.shown >= 2);
    assert.ok(snapshot.accepted >= 1);
    assert.ok(snapshot.latencyP50Ms > 0);
    const shownDoc = vscode.window.activeTextEditor?.document;
    assert.ok(shownDoc?.getText().includes('acceptance rate'), 'the stats document is open');
  });

  it('runs on the CPU when the GPU build cannot load: told once (not again after a restart), and the tooltip and stats say where it runs', async () => {
    const api = await bantam();
    // A GPU this platform never has: its build can't load on any test machine.
    const gpu = process.platform === 'darwin' ? 'cuda' : 'metal';
    const told = (): string[] => api.notifier.shown.filter((m) => m.startsWith('Bantam runs the model on the CPU'));
    const before = told().length;
    await setSetting('embedded.gpu', gpu);
    try {
      await openWithCursor('src/onCpu.ts', 'export function half(n: number): number {\n  return █\n}\n');
      await requestSuggestion(api);
      const state = await waitFor(() => api.service.currentState.runtime && api.service.currentState, 30_000, 'the runtime in the state');
      assert.equal(state.runtime?.accelerator.kind, 'cpu');
      const fallback = state.runtime?.accelerator.fallback ?? '';
      assert.match(fallback, new RegExp(`^Bantam runs the model on the CPU: ${gpu === 'metal' ? 'Metal' : 'CUDA'} is not available`));
      assert.deepEqual(told().slice(before), [fallback], 'told once');
      const tooltip = api.statusBar.tooltip;
      for (const line of ['Accelerator: CPU', 'GPU layers: none of 3 layers on the GPU', fallback]) {
        assert.ok(tooltip.split('\n').includes(line), `${line} in\n${tooltip}`);
      }
      assert.match(tooltip, /^Memory: \d+ MB RAM$/m);
      assert.match(tooltip, /^Threads: \d+ \(of \d+ math cores\)$/m);

      await vscode.commands.executeCommand('bantam.showCompletionStats');
      // The stats document is already open from an earlier test: VS Code refreshes its text a moment later.
      const stats = await waitFor(
        () => {
          const text = vscode.window.activeTextEditor?.document.getText() ?? '';
          return text.includes(fallback) && text;
        },
        10_000,
        'the stats to say why the CPU',
      );
      assert.ok(stats.includes('| accelerator | CPU |'), stats);
      assert.ok(stats.includes('| gpu layers | none of 3 layers on the GPU |'), stats);

      // The model host restarts and reports the same fallback: the user is not told again.
      await vscode.commands.executeCommand('bantam.restartModel');
      await openWithCursor('src/onCpuAgain.ts', 'export function twice(n: number): number {\n  return █\n}\n');
      await requestSuggestion(api);
      await waitFor(() => api.service.currentState.runtime, 30_000, 'the reloaded runtime');
      assert.equal(told().length - before, 1, 'still told once');
    } finally {
      await setSetting('embedded.gpu', undefined);
    }
  });

  it('toggles completions off and on from the command (status bar shows disabled)', async () => {
    const api = await bantam();
    await vscode.commands.executeCommand('bantam.toggleCompletions');
    await waitFor(() => api.service.currentState.status === 'disabled', 5000, 'the disabled state');
    assert.match(api.statusBar.text, /\$\(circle-slash\)/);
    assert.equal(await api.service.backend(), undefined, 'no backend while disabled');
    await vscode.commands.executeCommand('bantam.toggleCompletions');
    await waitFor(() => api.service.currentState.status !== 'disabled', 5000, 'completions back on');
    await setSetting('completion.enabled', undefined);
  });

  it('fails fast and keeps the model setting when the recommended model cannot be downloaded offline', async () => {
    const before = vscode.workspace.getConfiguration('bantam').get('completion.model');
    // A model host with nothing listening stands for "no network", on any machine.
    await setSetting('completion.modelEndpoint', `http://127.0.0.1:${await closedPort()}`);
    try {
      const file = await vscode.commands.executeCommand('bantam.downloadRecommendedModel');
      assert.equal(file, undefined);
      assert.equal(vscode.workspace.getConfiguration('bantam').get('completion.model'), before);
    } finally {
      await setSetting('completion.modelEndpoint', undefined);
    }
  });

  describe('bad model files', () => {
    afterEach(async () => {
      await setSetting('completion.model', tinyModelPath());
    });

    const cases: Array<{ name: string; make: (dir: string) => string; message: RegExp }> = [
      { name: 'a missing file', make: (dir) => path.join(dir, 'no-such-model.gguf'), message: /no-such-model\.gguf/ },
      {
        name: 'a file that is not GGUF',
        make: (dir) => {
          const file = path.join(dir, 'notes.gguf');
          fs.writeFileSync(file, 'these are not model weights\n'.repeat(100));
          return file;
        },
        message: /not a GGUF/i,
      },
      {
        name: 'a truncated model',
        make: (dir) => {
          const file = path.join(dir, 'truncated.gguf');
          const bytes = fs.readFileSync(tinyModelPath());
          fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
          return file;
        },
        message: /truncated/i,
      },
      {
        name: 'a model without fill-in-the-middle tokens',
        make: () => path.join(path.dirname(tinyModelPath()), 'bantam-tiny-nofim.gguf'),
        message: /fill-in-the-middle/i,
      },
    ];
    for (const [index, c] of cases.entries()) {
      it(`refuses ${c.name} with a clear message and no crash`, async () => {
        const api = await bantam();
        const dir = path.join(workspaceDir(), '.models');
        fs.mkdirSync(dir, { recursive: true });
        const file = c.make(dir);
        await setSetting('completion.model', file);
        // A new document per case: VS Code reuses its last answer for an unchanged document and position.
        await openWithCursor(`src/bad${index}.ts`, 'const total = █\n');
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        const state = await waitFor(
          () => api.service.currentState.status === 'error' && api.service.currentState,
          30_000,
          'the error state',
        );
        assert.match(state.message ?? '', c.message);
        assert.ok(api.notifier.shown.some((m) => c.message.test(m)), 'the user was told');
        assert.match(api.statusBar.text, /\$\(error\)/);
      });
    }
  });
});
