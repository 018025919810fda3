// Which tier answers a task: the product's routing rules as one pure function, so every case (task
// kind x settings x what is set up x prompt size) is a table row in the tests. The router feeds it
// what it found out about the providers and acts on the answer.
//
// The rules: inline completion is always local. Otherwise the tier is the user's per-request pick,
// else the per-task setting, else the global setting, else the task's default. A task that is local
// only by default moves to the frontier when its prompt and answer do not fit the local window, or
// when no local model is set up; a tier the user chose explicitly is never overridden that way, so
// "local" keeps code on the machine. The frontier is unusable when turned off, in an untrusted
// workspace, or when its provider is not set up; a frontier task then runs locally and says why.
import type { RoutingConfig } from '../config';
import type { Tier } from '../kernel/chatTypes';
import { DEFAULT_TIER, type TaskKind, type TierChoice } from '../kernel/taskKinds';

export type ProviderAvailability =
  | { available: true; label: string; model: string; contextWindow: number }
  /** reason: user-facing, e.g. "no API key for Anthropic; run 'Bantam: Set API Key'". */
  | { available: false; reason: string };

export interface RouteInput {
  task: TaskKind;
  promptTokens: number;
  /** Most tokens the answer may take. */
  answerTokens: number;
  /** A per-request pick, e.g. from a model picker. */
  requested?: TierChoice;
  config: RoutingConfig;
  /** Workspace trust: an untrusted workspace never sends code to a frontier provider. */
  trusted: boolean;
  frontier: ProviderAvailability;
  local: ProviderAvailability;
}

export interface RouteDecision {
  /** 'none' when nothing usable is set up; `notice` then says what to set up. */
  tier: Tier | 'none';
  /** Short, for the routing log: "default for refactor", "user picked frontier". */
  reason: string;
  /** One sentence for the user when the route is not what they would expect, or nothing can answer. */
  notice?: string;
}

export const FRONTIER_OFF_REASON = 'frontier models are off (bantam.routing.frontierEnabled)';
export const UNTRUSTED_REASON = 'this workspace is not trusted';

export function decideRoute(input: RouteInput): RouteDecision {
  const { task, local } = input;
  if (task === 'inline-completion') {
    const reason = 'inline completion always runs locally';
    if (local.available) return { tier: 'local', reason };
    return {
      tier: 'none',
      reason: `${reason}; local model unavailable`,
      notice: `Inline completion runs only on the local model, which is unavailable: ${clause(local.reason)}.`,
    };
  }

  const choice = chosenTier(input);
  const frontierBlock = frontierUnusable(input);
  const fit = localFit(input);

  if (choice.tier === 'frontier') {
    if (frontierBlock === undefined) return { tier: 'frontier', reason: choice.reason };
    if (!local.available) return nothingCanAnswer(choice.reason, frontierBlock, local.reason);
    const overflow = fit ? `; ${fit.tail}` : '';
    return {
      tier: 'local',
      reason: `${choice.reason}; frontier unusable${fit ? `; ${fit.reason}` : ''}`,
      notice: sentence(`Answering with the local model (${local.model}) because ${frontierBlock}${overflow}`),
    };
  }

  // The chosen tier is local.
  if (!local.available) {
    if (choice.explicit) {
      return {
        tier: 'none',
        reason: `${choice.reason}; local model unavailable`,
        notice: sentence(`The local tier is selected (${choice.reason}), but the local model is unavailable: ${clause(local.reason)}`),
      };
    }
    if (frontierBlock !== undefined) return nothingCanAnswer(choice.reason, frontierBlock, local.reason);
    const frontier = input.frontier as Extract<ProviderAvailability, { available: true }>;
    return {
      tier: 'frontier',
      reason: `${choice.reason}; local model unavailable`,
      notice: sentence(`Answering with ${frontier.label} (${frontier.model}) because the local model is unavailable: ${clause(local.reason)}`),
    };
  }
  if (!fit) return { tier: 'local', reason: choice.reason };
  if (!choice.explicit && frontierBlock === undefined) {
    const frontier = input.frontier as Extract<ProviderAvailability, { available: true }>;
    return {
      tier: 'frontier',
      reason: fit.reason,
      notice: sentence(
        `Answering with ${frontier.label} (${frontier.model}) because the prompt and answer (${n(fit.needed)} tokens) ` +
          `do not fit the local model's ${n(local.contextWindow)}-token window`,
      ),
    };
  }
  const why = choice.explicit ? `as selected (${choice.reason})` : `because ${frontierBlock}`;
  return {
    tier: 'local',
    reason: `${choice.reason}; ${fit.reason}`,
    notice: sentence(`Answering with the local model (${local.model}) ${why}; ${fit.tail}`),
  };
}

