// Composition root: builds Bantam's services and registers them with VS Code. No logic lives here.
import * as vscode from 'vscode';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('bantam.showCompletionStats', () => undefined),
  );
}

export function deactivate(): void {}
