// Every Bantam command, registered in one place: package.json's palette entries, menus and
// keybindings name these ids, and each one hands over to the service that does the work (tests
// call them through vscode.commands.executeCommand and read what they return).
import * as vscode from 'vscode';
import type { CompletionEngine } from '../core/completion/engine';
import type { CompletionStats } from '../core/completion/completionStats';
import { renderStatsReport } from '../core/completion/statsReport';
import type { BantamConfig } from '../core/config';
import type { CompletionContext } from '../core/context/completionContext';
import { describeMachine, readMachineProfile } from '../core/models/machineProfile';
import { recommendModel } from '../core/models/recommendedModel';
import { recommendNextEditModel } from '../core/models/nextEditModels';
import type { CompletionService } from '../core/providers/completionService';
import { defaultHostDir } from '../core/providers/local/hostAddress';
import { stopModelHost } from '../core/providers/local/hostConnection';
import type { FrontierConsent } from '../core/routing/frontierConsent';
import { renderRoutingLog, type RoutingLog } from '../core/routing/routingLog';
import type { ApiKeys } from './apiKeys';
import type { ChatView } from './chatView';
import type { FrontierCommands } from './frontierCommands';
import { ACCEPT_COMMAND } from './inlineCompletionProvider';
import { showMenu } from './menu';
import { downloadRecommendedModel, selectModelFile, switchBackend } from './modelCommands';
import { DISMISS_COMMAND, GHOST_ACCEPTED_COMMAND, JUMP_OR_ACCEPT_COMMAND, type NextEditPresenter } from './nextEditPresenter';
import type { NextEditTrigger } from './nextEditTrigger';
import type { NextEditClient } from '../core/nextEdit/nextEditClient';
import { renderNextEditStats, type NextEditStats } from '../core/nextEdit/nextEditStats';
import type { ReadOnlyDocuments } from './readOnlyDocument';
import { updateSetting } from './settings';
import type { UserPrompts } from './userPrompts';
import type { WorkspaceContext } from './workspaceContext';

export interface CommandServices {
  config: () => BantamConfig;
  /** Read at each use: tests replace the prompts with scripted answers. */
  prompts: () => UserPrompts;
  engine: CompletionEngine;
  service: CompletionService;
  stats: CompletionStats;
  completionContext: CompletionContext;
  /** Undefined without a workspace folder. */
  workspaceContext: WorkspaceContext | undefined;
  chat: ChatView;
  frontier: FrontierCommands;
  nextEdit: { presenter: NextEditPresenter; trigger: NextEditTrigger; stats: NextEditStats; client: Pick<NextEditClient, 'label' | 'forgetConsents'> };
  keys: ApiKeys;
  consent: FrontierConsent;
  routingLog: RoutingLog;
  documents: ReadOnlyDocuments;
  /** Where downloaded models go. */
  modelsDir: string;
  /** dist/modelHost.js: the shared model host's entry, which also names its address. */
  modelHostScript: string;
  /** dist/gpuProbe.js: which GPU (and how much memory) decides the recommended model. */
  gpuProbePath: string;
  log: (line: string) => void;
}

