// Zed's Zeta prompt (zed-industries/zeta, the Qwen2.5-Coder-7B fine-tune; its card points to the
// zed-industries/zeta dataset), as Zed renders it for that model (zeta1 in Zed's crates/zeta_prompt):
// an instruction, the user's edits as unified diffs ("User edited {path}:" and a ```diff block each,
// oldest first, separated by a blank line), then the excerpt in a ```{path} fence with
// <|start_of_file|> when it starts the file, <|editable_region_start|>/<|editable_region_end|>
// around the lines the model rewrites and <|user_cursor_is_here|> at the cursor. The model answers
// with the excerpt's editable region rewritten, between the same markers. Zeta has no block for
// other files, so related files and viewed ranges are left out.
//
// For the KV cache: the instruction and every edit but the newest (the one being typed) come first
// and stay byte-identical while the user types.
import { structuredPatch } from 'diff';
import { zetaContext, type LineRange } from './editableWindow';
import type { EditHunk, NextEditInput, NextEditPrompt } from './nextEditTypes';

export const ZETA_CURSOR = '<|user_cursor_is_here|>';
export const ZETA_START_OF_FILE = '<|start_of_file|>';
export const ZETA_REGION_START = '<|editable_region_start|>';
export const ZETA_REGION_END = '<|editable_region_end|>';
const INSTRUCTION =
  '### Instruction:\n' +
  'You are a code completion assistant and your task is to analyze user edits and then rewrite an ' +
  'excerpt that the user provides, suggesting the appropriate edits within the excerpt, taking ' +
  'into account the cursor location.\n\n' +
  '### User Edits:\n\n';
const EXCERPT_HEADER = '\n\n### User Excerpt:\n\n';
const RESPONSE_HEADER = '\n\n### Response:\n';
/** The answer is the region up to its end marker. */
export const ZETA_STOP = [ZETA_REGION_END, '<|endoftext|>'];

/** The three pieces Zed's format_zeta1_prompt joins. */
export function renderZetaPrompt(events: readonly string[], excerpt: string): { text: string; stablePrefixChars: number } {
  const stable = events.slice(0, -1).map((e) => `${e}\n\n`).join('');
  const text = INSTRUCTION + events.join('\n\n') + EXCERPT_HEADER + excerpt + RESPONSE_HEADER;
  return { text, stablePrefixChars: INSTRUCTION.length + stable.length };
}

/** One edit as Zeta saw them in training: the path, then the change as a unified diff. */
export function zetaEvent(hunk: EditHunk): string {
  const patch = structuredPatch('', '', `${hunk.original}\n`, `${hunk.updated}\n`, '', '', { context: 3 });
  const body = patch.hunks
    .map((h) => `@@ -${h.oldStart + hunk.startLine},${h.oldLines} +${h.newStart + hunk.startLine},${h.newLines} @@\n${h.lines.join('\n')}`)
    .join('\n');
  return `User edited ${hunk.path}:\n\`\`\`diff\n${body}\n\`\`\``;
}

/** The excerpt: context lines around the editable region, the region's markers and the cursor. */
export function zetaExcerpt(path: string, documentText: string, editable: LineRange, context: LineRange, cursorInEditable: number): string {
  const lines = documentText.split('\n');
  const before = lines.slice(context.startLine, editable.startLine).map((l) => `${l}\n`).join('');
  const region = lines.slice(editable.startLine, editable.endLine).join('\n');
  const after = lines.slice(editable.endLine, context.endLine).map((l) => `\n${l}`).join('');
  return (
    `\`\`\`${path}\n` +
    (context.startLine === 0 ? `${ZETA_START_OF_FILE}\n` : '') +
    before +
    `${ZETA_REGION_START}\n` +
    region.slice(0, cursorInEditable) + ZETA_CURSOR + region.slice(cursorInEditable) +
    `\n${ZETA_REGION_END}` +
    after +
    '\n```'
  );
}

export function zetaPrompt(input: NextEditInput): NextEditPrompt {
  const { window } = input;
  const context = zetaContext(input.documentText, window);
  const excerpt = zetaExcerpt(input.path, input.documentText, window, context, window.cursorOffset);
  const { text, stablePrefixChars } = renderZetaPrompt(input.history.map(zetaEvent), excerpt);
  return { format: 'zeta', text, stablePrefixChars, stop: [...ZETA_STOP], window };
}
