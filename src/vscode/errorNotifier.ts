// Tells the user once about each new completion-backend error (the status bar keeps showing it),
// with the buttons that fix the usual causes. Remembers what it said so tests can check it.
import * as vscode from 'vscode';
import type { ServiceState } from '../core/providers/serviceState';

export class ErrorNotifier {
  private lastMessage: string | undefined;
  readonly shown: string[] = [];

  onState(state: ServiceState): void {
    if (state.status !== 'error' || !state.message) {
      if (state.status === 'ready') this.lastMessage = undefined;
      return;
    }
    if (state.message === this.lastMessage) return;
    this.lastMessage = state.message;
    this.shown.push(state.message);
    const actions =
      state.backend === 'ollama'
        ? ['Switch Backend']
        : state.backend === 'openai'
          ? ['Set API Key', 'Switch Backend']
          : ['Select Model File', 'Download Recommended Model'];
    void vscode.window.showErrorMessage(`Bantam: ${state.message}`, ...actions).then((choice) => {
      if (choice === 'Set API Key') void vscode.commands.executeCommand('bantam.setApiKey');
      if (choice === 'Switch Backend') void vscode.commands.executeCommand('bantam.switchBackend');
      if (choice === 'Select Model File') void vscode.commands.executeCommand('bantam.selectModelFile');
      if (choice === 'Download Recommended Model') void vscode.commands.executeCommand('bantam.downloadRecommendedModel');
    });
  }
}
