// Composition root: builds Bantam's services and hands them to src/vscode/, where commands.ts registers
// the commands and settingsPolicy.ts follows settings changes. No logic lives here.
// Activation is cheap on purpose: no model is loaded until a suggestion is first needed, and the
// workspace index starts in its worker thread only after activation has returned.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CompletionEngine } from './core/completion/engine';
import type { PromptBudgets } from './core/kernel/completionTypes';
import { CompletionService } from './core/providers/completionService';
import { osMachineProfile } from './core/models/machineProfile';
import { CompletionStats } from './core/completion/completionStats';
import type { CompletionSource } from './core/completion/completionStats';
import { CompletionContext } from './core/context/completionContext';
import { ErrorNotifier } from './vscode/errorNotifier';
import { BantamInlineCompletionProvider } from './vscode/inlineCompletionProvider';
import { ReadAheadTrigger } from './vscode/readAheadTrigger';
import { ReadOnlyDocuments } from './vscode/readOnlyDocument';
import { readConfig } from './vscode/settings';
import { watchSettings } from './vscode/settingsPolicy';
import { PromptGuard } from './vscode/promptGuard';
import { StatusBar } from './vscode/statusBar';
import { WorkspaceContext } from './vscode/workspaceContext';
import { WorkspacePaths } from './vscode/workspaceFiles';
import { FrontierConsent } from './core/routing/frontierConsent';
import { Router } from './core/routing/router';
import { RoutingLog } from './core/routing/routingLog';
import { AnswerView } from './vscode/answerView';
import { ApiKeys } from './vscode/apiKeys';
import { ChangePreview } from './vscode/changePreview';
import { ChatProviders } from './vscode/chatProviders';
import { BantamCodeActions } from './vscode/codeActions';
import { registerCommands } from './vscode/commands';
import { FrontierCommands } from './vscode/frontierCommands';
import { vscodePrompts, type UserPrompts } from './vscode/userPrompts';
import { ChatSession } from './core/chat/chatSession';
import { ConversationStore } from './core/chat/conversationStore';
import { CHAT_VIEW_ID, ChatView } from './vscode/chatView';
import { EditHistory } from './core/nextEdit/editHistory';
import { NextEditClient } from './core/nextEdit/nextEditClient';
import { NextEditPredictor } from './core/nextEdit/nextEditPredictor';
import type { NextEditOutcome } from './core/nextEdit/nextEditSource';
import { NextEditStats, nextEditStatsSummary } from './core/nextEdit/nextEditStats';
import { NextEditPresenter } from './vscode/nextEditPresenter';
import { NextEditRecorder } from './vscode/nextEditRecorder';
import { NextEditTrigger } from './vscode/nextEditTrigger';

/** What activate() returns: used by Bantam's integration tests to observe the running services. */
export interface BantamApi {
  engine: CompletionEngine;
  service: CompletionService;
  stats: CompletionStats;
  statusBar: StatusBar;
  notifier: ErrorNotifier;
  /** The suggestion last handed to VS Code: its text, the rest of the line it replaces, where it came from. */
  lastSuggestion: { text: string; id: number; replaceLength: number; source: CompletionSource } | undefined;
  /** Codebase context of every workspace folder; undefined without a folder. */
  workspaceContext: WorkspaceContext | undefined;
  router: Router;
  routingLog: RoutingLog;
  consent: FrontierConsent;
  /** The questions Bantam asks the user; tests replace it with scripted answers. */
  prompts: UserPrompts;
  /** Notices the router showed (fallbacks, consent), newest last. */
  notices: string[];
  chat: ChatView;
  /** What may reach a prompt (git-ignored and secret files may not); it learns of new .gitignore files from a file watcher. */
  guard: PromptGuard;
  /** The workspace's folders and how paths name their files (folder-prefixed when there are several). */
  paths: WorkspacePaths;
  /** Shows next-edit suggestions; tests read what it has drawn. */
  nextEdit: NextEditPresenter;
  /** What became of the next-edit suggestions shown (shown, jumped, accepted, dismissed), newest last. */
  nextEditOutcomes: NextEditOutcome[];
  /** Next-edit's recorded edits, the trigger (its adaptive wait) and the session's stats. */
  nextEditParts: { history: EditHistory; recorder: NextEditRecorder; trigger: NextEditTrigger; stats: NextEditStats };
}

