// The routed tasks end to end, minus the UI: build the messages, send them through the router,
// and for edit tasks parse the answer into validated file changes against the texts the model saw.
// The VS Code commands and the CLI both call these, so `bantam edit --dry-run` shows exactly the
// changes the editor would preview.
import { planFromAnswer, type AnswerPlan } from '../edits/editPipeline';
import type { FileEdit } from '../edits/editTypes';
import type { PlanOptions } from '../edits/changePlan';
import { BackendError } from '../kernel/backendError';
import type { RoutedResult, RoutedTask, TaskPrompt } from '../routing/router';
import type { TierChoice } from '../kernel/taskKinds';
import { cutShort } from './answerFooter';
import {
  buildAnswerMessages,
  buildEditMessages,
  type AnswerPromptInput,
  type AnswerTaskKind,
  type EditPromptInput,
  type EditTaskKind,
} from './taskPrompts';

/**
 * A task's input gathered for the room the model that gets it has (its prompt-token budget): the
 * router calls `gather` again when the request moves to a model with a smaller window.
 */
export interface SizedInput<K, T> {
  kind: K;
  gather: (room: number, signal?: AbortSignal) => Promise<T>;
}

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
  /** Multi-root workspaces: a path resolved to its folder, or refused (PlanOptions.resolvePath). */
  resolvePath?: PlanOptions['resolvePath'];
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

/** The edit or answer input as given, or gathered for the room: the last gathered is what the model saw. */
function sized<T extends EditPromptInput | AnswerPromptInput>(
  input: T | SizedInput<T['kind'], T>,
  render: (input: T) => RoutedTask['messages'],
): { kind: T['kind']; build: (room: number, signal?: AbortSignal) => Promise<TaskPrompt>; used: () => T | undefined } {
  let used: T | undefined;
  const build = async (room: number, signal?: AbortSignal): Promise<TaskPrompt> => {
    used = 'gather' in input ? await input.gather(room, signal) : input;
    return { messages: render(used) ?? [], files: filesOf(used) };
  };
  return { kind: input.kind, build, used: () => used };
}

function routed(kind: RoutedTask['kind'], build: RoutedTask['build'], options: TaskHooks): RoutedTask {
  return {
    kind,
    build,
    signal: options.signal,
    onText: options.onText,
    onRoute: options.onRoute,
    requested: options.requested,
    maxTokens: options.maxTokens,
  };
}

/** A plan refused as a whole, for an answer that must not be applied. */
function refusedPlan(message: string): AnswerPlan {
  return { edits: [], changes: [], parseProblems: [], changeProblems: [], messages: [message] };
}

export async function runEditTask(
  runner: TaskRunner,
  input: EditPromptInput | SizedInput<EditTaskKind, EditPromptInput>,
  options: EditTaskOptions,
): Promise<EditTaskOutcome> {
  const task = sized(input, buildEditMessages);
  const result = await runner.run(routed(task.kind, task.build, options));
  // Half an answer is half a refactor: a stopped or cut-off answer is never planned, even when the
  // blocks that arrived parse cleanly.
  if (result.finishReason === 'abort') throw new BackendError('aborted', 'Cancelled: nothing was applied.');
  const why = cutShort(result.finishReason);
  if (why) {
    return { result, plan: refusedPlan(`The answer ${why} before it ended, so nothing was applied; ask for a smaller change.`) };
  }
  // Edits are matched against the texts the model saw, so the apply step can tell whether a
  // document changed while it answered (then the change is refused, never rebased silently).
  const seen = new Map((task.used()?.files ?? []).map((f) => [f.path, f.text]));
  const read = (path: string) => (seen.has(path) ? Promise.resolve(seen.get(path)) : options.read(path));
  const plan = await planFromAnswer(result.text, read, {
    resolvePath: options.resolvePath,
    allowPath: async (path, kinds) => (await options.refusePath?.(path)) ?? unseenRefusal(path, kinds, seen),
  });
  return { result, plan };
}

/**
 * A model may rewrite or delete only a file whose content the task sent it (the prompt's files); it
 * may create a file that does not exist yet. An instruction planted in retrieved code ("also update
 * package.json") then cannot reach files the user never saw go out.
 */
function unseenRefusal(path: string, kinds: ReadonlySet<FileEdit['kind']>, seen: ReadonlyMap<string, string>): string | undefined {
  if (seen.has(path) || !(kinds.has('modify') || kinds.has('delete'))) return undefined;
  return `the model was not shown ${path}, so it may not ${kinds.has('delete') ? 'delete' : 'change'} it`;
}

export async function runAnswerTask(
  runner: TaskRunner,
  input: AnswerPromptInput | SizedInput<AnswerTaskKind, AnswerPromptInput>,
  options: TaskHooks,
): Promise<RoutedResult> {
  const task = sized(input, buildAnswerMessages);
  return runner.run(routed(task.kind, task.build, options));
}
