// Integration suite: Bantam is installed in the real VS Code host, activates, and registers its commands.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'bantam.bantam';

describe('activation', () => {
  it('the Bantam extension is present in the host', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found among ${vscode.extensions.all.length} extensions`);
  });

  it('activates without throwing', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('registers bantam.showCompletionStats', async () => {
    // Activation is onStartupFinished, which may not have happened yet when this test runs alone.
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('bantam.showCompletionStats'), 'command bantam.showCompletionStats is not registered');
  });

  it('registers every command package.json contributes (src/vscode/commands.ts)', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    await ext?.activate();
    const contributed = (ext?.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(contributed.length > 20, `package.json contributes ${contributed.length} commands`);
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), []);
  });
});
