// Integration suite: a multi-root workspace in the real VS Code host. The driver opens a
// .code-workspace with two folders, `app` and `lib` (scripts/runIntegration.mjs, group multi-root).
// Every folder is indexed, with its own .gitignore, and files are named `folderName/path`: a
// definition in lib reaches the prompt of a completion in app (as the completion backend, a fake
// Ollama, received it); codebase search names files with their folder; the @file picker lists both
// folders' files and a chip attaches a lib file; an edit across both folders applies as one
// WorkspaceEdit that one undo restores; an edit naming no folder is refused; a folder added while
// running is indexed and one removed drops out.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandOutcome } from '../../src/vscode/frontierCommands';
import { FAKE_MODELS } from '../support/fakeOllamaServer';
import { spyOnChat } from './chatHarness';
import { chunked, editBlock, useFrontierHarness } from './frontierHarness';
import { bantam, closeAllEditors, CURSOR, requestSuggestion, setSetting, useFakeOllama, waitFor } from './helpers';

const MONEY = ['export function formatMoney(cents: number): string {', "  return '$' + (cents / 100).toFixed(2);", '}', ''].join('\n');
const CART = [
  "import { formatMoney } from '../../lib/src/money';",
  '',
  'export function receipt(total: number): string {',
  "  return 'Total: ' + formatMoney(total);",
  '}',
  '',
].join('\n');

function folder(name: string): vscode.WorkspaceFolder {
  const found = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
  assert.ok(found, `no workspace folder named ${name}: ${JSON.stringify(vscode.workspace.workspaceFolders?.map((f) => f.name))}`);
  return found;
}

/** Writes `rel` inside the folder named `name` and returns its URI. */
function write(name: string, rel: string, text: string): vscode.Uri {
  const file = path.join(folder(name).uri.fsPath, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return vscode.Uri.file(file);
}

/** Opens `rel` of the folder named `name`. */
function openIn(name: string, rel: string): Thenable<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(path.join(folder(name).uri.fsPath, rel));
}

