// The palette commands and code actions that route work to a model: Refactor Selection, Ask About
// Codebase, Edit Across Files, Explain, Add Documentation, Generate Tests, Fix with Bantam. Each one
// finds its target in the editor, lets core/chat's gatherers assemble what the model needs, runs
// the task through the router with a cancellable progress notification, then either streams the
// answer into a markdown view or previews the proposed changes as diffs and applies them as one
// undoable edit.
// Every command returns what happened, so tests (and other commands) can tell.
import * as vscode from 'vscode';
import { answerFooter, sourcesSection, stoppedFooter } from '../core/chat/answerFooter';
import { runAnswerTask, runEditTask, type TaskRunner } from '../core/chat/codeTasks';
import {
  editScopeTask,
  explainTask,
  questionTask,
  selectionEditTask,
  type SelectionTarget,
  type TaskContextSource,
} from '../core/chat/taskGatherers';
import type { EditTaskKind, PromptDiagnostic, PromptSnippet } from '../core/chat/taskPrompts';
import type { ChipKind, TurnView } from '../core/chat/chatProtocol';
import type { CodebaseAnswerContext } from '../core/context/contextTypes';
import type { BantamConfig } from '../core/config';
import type { FileChange } from '../core/edits/changePlan';
import { isBackendError } from '../core/kernel/backendError';
import type { RoutedResult } from '../core/routing/router';
import type { AnswerView } from './answerView';
import type { ChangePreview } from './changePreview';
import type { PromptGuard } from './promptGuard';
import type { UserPrompts } from './userPrompts';
import { currentText, type WorkspacePaths } from './workspaceFiles';
import type { ContextService } from '../core/context/contextService';


export type CommandStatus = 'applied' | 'answered' | 'declined' | 'stale' | 'problems' | 'no-changes' | 'cancelled' | 'failed' | 'refused';

export interface CommandOutcome {
  status: CommandStatus;
  message?: string;
  /** The route taken (provider, model, tier), when a model was asked. */
  route?: { tier: string; provider: string; model: string };
  changes?: FileChange[];
  problems?: string[];
  /** The answer text (answer commands) or the model's raw reply (edit commands). */
  text?: string;
  /** Excerpts that were sent (Ask About Codebase; from the chat panel, where they came from without their text). */
  used?: PromptSnippet[];
  /** The answer document, for answer commands. */
  document?: vscode.TextDocument;
}

export interface FrontierCommandDeps {
  /** The workspace's folders; paths are workspace paths (folder-prefixed when there are several). */
  paths: WorkspacePaths;
  router: TaskRunner;
  prompts: () => UserPrompts;
  config: () => BantamConfig;
  /** The workspace's codebase context; undefined without a folder. */
  context: ContextService | undefined;
  guard: PromptGuard;
  answers: AnswerView;
  preview: ChangePreview | undefined;
  log: vscode.LogOutputChannel;
  /** The chat panel: Ask About Codebase answers there. */
  chat?: ChatPanel;
}

/** What the commands need of the chat panel (src/vscode/chatView.ts). */
export interface ChatPanel {
  ask(question: string, kind: 'chat' | 'multi-file-question' | 'explain', chips?: ChipKind[]): Promise<TurnView>;
}

const TITLES: Record<EditTaskKind, string> = {
  refactor: 'Refactor',
  document: 'Add documentation',
  'generate-tests': 'Generate tests',
  'fix-diagnostic': 'Fix',
  'multi-file-edit': 'Edit across files',
};

export class FrontierCommands {
  /**
   * The index as the gatherers reach it: no context while codebase context is off, and a retrieval
   * that fails is logged and the task goes on without context.
   */
  private readonly source: TaskContextSource = {
    retrieve: async (request) => {
      const context = this.deps.context;
      if (!context || !this.deps.config().context.enabled) return { snippets: [] };
      try {
        return await context.retrieve(request);
      } catch (error) {
        this.deps.log.warn(`context for ${request.file} unavailable: ${(error as Error).message}`);
        return { snippets: [] };
      }
    },
    searchCodebase: async (query, signal) => this.deps.context?.searchCodebase(query, signal),
  };

  constructor(private readonly deps: FrontierCommandDeps) {}

  // ---- commands ----

