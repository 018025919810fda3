// `bantam edit --workspace DIR --instruction "..." [--file PATH [--range L1:L2]] [--write]`: the
// same road as "Refactor Selection" (with --file and --range) and "Edit Across Files" (without):
// route the request, parse the model's edits, check each against the current text, and print the
// unified diff. Files are written (all of them or none) only with --write or a yes on a terminal,
// and a new file, a deletion or a file that runs code only with the flag that allows it.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runEditTask } from '../core/chat/codeTasks';
import { editScopeTask, selectionEditTask } from '../core/chat/taskGatherers';
import type { PromptFile, PromptSelection } from '../core/chat/taskPrompts';
import { configFrom } from '../core/config';
import { describePromptBar, PromptExclusions } from '../core/context/promptExclusions';
import { applyChangesToDisk, diskReader } from '../core/edits/diskApply';
import type { FileChange } from '../core/edits/editTypes';
import { refusedWrites } from '../core/edits/writePermissions';
import { isBackendError } from '../core/kernel/backendError';
import { unifiedDiff } from '../core/edits/unifiedDiff';
import { cliModels, PROVIDER_OPTIONS } from './cliProviders';
import { indexWorkspace, positiveInt, relativeInside, UsageError, workspaceRoot, yesOnTerminal } from './cliShared';
import { routeSummary } from '../core/chat/answerFooter';

export const EDIT_USAGE = `  bantam edit --workspace DIR --instruction TEXT [--file PATH [--range L1:L2]] [--write | --dry-run]
              [--allow-create] [--allow-delete] [--allow-sensitive PATH ...] [--no-cache] [model flags]

  Asks for the change and prints it as a unified diff (git apply accepts it). It writes the files
  only with --write, or when you answer yes on a terminal; --dry-run never asks. The model may change
  only files it was shown; a new file needs --allow-create, a deletion --allow-delete, and a file that
  runs code or configures tools (package.json, .vscode/, .github/, hooks, Makefile, conftest.py, ...)
  --allow-sensitive with its path. If any file is refused, nothing is written and each is listed.
  With --file and --range it refactors those lines (only that file may change); with --file alone that
  file leads; without --file codebase search picks the files.`;


function parseRange(value: string, lines: number): { startLine: number; endLine: number } {
  const match = /^(\d+)(?::(\d+))?$/.exec(value.trim());
  if (!match) throw new UsageError(`--range must look like L1:L2, got "${value}"`);
  const startLine = positiveInt(match[1]!, '--range start');
  const endLine = match[2] === undefined ? startLine : positiveInt(match[2], '--range end');
  if (endLine < startLine) throw new UsageError(`--range ${value} ends before it starts`);
  if (startLine > lines) throw new UsageError(`--range ${value} starts past the end of the file (${lines} lines)`);
  return { startLine, endLine: Math.min(endLine, lines) };
}

