// Integration suite: codebase context in the real VS Code host. The example workspace (a temp copy)
// is indexed by the worker after activation; the context at a cursor in cart.ts carries the
// definition of findProduct from catalog.ts, which it imports; an edit to catalog.ts (unsaved, in
// its open document) shows up in that context; a renamed file's definitions move with it; .env and
// git-ignored files never appear; "Rebuild Index" re-indexes with progress.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContextResult } from '../../src/core/context/contextTypes';
import { bantam, closeAllEditors, waitFor, workspaceDir } from './helpers';

const CALL = 'const product = findProduct(sku);';

async function contextAt(file: string, needle: string): Promise<ContextResult> {
  const document = await vscode.workspace.openTextDocument(path.join(workspaceDir(), file));
  const editor = await vscode.window.showTextDocument(document);
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} not found in ${file}`);
  const position = document.positionAt(offset + needle.length - 2);
  editor.selection = new vscode.Selection(position, position);
  const result = await vscode.commands.executeCommand<ContextResult>('bantam.showContextAtCursor');
  assert.ok(result, 'Show Context at Cursor returned nothing');
  return result;
}

/** The snippet from `file` that defines findProduct. */
function findProductIn(result: ContextResult, file: string): ContextResult['snippets'][number] | undefined {
  return result.snippets.find((s) => s.file === file && s.reason.startsWith('definition of findProduct'));
}

describe('codebase context', function () {
  this.timeout(120_000);

  before(async () => {
    const root = workspaceDir();
    fs.writeFileSync(path.join(root, '.env'), 'SECRET_TOKEN=integration-not-a-secret\nfunction findProduct() {}\n');
    fs.writeFileSync(path.join(root, '.gitignore'), 'generated/\n');
    fs.mkdirSync(path.join(root, 'generated'), { recursive: true });
    fs.writeFileSync(path.join(root, 'generated', 'catalog.ts'), 'export function findProduct(sku: string) { return sku; }\n');
    const api = await bantam();
    assert.ok(api.workspaceContext, 'no workspace context: the test host should open a folder');
    // The first index may have started before the files above existed: rebuild to be sure of them.
    const progress = await vscode.commands.executeCommand<{ done: number; phase: string }>('bantam.rebuildIndex');
    assert.ok(progress && progress.done > 0, `rebuild indexed nothing: ${JSON.stringify(progress)}`);
  });

  after(closeAllEditors);

  it('the first index ran after activation and reported progress', async () => {
    const api = await bantam();
    const progress = await waitFor(() => api.workspaceContext?.service.progress?.phase === 'done' && api.workspaceContext.service.progress, 60_000, 'the index');
    assert.ok(progress.total >= 5, `expected the example's files, got ${JSON.stringify(progress)}`);
  });

  it('a call of an imported function carries its definition from the other file', async () => {
    const result = await contextAt('src/cart.ts', CALL);
    const definition = findProductIn(result, 'src/catalog.ts');
    assert.ok(definition, `no snippet from src/catalog.ts in ${JSON.stringify(result.snippets.map((s) => [s.file, s.reason]))}`);
    assert.match(definition.text, /export function findProduct\(sku: string\): Product \| undefined/);
    assert.match(definition.reason, /findProduct/);
    assert.ok(definition.tokens > 0);
    assert.ok(result.tokens <= 512, `over the default budget: ${result.tokens}`);
  });

  it('the context document lists the snippets with their reasons and token counts', async () => {
    await contextAt('src/cart.ts', CALL);
    const shown = vscode.window.activeTextEditor?.document;
    assert.ok(shown && shown.uri.scheme === 'bantam', 'the context document is not shown');
    const text = shown.getText();
    assert.match(text, /^# Context at src\/cart\.ts:\d+:\d+/);
    assert.match(text, /## \d+\. src\/catalog\.ts:\d+-\d+/);
    assert.match(text, /definition of findProduct .*· \d+ tokens/);
  });

  it('an unsaved edit of the definition shows up in the context', async () => {
    const catalog = await vscode.workspace.openTextDocument(path.join(workspaceDir(), 'src', 'catalog.ts'));
    const at = catalog.getText().indexOf('export function findProduct');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(catalog.uri, catalog.positionAt(at), '/** Looks a product up; edited by the integration test. */\n');
    edit.replace(
      catalog.uri,
      new vscode.Range(catalog.positionAt(at), catalog.positionAt(at + 'export function findProduct(sku: string)'.length)),
      'export function findProduct(sku: string, strict = false)',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    const result = await waitFor(async () => {
      const r = await contextAt('src/cart.ts', CALL);
      return findProductIn(r, 'src/catalog.ts')?.text.includes('strict = false') && r;
    }, 20_000, 'the edited definition in the context');
    assert.ok(result);
    await vscode.commands.executeCommand('workbench.action.files.revert', catalog.uri);
  });

  it('a renamed file is followed, and its old path drops out', async () => {
    const root = workspaceDir();
    const from = vscode.Uri.file(path.join(root, 'src', 'catalog.ts'));
    const to = vscode.Uri.file(path.join(root, 'src', 'products.ts'));
    const rename = new vscode.WorkspaceEdit();
    rename.renameFile(from, to);
    assert.ok(await vscode.workspace.applyEdit(rename));
    try {
      // cart.ts still imports './catalog.js': the definition is now found by name, workspace-wide.
      const moved = await waitFor(async () => {
        const r = await contextAt('src/cart.ts', CALL);
        return findProductIn(r, 'src/products.ts') && !findProductIn(r, 'src/catalog.ts') && r;
      }, 20_000, 'the definition under its new path');
      assert.ok(moved);
    } finally {
      const back = new vscode.WorkspaceEdit();
      back.renameFile(to, from);
      await vscode.workspace.applyEdit(back);
    }
    await waitFor(async () => findProductIn(await contextAt('src/cart.ts', CALL), 'src/catalog.ts'), 20_000, 'the definition back at its path');
  });

  it('.env and git-ignored files never reach the context', async () => {
    const result = await contextAt('src/cart.ts', CALL);
    const files = result.snippets.map((s) => s.file);
    assert.ok(!files.includes('.env'), `.env in ${files.join(', ')}`);
    assert.ok(!files.some((f) => f.startsWith('generated/')), `ignored file in ${files.join(', ')}`);
    assert.ok(!result.snippets.some((s) => s.text.includes('SECRET_TOKEN')));
  });
});
