// Bantam's command line (`npx bantam <command>`), headless entry points over core.
//   bantam context --workspace DIR --file PATH --line L --column C [--budget TOKENS] [--json] [--no-cache]
// indexes DIR in the same index worker the extension uses (dist/indexWorker.js), then prints what
// retrieval would send with a completion at that cursor (line and column 1-based).
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { promptWindowLines } from '../core/completion/promptBuilder';
import { configFrom } from '../core/config';
import { contextJson, renderContextReport } from '../core/context/contextReport';
import { IndexClient } from '../core/context/indexClient';

const USAGE = `Usage:
  bantam context --workspace DIR --file PATH --line L --column C [--budget TOKENS] [--json] [--no-cache]

  Indexes DIR and prints the snippets Bantam would send as context with a completion at that cursor.
  --file      path of the file, relative to DIR (or absolute)
  --line      1-based line of the cursor
  --column    1-based column of the cursor (UTF-16 code units, as VS Code counts)
  --budget    context tokens (default: bantam.completion.contextTokens, ${configFrom().completion.budgets.contextTokens})
  --json      print { "snippets": [{ file, startLine, endLine, reason, tokens, text }], "tokens" }
  --no-cache  don't read or write the persisted index (~/.cache/bantam/index)`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'context') throw new UsageError(`unknown command "${command}"`);
  return contextCommand(rest);
}

async function contextCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      workspace: { type: 'string' },
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
  const root = path.resolve(values.workspace);
  if (!isDirectory(root)) throw new UsageError(`--workspace ${values.workspace} is not a directory`);
  const absolute = path.resolve(root, values.file);
  const file = path.relative(root, absolute).split(path.sep).join('/');
  if (file.startsWith('../') || path.isAbsolute(file)) throw new UsageError(`--file ${values.file} is outside the workspace`);
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

  const client = IndexClient.start({
    workerPath: path.join(__dirname, 'indexWorker.js'),
    grammarDir: path.join(__dirname, '..', 'grammars'),
    root,
    storageDir: values['no-cache'] ? undefined : path.join(cacheHome(), 'bantam', 'index', rootKey(root)),
    excludeGlobs: config.context.exclude,
    maxFileBytes: config.context.maxFileBytes,
    maxFiles: config.context.maxFiles,
    log: () => {},
  });
  try {
    const progress = await client.indexAll((p) => {
      if (process.stderr.isTTY) process.stderr.write(`\rindexing ${p.done}/${p.total} files`);
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (progress.capped) {
      process.stderr.write(`bantam: indexed the first ${progress.done} files only (bantam.context.maxFiles); exclude folders to cover the rest\n`);
    }
    const result = await client.retrieve({
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
    client.dispose();
  }
}

function positiveInt(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${name} must be a whole number from 1, got "${value}"`);
  return n;
}

/** UTF-16 offset of a 1-based line and column, clamped to the line's end. */
function offsetAt(text: string, line: number, column: number): number {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', start);
    if (next === -1) throw new UsageError(`--line ${line} is past the end of the file (${l} lines)`);
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  const lineEnd = end === -1 ? text.length : end;
  return Math.min(start + column - 1, lineEnd);
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function cacheHome(): string {
  return process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
}

function rootKey(root: string): string {
  return createHash('sha256').update(root).digest('hex').slice(0, 16);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`bantam: ${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`bantam: ${(error as Error).message}`);
    process.exit(1);
  },
);
