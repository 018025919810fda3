// `bantam ask --workspace DIR "question"`: the same road as "Bantam: Ask About Codebase": index the
// folder, pick the relevant definitions and files through the index, route the question, and stream
// the answer to stdout. Which excerpts were sent, and who answered, go to stderr.
import { parseArgs } from 'node:util';
import { cutShort, excerptReport } from '../core/chat/answerFooter';
import { runAnswerTask } from '../core/chat/codeTasks';
import { questionTask } from '../core/chat/taskGatherers';
import { cliModels, PROVIDER_OPTIONS } from './cliProviders';
import { indexWorkspace, positiveInt, UsageError, workspaceFolders } from './cliShared';
import { routeSummary } from '../core/chat/answerFooter';

export const ASK_USAGE = `  bantam ask --workspace DIR [--budget TOKENS] [--no-cache] [model flags] "question"

  Answers a question about DIR with the excerpts codebase search picks (default budget: 12000 tokens,
  less when the model that answers has a smaller context window). --workspace more than once asks
  about every folder, as a multi-root workspace (paths start with the folder's name).`;

export async function askCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      workspace: { type: 'string', multiple: true },
      budget: { type: 'string' },
      'no-cache': { type: 'boolean', default: false },
      ...PROVIDER_OPTIONS,
    },
    allowPositionals: true,
    strict: true,
  });
  const question = positionals.join(' ').trim();
  if (!question) throw new UsageError('the question is missing');
  const roots = workspaceFolders(values.workspace);
  const budget = values.budget === undefined ? undefined : positiveInt(values.budget, '--budget');
  const models = cliModels(values);
  const { context, progress } = await indexWorkspace(roots, { cache: !values['no-cache'] });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    // Gathered for the model that answers (again, smaller, if the request falls back to a local one).
    const task = questionTask(context, question, {
      budgetTokens: budget,
      onSearch: (search, used) => process.stderr.write(excerptReport(search, used, progress.done)),
    });
    const result = await runAnswerTask(models.router, task, {
      signal: abort.signal,
      maxTokens: models.config.routing.maxAnswerTokens,
      onText: (chunk) => process.stdout.write(chunk),
    });
    if (result.finishReason === 'abort') {
      if (result.text && !result.text.endsWith('\n')) process.stdout.write('\n');
      process.stderr.write(routeSummary(models.log));
      return 130;
    }
    // A blank line and exit 0 would read as an answer to a script; an empty reply is a failure.
    if (result.text.trim() === '') {
      process.stderr.write(routeSummary(models.log));
      process.stderr.write(`bantam: ${result.provider} returned an empty answer; ask again or pick another model (--tier, --frontier, --local).\n`);
      return 1;
    }
    process.stdout.write(result.text.endsWith('\n') ? '' : '\n');
    process.stderr.write(routeSummary(models.log));
    // Half an answer with exit 0 would read as a whole one to a script.
    const why = cutShort(result.finishReason);
    if (why) {
      process.stderr.write(`bantam: the answer ${why} before it ended; what is above is cut off.\n`);
      return 1;
    }
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    context.dispose();
    models.dispose();
  }
}
