// Presses real keys in the workbench from a suite, through the driver's loopback endpoint
// (scripts/testKeyboard.mjs): the key goes through VS Code's keybinding resolution, `when` clauses
// and context keys included, as a user's would. Keys are playwright names: 'Tab', 'Escape', 'Control+z'.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Presses `keys` in order in the active editor. */
export async function pressKeys(...keys: string[]): Promise<void> {
  const url = process.env.BANTAM_TEST_KEYS_URL;
  assert.ok(url, 'no keyboard channel (env BANTAM_TEST_KEYS_URL): run the suite through scripts/runIntegration.mjs in code-server');
  // A command the workbench runs, awaited: what the suite did before (a selection set, a context key)
  // has reached the workbench by the time it returns, since both travel the same channel in order;
  // and the keys go to the editor.
  await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ keys }) });
  assert.equal(response.status, 204, `pressing ${keys.join(', ')} failed: ${await response.text()}`);
}
