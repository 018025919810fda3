// Tells the user once about each new completion-backend error (the status bar keeps showing it),
// with the buttons that fix the usual causes, and once about the embedded model running on the CPU
// because the GPU build could not load (the tooltip keeps saying why). Remembers what it said so
// tests can check it.
import * as vscode from 'vscode';
import type { ServiceState } from '../core/providers/serviceState';

export class ErrorNotifier {
  private lastMessage: string | undefined;
  /** CPU fallbacks already told about: a restarted model host reports the same one again. */
  private readonly fallbacksTold = new Set<string>();
  readonly shown: string[] = [];

  onState(state: ServiceState): void {
    const fallback = state.status === 'ready' ? state.runtime?.accelerator.fallback : undefined;
    if (fallback && !this.fallbacksTold.has(fallback)) {
      this.fallbacksTold.add(fallback);
      this.shown.push(fallback);
      const action = 'GPU Setting';
      void vscode.window.showWarningMessage(fallback, action).then((choice) => {
        if (choice === action) void vscode.commands.executeCommand('workbench.action.openSettings', 'bantam.embedded.gpu');
      });
    }
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
