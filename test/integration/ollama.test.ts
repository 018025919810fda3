// The Ollama completion backend inside a real VS Code host, against a loopback server that speaks
// Ollama's NDJSON API: a suggestion arrives and is accepted; an unreachable host and a model that
// is not pulled turn the status bar red with the command that fixes it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FAKE_MODELS, startFakeOllama, type FakeOllama } from '../support/fakeOllamaServer';
import { bantam, closedPort, closeAllEditors, openWithCursor, requestSuggestion, restoreEmbeddedBackend, setSetting, waitFor } from './helpers';

describe('inline completion (Ollama backend)', function () {
  this.timeout(60_000);
  let ollama: FakeOllama;

  before(async () => {
    ollama = await startFakeOllama({ models: [FAKE_MODELS.qwenCoder] });
  });

  after(async () => {
    await restoreEmbeddedBackend();
    await ollama.close();
    await closeAllEditors();
  });

  it('shows the streamed suggestion and accepting it inserts it', async () => {
    const api = await bantam();
    await setSetting('ollama.host', ollama.url);
    await setSetting('ollama.model', FAKE_MODELS.qwenCoder.name);
    await setSetting('completion.backend', 'ollama');
    ollama.setScript({ chunks: ['width', ' *', ' height;'] });
    const editor = await openWithCursor('src/ollamaArea.ts', 'function area(width: number, height: number) {\n  return █\n}\n');
    const before = editor.document.getText();
    const offset = editor.document.offsetAt(editor.selection.active);
    const suggestion = await requestSuggestion(api, 30_000);
    assert.equal(suggestion.text, 'width * height;');
    // The first request is the suggestion's; the prefetch for the line after accepting it follows.
    const generate = ollama.requestsTo('/api/generate')[0];
    assert.ok(generate, 'Bantam called /api/generate');
    assert.equal(generate.body.model, FAKE_MODELS.qwenCoder.name);
    assert.equal(generate.body.stream, true);
    assert.equal(generate.body.raw, true, "a known FIM family gets Bantam's own prompt");
    assert.match(generate.body.prompt, /<\|fim_prefix\|>[\s\S]*return <\|fim_suffix\|>[\s\S]*<\|fim_middle\|>$/);
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      return editor.document.getText() !== before;
    }, 10_000, 'the suggestion to be accepted');
    assert.equal(editor.document.getText(), before.slice(0, offset) + 'width * height;' + before.slice(offset));
    assert.equal(api.service.currentState.status, 'ready');
  });

  it('says how to start Ollama when the host is unreachable', async () => {
    const api = await bantam();
    await setSetting('ollama.host', `http://127.0.0.1:${await closedPort()}`);
    await openWithCursor('src/ollamaDown.ts', 'const answer = █\n');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    const state = await waitFor(() => api.service.currentState.status === 'error' && api.service.currentState, 20_000, 'the error state');
    assert.match(state.message ?? '', /not reachable/);
    assert.match(state.message ?? '', /ollama serve/);
    assert.match(api.statusBar.text, /\$\(error\)/);
    assert.ok(api.notifier.shown.some((m) => /ollama serve/.test(m)));
  });

  it('says which model to pull when the model is missing', async () => {
    const api = await bantam();
    await setSetting('ollama.host', ollama.url);
    await setSetting('ollama.model', 'qwen2.5-coder:7b-base');
    await openWithCursor('src/ollamaMissing.ts', 'const question = █\n');
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    const state = await waitFor(
      () => api.service.currentState.status === 'error' && /pull/.test(api.service.currentState.message ?? '') && api.service.currentState,
      20_000,
      'the missing-model error',
    );
    assert.match(state.message ?? '', /ollama pull qwen2\.5-coder:7b-base/);
  });
});
