// The messages each routed task sends: the system rules, the code the model must see, and the
// user's words. Edit tasks (refactor, document, generate tests, fix diagnostic, edit across files)
// ask for the search/replace format that core/edits parses; question tasks (explain, ask about the
// codebase, chat) ask for markdown that cites files as `path:line`, which the answer view links.
import { EDIT_FORMAT_INSTRUCTIONS, renderFileForPrompt } from '../edits/editFormat';
import type { ChatMessage } from '../kernel/chatTypes';
import type { TaskKind } from '../kernel/taskKinds';

/** Code from elsewhere in the workspace that the model may read but is not asked to change. */
export interface PromptSnippet {
  file: string;
  /** 1-based inclusive. */
  startLine: number;
  endLine: number;
  text: string;
  reason: string;
}

/**
 * A snippet as a prompt carries it: only these fields, copied, so what else a search result or a
 * stored turn holds (score, kind, token count) never reaches a prompt, the webview or the store.
 */
export function toPromptSnippet({ file, startLine, endLine, text, reason }: PromptSnippet): PromptSnippet {
  return { file, startLine, endLine, text, reason };
}

/** A file the model sees (and may edit, for edit tasks): whole, or only `range` of it. */
export interface PromptFile {
  path: string;
  /** The whole current text: edits are matched against it. */
  text: string;
  languageId?: string;
  /** 1-based inclusive lines shown when the file is too long to show whole. */
  range?: { startLine: number; endLine: number };
}

/** The user's selection in a file: 1-based inclusive lines and the exact text. */
export interface PromptSelection {
  path: string;
  startLine: number;
  endLine: number;
  text: string;
}

export interface PromptDiagnostic {
  message: string;
  /** 1-based. */
  line: number;
  source?: string;
  code?: string;
}

export type EditTaskKind = Extract<TaskKind, 'refactor' | 'document' | 'generate-tests' | 'fix-diagnostic' | 'multi-file-edit'>;
export type AnswerTaskKind = Extract<TaskKind, 'explain' | 'multi-file-question' | 'chat'>;

export const EDIT_TASKS: readonly EditTaskKind[] = ['refactor', 'document', 'generate-tests', 'fix-diagnostic', 'multi-file-edit'];

export interface EditPromptInput {
  kind: EditTaskKind;
  /** What the user asked for; the task's own wording when the command has none (document, tests). */
  instruction: string;
  /** Files shown whole; edits to other files are refused unless the task may create files. */
  files: readonly PromptFile[];
  selection?: PromptSelection;
  diagnostic?: PromptDiagnostic;
  context: readonly PromptSnippet[];
}

export interface AnswerPromptInput {
  kind: AnswerTaskKind;
  question: string;
  selection?: PromptSelection;
  context: readonly PromptSnippet[];
  /** Earlier turns of a conversation (chat), oldest first. */
  history?: readonly ChatMessage[];
}

const ROLE = 'You are Bantam, a coding assistant inside the developer\'s editor. Be precise and brief.';

const EDIT_RULES: Record<EditTaskKind, string> = {
  refactor:
    'Rewrite the selected code as the instruction asks. Keep behaviour the same unless the instruction says otherwise, keep the file\'s style, and change only what the task needs (callers in the same file included).',
  document:
    'Add documentation comments to the selected code in the language\'s usual style (JSDoc, docstrings, /// ...). Do not change any code, only add or improve comments.',
  'generate-tests':
    'Write unit tests for the selected code using the test framework and conventions the project already uses (look at the related code). Put them in a new test file next to the project\'s other tests, or extend an existing test file shown to you.',
  'fix-diagnostic':
    'Fix the reported problem with the smallest correct change. Do not reformat or change unrelated code.',
  'multi-file-edit':
    'Make the change the instruction describes across the files shown. Create or delete files when the change needs it. Change nothing unrelated.',
};

function fence(text: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`{3,}/g), (m) => m[0].length));
  return '`'.repeat(longest + 1);
}

export function renderSnippets(snippets: readonly PromptSnippet[]): string {
  return snippets
    .map((s) => {
      const f = fence(s.text);
      return `${s.file}:${s.startLine}-${s.endLine} (${s.reason})\n${f}\n${s.text.replace(/\n$/, '')}\n${f}`;
    })
    .join('\n\n');
}

function selectionBlock(selection: PromptSelection): string {
  const f = fence(selection.text);
  return `The selection is lines ${selection.startLine}-${selection.endLine} of ${selection.path}:\n${f}\n${selection.text.replace(/\n$/, '')}\n${f}`;
}

export function buildEditMessages(input: EditPromptInput): ChatMessage[] {
  const parts: string[] = [];
  if (input.files.length) {
    parts.push('## Current files (copy SEARCH lines from here exactly)', ...input.files.map((f) => renderFileForPrompt(f.path, f.text, f.range)));
  }
  if (input.context.length) parts.push('## Related code (read-only; do not edit unless asked)', renderSnippets(input.context));
  parts.push('## Task');
  if (input.selection) parts.push(selectionBlock(input.selection));
  if (input.diagnostic) {
    const d = input.diagnostic;
    const origin = [d.source, d.code].filter(Boolean).join(' ');
    parts.push(`The problem${origin ? ` (${origin})` : ''} at line ${d.line}: ${d.message}`);
  }
  parts.push(`Instruction: ${input.instruction}`);
  return [
    { role: 'system', content: `${ROLE}\n${EDIT_RULES[input.kind]}\n\n${EDIT_FORMAT_INSTRUCTIONS}` },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

const ANSWER_RULES: Record<AnswerTaskKind, string> = {
  explain:
    'Explain the selected code for a developer who is reading it: what it does, how, and anything surprising (edge cases, side effects). Use markdown.',
  'multi-file-question':
    'Answer the question about this codebase using the code excerpts given. If they do not contain the answer, say so and say where to look.',
  chat: 'Answer the developer\'s question. Use the code given when it is relevant.',
};

const CITATION_RULE =
  'Cite the code you rely on as `path:line` (for example `src/cart.ts:12`), using the paths shown, so the developer can click them. Answer in markdown.';

export function buildAnswerMessages(input: AnswerPromptInput): ChatMessage[] {
  const parts: string[] = [];
  if (input.context.length) parts.push('## Code excerpts', renderSnippets(input.context));
  if (input.selection) parts.push(selectionBlock(input.selection));
  parts.push(input.kind === 'explain' && !input.question ? 'Explain the selection.' : `## Question\n${input.question}`);
  return [
    { role: 'system', content: `${ROLE}\n${ANSWER_RULES[input.kind]}\n${CITATION_RULE}` },
    ...(input.history ?? []),
    { role: 'user', content: parts.join('\n\n') },
  ];
}
