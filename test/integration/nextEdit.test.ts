// Next-edit suggestions as the user meets them in a real VS Code host, with real key presses (the
// driver presses them in the workbench, so Tab and Escape go through VS Code's keybinding resolution
// and Bantam's context key): rename a parameter, and its use two lines below is drawn as an edit with
// a "Tab to jump" marker; Tab jumps, Tab applies as one undoable edit; Escape and typing dismiss; Tab
// indents as usual when nothing is shown; an insertion at the cursor arrives as ghost text. The model
// is a loopback OpenAI-compatible server (bantam.nextEdit.backend: openai) answering a prepared rewrite.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startFakeProviderServer, type FakeProviderServer } from '../support/fakeProviderServer';
import * as path from 'node:path';
import { bantam, closeAllEditors, CURSOR, openWithCursor, setSetting, tinyModelPath, waitFor } from './helpers';
import { pressKeys } from './keyboard';

const ORIGINAL = [
  `export function scale(factor${CURSOR}: number, values: number[]): number[] {`,
  '  const out: number[] = [];',
  '  for (const v of values) out.push(v * factor);',
  '  return out;',
  '}',
  '',
].join('\n');
const BEFORE_RENAME = ORIGINAL.replace(CURSOR, '');
const RENAMED = BEFORE_RENAME.replace('scale(factor', 'scale(ratio');
const EXPECTED = RENAMED.replace('v * factor', 'v * ratio');

type Api = Awaited<ReturnType<typeof bantam>>;

/** The outcomes reported since `from` (an index into api.nextEditOutcomes), as short words. */
function outcomesSince(api: Api, from: number): string[] {
  return api.nextEditOutcomes.slice(from).map((o) => (o.kind === 'dismissed' ? `dismissed:${o.reason}` : o.kind === 'shown' ? `shown:${o.as}` : o.kind));
}

/** Editor settings that would put a suggest widget (which owns Tab) over the test's typing. */
const QUIET_EDITOR: Array<[string, unknown]> = [
  ['quickSuggestions', { other: 'off', comments: 'off', strings: 'off' }],
  ['suggestOnTriggerCharacters', false],
  ['parameterHints.enabled', false],
];