describe('multi-root workspace', function () {
  this.timeout(120_000);

  before(async () => {
    assert.deepEqual(vscode.workspace.workspaceFolders?.map((f) => f.name), ['app', 'lib'], 'the driver opens a two-folder workspace');
    write('lib', 'src/money.ts', MONEY);
    write('app', 'src/cart.ts', CART);
    // app's .gitignore is app's alone: the same path in lib is indexed and may be sent.
    write('app', '.gitignore', 'private/\n');
    write('app', 'private/plan.ts', 'export function appPlan(): number { return 1; }\n');
    write('lib', 'private/plan.ts', 'export function libPlan(): number { return 2; }\n');
    const api = await bantam();
    assert.ok(api.workspaceContext, 'no workspace context');
    const progress = await vscode.commands.executeCommand<{ done: number; phase: string }>('bantam.rebuildIndex');
    assert.equal(progress?.phase, 'done', JSON.stringify(progress));
    assert.deepEqual(
      (await api.workspaceContext.service.indexedFiles()).filter((f) => f.endsWith('.ts')).sort(),
      ['app/src/cart.ts', 'lib/private/plan.ts', 'lib/src/money.ts'],
    );
  });

  it("each folder's .gitignore applies to its own files only, in the index and in every prompt", async () => {
    const api = await bantam();
    assert.match((await api.guard.refusal('app/private/plan.ts')) ?? '', /git-ignored/);
    assert.equal(await api.guard.refusal('lib/private/plan.ts'), undefined);
    assert.match((await api.guard.refusal('src/cart.ts')) ?? '', /in no workspace folder/);
  });

  after(closeAllEditors);

  describe('completion', () => {
    const fakeOllama = useFakeOllama([FAKE_MODELS.qwenCoder]);

    it('a definition in folder lib reaches the prompt of a completion in folder app', async () => {
      const api = await bantam();
      const ollama = fakeOllama();
      await setSetting('ollama.host', ollama.url);
      await setSetting('ollama.model', FAKE_MODELS.qwenCoder.name);
      await setSetting('completion.backend', 'ollama');
      ollama.setScript({ chunks: ['price'] });
      const content = `import { formatMoney } from '../../lib/src/money';\n\nexport function line(price: number): string {\n  return formatMoney(${CURSOR});\n}\n`;
      const uri = write('app', 'src/line.ts', content.replace(CURSOR, ''));
      const document = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(document);
      const position = document.positionAt(content.indexOf(CURSOR));
      editor.selection = new vscode.Selection(position, position);
      // Until the worker has parsed the new document, a retrieval can miss the 60 ms a completion
      // waits for it; wait until the index answers here, then ask (an explicit request retrieves afresh).
      const request = api.workspaceContext!.requestAtCursor(editor)!;
      assert.equal(request.file, 'app/src/line.ts');
      await waitFor(
        async () => (await api.workspaceContext!.service.retrieve(request)).snippets.some((s) => s.file === 'lib/src/money.ts'),
        30_000,
        "retrieval at the cursor to find lib's definition",
      );
      await requestSuggestion(api, 30_000);
      const prompts = ollama.requestsTo('/api/generate').map((r) => String(r.body.prompt));
      const prompt = prompts.find((p) => p.includes('formatMoney(cents: number)'));
      assert.ok(prompt, `no prompt carried lib's definition:\n${prompts.join('\n-----\n')}`);
      assert.ok(prompt.includes('lib/src/money.ts'), `the definition is not named with its folder:\n${prompt}`);
      assert.ok(prompt.includes('app/src/line.ts'), `the current file is not named with its folder:\n${prompt}`);
    });
  });

  it('codebase search names files with their folder', async () => {
    const api = await bantam();
    const found = await api.workspaceContext!.service.searchCodebase({ question: 'how does formatMoney format cents?', budgetTokens: 2000 });
    const files = found?.snippets.map((s) => s.file) ?? [];
    assert.ok(files.includes('lib/src/money.ts'), JSON.stringify(files));
    assert.ok(files.every((f) => f.startsWith('app/') || f.startsWith('lib/')), JSON.stringify(files));
  });

  it('the @file picker lists the files of both folders, and a chip attaches a file of lib', async () => {
    const api = await bantam();
    await api.chat.reveal();
    const spy = spyOnChat(api.chat);
    try {
      await api.chat.receive({ type: 'searchFiles', query: '' });
      const picker = spy.posted.find((m) => m.type === 'filePicker');
      assert.ok(picker && picker.type === 'filePicker', `no file picker posted: ${JSON.stringify(spy.posted.map((m) => m.type))}`);
      const listed = picker.items.map((i) => i.path);
      assert.ok(listed.includes('app/src/cart.ts') && listed.includes('lib/src/money.ts'), JSON.stringify(listed));
      await api.chat.receive({ type: 'addChip', kind: 'file', path: 'lib/src/money.ts' });
      const chips = api.chat.session.state().chips.map((c) => c.id);
      assert.ok(chips.includes('file:lib/src/money.ts'), JSON.stringify(chips));
      await api.chat.receive({ type: 'removeChip', chipId: 'file:lib/src/money.ts' });
    } finally {
      spy.dispose();
    }
  });

  describe('edits', () => {
    const harness = useFrontierHarness();

    async function editAcross(instruction: string, answer: string): Promise<CommandOutcome> {
      const h = harness();
      await waitFor(
        async () => (await h.api.workspaceContext?.service.searchCodebase({ question: instruction, budgetTokens: 4000 }))?.snippets.some((s) => s.file === 'lib/src/money.ts'),
        30_000,
        'codebase search to find lib/src/money.ts',
      );
      await vscode.window.showTextDocument(await openIn('app', 'src/cart.ts'));
      h.provider.setScript({ chunks: chunked(answer) });
      const outcome = await vscode.commands.executeCommand<CommandOutcome>('bantam.editAcrossFiles', { instruction });
      assert.ok(outcome, 'Edit Across Files returned nothing');
      return outcome;
    }

    it('an edit across both folders applies as one change that one undo restores', async () => {
      const answer = [
        editBlock('app/src/cart.ts', "  return 'Total: ' + formatMoney(total);\n", "  return 'Total: ' + formatMoney(total, 'EUR');\n"),
        editBlock('lib/src/money.ts', 'export function formatMoney(cents: number): string {\n', "export function formatMoney(cents: number, currency = 'USD'): string {\n"),
      ].join('\n');
      const outcome = await editAcross('add a currency parameter to formatMoney and pass EUR from receipt', answer);
      assert.equal(outcome.status, 'applied', JSON.stringify(outcome.problems ?? outcome.message));
      assert.deepEqual(outcome.changes?.map((c) => c.path).sort(), ['app/src/cart.ts', 'lib/src/money.ts']);
      const cart = await openIn('app', 'src/cart.ts');
      const money = await openIn('lib', 'src/money.ts');
      assert.ok(cart.getText().includes("formatMoney(total, 'EUR')"));
      assert.ok(money.getText().includes("currency = 'USD'"));
      // One undo, from the app file's editor, restores both folders' files.
      await vscode.window.showTextDocument(cart);
      await vscode.commands.executeCommand('undo');
      await waitFor(() => cart.getText() === CART && money.getText() === MONEY, 5000, 'one undo to restore both files');
    });

    it('refuses an edit whose path names no workspace folder, and changes nothing', async () => {
      const answer = [
        editBlock('app/src/cart.ts', "  return 'Total: ' + formatMoney(total);\n", "  return 'Sum: ' + formatMoney(total);\n"),
        editBlock('docs/notes.md', '', 'notes\n'),
      ].join('\n');
      const outcome = await editAcross('rename Total to Sum in receipt and write notes about formatMoney', answer);
      assert.equal(outcome.status, 'problems');
      assert.ok(outcome.problems?.some((p) => p.startsWith('docs/notes.md: names no workspace folder')), JSON.stringify(outcome.problems));
      const cart = await openIn('app', 'src/cart.ts');
      assert.equal(cart.getText(), CART);
    });
  });

  // Last: it changes the workspace's folders.
  describe('folders added and removed while running', () => {
    /** Changes the folders and waits until VS Code has told the extensions. */
    async function changeFolders(start: number, deleteCount: number, ...add: vscode.Uri[]): Promise<void> {
      const changed = new Promise<void>((resolve) => {
        const listener = vscode.workspace.onDidChangeWorkspaceFolders(() => {
          listener.dispose();
          resolve();
        });
      });
      assert.ok(vscode.workspace.updateWorkspaceFolders(start, deleteCount, ...add.map((uri) => ({ uri }))), 'VS Code refused the folder change');
      await changed;
    }

    it('an added folder is indexed with its name, and a removed one drops out', async () => {
      const api = await bantam();
      const extra = path.join(path.dirname(folder('lib').uri.fsPath), 'extra');
      fs.mkdirSync(path.join(extra, 'src'), { recursive: true });
      fs.writeFileSync(path.join(extra, 'src', 'tax.ts'), 'export function addTax(cents: number): number {\n  return Math.round(cents * 1.2);\n}\n');
      const indexed = async () => (await api.workspaceContext!.service.indexedFiles().catch(() => [])).filter((f) => f.endsWith('.ts'));
      await changeFolders(2, 0, vscode.Uri.file(extra));
      assert.equal(api.paths.relative(vscode.Uri.file(path.join(extra, 'src', 'tax.ts'))), 'extra/src/tax.ts');
      await waitFor(async () => (await indexed()).includes('extra/src/tax.ts'), 60_000, 'the added folder in the index');
      await changeFolders(2, 1);
      await waitFor(async () => {
        const files = await indexed();
        return !files.some((f) => f.startsWith('extra/')) && files.includes('lib/src/money.ts');
      }, 60_000, 'the removed folder to drop out of the index');
    });
  });
});
