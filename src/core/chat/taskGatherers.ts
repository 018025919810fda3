// How each routed task assembles what its model sees, sized for the room that model has: a
// selection with the tree-sitter context around it (explain, refactor, document, tests, fix), a
// question with the excerpts codebase search picks, an edit's scope of whole files and excerpts.
// The VS Code commands and the CLI gather through these, so the same workspace gives the same
// prompt in both; they differ only in how they reach the index and read files (TaskContextSource).
import type { CodebaseAnswerContext, CodebaseQuery, ContextRequest } from '../context/contextTypes';
import type { ContextSnippet } from '../kernel/completionTypes';
import { estimateTokens } from '../kernel/tokenEstimate';
import type { SizedInput } from './codeTasks';
import { scopeEditFiles } from './editScope';
import { EDIT_SCOPE_TOKENS, fitToRoom, QUESTION_CONTEXT_TOKENS, SELECTION_CONTEXT_TOKENS, selectionFile, shownTokens } from './promptBudget';
import {
  toPromptSnippet,
  type AnswerPromptInput,
  type EditPromptInput,
  type EditTaskKind,
  type PromptDiagnostic,
  type PromptFile,
  type PromptSelection,
  type PromptSnippet,
} from './taskPrompts';

/** The host's way to the workspace index: the extension's WorkspaceContext, the CLI's IndexClient. */
export interface TaskContextSource {
  /** Tree-sitter context around a place in a file. */
  retrieve(request: ContextRequest): Promise<{ snippets: readonly ContextSnippet[] }>;
  /** The excerpts relevant to a question; undefined when the index is unavailable. */
  searchCodebase(query: CodebaseQuery, signal?: AbortSignal): Promise<CodebaseAnswerContext | undefined>;
}

/** A selection task's file as the host has it now (an editor buffer may differ from disk). */
export interface SelectionTarget {
  path: string;
  /** The whole current text. */
  text: string;
  /** The editor's language id; '' lets the file extension decide. */
  languageId: string;
  selection: PromptSelection;
}

/** Where the user is, for codebase search to favour. */
export interface SearchHints {
  activeFile?: string;
  /** Asked at each gathering: the editors open then. */
  openFiles?: () => string[];
}

/** Tree-sitter context for a selection; `shown` (default the whole file) is never repeated as context. */
export async function selectionContext(
  source: TaskContextSource,
  target: SelectionTarget,
  budgetTokens: number,
  shown?: { startLine: number; endLine: number },
): Promise<PromptSnippet[]> {
  if (budgetTokens <= 0) return [];
  const lines = target.text.split('\n');
  const before = lines.slice(0, target.selection.startLine - 1).join('\n');
  const result = await source.retrieve({
    file: target.path,
    languageId: target.languageId,
    text: target.text,
    offset: before.length + (target.selection.startLine > 1 ? 1 : 0),
    budgetTokens,
    visibleLines: shown ?? { startLine: 1, endLine: lines.length },
  });
  return result.snippets.map(toPromptSnippet);
}

/** Explain: only the selection is in the prompt, so the rest of its file may come as context. */
export function explainTask(source: TaskContextSource, target: SelectionTarget): SizedInput<'explain', AnswerPromptInput> {
  const { selection } = target;
  return {
    kind: 'explain',
    gather: async (room) => ({
      kind: 'explain',
      question: '',
      selection,
      context: await selectionContext(source, target, fitToRoom(SELECTION_CONTEXT_TOKENS, room - estimateTokens(selection.text)), {
        startLine: selection.startLine,
        endLine: selection.endLine,
      }),
    }),
  };
}

/** An edit of a selection: its file (whole, or around the selection when long) and context beyond what is shown. */
export function selectionEditTask(
  source: TaskContextSource,
  kind: EditTaskKind,
  target: SelectionTarget,
  instruction: string,
  diagnostic?: PromptDiagnostic,
): SizedInput<EditTaskKind, EditPromptInput> {
  return {
    kind,
    gather: async (room) => {
      const file = selectionFile(target.path, target.text, target.selection, room);
      const context = await selectionContext(source, target, fitToRoom(SELECTION_CONTEXT_TOKENS, room - shownTokens(file)), file.range);
      return { kind, instruction, files: [file], selection: target.selection, diagnostic, context };
    },
  };
}

/**
 * A question about the codebase with the excerpts search picks. `onSearch` hears each search and
 * what was sent (the last one is what the model saw); `budgetTokens` overrides the room's share.
 */
export function questionTask(
  source: TaskContextSource,
  question: string,
  options: SearchHints & {
    budgetTokens?: number;
    onSearch?: (search: CodebaseAnswerContext | undefined, used: PromptSnippet[]) => void;
  } = {},
): SizedInput<'multi-file-question', AnswerPromptInput> {
  return {
    kind: 'multi-file-question',
    gather: async (room, signal) => {
      const budgetTokens = options.budgetTokens ?? fitToRoom(QUESTION_CONTEXT_TOKENS, room - estimateTokens(question));
      const search = await source.searchCodebase(searchQuery(question, budgetTokens, options), signal);
      const used = (search?.snippets ?? []).map(toPromptSnippet);
      options.onSearch?.(search, used);
      return { kind: 'multi-file-question', question, context: used };
    },
  };
}

/**
 * An edit across files: the active file and the files search ranks, whole while they fit, and
 * excerpts of the rest. `read` gives a file's text, or undefined when it may not be sent.
 */
export function editScopeTask(
  source: TaskContextSource,
  instruction: string,
  read: (path: string) => Promise<string | undefined>,
  options: Omit<SearchHints, 'activeFile'> & { activeFile?: PromptFile } = {},
): SizedInput<'multi-file-edit', EditPromptInput> {
  const { activeFile } = options;
  return {
    kind: 'multi-file-edit',
    gather: async (room, signal) => {
      const budgetTokens = fitToRoom(EDIT_SCOPE_TOKENS, room - estimateTokens(instruction));
      const search = await source.searchCodebase(searchQuery(instruction, budgetTokens, { ...options, activeFile: activeFile?.path }), signal);
      const ranked = (search?.snippets ?? []).map(toPromptSnippet);
      const scope = await scopeEditFiles(ranked, read, { activeFile, budgetTokens });
      return { kind: 'multi-file-edit', instruction, files: scope.files, context: scope.context };
    },
  };
}

function searchQuery(question: string, budgetTokens: number, hints: SearchHints): CodebaseQuery {
  const query: CodebaseQuery = { question, budgetTokens };
  if (hints.activeFile !== undefined) query.activeFile = hints.activeFile;
  if (hints.openFiles) query.openFiles = hints.openFiles();
  return query;
}
