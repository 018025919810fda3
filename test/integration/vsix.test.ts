// The packaged extension: this machine's dist/bantam-<target>.vsix (linux-x64 here) installed by
// code-server into a fresh extensions folder and run from there (the repo is NOT loaded as a
// development extension). Proves the package has what Bantam needs at run time: the bundles, the
// manifest's contributions, and node-llama-cpp with its linux-x64 CPU binary, which the installed
// copy's worker loads to produce a real suggestion. (test/package/ checks every platform's package
// without installing it.)
// Only run by `node scripts/runIntegration.mjs --vsix` (BANTAM_TEST_SUITES=vsix), which passes:
//   BANTAM_TEST_EXTENSIONS_DIR  the extensions folder the .vsix was installed into
//   BANTAM_TEST_REPO_ROOT       the checkout, which the installed copy must not come from
//   BANTAM_TEST_MODEL           the tiny test model (.cache/models/bantam-tiny-qwen2.gguf)
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContextResult } from '../../src/core/context/contextTypes';
import type { BantamApi } from '../../src/extension';
import type { LocalLlamaBackend } from '../../src/core/providers/local/localLlamaBackend';
import { EXTENSION_ID, closeAllEditors, openWithCursor, setSetting } from './helpers';

function requiredEnv(name: string): string {
  const value = process.env[name];
  assert.ok(value, `env ${name} is not set: run this suite through scripts/runIntegration.mjs --vsix`);
  return value;
}