export async function editCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      workspace: { type: 'string' },
      instruction: { type: 'string' },
      file: { type: 'string' },
      range: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      write: { type: 'boolean', default: false },
      'allow-create': { type: 'boolean', default: false },
      'allow-delete': { type: 'boolean', default: false },
      'allow-sensitive': { type: 'string', multiple: true, default: [] },
      'no-cache': { type: 'boolean', default: false },
      ...PROVIDER_OPTIONS,
    },
    strict: true,
  });
  const root = workspaceRoot(values.workspace);
  const instruction = values.instruction?.trim();
  if (!instruction) throw new UsageError('--instruction is required');
  if (values.range && !values.file) throw new UsageError('--range needs --file');
  if (values.write && values['dry-run']) throw new UsageError('--write and --dry-run contradict each other');
  // The rules the index applies (the same exclude globs as indexWorkspace), for every read and write.
  const exclusions = new PromptExclusions(root, () => configFrom().context.exclude);
  const readDisk = diskReader(root);
  const barred = async (rel: string) => {
    const reason = await exclusions.reasonFor(rel);
    return reason ? describePromptBar(rel, reason) : undefined;
  };
  /** A file's text for the prompt, unless its path or a key or token in it keeps it out. */
  const read = async (rel: string) => {
    if (await barred(rel)) return undefined;
    const text = await readDisk(rel);
    return text === undefined || exclusions.reasonForText(text) ? undefined : text;
  };

  let lead: PromptFile | undefined;
  let selection: PromptSelection | undefined;
  if (values.file) {
    const rel = relativeInside(root, values.file, '--file');
    const refusal = await barred(rel);
    if (refusal) throw new UsageError(refusal);
    const text = await readFile(`${root}/${rel}`, 'utf8').catch((error: Error) => {
      throw new UsageError(`cannot read --file ${values.file}: ${error.message}`);
    });
    if (exclusions.reasonForText(text)) throw new UsageError(describePromptBar(rel, 'secret'));
    lead = { path: rel, text };
    if (values.range) {
      const lines = text.split('\n');
      const { startLine, endLine } = parseRange(values.range, lines.length - (text.endsWith('\n') ? 1 : 0));
      selection = { path: rel, startLine, endLine, text: lines.slice(startLine - 1, endLine).join('\n') };
    }
  }

  const models = cliModels(values);
  const { context } = await indexWorkspace(root, { cache: !values['no-cache'] });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    // Gathered for the model that answers (again, smaller, if the request falls back to a local one).
    const task =
      selection && lead
        ? selectionEditTask(context, 'refactor', { path: lead.path, text: lead.text, languageId: '', selection }, instruction)
        : editScopeTask(context, instruction, read, { activeFile: lead });
    const only = selection?.path;
    let plan: Awaited<ReturnType<typeof runEditTask>>['plan'];
    try {
      ({ plan } = await runEditTask(models.router, task, {
        signal: abort.signal,
        maxTokens: models.config.routing.maxAnswerTokens,
        read,
        refusePath: (p) => (only && p !== only ? `a refactor of --file may only change ${only}` : barred(p)),
      }));
    } catch (error) {
      // Interrupted: nothing is written, whatever part of the answer had arrived.
      if (!isBackendError(error, 'aborted')) throw error;
      process.stderr.write(`bantam: ${error.message}\n`);
      return 130;
    }
    process.stderr.write(routeSummary(models.log));
    if (plan.messages.length) {
      process.stderr.write(`bantam: the model's edits cannot be applied safely, so nothing was changed:\n${plan.messages.map((m) => `  - ${m}`).join('\n')}\n`);
      return 1;
    }
    process.stdout.write(unifiedDiff(plan.changes));
    const refused = refusedWrites(plan.changes, {
      create: values['allow-create'],
      delete: values['allow-delete'],
      sensitive: new Set(values['allow-sensitive'].map((p) => relativeInside(root, p, '--allow-sensitive'))),
    });
    if (refused.length) {
      process.stderr.write(`bantam: nothing was written; refused:\n${refused.map((r) => `  - ${r.path}: ${r.reason}`).join('\n')}\n`);
      return 1;
    }
    if (values['dry-run']) return 0;
    if (!values.write && !(await confirmOnTerminal(plan.changes))) {
      process.stderr.write(`bantam: nothing was written (pass --write to write the ${plan.changes.length} file(s) above)\n`);
      return 0;
    }
    // Past this point an interrupt would leave half a change: hold Ctrl-C until the write ends.
    process.off('SIGINT', onSignal);
    const holdOn = () => process.stderr.write('bantam: writing files; Ctrl-C waits until the write ends\n');
    process.on('SIGINT', holdOn);
    const applied = await applyChangesToDisk(root, plan.changes).finally(() => process.off('SIGINT', holdOn));
    if (!applied.applied) {
      process.stderr.write(`bantam: nothing was written:\n${applied.problems.map((m) => `  - ${m}`).join('\n')}\n`);
      return 1;
    }
    process.stderr.write(`bantam: changed ${plan.changes.length} file(s)\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    context.dispose();
    models.dispose();
  }
}

/** Asks on the terminal whether to write the changes; false without a terminal to ask on. */
function confirmOnTerminal(changes: readonly FileChange[]): Promise<boolean> {
  const files = changes.map((c) => `  ${c.path} (${c.kind})`).join('\n');
  return yesOnTerminal(`Write these files?\n${files}\n[y/N] `);
}
