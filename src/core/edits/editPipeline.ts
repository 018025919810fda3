// The whole road from a model's answer to a plan the user can preview, shared by the editor commands
// (Edit Across Files, Refactor Selection) and the CLI (`bantam edit`), so both refuse the same
// answers for the same reasons. A problem in the answer itself (a truncated or malformed block)
// refuses the whole plan too: the answer is then incomplete, and applying the part that parsed
// could leave half a refactor behind.
import { planChanges, type PlanOptions, type ReadText } from './changePlan';
import { parseEdits } from './editParser';
import type { ChangeProblem, FileChange, FileEdit, ParseProblem } from './editTypes';
import { findStaleSnapshots, staleMessage, type TextSnapshot } from './staleCheck';

export interface AnswerPlanOptions extends PlanOptions {
  /** The texts the request was built from; a file that has changed since refuses the plan. */
  snapshots?: readonly TextSnapshot[];
}

export interface AnswerPlan {
  edits: FileEdit[];
  /** Empty whenever any problem below is not. */
  changes: FileChange[];
  parseProblems: ParseProblem[];
  changeProblems: ChangeProblem[];
  /** Every problem as a sentence for the UI, answer problems first; empty when the plan can be applied. */
  messages: string[];
}

export const NO_EDITS_MESSAGE = 'The answer contained no file edits, so there is nothing to apply; ask again and name the files to change.';

/** More edits than a reviewable change has; planning them all would also hold the editor for seconds. */
export const MAX_EDITS_PER_ANSWER = 200;

/** Parses `answer`, checks the snapshots, and plans the changes against the files `read` returns now. */
export async function planFromAnswer(answer: string, read: ReadText, options: AnswerPlanOptions = {}): Promise<AnswerPlan> {
  const { edits, problems: parseProblems } = parseEdits(answer);
  if (edits.length > MAX_EDITS_PER_ANSWER) {
    const message = `The answer holds ${edits.length} edits; Bantam applies at most ${MAX_EDITS_PER_ANSWER} at once, so nothing was applied. Ask for a smaller change.`;
    return { edits, changes: [], parseProblems, changeProblems: [], messages: [message] };
  }
  const plan = await planChanges(edits, read, options);
  const messages = [
    ...parseProblems.map((p) => `answer line ${p.line}: ${p.message}`),
    ...plan.problems.map((p) => p.message),
  ];

  if (options.snapshots && options.snapshots.length > 0) {
    const texts = new Map<string, string | undefined>();
    await Promise.all(options.snapshots.map(async (s) => texts.set(s.path, await read(s.path).catch(() => undefined))));
    const stale = findStaleSnapshots(options.snapshots, (path) => texts.get(path));
    if (stale.length > 0) messages.unshift(staleMessage(stale));
  }
  if (edits.length === 0 && parseProblems.length === 0) messages.push(NO_EDITS_MESSAGE);

  return { edits, changes: messages.length > 0 ? [] : plan.changes, parseProblems, changeProblems: plan.problems, messages };
}
