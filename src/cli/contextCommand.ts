// `bantam context`: indexes a folder (or several, as a multi-root workspace) in the same index
// worker the extension uses and prints what retrieval would send with a completion at a cursor (line
// and column 1-based).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { promptWindowLines } from '../core/completion/promptBuilder';
import { configFrom } from '../core/config';
import { contextJson, renderContextReport } from '../core/context/contextReport';
import { absoluteFile, indexWorkspace, offsetAt, positiveInt, UsageError, workspaceFile, workspaceFolders } from './cliShared';

export const CONTEXT_USAGE = `  bantam context --workspace DIR --file PATH --line L --column C [--budget TOKENS] [--json] [--no-cache]

  Indexes DIR and prints the snippets Bantam would send as context with a completion at that cursor.
  --workspace more than once indexes every folder, as a multi-root workspace: paths then start with
              the folder's name (app/src/a.ts)
  --file      path of the file, relative to DIR (or absolute; with several folders, folder/path)
  --line      1-based line of the cursor
  --column    1-based column of the cursor (UTF-16 code units, as VS Code counts)
  --budget    context tokens (default: bantam.completion.contextTokens, ${configFrom().completion.budgets.contextTokens})
  --json      print { "snippets": [{ file, startLine, endLine, reason, tokens, text }], "tokens" }
  --no-cache  don't read or write the persisted index (~/.cache/bantam/index)`;

export async function contextCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      workspace: { type: 'string', multiple: true },
      file: { type: 'string' },
      line: { type: 'string' },
      column: { type: 'string' },
      budget: { type: 'string' },
      json: { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.workspace || !values.file || !values.line || !values.column) {
    throw new UsageError('--workspace, --file, --line and --column are required');
  }
  const roots = workspaceFolders(values.workspace);
  const file = workspaceFile(roots, values.file, '--file');
  const absolute = absoluteFile(roots, file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --file ${values.file}: ${(error as Error).message}`);
  }
  const line = positiveInt(values.line, '--line');
  const column = positiveInt(values.column, '--column');
  const offset = offsetAt(text, line, column);
  const config = configFrom();
  const budgetTokens = values.budget === undefined ? config.completion.budgets.contextTokens : positiveInt(values.budget, '--budget');

  const { context, progress } = await indexWorkspace(roots, { cache: !values['no-cache'], config });
  try {
    const result = await context.retrieve({
      file,
      languageId: '',
      text,
      offset,
      budgetTokens,
      visibleLines: promptWindowLines({ text, offset }, config.completion.budgets),
    });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(contextJson(result), null, 2)}\n`);
    } else {
      process.stdout.write(
        renderContextReport({
          file,
          line,
          column,
          budgetTokens,
          result,
          indexSummary: `Index: ${progress.done} files (${progress.cached} from the cache), ${progress.skipped} skipped.`,
        }),
      );
    }
    return 0;
  } finally {
    context.dispose();
  }
}
