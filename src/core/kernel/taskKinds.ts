// The kinds of work Bantam routes, and the tier each one goes to unless the user or the prompt's
// size says otherwise. Inline completion never leaves the machine; refactors and work that spans
// files go to the frontier tier; everything else stays local until it no longer fits.
import type { Tier } from './chatTypes';

export type TaskKind =
  | 'inline-completion'
  | 'explain'
  | 'document'
  | 'chat'
  | 'refactor'
  | 'multi-file-question'
  | 'multi-file-edit'
  | 'generate-tests'
  | 'fix-diagnostic';

export const TASK_KINDS: readonly TaskKind[] = [
  'inline-completion',
  'explain',
  'document',
  'chat',
  'refactor',
  'multi-file-question',
  'multi-file-edit',
  'generate-tests',
  'fix-diagnostic',
];

/** What the user asked for: a tier, or 'auto' for the task's default. */
export type TierChoice = 'auto' | Tier;

export const DEFAULT_TIER: Readonly<Record<TaskKind, Tier>> = {
  'inline-completion': 'local',
  explain: 'local',
  document: 'local',
  chat: 'local',
  refactor: 'frontier',
  'multi-file-question': 'frontier',
  'multi-file-edit': 'frontier',
  'generate-tests': 'local',
  'fix-diagnostic': 'local',
};

export function isTaskKind(value: unknown): value is TaskKind {
  return typeof value === 'string' && (TASK_KINDS as readonly string[]).includes(value);
}