export function activate(context: vscode.ExtensionContext): BantamApi {
  const log = vscode.window.createOutputChannel('Bantam', { log: true });
  let config = readConfig();
  const modelsDir = path.join(context.globalStorageUri.fsPath, 'models');
  const keys = new ApiKeys(context.secrets);
  const paths = new WorkspacePaths();
  const service = new CompletionService({
    apiKey: (name) => keys.get(name),
    modelsDir,
    workerPath: path.join(context.extensionPath, 'dist', 'modelHost.js'),
    clientName: `vscode window ${vscode.env.sessionId.slice(0, 8)}`,
    // A relative model path and ${workspaceFolder} in bantam.completion.model mean the first folder.
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    machine: osMachineProfile(),
    log: (message) => log.info(message),
    // A completion server off this machine is asked about like a frontier provider (and remembered the same way).
    consent: async (host) => (await completionConsent.ensure(`inline completion at ${host}`, [])) === 'send',
  });
  const stats = new CompletionStats();
  // Adding the first folder to an empty window restarts the extension host, so "no folder" is for good.
  const workspaceContext = paths.hasFolder
    ? new WorkspaceContext({
        paths,
        extensionPath: context.extensionPath,
        storageDir: path.join((context.storageUri ?? context.globalStorageUri).fsPath, 'index'),
        config: () => config,
        // What the next completion carries, so Show Context at Cursor shows exactly that.
        budgets: (): PromptBudgets => engine.promptSize()?.budgets ?? config.completion.budgets,
        log,
      })
    : undefined;
  const completionContext = new CompletionContext({
    retriever: () => (config.context.enabled ? workspaceContext?.service : undefined),
    log: (message) => log.info(message),
  });
  const engine = new CompletionEngine({
    backend: () => service.backend(),
    loadedBackend: () => service.loadedBackend(),
    config: () => config.completion,
    stats,
    context: completionContext,
    log: (message) => log.warn(message),
  });
  const statusBar = new StatusBar();
  const notifier = new ErrorNotifier();
  const documents = new ReadOnlyDocuments();
  service.onState((state) => {
    statusBar.update(state);
    notifier.onState(state);
  });
  const routingLog = new RoutingLog({
    store: {
      load: () => context.workspaceState.get('bantam.routingLog'),
      save: async (entries) => context.workspaceState.update('bantam.routingLog', entries),
    },
  });
  void routingLog.load();
  const consent = new FrontierConsent(
    { get: (key) => context.workspaceState.get<string[]>(key), set: async (key, value) => context.workspaceState.update(key, value) },
    (label, files) => api.prompts.consent(label, files),
  );
  // The same store as the frontier's, so Forget Frontier Consent forgets both; its own question.
  const completionConsent = new FrontierConsent(
    { get: (key) => context.workspaceState.get<string[]>(key), set: async (key, value) => context.workspaceState.update(key, value) },
    async (label) => ((await api.prompts.completionConsent(label.replace(/^inline completion at /, ''))) ? 'send' : 'cancel'),
  );
  const router = new Router({
    providers: new ChatProviders({ config: () => config, keys, embedded: () => service.embeddedBackend() }),
    config: () => config.routing,
    trusted: () => vscode.workspace.isTrusted,
    consent,
    log: routingLog,
    notify: (notice) => {
      api.notices.push(notice);
      // The newest hundred are plenty for the tests that read them; the list must not grow forever.
      if (api.notices.length > 100) api.notices.splice(0, api.notices.length - 100);
      log.info(notice);
      void vscode.window.showWarningMessage(`Bantam: ${notice}`);
    },
  });
  const answers = new AnswerView(documents, paths);
  const preview = paths.hasFolder ? new ChangePreview(paths) : undefined;
  const promptGuard = new PromptGuard(paths);
  const conversations = new ConversationStore({
    get: (key) => context.workspaceState.get(key),
    update: (key, value) => context.workspaceState.update(key, value),
  });
  const chat = new ChatView({
    extensionUri: context.extensionUri,
    paths,
    session: (post) =>
      new ChatSession({
        store: conversations,
        runner: router,
        post,
        maxAnswerTokens: () => config.routing.maxAnswerTokens,
        log: (message) => log.info(message),
      }),
    context: workspaceContext?.service,
    guard: promptGuard,
    preview,
    prompts: () => api.prompts,
    log,
  });
  // Next-edit: the editor records edits into the history, the trigger asks the predictor when an
  // edit settles, the presenter shows the answer and reports what the user did with it.
  // The recorder bars documents by path; this bars any text holding a key or token, either side of a change.
  const editHistory = new EditHistory((_path, text) => !promptGuard.textBarred(text));
  const nextEditStats = new NextEditStats();
  const nextEditClient = new NextEditClient({
    hostScript: path.join(context.extensionPath, 'dist', 'modelHost.js'),
    modelsDir,
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    machine: osMachineProfile(),
    apiKey: () => keys.get('openai'),
    // The same question, and the same remembered answer, as inline completion's for that server.
    consent: async (host) => (await completionConsent.ensure(`inline completion at ${host}`, [])) === 'send',
    log: (message) => log.info(message),
    notify: (message) => void vscode.window.showWarningMessage(message),
  });
  const nextEditPredictor = new NextEditPredictor({
    config: () => config,
    client: nextEditClient,
    history: editHistory,
    stats: nextEditStats,
    log: (message) => log.debug(message),
  });
  const nextEditPresenter = new NextEditPresenter((outcome) => {
    api.nextEditOutcomes.push(outcome);
    // The newest hundred are plenty for the tests that read them.
    if (api.nextEditOutcomes.length > 100) api.nextEditOutcomes.splice(0, api.nextEditOutcomes.length - 100);
    log.debug(`next-edit ${outcome.kind}${outcome.kind === 'dismissed' ? ` (${outcome.reason})` : ''}`);
    nextEditStats.recordOutcome(outcome);
    statusBar.refresh();
    nextEditTrigger.outcome(outcome);
  });
  const nextEditRecorder = new NextEditRecorder({
    history: editHistory,
    paths,
    barred: (document) => promptGuard.barred(document),
    maxChars: () => config.context.maxFileBytes,
    enabled: () => config.nextEdit.enabled,
  });
  const nextEditTrigger = new NextEditTrigger({
    source: () => (config.nextEdit.enabled ? nextEditPredictor : undefined),
    presenter: nextEditPresenter,
    barred: (document) => promptGuard.barred(document),
    eagerness: () => config.nextEdit.eagerness,
    recentEdits: () => editHistory.hunks(),
    paths,
    log: (message) => log.trace(message),
    cancelPrefetch: () => nextEditPredictor.cancelPrefetch(),
    // Off means off: no model kept loaded for it, no edits kept.
    turnedOff: () => {
      nextEditClient.dispose();
      editHistory.clear();
      nextEditRecorder.clear();
    },
  });
  statusBar.setNextEditLine(() => (config.nextEdit.enabled ? nextEditStatsSummary(nextEditStats.snapshot()) : undefined));
  const api: BantamApi = {
    engine,
    service,
    stats,
    statusBar,
    notifier,
    lastSuggestion: undefined,
    workspaceContext,
    router,
    routingLog,
    consent,
    prompts: vscodePrompts,
    notices: [],
    chat,
    guard: promptGuard,
    paths,
    nextEdit: nextEditPresenter,
    nextEditOutcomes: [],
    nextEditParts: { history: editHistory, recorder: nextEditRecorder, trigger: nextEditTrigger, stats: nextEditStats },
  };
  const frontier = new FrontierCommands({
    paths,
    router,
    prompts: () => api.prompts,
    config: () => config,
    context: workspaceContext?.service,
    guard: promptGuard,
    answers,
    preview,
    log,
    chat,
  });
  const provider = new BantamInlineCompletionProvider(
    () => (config.completion.enabled ? engine : undefined),
    (suggestion) => {
      api.lastSuggestion = { text: suggestion.text, id: suggestion.id, replaceLength: suggestion.replaceLength, source: suggestion.source };
      statusBar.showLatency(suggestion.latencyMs);
    },
    (document) => promptGuard.barred(document),
    paths,
    (document, position) => nextEditPresenter.ghostItem(document, position),
  );
  service.configure(config);
  // Indexing starts once activation has returned, so it never delays the editor.
  if (workspaceContext) setTimeout(() => workspaceContext.start(), 0);

  context.subscriptions.push(
    log,
    paths,
    statusBar,
    documents,
    { dispose: () => engine.dispose() },
    { dispose: () => service.dispose() },
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider),
    new ReadAheadTrigger(
      () => (config.completion.enabled ? engine : undefined),
      (document) => promptGuard.barred(document),
      paths,
    ),
    { dispose: () => workspaceContext?.dispose() },
    nextEditRecorder,
    nextEditTrigger,
    nextEditPresenter,
    { dispose: () => nextEditPredictor.dispose() },
    { dispose: () => nextEditClient.dispose() },
    promptGuard,
    keys,
    answers,
    ...(preview ? [preview] : []),
    { dispose: () => routingLog.dispose() },
    chat,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chat),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new BantamCodeActions(), BantamCodeActions.metadata),
    ...watchSettings({
      config: () => config,
      setConfig: (next) => (config = next),
      service,
      completionContext,
      workspaceContext,
      keys,
      nextEdit: nextEditTrigger,
    }),
    ...registerCommands({
      config: () => config,
      prompts: () => api.prompts,
      engine,
      service,
      stats,
      completionContext,
      workspaceContext,
      chat,
      frontier,
      nextEdit: { presenter: nextEditPresenter, trigger: nextEditTrigger, stats: nextEditStats, client: nextEditClient },
      keys,
      consent,
      routingLog,
      documents,
      modelsDir,
      modelHostScript: path.join(context.extensionPath, 'dist', 'modelHost.js'),
      gpuProbePath: path.join(context.extensionPath, 'dist', 'gpuProbe.js'),
      log: (line) => log.info(line),
    }),
  );
  return api;
}

export function deactivate(): void {}