export function registerCommands(s: CommandServices): vscode.Disposable[] {
  const { chat, frontier, engine, service, documents, workspaceContext } = s;
  const register = (id: string, run: Parameters<typeof vscode.commands.registerCommand>[1]) => vscode.commands.registerCommand(id, run);
  const noFolder = () => {
    void vscode.window.showInformationMessage('Bantam: open a folder to build codebase context.');
    return undefined;
  };
  return [
    // The chat panel.
    register('bantam.openChat', () => chat.reveal()),
    register('bantam.newConversation', () => chat.session.newConversation()),
    register('bantam.askAboutSelection', async () => {
      await chat.reveal();
      return chat.addChip('selection');
    }),

    // Routed tasks.
    register('bantam.refactorSelection', (args?: { instruction?: string }) => frontier.refactorSelection(args)),
    register('bantam.askAboutCodebase', (args?: { question?: string }) => frontier.askAboutCodebase(args)),
    register('bantam.editAcrossFiles', (args?: { instruction?: string }) => frontier.editAcrossFiles(args)),
    register('bantam.explainSelection', () => frontier.explainSelection()),
    register('bantam.documentSelection', () => frontier.documentSelection()),
    register('bantam.generateTests', () => frontier.generateTests()),
    register('bantam.fixDiagnostic', (uri?: vscode.Uri, diagnostic?: vscode.Diagnostic) => frontier.fixDiagnostic(uri, diagnostic)),

    // Keys, consent and the routing log.
    register('bantam.setApiKey', () => s.keys.promptAndStore(s.prompts())),
    register('bantam.clearApiKey', () => s.keys.promptAndClear(s.prompts())),
    register('bantam.forgetFrontierConsent', async () => {
      const forgotten = s.consent.granted();
      await s.consent.revoke();
      s.nextEdit.client.forgetConsents();
      void vscode.window.showInformationMessage(
        forgotten.length
          ? `Bantam: will ask again before sending code to ${forgotten.join(', ')} from this workspace.`
          : 'Bantam: no frontier provider had consent in this workspace.',
      );
      return forgotten;
    }),
    register('bantam.showRoutingLog', async () => {
      await documents.show('Bantam Routing Log.md', renderRoutingLog(s.routingLog.entries()));
      return s.routingLog.entries();
    }),

    // Codebase context.
    register('bantam.showContextAtCursor', async () => {
      if (!workspaceContext) return noFolder();
      return workspaceContext.showAtCursor(documents, s.completionContext);
    }),
    register('bantam.rebuildIndex', async () => {
      if (!workspaceContext) return noFolder();
      s.completionContext.reset();
      return workspaceContext.rebuild();
    }),

    // Inline completion and its model.
    register(ACCEPT_COMMAND, (id: number) => engine.accepted(id)),
    register('bantam.toggleCompletions', () => updateSetting('completion.enabled', !s.config().completion.enabled)),
    register('bantam.showMenu', () => showMenu(service.currentState, s.config().completion.enabled)),
    register('bantam.showCompletionStats', async () => {
      const snapshot = s.stats.snapshot();
      const state = service.currentState;
      const report = renderStatsReport(snapshot, state.backend, state.model, engine.promptSize(), state.runtime);
      // Next-edit's section while it is on, or once it has done anything this session.
      const nextEdit = s.nextEdit.stats.snapshot();
      const withNextEdit = s.config().nextEdit.enabled || nextEdit.requests > 0
        ? `${report}\n${renderNextEditStats(nextEdit, await s.nextEdit.client.label())}`
        : report;
      await documents.show('Bantam Completion Stats.md', withNextEdit);
      return snapshot;
    }),
    register('bantam.downloadRecommendedModel', async () => {
      const config = s.config();
      const { model, modelEndpoint } = config.completion;
      const machine = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Bantam: looking at the GPU' }, () =>
        readMachineProfile({ probePath: s.gpuProbePath, gpu: config.embedded.gpu, log: s.log }),
      );
      const recommended = recommendModel(machine);
      s.log(`recommended ${recommended.label} for ${describeMachine(machine)}`);
      const file = await downloadRecommendedModel(s.modelsDir, recommended, model, modelEndpoint);
      if (file) service.restart();
      return file;
    }),
    register('bantam.downloadNextEditModel', async () => {
      const config = s.config();
      const machine = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Bantam: looking at the GPU' }, () =>
        readMachineProfile({ probePath: s.gpuProbePath, gpu: config.embedded.gpu, log: s.log }),
      );
      const recommended = recommendNextEditModel(machine);
      s.log(`recommended ${recommended.label} for next-edit on ${describeMachine(machine)}`);
      // The next-edit client locates its model when it starts (bantam.nextEdit.model empty: the recommended one, once downloaded).
      return downloadRecommendedModel(s.modelsDir, recommended, config.nextEdit.model, config.completion.modelEndpoint, null);
    }),
    register('bantam.selectModelFile', () => selectModelFile()),
    register('bantam.switchBackend', () => switchBackend(s.config().completion.backend)),
    register('bantam.restartModel', () => {
      // A server the user said no to is asked about again, by next-edit too.
      s.nextEdit.client.forgetConsents();
      return service.restart();
    }),
    register('bantam.stopModelHost', async () => {
      // Every window's model goes with it; each starts the host again when it next needs the model.
      const outcome = await stopModelHost({ hostScript: s.modelHostScript, dir: defaultHostDir(), log: s.log });
      void vscode.window.showInformationMessage(
        outcome === 'stopped'
          ? 'Bantam: stopped the shared model host and freed its memory; the next suggestion starts it again.'
          : 'Bantam: no shared model host is running.',
      );
      return outcome;
    }),
    register('bantam.triggerCompletion', () => vscode.commands.executeCommand('editor.action.inlineSuggest.trigger')),

    // Next-edit suggestions (Tab and Escape reach these only while one is drawn: bantam.nextEditVisible).
    register('bantam.suggestNextEdit', async () => {
      if (s.config().nextEdit.enabled) return s.nextEdit.trigger.suggestNow();
      void vscode.window.showInformationMessage('Bantam: next-edit suggestions are off; turn on bantam.nextEdit.enabled.');
      return false;
    }),
    register(JUMP_OR_ACCEPT_COMMAND, () => s.nextEdit.presenter.jumpOrAccept()),
    register(DISMISS_COMMAND, () => s.nextEdit.presenter.dismiss('escape')),
    register(GHOST_ACCEPTED_COMMAND, () => s.nextEdit.presenter.ghostAccepted()),
  ];
}