  async refactorSelection(args?: { instruction?: string }): Promise<CommandOutcome> {
    const target = await this.selectionTarget('refactor');
    if ('status' in target) return target;
    const instruction =
      args?.instruction ??
      (await this.deps.prompts().askText({
        title: 'Bantam: Refactor Selection',
        prompt: `How should lines ${target.selection.startLine}-${target.selection.endLine} change?`,
        placeHolder: 'e.g. extract the loop into a function; use async/await; rename x to total',
      }));
    if (!instruction) return { status: 'cancelled' };
    return this.editSelection('refactor', target, instruction);
  }

  async documentSelection(): Promise<CommandOutcome> {
    const target = await this.selectionTarget('document');
    if ('status' in target) return target;
    return this.editSelection('document', target, 'Add documentation comments to the selected code.');
  }

  async generateTests(): Promise<CommandOutcome> {
    const target = await this.selectionTarget('generate tests for');
    if ('status' in target) return target;
    return this.editSelection('generate-tests', target, 'Write unit tests for the selected code.');
  }

  async fixDiagnostic(uri?: vscode.Uri, diagnostic?: vscode.Diagnostic): Promise<CommandOutcome> {
    const editor =
      uri && vscode.window.activeTextEditor?.document.uri.toString() !== uri.toString()
        ? await vscode.window.showTextDocument(uri)
        : vscode.window.activeTextEditor;
    if (!editor) return this.refuse('Open the file with the problem first.');
    const problem =
      diagnostic ??
      vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.range.contains(editor.selection.active));
    if (!problem) return this.refuse('There is no problem at the cursor to fix.');
    const document = editor.document;
    const first = Math.max(0, problem.range.start.line - 3);
    const last = Math.min(document.lineCount - 1, problem.range.end.line + 3);
    const range = new vscode.Range(first, 0, last, document.lineAt(last).text.length);
    const target = await this.targetFor(editor, range, 'fix');
    if ('status' in target) return target;
    const code = typeof problem.code === 'object' ? String(problem.code.value) : problem.code?.toString();
    return this.editSelection('fix-diagnostic', target, 'Fix this problem.', {
      message: problem.message,
      line: problem.range.start.line + 1,
      source: problem.source,
      code,
    });
  }

  async explainSelection(): Promise<CommandOutcome> {
    const target = await this.selectionTarget('explain');
    if ('status' in target) return target;
    const { selection } = target;
    return this.answer(`Explain ${selection.path}:${selection.startLine}-${selection.endLine}`, (runner, hooks) =>
      runAnswerTask(runner, explainTask(this.source, target), hooks),
    );
  }

  async askAboutCodebase(args?: { question?: string }): Promise<CommandOutcome> {
    const question =
      args?.question ??
      (await this.deps.prompts().askText({
        title: 'Bantam: Ask About Codebase',
        prompt: 'Ask a question about this workspace',
        placeHolder: 'e.g. where is the cart total computed, and what discounts apply?',
      }));
    if (!question) return { status: 'cancelled' };
    if (this.deps.chat) return this.askInChat(this.deps.chat, question);
    const active = vscode.window.activeTextEditor;
    const activeFile = active && !(await this.deps.guard.barred(active.document)) ? this.relative(active.document.uri) : undefined;
    let search: CodebaseAnswerContext | undefined;
    let used: PromptSnippet[] = [];
    const task = questionTask(this.source, question, {
      activeFile,
      openFiles: () => this.openFiles(),
      onSearch: (found, sent) => {
        search = found;
        used = sent;
      },
    });
    const outcome = await this.answer(
      question,
      (runner, hooks) => runAnswerTask(runner, task, hooks),
      () => sourcesSection(search, used),
    );
    return { ...outcome, used };
  }

  /** The question in the chat panel, with @codebase: the excerpts search picks are its sources. */
  private async askInChat(chat: ChatPanel, question: string): Promise<CommandOutcome> {
    const turn = await chat.ask(question, 'multi-file-question', ['codebase']);
    const status: CommandStatus = turn.status === 'done' ? 'answered' : turn.status === 'stopped' ? 'cancelled' : 'failed';
    const used = (turn.sources ?? []).map((s) => ({ ...s, text: '' }));
    return { status, route: turn.route, text: turn.text, used, message: turn.error };
  }

  async editAcrossFiles(args?: { instruction?: string }): Promise<CommandOutcome> {
    if (!this.deps.paths.hasFolder || !this.deps.preview) return this.refuse('Open a folder to edit files across it.');
    const instruction =
      args?.instruction ??
      (await this.deps.prompts().askText({
        title: 'Bantam: Edit Across Files',
        prompt: 'Describe the change',
        placeHolder: 'e.g. rename Cart.total to Cart.subtotal everywhere; add a currency parameter to formatPrice',
      }));
    if (!instruction) return { status: 'cancelled' };
    const active = vscode.window.activeTextEditor;
    const activePath = active ? this.relative(active.document.uri) : undefined;
    const activeFile =
      active && activePath && !(await this.deps.guard.barred(active.document))
        ? { path: activePath, text: active.document.getText() }
        : undefined;
    return this.edit('multi-file-edit', editScopeTask(this.source, instruction, (p) => this.readAllowed(p), { activeFile, openFiles: () => this.openFiles() }));
  }

  // ---- shared flows ----

  private async editSelection(
    kind: EditTaskKind,
    target: SelectionTarget,
    instruction: string,
    diagnostic?: PromptDiagnostic,
  ): Promise<CommandOutcome> {
    const onlyThisFile = kind !== 'generate-tests';
    return this.edit(kind, selectionEditTask(this.source, kind, target, instruction, diagnostic), onlyThisFile ? target.path : undefined);
  }

  private async edit(
    kind: EditTaskKind,
    input: Parameters<typeof runEditTask>[1],
    onlyPath?: string,
  ): Promise<CommandOutcome> {
    const title = TITLES[kind];
    let route: CommandOutcome['route'];
    const run = await this.withProgress(title, (hooks) =>
      runEditTask(this.deps.router, input, {
        ...hooks,
        onRoute: (decision) => {
          route = { tier: decision.tier, provider: decision.provider, model: decision.model };
          hooks.onRoute?.(decision);
        },
        maxTokens: this.deps.config().routing.maxAnswerTokens,
        read: (p) => this.readAllowed(p),
        resolvePath: (p) => this.deps.paths.resolveNormalized(p),
        refusePath: async (p) => {
          if (onlyPath && p !== onlyPath) return `this command may only change ${onlyPath}`;
          return this.pathRefusal(p);
        },
      }),
    );
    if ('status' in run) return run;
    route = this.routeOf(run.result) ?? route;
    const { plan } = run;
    const problems = plan.messages;
    if (problems.length) {
      void this.showProblems(title, problems, run.result.text);
      return { status: 'problems', problems, route, text: run.result.text };
    }
    if (plan.changes.length === 0) {
      void vscode.window.showInformationMessage(`Bantam: ${title}: the model proposed no changes.`);
      return { status: 'no-changes', route, text: run.result.text };
    }
    const prompts = this.deps.prompts();
    const applied = await this.deps.preview!.review(
      plan.changes,
      `Bantam: ${title}`,
      `Bantam: apply the proposed change to ${plan.changes.length} file(s)?`,
      (summary, files) => prompts.confirmChanges(summary, files),
      (files) => prompts.confirmSensitive(files),
    );
    if (applied === 'declined') return { status: 'declined', changes: plan.changes, route, text: run.result.text };
    if (!applied.applied) {
      void vscode.window.showErrorMessage(`Bantam: ${applied.message}`);
      return { status: applied.stale.length ? 'stale' : 'failed', message: applied.message, changes: plan.changes, route };
    }
    return { status: 'applied', changes: plan.changes, route, text: run.result.text };
  }

  private async answer(
    title: string,
    task: (runner: TaskRunner, hooks: TaskHooksWithRoute) => Promise<RoutedResult>,
    sources?: () => string,
  ): Promise<CommandOutcome> {
    const { stream, document } = await this.deps.answers.open(title, '');
    const run = await this.withProgress('Answering', (hooks) =>
      task(this.deps.router, {
        ...hooks,
        onText: (chunk) => {
          stream.append(chunk);
          hooks.onText?.(chunk);
        },
        maxTokens: this.deps.config().routing.maxAnswerTokens,
      }),
    );
    if ('status' in run) {
      stream.finish(stoppedFooter(run.message));
      return { ...run, document };
    }
    stream.finish(answerFooter(run, sources?.()));
    return { status: 'answered', route: this.routeOf(run), text: run.text, document };
  }

  /**
   * Runs a routed task under a cancellable progress notification. Errors become one clear message
   * (with the button that fixes the usual cause); cancelling returns 'cancelled'.
   */
  private async withProgress<T>(
    title: string,
    task: (hooks: TaskHooksWithRoute) => Promise<T>,
  ): Promise<T | CommandOutcome> {
    const abort = new AbortController();
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Bantam: ${title}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => abort.abort());
          let chars = 0;
          return task({
            signal: abort.signal,
            onRoute: (d) => progress.report({ message: `asking ${d.provider} (${d.model})…` }),
            onText: (chunk) => {
              chars += chunk.length;
              progress.report({ message: `receiving… ${chars} characters` });
            },
          });
        },
      );
    } catch (error) {
      if (abort.signal.aborted || isBackendError(error, 'aborted')) {
        return { status: 'cancelled', message: error instanceof Error ? error.message : 'Cancelled.' };
      }
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log.warn(`${title} failed: ${message}`);
      const actions = isBackendError(error, 'unauthorized') ? ['Set API Key', 'Show Routing Log'] : ['Show Routing Log'];
      void vscode.window.showErrorMessage(`Bantam: ${message}`, ...actions).then((choice) => {
        if (choice === 'Set API Key') void vscode.commands.executeCommand('bantam.setApiKey');
        if (choice === 'Show Routing Log') void vscode.commands.executeCommand('bantam.showRoutingLog');
      });
      return { status: 'failed', message };
    }
  }

  // ---- helpers ----

  private refuse(message: string): CommandOutcome {
    void vscode.window.showWarningMessage(`Bantam: ${message}`);
    return { status: 'refused', message };
  }

  private relative(uri: vscode.Uri): string | undefined {
    return this.deps.paths.relative(uri);
  }

  private openFiles(): string[] {
    return vscode.window.visibleTextEditors.map((e) => this.relative(e.document.uri)).filter((p): p is string => !!p);
  }

  private async selectionTarget(verb: string): Promise<SelectionTarget | CommandOutcome> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) return this.refuse(`Select the code to ${verb} first.`);
    const selection = editor.selection;
    const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
    const range = new vscode.Range(selection.start.line, 0, endLine, editor.document.lineAt(endLine).text.length);
    return this.targetFor(editor, range, verb);
  }

  private async targetFor(editor: vscode.TextEditor, range: vscode.Range, verb: string): Promise<SelectionTarget | CommandOutcome> {
    const document = editor.document;
    const path = this.relative(document.uri);
    if (!path) return this.refuse(`Bantam can only ${verb} files inside a workspace folder.`);
    const barred = await this.deps.guard.documentRefusal(document);
    if (barred) return this.refuse(barred);
    return {
      path,
      text: document.getText(),
      languageId: document.languageId,
      selection: { path, startLine: range.start.line + 1, endLine: range.end.line + 1, text: document.getText(range) },
    };
  }

  /** Why a path must not be read into a prompt or changed, or undefined when it may. */
  private pathRefusal(relPath: string): Promise<string | undefined> {
    return this.deps.guard.refusal(relPath);
  }

  /** A file's current text (open document first), unless it may not be read (its path or its content). */
  private async readAllowed(relPath: string): Promise<string | undefined> {
    const uri = this.deps.paths.uri(relPath);
    if (!uri || (await this.pathRefusal(relPath))) return undefined;
    const text = await currentText(uri);
    if (text === undefined || (await this.deps.guard.textRefusal(relPath, text))) return undefined;
    return text;
  }

  private routeOf(result: RoutedResult): CommandOutcome['route'] {
    return { tier: result.tier, provider: result.provider, model: result.model };
  }

  private async showProblems(title: string, problems: string[], answer: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(
      `Bantam: ${title}: the model's edits could not be applied safely, so nothing changed (${problems[0]}${problems.length > 1 ? `, and ${problems.length - 1} more` : ''}).`,
      'Show Details',
    );
    if (choice !== 'Show Details') return;
    const { stream } = await this.deps.answers.open(`${title}: edits not applied`, '');
    stream.finish(`## Problems\n${problems.map((p) => `- ${p}`).join('\n')}\n\n## The model's answer\n\n${answer}\n`);
  }
}

interface TaskHooksWithRoute {
  signal?: AbortSignal;
  onText?: (chunk: string) => void;
  onRoute?: (decision: { tier: string; provider: string; model: string }) => void;
  maxTokens?: number;
}
