// Bantam's command line (`npx bantam <command>`): headless entry points over core, running the same
// code as the extension (the index worker, codebase search, the router, the edit pipeline).
//   bantam context  what retrieval sends with a completion at a cursor
//   bantam ask      a question about a folder, answered through the router
//   bantam edit     a change to a folder, as a unified diff (written with --write or a yes)
//   bantam next-edit  the next-edit suggestion at a cursor from a recorded history, as a unified diff
import { ASK_USAGE, askCommand } from './askCommand';
import { PROVIDER_USAGE } from './cliProviders';
import { UsageError } from './cliShared';
import { CONTEXT_USAGE, contextCommand } from './contextCommand';
import { EDIT_USAGE, editCommand } from './editCommand';
import { NEXT_EDIT_USAGE, nextEditCommand } from './nextEditCommand';

const USAGE = `Usage:
${CONTEXT_USAGE}

${ASK_USAGE}

${EDIT_USAGE}

${PROVIDER_USAGE}

${NEXT_EDIT_USAGE}

  Exit codes: 0 done, 1 failed (the message says why), 2 usage error, 130 interrupted.`;

const COMMANDS: Record<string, { run: (args: string[]) => Promise<number>; usage: string }> = {
  context: { run: contextCommand, usage: CONTEXT_USAGE },
  ask: { run: askCommand, usage: `${ASK_USAGE}\n\n${PROVIDER_USAGE}` },
  edit: { run: editCommand, usage: `${EDIT_USAGE}\n\n${PROVIDER_USAGE}` },
  'next-edit': { run: (args) => nextEditCommand(args), usage: NEXT_EDIT_USAGE },
};

const isHelp = (arg: string | undefined): boolean => arg === '--help' || arg === '-h' || arg === 'help';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (isHelp(command)) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const entry = COMMANDS[command];
  if (!entry) throw new UsageError(`unknown command "${command}"`);
  if (rest.some((arg) => arg === '--help' || arg === '-h')) {
    process.stdout.write(`Usage:\n${entry.usage}\n`);
    return 0;
  }
  return entry.run(rest);
}

// exitCode rather than exit(): a long diff or answer written to a pipe is flushed before the end.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`bantam: ${(error as Error).message}\n\n${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`bantam: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
