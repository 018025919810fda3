// The settings-change policy applied to the running services: a bantam.* setting, a VS Code setting
// the index depends on (files.exclude), a stored or cleared API key. Which change reaches which
// service is core's decision (core/settingsEffects.ts); this file only listens and acts on it.
import * as vscode from 'vscode';
import type { BantamConfig } from '../core/config';
import type { CompletionContext } from '../core/context/completionContext';
import type { CompletionService } from '../core/providers/completionService';
import { indexEffect, INDEX_SETTINGS_OUTSIDE_BANTAM, keyRestartsCompletion } from '../core/settingsEffects';
import type { ApiKeys } from './apiKeys';
import type { NextEditTrigger } from './nextEditTrigger';
import { onConfigChange } from './settings';
import type { WorkspaceContext } from './workspaceContext';

export interface SettingsTargets {
  /** The config every service reads through a getter; a change replaces it. */
  config: () => BantamConfig;
  setConfig: (next: BantamConfig) => void;
  service: Pick<CompletionService, 'configure' | 'restart'>;
  completionContext: Pick<CompletionContext, 'reset'>;
  workspaceContext: Pick<WorkspaceContext, 'stop' | 'restart'> | undefined;
  keys: Pick<ApiKeys, 'onDidChange'>;
  /** Told after the config changed (it dismisses a suggestion when next-edit was turned off). */
  nextEdit?: Pick<NextEditTrigger, 'settingsChanged'>;
}

/** Starts listening; dispose the returned listeners to stop. */
export function watchSettings(targets: SettingsTargets): vscode.Disposable[] {
  const { service, completionContext, workspaceContext } = targets;
  return [
    targets.keys.onDidChange((provider) => {
      if (keyRestartsCompletion(provider, targets.config())) service.restart();
    }),
    onConfigChange((next) => {
      const previous = targets.config();
      targets.setConfig(next);
      service.configure(next);
      targets.nextEdit?.settingsChanged();
      completionContext.reset();
      const index = indexEffect(previous, next);
      if (index === 'stop') workspaceContext?.stop();
      else if (index === 'restart') workspaceContext?.restart();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (INDEX_SETTINGS_OUTSIDE_BANTAM.some((setting) => event.affectsConfiguration(setting))) workspaceContext?.restart();
    }),
  ];
}
