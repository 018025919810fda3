// The quick pick behind the status bar item: toggle completions, switch backend or model, stats,
// and the frontier features (ask, edit across files, API key, routing log).
import * as vscode from 'vscode';
import type { ServiceState } from '../core/providers/serviceState';

interface MenuItem extends vscode.QuickPickItem {
  command: string;
}

export async function showMenu(state: ServiceState, enabled: boolean): Promise<void> {
  const items: MenuItem[] = [
    {
      label: enabled ? '$(circle-slash) Disable inline completions' : '$(check) Enable inline completions',
      command: 'bantam.toggleCompletions',
    },
    { label: '$(server-process) Switch backend...', description: state.backend, command: 'bantam.switchBackend' },
    { label: '$(file) Select model file...', description: state.model, command: 'bantam.selectModelFile' },
    { label: '$(cloud-download) Download recommended model', command: 'bantam.downloadRecommendedModel' },
    { label: '$(graph) Show completion stats', command: 'bantam.showCompletionStats' },
    { label: '$(debug-restart) Restart model', command: 'bantam.restartModel' },
    { label: 'Frontier models', kind: vscode.QuickPickItemKind.Separator, command: '' },
    { label: '$(question) Ask about codebase...', command: 'bantam.askAboutCodebase' },
    { label: '$(files) Edit across files...', command: 'bantam.editAcrossFiles' },
    { label: '$(key) Set API key...', command: 'bantam.setApiKey' },
    { label: '$(list-unordered) Show routing log', command: 'bantam.showRoutingLog' },
  ];
  const title = state.message ? `Bantam (${state.status}): ${state.message}` : `Bantam (${state.status})`;
  const choice = await vscode.window.showQuickPick(items, { title });
  if (choice?.command) await vscode.commands.executeCommand(choice.command);
}
