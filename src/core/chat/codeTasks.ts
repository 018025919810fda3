// The routed tasks end to end, minus the UI: build the messages, send them through the router,
// and for edit tasks parse the answer into validated file changes against the texts the model saw.
// The VS Code commands and the CLI both call these, so `bantam edit --dry-run` shows exactly the
// changes the editor would preview.
import { parseEdits } from '../edits/editParser';
import { planFromAnswer, type AnswerPlan } from '../edits/editPipeline';
import { normalizeWorkspacePath } from '../edits/workspacePath';
import type { TierChoice } from '../routing/taskKinds';
import type { RoutedResult, RoutedTask } from '../routing/router';
import {
  buildAnswerMessages,
  buildEditMessages,
  type AnswerPromptInput,
  type EditPromptInput,
} from './taskPrompts';

/** What runs a routed task: the Router (or a test double). */
export interface TaskRunner {
  run(task: RoutedTask): Promise<RoutedResult>;
}

export interface TaskHooks {
  signal?: AbortSignal;
  /** Answer text as it streams. */
  onText?: (chunk: string) => void;
  /** The route chosen, before anything is sent. */
  onRoute?: RoutedTask['onRoute'];
  requested?: TierChoice;
  maxTokens?: number;
}

export interface EditTaskOptions extends TaskHooks {
  /** Current text of a file the model did not see whole (undefined: no such file). */
  read: (path: string) => Promise<string | undefined>;
  /** Why a path may not be changed (outside what the task may touch, git-ignored, secret), or undefined. */
  refusePath?: (path: string) => string | undefined | Promise<string | undefined>;
}

export interface EditTaskOutcome {
  result: RoutedResult;
  /** `plan.messages` lists every problem; `plan.changes` is empty whenever there is one. */
  plan: AnswerPlan;
}

function filesOf(input: { files?: readonly { path: string }[]; context: readonly { file: string }[]; selection?: { path: string } }): string[] {
  const paths = [
    ...(input.selection ? [input.selection.path] : []),
    ...(input.files ?? []).map((f) => f.path),
    ...input.context.map((s) => s.file),
  ];
  return [...new Set(paths)];
}

export async function runEditTask(runner: TaskRunner, input: EditPromptInput, options: EditTaskOptions): Promise<EditTaskOutcome> {
  const result = await runner.run({
    kind: input.kind,
    messages: buildEditMessages(input),
    files: filesOf(input),
    signal: options.signal,
    onText: options.onText,
    onRoute: options.onRoute,
    requested: options.requested,
    maxTokens: options.maxTokens,
  });
  // Edits are matched against the texts the model saw, so the apply step can tell whether a
  // document changed while it answered (then the change is refused, never rebased silently).
  const seen = new Map(input.files.map((f) => [f.path, f.text]));
  const read = (path: string) => (seen.has(path) ? Promise.resolve(seen.get(path)) : options.read(path));
  // allowPath is synchronous: judge every path the answer names first.
  const refused = new Map<string, string>();
  for (const path of pathsNamedIn(result.text)) {
    const reason = await options.refusePath?.(path);
    if (reason) refused.set(path, reason);
  }
  const plan = await planFromAnswer(result.text, read, { allowPath: (path) => refused.get(path) });
  return { result, plan };
}

/** The normalized paths of the edits in an answer (parsing twice is cheap next to a model call). */
function pathsNamedIn(answer: string): string[] {
  const paths = parseEdits(answer).edits.map((e) => normalizeWorkspacePath(e.path));
  return [...new Set(paths.flatMap((p) => ('path' in p ? [p.path] : [])))];
}

export async function runAnswerTask(runner: TaskRunner, input: AnswerPromptInput, options: TaskHooks): Promise<RoutedResult> {
  return runner.run({
    kind: input.kind,
    messages: buildAnswerMessages(input),
    files: filesOf(input),
    signal: options.signal,
    onText: options.onText,
    onRoute: options.onRoute,
    requested: options.requested,
    maxTokens: options.maxTokens,
  });
}
