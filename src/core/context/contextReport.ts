// Renders what retrieval chose for a cursor, for people ("Bantam: Show Context at Cursor", markdown)
// and for scripts (the CLI's JSON). Both list exactly the snippets the completion prompt carries, in
// the order it carries them, with the reason and the estimated tokens of each.

import type { ContextResult } from './contextTypes';

export interface ContextReportInput {
  file: string;
  /** 1-based cursor position. */
  line: number;
  column: number;
  budgetTokens: number;
  result: ContextResult;
  /** Index state shown under the title, e.g. "1,204 files indexed". */
  indexSummary?: string;
}

/** The CLI's JSON shape: `{ snippets: [{ file, startLine, endLine, reason, tokens, text }], tokens }`. */
export interface ContextJson {
  snippets: { file: string; startLine: number; endLine: number; reason: string; tokens: number; text: string }[];
  tokens: number;
}

export function contextJson(result: ContextResult): ContextJson {
  return {
    snippets: result.snippets.map(({ file, startLine, endLine, reason, tokens, text }) => ({
      file,
      startLine,
      endLine,
      reason,
      tokens,
      text,
    })),
    tokens: result.tokens,
  };
}

export function renderContextReport(input: ContextReportInput): string {
  const { result } = input;
  const out: string[] = [
    `# Context at ${input.file}:${input.line}:${input.column}`,
    '',
    `${result.snippets.length} snippet${result.snippets.length === 1 ? '' : 's'}, ` +
      `${result.tokens} of ${input.budgetTokens} context tokens (snippet text plus each snippet's file header).`,
  ];
  if (input.indexSummary) out.push('', input.indexSummary);
  if (result.snippets.length === 0) {
    out.push('', 'Nothing from elsewhere in the workspace would be sent with a completion here.');
  }
  result.snippets.forEach((snippet, i) => {
    const fence = fenceFor(snippet.text);
    out.push(
      '',
      `## ${i + 1}. ${snippet.file}:${snippet.startLine}-${snippet.endLine}`,
      '',
      `${snippet.reason} · ${snippet.tokens} tokens`,
      '',
      fence,
      snippet.text,
      fence,
    );
  });
  return out.join('\n') + '\n';
}

/** A backtick fence longer than any backtick run in the text, so code can't close it early. */
function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}