describe('next-edit suggestions: decorations, Tab to jump, Tab to accept, Escape, ghost text', function () {
  this.timeout(60_000);
  let server: FakeProviderServer;
  let files = 0;

  before(async () => {
    server = await startFakeProviderServer({ script: { chunks: [''] } });
    // Inline completion off: its ghost text would own Tab.
    await setSetting('completion.enabled', false);
    await setSetting('openai.baseUrl', `${server.url}/v1`);
    await setSetting('nextEdit.backend', 'openai');
    await setSetting('nextEdit.model', 'sweep-next-edit');
    await setSetting('nextEdit.enabled', true);
    for (const [key, value] of QUIET_EDITOR) await vscode.workspace.getConfiguration('editor').update(key, value, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    for (const key of ['nextEdit.enabled', 'nextEdit.model', 'nextEdit.backend', 'openai.baseUrl', 'completion.enabled']) await setSetting(key, undefined);
    for (const [key] of QUIET_EDITOR) await vscode.workspace.getConfiguration('editor').update(key, undefined, vscode.ConfigurationTarget.Workspace);
    await server?.close();
    await closeAllEditors();
  });

  afterEach(async () => {
    server.setScript({ chunks: [''] });
    await closeAllEditors();
  });

  /** Opens a new file holding ORIGINAL and renames the parameter `factor` to `ratio` by typing over it. */
  async function renameParameter(): Promise<vscode.TextEditor> {
    const editor = await openWithCursor(`src/nextEditScale${++files}.ts`, ORIGINAL);
    const start = editor.document.positionAt(BEFORE_RENAME.indexOf('factor'));
    editor.selection = new vscode.Selection(start, start.translate(0, 'factor'.length));
    await vscode.commands.executeCommand('type', { text: 'ratio' });
    assert.equal(editor.document.getText(), RENAMED);
    return editor;
  }

  async function shownDecorations(): Promise<NonNullable<ReturnType<Api['nextEdit']['shown']>>> {
    const api = await bantam();
    return waitFor(() => api.nextEdit.shown()?.as === 'decorations' && api.nextEdit.shown(), 20_000, 'the next edit to be drawn');
  }

  it('after renaming a parameter its use two lines below is drawn; Tab jumps, Tab applies, one undo restores', async () => {
    const api = await bantam();
    const from = api.nextEditOutcomes.length;
    server.setScript({ chunks: [EXPECTED, '\n'] });
    const asksBefore = server.requestsTo('/completions').length;
    const editor = await renameParameter();
    const cursor = editor.selection.active;

    const shown = await shownDecorations();
    // The model was asked with the document as it is after the rename.
    const asked = server.requestsTo('/completions')[asksBefore];
    const prompt = String(asked?.body.prompt);
    assert.ok(prompt.includes(RENAMED), 'the prompt does not hold the renamed document');
    assert.equal(asked?.body.model, 'sweep-next-edit');
    // Sweep's format, with the rename the editor recorded: the window before it, and as it is now.
    const path = vscode.workspace.asRelativePath(editor.document.uri, false);
    assert.ok(prompt.includes(`<|file_sep|>original/${path}\n${BEFORE_RENAME}`), prompt);
    assert.ok(prompt.includes(`<|file_sep|>current/${path}\n${RENAMED}`), prompt);
    assert.ok(prompt.endsWith(`<|file_sep|>updated/${path}`), prompt);
    assert.deepEqual(
      shown.deletions.map((d) => [d.start.line, d.text]),
      [[2, 'factor']],
    );
    assert.deepEqual(shown.insertions.map((i) => [i.at.line, i.text]), [[2, 'ratio']]);
    assert.deepEqual(shown.marker, { line: 0, text: 'Tab to jump ↓' });
    assert.ok(editor.selection.active.isEqual(cursor), 'the cursor moved without a Tab');
    assert.equal(editor.document.getText(), RENAMED);

    await pressKeys('Tab');
    const use = editor.document.positionAt(RENAMED.indexOf('v * factor') + 4);
    await waitFor(() => editor.selection.active.isEqual(use), 10_000, 'Tab to move the cursor to the edit');
    assert.equal(editor.document.getText(), RENAMED, 'the jump changed the document');
    assert.deepEqual(api.nextEdit.shown()?.marker, { line: 2, text: 'Tab to accept' });

    // While it shows, the suggestion after it is asked for: the document and cursor once it is accepted.
    const prefetch = await waitFor(() => server.requestsTo('/completions')[asksBefore + 1], 10_000, 'the prefetch of the next suggestion');
    assert.ok(String(prefetch.body.prompt).includes(`<|file_sep|>current/${path}\n${EXPECTED}`), String(prefetch.body.prompt));

    await pressKeys('Tab');
    await waitFor(() => editor.document.getText() === EXPECTED, 10_000, 'Tab to apply the edit');
    assert.equal(api.nextEdit.shown(), undefined);
    assert.ok(editor.selection.active.isEqual(use.translate(0, 'ratio'.length)), `cursor at ${JSON.stringify(editor.selection.active)}`);
    assert.deepEqual(outcomesSince(api, from), ['shown:decorations', 'jumped', 'accepted']);
    // The session's stats, in the status bar's tooltip.
    assert.match(api.statusBar.tooltip, /Next edit: \d+ shown, \d+ accepted/);

    // The server now has nothing more to say, so nothing new is drawn over the undo.
    server.setScript({ chunks: [''] });
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), RENAMED, 'one undo does not restore the document as it was before the edit');
  });

  it('Escape dismisses the suggestion, leaving the document and the cursor alone; Tab then indents', async () => {
    const api = await bantam();
    server.setScript({ chunks: [EXPECTED, '\n'] });
    const editor = await renameParameter();
    const cursor = editor.selection.active;
    await shownDecorations();
    server.setScript({ chunks: [''] });
    const from = api.nextEditOutcomes.length;

    await pressKeys('Escape');
    await waitFor(() => api.nextEdit.shown() === undefined, 10_000, 'Escape to dismiss the suggestion');
    assert.deepEqual(outcomesSince(api, from), ['dismissed:escape']);
    assert.equal(editor.document.getText(), RENAMED);
    assert.ok(editor.selection.active.isEqual(cursor));

    // The context key is off again: Tab is VS Code's own.
    await pressKeys('Tab');
    await waitFor(() => editor.document.getText() !== RENAMED, 10_000, 'Tab to change the document');
    const offset = editor.document.offsetAt(cursor);
    assert.equal(editor.document.getText().slice(0, offset), RENAMED.slice(0, offset));
    assert.match(editor.document.getText().slice(offset), /^[ \t]+: number/);
  });

  it('typing elsewhere dismisses the suggestion', async () => {
    const api = await bantam();
    server.setScript({ chunks: [EXPECTED, '\n'] });
    const editor = await renameParameter();
    await shownDecorations();
    server.setScript({ chunks: [''] });
    const from = api.nextEditOutcomes.length;
    await vscode.commands.executeCommand('type', { text: 'X' });
    await waitFor(() => api.nextEdit.shown() === undefined, 10_000, 'typing to dismiss the suggestion');
    assert.deepEqual(outcomesSince(api, from), ['dismissed:typed']);
    assert.equal(editor.document.getText(), RENAMED.replace('scale(ratio', 'scale(ratioX'));
  });

  it('records edits of a workspace file, and never of a secret-looking one', async () => {
    const api = await bantam();
    const { history, recorder } = api.nextEditParts;
    server.setScript({ chunks: [''] });
    const editor = await openWithCursor(`src/nextEditRecorded${++files}.ts`, `const a = 1;${CURSOR}\n`);
    await vscode.commands.executeCommand('type', { text: ' // one' });
    const secret = await openWithCursor(`.env.nextedit${files}`, `TOKEN=abc${CURSOR}\n`);
    await vscode.commands.executeCommand('type', { text: 'def' });
    await recorder.settled();
    const path = vscode.workspace.asRelativePath(editor.document.uri, false);
    assert.deepEqual(history.hunksOf(path).map((h) => [h.original, h.updated]), [['const a = 1;', 'const a = 1; // one']]);
    assert.deepEqual(history.hunksOf(vscode.workspace.asRelativePath(secret.document.uri, false)), []);
    assert.ok(history.hunks().every((h) => !h.path.includes('.env')), JSON.stringify(history.hunks()));

    // Turned off, next-edit keeps nothing.
    await setSetting('nextEdit.enabled', false);
    try {
      await waitFor(() => history.hunks().length === 0 || undefined, 10_000, 'the recorded edits to go when next-edit is turned off');
      await vscode.commands.executeCommand('type', { text: ' two' });
      await recorder.settled();
      assert.deepEqual(history.hunks(), [], 'an edit made while next-edit is off is not recorded');
    } finally {
      await setSetting('nextEdit.enabled', true);
    }
  });

  it('ghost text of a next edit goes away when the cursor leaves its place', async () => {
    const api = await bantam();
    const editor = await openWithCursor(`src/nextEditMove${++files}.ts`, `const total = add(1, ${CURSOR});\n`);
    server.setScript({ chunks: ['const total = add(1, 2, 3);\n', '\n'] });
    await vscode.commands.executeCommand('type', { text: '2' });
    await waitFor(() => api.nextEdit.shown()?.as === 'ghost', 20_000, 'the ghost text');
    server.setScript({ chunks: [''] });
    const from = api.nextEditOutcomes.length;
    const start = new vscode.Position(0, 0);
    editor.selection = new vscode.Selection(start, start);
    await waitFor(() => api.nextEdit.shown() === undefined, 10_000, 'the ghost text to go');
    assert.deepEqual(outcomesSince(api, from), ['dismissed:moved']);
  });

  it('the embedded backend answers from the shared model host: a real GGUF through node-llama-cpp, no server asked', async function () {
    this.timeout(150_000);
    const api = await bantam();
    const asked = server.requestsTo('/completions').length;
    const requests = api.nextEditParts.stats.snapshot().requests;
    await setSetting('nextEdit.backend', 'embedded');
    await setSetting('nextEdit.model', path.join(path.dirname(tinyModelPath()), 'bantam-tiny-nofim.gguf'));
    try {
      await renameParameter();
      const shown = await waitFor(() => api.nextEdit.shown(), 120_000, 'the embedded model’s suggestion');
      // The tiny model writes TINY_MODEL_TEXT whatever it is shown: its rewrite of the window is what is
      // drawn (a test of the wiring, never of quality).
      const drawn = [...shown.insertions.map((i) => i.text), shown.ghost?.text ?? ''].join('');
      assert.ok(drawn.includes('quick brown'), JSON.stringify(shown));
      assert.ok(api.nextEditParts.stats.snapshot().requests > requests);
      assert.equal(server.requestsTo('/completions').length, asked, 'the server was asked');
    } finally {
      await setSetting('nextEdit.backend', 'openai');
      await setSetting('nextEdit.model', 'sweep-next-edit');
    }
  });

  it('Tab indents as usual when no suggestion is shown', async () => {
    const api = await bantam();
    const editor = await openWithCursor(`src/nextEditIndent${++files}.ts`, `function f() {\n${CURSOR}return 1;\n}\n`);
    const before = editor.document.getText();
    await pressKeys('Tab');
    await waitFor(() => editor.document.getText() !== before, 10_000, 'Tab to change the document');
    const indent = editor.options.insertSpaces ? ' '.repeat(Number(editor.options.tabSize)) : '\t';
    assert.equal(editor.document.getText(), `function f() {\n${indent}return 1;\n}\n`);
    assert.equal(api.nextEdit.shown(), undefined);
  });

  it('an insertion at the cursor arrives as ghost text, and Tab accepts it', async () => {
    const api = await bantam();
    const from = api.nextEditOutcomes.length;
    const editor = await openWithCursor(`src/nextEditSum${++files}.ts`, `const total = add(1, ${CURSOR});\n`);
    server.setScript({ chunks: ['const total = add(1, 2, 3);\n', '\n'] });
    await vscode.commands.executeCommand('type', { text: '2' });
    assert.equal(editor.document.getText(), 'const total = add(1, 2);\n');

    const shown = await waitFor(() => api.nextEdit.shown()?.as === 'ghost' && api.nextEdit.shown(), 20_000, 'the ghost text');
    assert.equal(shown.ghost?.text, ', 3');
    assert.equal(shown.ghost?.start.character, 'const total = add(1, 2'.length);
    assert.deepEqual(shown.deletions, []);

    await pressKeys('Tab');
    await waitFor(() => editor.document.getText() !== 'const total = add(1, 2);\n', 10_000, 'Tab to accept the ghost text');
    assert.equal(editor.document.getText(), 'const total = add(1, 2, 3);\n');
    await waitFor(() => outcomesSince(api, from).includes('accepted'), 5000, 'the acceptance to be reported');
    assert.deepEqual(outcomesSince(api, from), ['shown:ghost', 'accepted']);
  });
});
