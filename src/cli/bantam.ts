// Bantam's command line (`npx bantam <command>`): headless entry points over core, running the same
// code as the extension (the index worker, codebase search, the router, the edit pipeline).
//   bantam context  what retrieval sends with a completion at a cursor
//   bantam ask      a question about a folder, answered through the router
//   bantam edit     a change to a folder, as a unified diff (written unless --dry-run)
import { ASK_USAGE, askCommand } from './askCommand';
import { PROVIDER_USAGE } from './cliProviders';
import { UsageError } from './cliShared';
import { CONTEXT_USAGE, contextCommand } from './contextCommand';
import { EDIT_USAGE, editCommand } from './editCommand';

const USAGE = `Usage:
${CONTEXT_USAGE}

${ASK_USAGE}

${EDIT_USAGE}

${PROVIDER_USAGE}

  Exit codes: 0 done, 1 failed (the message says why), 2 usage error, 130 interrupted.`;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  context: contextCommand,
  ask: askCommand,
  edit: editCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) throw new UsageError(`unknown command "${command}"`);
  return run(rest);
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
