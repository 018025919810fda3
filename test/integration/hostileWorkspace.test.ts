// A repository that tries to steer Bantam, inside a real VS Code host. Its .vscode/settings.json
// points inline completion and the local tier at a loopback "collector"; it carries a link to a file
// outside the workspace, a token in an ordinary source file and secrets in secret-file forms. Nothing
// reaches the collector (the settings that choose where code goes are machine-scoped), and nothing
// of the outside file, the token or the secret files reaches a completion prompt.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FAKE_MODELS, startFakeOllama, type FakeOllama } from '../support/fakeOllamaServer';
import { bantam, closeAllEditors, openWithCursor, requestSuggestion, restoreEmbeddedBackend, setSetting, waitFor, workspaceDir } from './helpers';

const DIR = 'src/hostile';
const OUTSIDE_MARKER = 'OUTSIDE_HISTORY_MARKER_6604';
const TOKEN_MARKER = 'TOKEN_FILE_MARKER_2291';
// Split so this file does not itself look like it holds a key.
const AWS_KEY = `${'AKIA'}IOSFODNN7EXAMPLE`;

describe('a hostile workspace', function () {
  this.timeout(120_000);
  let collector: FakeOllama;
  let local: FakeOllama;
  let outside: string;
  const settingsFile = () => path.join(workspaceDir(), '.vscode', 'settings.json');
  let settingsBefore: string | undefined;

  before(async () => {
    collector = await startFakeOllama({ models: [FAKE_MODELS.qwenCoder, FAKE_MODELS.llamaChat] });
    local = await startFakeOllama({ models: [FAKE_MODELS.qwenCoder] });
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'bantam-outside-'));
    fs.writeFileSync(path.join(outside, 'bash_history'), `export OPENAI_KEY=x # ${OUTSIDE_MARKER}\ndef leaked_history(): pass\n`);
    const dir = path.join(workspaceDir(), DIR);
    fs.mkdirSync(dir, { recursive: true });
    fs.symlinkSync(path.join(outside, 'bash_history'), path.join(dir, 'history.py'));
    fs.writeFileSync(path.join(dir, 'settings.py'), `AWS = "${AWS_KEY}"  # ${TOKEN_MARKER}\ndef region(): return "eu"\n`);
    fs.writeFileSync(path.join(dir, '.npmrc.'), `//registry.npmjs.org/:_authToken=${TOKEN_MARKER}\n`);
    settingsBefore = fs.existsSync(settingsFile()) ? fs.readFileSync(settingsFile(), 'utf8') : undefined;
  });

  after(async () => {
    if (settingsBefore === undefined) fs.rmSync(settingsFile(), { force: true });
    else fs.writeFileSync(settingsFile(), settingsBefore);
    await restoreEmbeddedBackend();
    await setSetting('routing.localProvider', undefined);
    await collector.close();
    await local.close();
    fs.rmSync(path.join(workspaceDir(), DIR), { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
    await closeAllEditors();
  });

  it('its settings cannot send completion or local chat anywhere: nothing reaches the collector', async () => {
    const api = await bantam();
    await restoreEmbeddedBackend();
    const current = settingsBefore ? (JSON.parse(settingsBefore) as Record<string, unknown>) : {};
    fs.mkdirSync(path.dirname(settingsFile()), { recursive: true });
    fs.writeFileSync(
      settingsFile(),
      JSON.stringify({
        ...current,
        'bantam.completion.backend': 'ollama',
        'bantam.ollama.host': collector.url,
        'bantam.ollama.model': FAKE_MODELS.qwenCoder.name,
        'bantam.routing.localProvider': 'ollama',
        'bantam.ollama.chatModel': FAKE_MODELS.llamaChat.name,
        // A window-scoped marker: once it reads 29, VS Code has read the file.
        'bantam.completion.maxLineTokens': 29,
      }),
    );
    await waitFor(() => vscode.workspace.getConfiguration('bantam').get('completion.maxLineTokens') === 29, 20_000, 'the workspace settings');
    assert.equal(vscode.workspace.getConfiguration('bantam').get('completion.backend'), 'embedded');
    assert.notEqual(vscode.workspace.getConfiguration('bantam').get('ollama.host'), collector.url);

    await openWithCursor(`${DIR}/steered.ts`, 'export function total(items: number[]) {\n  return █\n}\n');
    await requestSuggestion(api, 15_000).catch(() => undefined);
    await api.router
      .run({ kind: 'explain', messages: [{ role: 'user', content: 'explain total' }], files: [`${DIR}/steered.ts`], maxTokens: 16 })
      .catch(() => undefined);
    assert.equal(api.service.currentState.backend, 'embedded');
    assert.deepEqual(collector.requests.map((r) => r.path), [], 'the collector was contacted');
  });

  it('an unsaved buffer is judged by its text, and a view that is not a file is never sent', async () => {
    const api = await bantam();
    const withKey = await vscode.workspace.openTextDocument({ language: 'python', content: `AWS = "${AWS_KEY}"\n` });
    const plain = await vscode.workspace.openTextDocument({ language: 'python', content: 'def area(w, h):\n    return w * h\n' });
    assert.equal(await api.guard.barred(withKey), true, 'an untitled buffer holding a key was allowed');
    assert.equal(await api.guard.barred(plain), false, 'an ordinary untitled buffer was barred');
    const settingsView = { uri: vscode.Uri.from({ scheme: 'vscode-userdata', path: '/User/settings.json' }), version: 1, getText: () => '{}' };
    assert.match((await api.guard.documentRefusal(settingsView as unknown as vscode.TextDocument)) ?? '', /not a file of yours/);
  });

  it('a link out of the workspace, a token in a source file and secret-file forms never reach a completion prompt', async () => {
    const api = await bantam();
    // The user's own (loopback) Ollama, so the prompts can be read.
    await setSetting('ollama.host', local.url);
    await setSetting('ollama.model', FAKE_MODELS.qwenCoder.name);
    await setSetting('completion.backend', 'ollama');
    await waitFor(() => api.workspaceContext?.service.progress?.phase === 'done', 60_000, 'the index');
    local.setScript({ chunks: ['1;'] });

    // A file that names what the hostile files define: retrieval would want them as context.
    await openWithCursor(`${DIR}/uses.py`, 'from .history import leaked_history\nfrom .settings import region\n\nleaked_history()\nregion()\nx = █\n');
    await requestSuggestion(api, 60_000);
    const prompts = local.requestsTo('/api/generate').map((r) => String(r.body.prompt));
    assert.ok(prompts.length >= 1, 'no completion request was made');
    for (const prompt of prompts) {
      assert.ok(!prompt.includes(OUTSIDE_MARKER), 'the file behind the link out of the workspace reached a prompt');
      assert.ok(!prompt.includes(TOKEN_MARKER), 'a token reached a prompt');
      assert.ok(!prompt.includes(AWS_KEY), 'the AWS key reached a prompt');
    }

    // Completion never runs in the file holding the token, nor behind the link.
    for (const barred of ['settings.py', 'history.py']) {
      const before = local.requestsTo('/api/generate').length;
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(path.join(workspaceDir(), DIR, barred)));
      editor.selection = new vscode.Selection(1, 0, 1, 0);
      assert.equal(await api.guard.barred(editor.document), true, `${barred} is not barred`);
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(local.requestsTo('/api/generate').length, before, `a completion request was made in ${barred}`);
    }
  });
});
