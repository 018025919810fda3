// Which settings reach which long-lived service when they change, decided here rather than in the
// VS Code wiring so it can be tested. Every Bantam settings change also reconfigures the completion
// service and drops the context adopted for the current line (the settings may have changed either);
// what is decided here is the costly part: restarting the workspace index or the completion service.
import type { BantamConfig } from './config';

export type IndexEffect = 'stop' | 'restart' | 'keep';

/** VS Code settings outside bantam.* that change which files the index covers. */
export const INDEX_SETTINGS_OUTSIDE_BANTAM: readonly string[] = ['files.exclude'];

/**
 * What a Bantam settings change does to the workspace index: stop it when codebase context is
 * turned off, restart it when any context setting changed (globs, size caps), else leave it be,
 * since rebuilding the index for an unrelated setting would cost a full re-index.
 */
export function indexEffect(previous: BantamConfig, next: BantamConfig): IndexEffect {
  if (!next.context.enabled) return 'stop';
  return JSON.stringify(previous.context) !== JSON.stringify(next.context) ? 'restart' : 'keep';
}

/** A stored or cleared API key restarts the completion service only when it completes with that key. */
export function keyRestartsCompletion(provider: string, config: BantamConfig): boolean {
  return provider === 'openai' && config.completion.backend === 'openai';
}
