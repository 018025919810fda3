// Ghost text as the user meets it in a real VS Code host: a suggestion that replaces the rest of the
// line, Tab then the next suggestion from the prefetch (no model call after the accept), and
// VS Code's Accept Word / Accept Line, which keep the rest of the suggestion and the prefetch. The
// model is a loopback Ollama server that writes a fixed text for each prompt, so every suggestion
// is known in advance.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { FAKE_MODELS, startFakeOllama, type FakeOllama } from '../support/fakeOllamaServer';
import { bantam, closeAllEditors, openWithCursor, requestSuggestion, restoreEmbeddedBackend, setSetting, waitFor } from './helpers';

const FIM_SUFFIX = '<|fim_suffix|>';

describe('ghost text: the rest of the line, prefetch on show, partial accept', function () {
  this.timeout(90_000);
  let ollama: FakeOllama;

  const generateCalls = (): number => ollama.requestsTo('/api/generate').length;
  /** How often the model was asked for the position right after `text` (its prompt's prefix ends there). */
  const askedAfter = (text: string): number =>
    ollama.requestsTo('/api/generate').filter((r) => String(r.body.prompt).includes(`${text}${FIM_SUFFIX}`)).length;

  before(async () => {
    ollama = await startFakeOllama({ models: [FAKE_MODELS.qwenCoder] });
    await setSetting('ollama.host', ollama.url);
    await setSetting('ollama.model', FAKE_MODELS.qwenCoder.name);
    await setSetting('completion.backend', 'ollama');
  });

  after(async () => {
    await restoreEmbeddedBackend();
    await ollama.close();
    await closeAllEditors();
  });

  afterEach(() => {
    ollama.resetScript();
  });

  /** Waits until the model has been asked `count` times in all (the prefetch is asked on show). */
  async function calls(count: number): Promise<void> {
    await waitFor(() => generateCalls() >= count, 20_000, `${count} requests to /api/generate`);
  }

  it('replaces the closers after the cursor that the suggestion writes again', async () => {
    const api = await bantam();
    ollama.setScript({ chunksByPrompt: { [`Math.max(${FIM_SUFFIX}`]: ['a, b', ');'] }, chunks: [''] });
    const editor = await openWithCursor('src/ghostMax.ts', 'export const m = Math.max(█);\n');
    const before = editor.document.getText();
    const suggestion = await requestSuggestion(api, 30_000);
    assert.equal(suggestion.text, 'a, b);');
    assert.equal(suggestion.replaceLength, 2);
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      return editor.document.getText() !== before;
    }, 10_000, 'the suggestion to be accepted');
    assert.equal(editor.document.getText(), 'export const m = Math.max(a, b);\n');
  });

  it('after Tab, the next suggestion comes from the prefetch made when the first was shown: no model call', async () => {
    const api = await bantam();
    ollama.setScript({
      chunksByPrompt: { [`return ${FIM_SUFFIX}`]: ['w * h;'], [`w * h;${FIM_SUFFIX}`]: [' // square units'] },
      chunks: [''],
    });
    const editor = await openWithCursor('src/ghostArea.ts', 'export function area(w: number, h: number) {\n  return █\n}\n');
    const start = generateCalls();
    const first = await requestSuggestion(api, 30_000);
    assert.equal(first.text, 'w * h;');
    await calls(start + 2); // the suggestion, then the prefetch for the line after accepting it
    const before = editor.document.getText();
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      return editor.document.getText() !== before;
    }, 10_000, 'the suggestion to be accepted');
    assert.equal(editor.document.getText(), 'export function area(w: number, h: number) {\n  return w * h;\n}\n');
    await waitFor(() => api.stats.snapshot().accepted >= 1, 5000, 'the acceptance to be recorded');
    const next = await requestSuggestion(api, 10_000);
    assert.equal(next.text, ' // square units');
    assert.equal(next.source, 'prefetch');
    assert.equal(askedAfter('return w * h;'), 1, 'asked once, by the prefetch, before the accept');
  });

  it('Accept Word takes the suggestion a word at a time; the rest and the prefetch stay valid', async () => {
    const api = await bantam();
    ollama.setScript({
      chunksByPrompt: { [`total = ${FIM_SUFFIX}`]: ['price * quantity + tax;'], [`tax;${FIM_SUFFIX}`]: [' // with tax'] },
      chunks: [''],
    });
    const editor = await openWithCursor('src/ghostWords.ts', 'export const total = █\n');
    const start = generateCalls();
    assert.equal((await requestSuggestion(api, 30_000)).text, 'price * quantity + tax;');
    await calls(start + 2);
    const initial = editor.document.getText();
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.acceptNextWord');
      return editor.document.getText() !== initial;
    }, 10_000, 'the first word to be accepted');
    const afterWord = editor.document.getText();
    assert.match(afterWord, /^export const total = price ?\n$/, 'one word went in');
    // The rest is still on offer: accepting it completes the line exactly.
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      return editor.document.getText() !== afterWord;
    }, 10_000, 'the rest to be accepted');
    assert.equal(editor.document.getText(), 'export const total = price * quantity + tax;\n');
    const next = await requestSuggestion(api, 10_000);
    assert.equal(next.text, ' // with tax');
    assert.equal(next.source, 'prefetch');
    assert.equal(askedAfter('total = price'), 0, 'the rest after a word came without a model call');
    assert.equal(askedAfter('total = price '), 0, 'the rest after a word came without a model call');
    assert.equal(askedAfter('quantity + tax;'), 1, 'the line after: asked once, by the prefetch');
  });

  it('Accept Line takes a block a line at a time, and the rest stays on offer', async () => {
    const api = await bantam();
    ollama.setScript({
      chunksByPrompt: { [`string) {\n  ${FIM_SUFFIX}`]: ["const text = 'Hello, ' + name;\n  console.log(text);\n  return text;"] },
      chunks: [''],
    });
    const editor = await openWithCursor('src/ghostLines.ts', 'export function greet(name: string) {\n  █\n}\n');
    const start = generateCalls();
    const suggestion = await requestSuggestion(api, 30_000);
    assert.equal(suggestion.text, "const text = 'Hello, ' + name;\n  console.log(text);\n  return text;");
    const initial = editor.document.getText();
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.acceptNextLine');
      return editor.document.getText() !== initial;
    }, 10_000, 'the first line to be accepted');
    assert.ok(editor.document.getText().startsWith("export function greet(name: string) {\n  const text = 'Hello, ' + name;"), editor.document.getText());
    const afterLine = editor.document.getText();
    await waitFor(async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      return editor.document.getText() !== afterLine;
    }, 10_000, 'the rest to be accepted');
    assert.equal(
      editor.document.getText(),
      "export function greet(name: string) {\n  const text = 'Hello, ' + name;\n  console.log(text);\n  return text;\n}\n",
    );
    // The suggestion and its prefetch: the rest after a line came without asking the model again.
    assert.ok(generateCalls() <= start + 2, `${generateCalls() - start} requests`);
  });
});