/** `child` is `parent` or lies inside it (after resolving symlinks where they exist). */
function isInside(child: string, parent: string): boolean {
  const real = (p: string) => (fs.existsSync(p) ? fs.realpathSync(p) : path.resolve(p));
  const rel = path.relative(real(parent), real(child));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function installed(): vscode.Extension<BantamApi> {
  const ext = vscode.extensions.getExtension<BantamApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} not found among ${vscode.extensions.all.length} extensions`);
  return ext;
}

/**
 * Triggers inline suggestions until the extension reports a new one. Fails at once when the
 * completion service goes into error (e.g. the worker cannot load node-llama-cpp), with its message.
 */
async function suggestionFrom(api: BantamApi, timeoutMs: number): Promise<{ text: string; id: number }> {
  const before = api.lastSuggestion;
  const deadline = Date.now() + timeoutMs;
  let nextTrigger = 0;
  for (;;) {
    if (api.lastSuggestion && api.lastSuggestion !== before) return api.lastSuggestion;
    const state = api.service.currentState;
    if (state.status === 'error') throw new Error(`the completion service failed: ${state.message ?? JSON.stringify(state)}`);
    if (Date.now() > deadline) throw new Error(`no suggestion within ${timeoutMs} ms (state: ${JSON.stringify(state)})`);
    // VS Code drops a trigger while an earlier request is in flight (e.g. the model is loading): repeat it.
    if (Date.now() >= nextTrigger) {
      nextTrigger = Date.now() + 3000;
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('packaged extension (.vsix)', function () {
  this.timeout(180_000);

  after(async () => {
    await closeAllEditors();
  });

  it('is installed from the extensions folder, not loaded from the checkout', () => {
    const ext = installed();
    const extensionsDir = requiredEnv('BANTAM_TEST_EXTENSIONS_DIR');
    const repoRoot = requiredEnv('BANTAM_TEST_REPO_ROOT');
    assert.ok(isInside(ext.extensionPath, extensionsDir), `extensionPath ${ext.extensionPath} is not inside ${extensionsDir}`);
    assert.ok(!isInside(ext.extensionPath, repoRoot), `extensionPath ${ext.extensionPath} is inside the checkout ${repoRoot}`);
    const copies = vscode.extensions.all.filter((e) => e.id.toLowerCase() === EXTENSION_ID);
    assert.equal(copies.length, 1, `expected one ${EXTENSION_ID}, found ${copies.map((e) => e.extensionPath).join(', ')}`);
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    assert.equal(ext.packageJSON.version, manifest.version, 'the installed version is the checkout\'s');
    // Run-time files the package must carry (the .vscodeignore keeps them), and not the chat app's sources.
    assert.ok(!fs.existsSync(path.join(ext.extensionPath, 'media', 'chat')), 'the package carries media/chat sources');
    for (const rel of [
      'dist/extension.js',
      'dist/modelHost.js',
      'dist/indexWorker.js',
      'grammars/web-tree-sitter.wasm',
      'grammars/tree-sitter-python.wasm',
      'grammars/queries/typescript/tags.scm',
      'grammars/queries/javascript/imports.scm',
      'dist/media/chat.js',
      'dist/media/chat.css',
      'dist/media/codicon.css',
      'dist/media/codicon.ttf',
      'media/bantam.svg',
      'node_modules/node-llama-cpp/package.json',
    ]) {
      assert.ok(fs.existsSync(path.join(ext.extensionPath, rel)), `the installed extension has no ${rel}`);
    }
  });

  it('activates and returns its API', async () => {
    const ext = installed();
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    assert.ok(api && api.service && api.engine, 'activate() returned the Bantam API');
  });

  it('registers every command its manifest contributes', async () => {
    const ext = installed();
    await ext.activate();
    const contributed = ((ext.packageJSON.contributes?.commands ?? []) as Array<{ command: string }>).map((c) => c.command);
    assert.ok(contributed.length > 0, 'the installed manifest contributes commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `commands not registered: ${missing.join(', ')}`);
  });

  it('produces an inline suggestion with the packaged node-llama-cpp in the installed worker', async () => {
    const ext = installed();
    const api = await ext.activate();
    const model = requiredEnv('BANTAM_TEST_MODEL');
    assert.ok(fs.existsSync(model), `test model missing: ${model} (run node scripts/makeTestModels.mjs --tiny)`);
    await setSetting('completion.backend', 'embedded');
    await setSetting('completion.model', model);
    await openWithCursor('src/vsixProbe.ts', 'export function double(value: number): number {\n  return █\n}\n');

    const suggestion = await suggestionFrom(api, 150_000);
    assert.ok(suggestion.text.length > 0, 'the suggestion is not empty');
    assert.equal(api.service.currentState.status, 'ready');

    // The worker that answered is the installed copy's, and it runs the packaged native binary.
    const backend = (await api.service.backend()) as LocalLlamaBackend | undefined;
    const pid = backend?.pid;
    assert.ok(pid, 'the embedded backend has a worker process');
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const worker = path.join(ext.extensionPath, 'dist', 'modelHost.js');
    assert.ok(cmdline.includes(worker), `the worker runs ${cmdline.join(' ')}, not ${worker}`);
    const maps = fs.readFileSync(`/proc/${pid}/maps`, 'utf8');
    const addons = [...new Set(maps.split('\n').map((l) => l.slice(l.indexOf('/'))).filter((p) => p.endsWith('.node') && /llama/i.test(p)))];
    assert.ok(addons.length > 0, 'the worker has loaded no llama.cpp addon');
    for (const addon of addons) {
      assert.ok(isInside(addon, ext.extensionPath), `the worker loaded ${addon}, outside the installed extension`);
    }
  });

  it('indexes with the packaged grammars and index worker: context at a call carries its definition', async () => {
    const ext = installed();
    await ext.activate();
    await openWithCursor('src/vsixShipping.ts', 'export function shippingCost(weight: number): number {\n  return weight * 3;\n}\n█');
    const order = await openWithCursor('src/vsixOrder.ts', "import { shippingCost } from './vsixShipping';\nexport const total = shippingCost(2█);\n");
    const deadline = Date.now() + 60_000;
    for (;;) {
      // Each try opens the report, which takes the editor: put the cursor back first (the index may still be starting).
      await vscode.window.showTextDocument(order.document, { selection: order.selection });
      const result = await vscode.commands.executeCommand<ContextResult>('bantam.showContextAtCursor');
      const found = result?.snippets.find((s) => s.file === 'src/vsixShipping.ts' && s.reason.startsWith('definition of shippingCost'));
      if (found) {
        assert.match(found.text, /export function shippingCost\(weight: number\): number \{/);
        break;
      }
      if (Date.now() > deadline) throw new Error(`no definition of shippingCost in ${JSON.stringify(result?.snippets.map((s) => [s.file, s.reason]))}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  });
});