interface Choice {
  tier: Tier;
  reason: string;
  /** True when a person picked the tier (request or setting) rather than the task's default. */
  explicit: boolean;
}

function chosenTier({ task, requested, config }: RouteInput): Choice {
  if (requested && requested !== 'auto') return { tier: requested, reason: `user picked ${requested}`, explicit: true };
  const perTask = config.tasks[task];
  if (perTask && perTask !== 'auto') {
    return { tier: perTask, reason: `bantam.routing.tasks sets ${perTask} for ${task}`, explicit: true };
  }
  if (config.tier !== 'auto') return { tier: config.tier, reason: `bantam.routing.tier is ${config.tier}`, explicit: true };
  return { tier: DEFAULT_TIER[task], reason: `default for ${task}`, explicit: false };
}

/** Why the frontier tier cannot be used, or undefined when it can. */
function frontierUnusable({ config, trusted, frontier }: RouteInput): string | undefined {
  if (!config.frontierEnabled) return FRONTIER_OFF_REASON;
  if (!trusted) return UNTRUSTED_REASON;
  if (!frontier.available) return midSentence(clause(frontier.reason));
  return undefined;
}

/** The least room for an answer a local model is asked to keep, whatever its window. */
export const MIN_LOCAL_ANSWER_TOKENS = 256;

/**
 * The answer room the local fit check reserves: the requested maximum is a cap, not a size (a
 * frontier-sized 4,096 would push every task off a 4,096-token local model), so a local answer is
 * expected to need at most a quarter of the window (at least MIN_LOCAL_ANSWER_TOKENS). When the
 * task runs locally the router lets the answer use whatever room the prompt leaves.
 */
export function localAnswerReserve(answerTokens: number, window: number): number {
  return Math.min(answerTokens, Math.max(MIN_LOCAL_ANSWER_TOKENS, Math.floor(window / 4)));
}

/**
 * How the request overflows the local window, or undefined when it fits (or there is no local model).
 * `tail` tells the user what will happen if it runs locally anyway: a prompt that fits leaves room
 * for a shorter answer; a prompt that alone overflows the window may make the request fail.
 */
function localFit({ local, promptTokens, answerTokens }: RouteInput): { reason: string; tail: string; needed: number } | undefined {
  if (!local.available) return undefined;
  const window = local.contextWindow;
  const answer = localAnswerReserve(answerTokens, window);
  const needed = promptTokens + answer;
  if (needed <= window) return undefined;
  const reason = `prompt ${n(promptTokens)} + answer ${n(answer)} tokens > local window ${n(window)}`;
  if (promptTokens < window) {
    return {
      reason,
      needed,
      tail: `the prompt and answer (${n(needed)} tokens) exceed its ${n(window)}-token window, so the answer will be cut short at about ${n(window - promptTokens)} tokens`,
    };
  }
  return {
    reason,
    needed,
    tail: `the prompt alone (${n(promptTokens)} tokens) exceeds its ${n(window)}-token window, so the request may fail`,
  };
}

function nothingCanAnswer(reason: string, frontierBlock: string, localReason: string): RouteDecision {
  return {
    tier: 'none',
    reason: `${reason}; no usable provider`,
    notice: sentence(`No model can answer this: ${frontierBlock}, and the local model is unavailable: ${clause(localReason)}`),
  };
}

/** A reason to quote inside a sentence: no trailing full stop of its own. */
export function clause(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

/**
 * A reason written as a sentence, placed after "because": "No key is set" -> "no key is set". A
 * first word that is a name ("VS Code", "SecretStorage", "Anthropic" can't be told apart from
 * "No" this way, but names rarely start a reason) keeps its capitals.
 */
function midSentence(text: string): string {
  return /^[A-Z][a-z]+\b/.test(text) && !/^(Anthropic|OpenAI|Ollama)\b/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}

/** Ends a composed notice with exactly one full stop, whatever the quoted reasons ended with. */
function sentence(text: string): string {
  return `${clause(text)}.`;
}

function n(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
