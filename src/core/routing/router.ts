// Runs one routed request end to end: finds out which providers are set up, decides the tier
// (routeDecision.ts), asks for consent before the workspace's code first goes to a frontier
// provider, sends the request, falls back to the local model when the frontier fails before any
// text arrived, and writes every attempt to the routing log. Palette commands, the chat panel and
// the CLI all go through here, so they route, fall back and log alike.
import type { RoutingConfig } from '../config';
import { estimateTokens as defaultEstimateTokens } from '../kernel/tokenEstimate';
import { BackendError, isBackendError, type BackendErrorCode } from '../kernel/backendError';
import type { ChatMessage, ChatProvider, ChatResult, ProviderLookup, Tier } from '../kernel/chatTypes';
import { estimateCost } from './costEstimate';
import type { ConsentChoice, ConsentGate } from './frontierConsent';
import { clause, decideRoute, localAnswerReserve, type ProviderAvailability, type RouteDecision } from './routeDecision';
import type { RoutingLog, RoutingLogEntry, RoutingOutcome } from './routingLog';
import type { TaskKind, TierChoice } from '../kernel/taskKinds';
import { estimateMessages } from '../kernel/messageTokens';

export type { ProviderLookup };

/** Builds (or reuses) the provider of each tier from the current settings and secrets. */
export interface ProviderSource {
  local(): Promise<ProviderLookup>;
  frontier(): Promise<ProviderLookup>;
}

/** The route about to be taken, for UIs that show "answering with X". */
export type RouteAnnouncement = RouteDecision & { provider: string; model: string };

/** A task's messages and the workspace files whose code they carry. */
export interface TaskPrompt {
  messages: ChatMessage[];
  /** Workspace-relative paths, shown when asking for consent. */
  files: string[];
}

export interface RoutedTask {
  kind: TaskKind;
  /** Fixed messages (see `build` for messages sized to the model). */
  messages?: ChatMessage[];
  /** Most answer tokens; the routing config's maxAnswerTokens when absent. */
  maxTokens?: number;
  temperature?: number;
  stop?: string[];
  /** A per-request tier pick (e.g. a model picker); wins over the settings. */
  requested?: TierChoice;
  /** Workspace-relative paths whose code is in the messages, shown when asking for consent. */
  files?: string[];
  /**
   * Builds the prompt for a model that has `room` prompt tokens (its window less the answer's
   * share). Called again whenever the request moves to another model (a fallback to a local model
   * with a smaller window), so what is gathered always fits the model that gets it; the last prompt
   * built is the one the answering model saw. Wins over `messages` and `files`.
   */
  build?: (room: number, signal?: AbortSignal) => Promise<TaskPrompt>;
  signal?: AbortSignal;
  onText?: (chunk: string) => void;
  /** Called before each send (again for a fallback), before any text. */
  onRoute?: (route: RouteAnnouncement) => void;
}

export type RoutedResult = ChatResult & {
  tier: Tier;
  provider: string;
  model: string;
  /** The route that produced the answer (after consent and fallback). */
  decision: RouteDecision;
  /** Every notice shown for this request, in order. */
  notices: string[];
};

export interface RouterOptions {
  providers: ProviderSource;
  config: () => RoutingConfig;
  /** Workspace trust, read per request: trust can be granted while the extension runs. */
  trusted: () => boolean;
  consent: ConsentGate;
  log: RoutingLog;
  /** Shows a notice to the user (a status message in VS Code, stderr in the CLI). */
  notify?: (notice: string) => void;
  /** Epoch ms; injectable so tests control latency. */
  now?: () => number;
  estimateTokens?: (text: string) => number;
}

/** Frontier failures that another model can answer around; everything else is final. */
export const FALLBACK_CODES: readonly BackendErrorCode[] = [
  'unreachable',
  'unauthorized',
  'http',
  'timeout',
  'malformed',
  'model-missing',
];

export { MESSAGE_OVERHEAD_TOKENS } from '../kernel/messageTokens';
export const DEFAULT_TEMPERATURE = 0.2;
export const CANCELLED_MESSAGE = 'Cancelled: nothing was sent.';

interface Found {
  provider?: ChatProvider;
  availability: ProviderAvailability;
}

interface Attempt {
  task: RoutedTask;
  config: RoutingConfig;
  messages: ChatMessage[];
  promptTokens: number;
  answerTokens: number;
  provider: ChatProvider;
  window: number;
  tier: Tier;
  decision: RouteDecision;
  notices: string[];
  /** May this attempt's failure fall back to the local model? */
  canFallBack: boolean;
}

/** An attempt that failed in a way the local model can answer around (already logged as 'fallback'). */
interface FellBack {
  fallbackFrom: BackendError;
}

export class Router {
  private readonly now: () => number;
  private readonly estimate: (text: string) => number;

  constructor(private readonly options: RouterOptions) {
    this.now = options.now ?? Date.now;
    this.estimate = options.estimateTokens ?? ((text) => defaultEstimateTokens(text));
  }

  /** Estimated prompt tokens of a conversation, as the router counts them for the local window. */
  promptTokens(messages: readonly ChatMessage[]): number {
    return estimateMessages(messages, this.estimate);
  }

  /** Rejects only with BackendError. */
  async run(task: RoutedTask): Promise<RoutedResult> {
    throwIfAborted(task.signal);
    const config = this.options.config();
    const trusted = this.options.trusted();
    const { local, frontier } = await this.providersFor(task.kind, config, trusted);
    throwIfAborted(task.signal);

    const answerTokens = task.maxTokens ?? config.maxAnswerTokens;
    const decide = (promptTokens: number) =>
      decideRoute({
        task: task.kind,
        promptTokens,
        answerTokens,
        requested: task.requested,
        config,
        trusted,
        frontier: frontier.availability,
        local: local.availability,
      });
    const found = (tier: Tier) => (tier === 'local' ? local : frontier);
    // What a prompt may take on a tier: the window less the answer's share (a local answer's share is
    // what the fit check reserves; a frontier answer gets up to its cap).
    const roomOn = (tier: Tier): number => {
      const { availability } = found(tier);
      if (!availability.available) return 0;
      const window = availability.contextWindow;
      const answer = tier === 'local' ? localAnswerReserve(answerTokens, window) : Math.min(answerTokens, Math.floor(window / 2));
      return Math.max(0, window - answer);
    };
    let builtFor: Tier | undefined;
    const build = async (tier: Tier): Promise<TaskPrompt> => {
      builtFor = tier;
      // The task's signal goes into gathering too: Cancel stops a codebase search, not only the send.
      let prompt: TaskPrompt;
      try {
        prompt = task.build ? await task.build(roomOn(tier), task.signal) : { messages: task.messages ?? [], files: task.files ?? [] };
      } catch (error) {
        throwIfAborted(task.signal); // a gatherer stopped by the abort: the usual 'aborted', not its AbortError
        throw error;
      }
      throwIfAborted(task.signal);
      return prompt;
    };

    let decision: RouteDecision;
    let prompt: TaskPrompt;
    if (task.build) {
      // Size the prompt for the tier it would go to, then decide on what was built: a local task
      // whose prompt still does not fit (a huge selection) moves on and is built again for its room.
      const tentative = decide(0);
      if (tentative.tier === 'none') throw nothingAnswers(tentative);
      prompt = await build(tentative.tier);
      decision = decide(this.promptTokens(prompt.messages));
      if (decision.tier !== 'none' && decision.tier !== tentative.tier) prompt = await build(decision.tier);
    } else {
      prompt = await build('local');
      decision = decide(this.promptTokens(prompt.messages));
    }
    if (decision.tier === 'none') throw nothingAnswers(decision);

    const notices: string[] = [];
    if (decision.notice) this.say(decision.notice, notices);
    const attemptOn = (tier: Tier, p: TaskPrompt, d: RouteDecision, canFallBack: boolean) =>
      this.attempt({
        task,
        config,
        messages: p.messages,
        promptTokens: this.promptTokens(p.messages),
        answerTokens,
        notices,
        ...ready(found(tier)),
        tier,
        decision: d,
        canFallBack,
      });
    const localAttempt = async (d: RouteDecision): Promise<RoutedResult | FellBack> => {
      const localPrompt = task.build && builtFor !== 'local' ? await build('local') : prompt;
      // A "local" server that is not on this machine or the private network is asked about first.
      const localProvider = ready(found('local')).provider;
      if (localProvider.leavesMachine) {
        const answer = await this.consent(localProvider.label, localPrompt.files);
        throwIfAborted(task.signal);
        if (answer !== 'send') {
          throw new BackendError('aborted', `Nothing was sent: ${localProvider.label} is not on this machine or your network, and sending code there was not agreed to.`);
        }
      }
      return attemptOn('local', localPrompt, d, false);
    };

    if (decision.tier === 'local') return final(await localAttempt(decision));

    const { provider: frontierProvider } = ready(frontier);
    const choice = await this.consent(frontierProvider.label, prompt.files);
    throwIfAborted(task.signal);
    if (choice === 'cancel') throw new BackendError('aborted', CANCELLED_MESSAGE);
    if (choice === 'local') {
      if (!local.provider) {
        const reason = local.availability.available ? '' : `: ${clause(local.availability.reason)}`;
        throw new BackendError('model-missing', `Nothing was sent: you chose to keep the code local, but the local model is unavailable${reason}.`);
      }
      const notice = `Answering with the local model (${local.provider.model}) because you chose not to send code to ${frontierProvider.label}.`;
      this.say(notice, notices);
      return final(await localAttempt({ tier: 'local', reason: `${decision.reason}; user kept code local`, notice }));
    }

    const outcome = await attemptOn('frontier', prompt, decision, local.provider !== undefined);
    if (!('fallbackFrom' in outcome)) return outcome;
    const error = outcome.fallbackFrom;
    const notice = `${frontierProvider.label} failed, so the local model (${local.provider!.model}) answers instead: "${clause(error.message)}".`;
    this.say(notice, notices);
    return final(await localAttempt({ tier: 'local', reason: `frontier failed (${error.code})`, notice }));
  }

  /** One send to one provider, logged whatever happens. */
  private async attempt(a: Attempt): Promise<RoutedResult | FellBack> {
    const { task, provider } = a;
    announce(task, { ...a.decision, provider: provider.label, model: provider.model });
    const started = this.now();
    let firstTextAt: number | undefined;
    const streamed: string[] = [];
    const entry = (outcome: RoutingOutcome, fields: Partial<RoutingLogEntry>): void => {
      const model = fields.model ?? provider.model;
      const inputTokens = fields.inputTokens ?? a.promptTokens;
      const outputTokens = fields.outputTokens ?? this.estimate(streamed.join(''));
      const logged: RoutingLogEntry = {
        time: new Date(started).toISOString(),
        task: task.kind,
        tier: a.tier,
        provider: provider.label,
        model,
        inputTokens,
        outputTokens,
        tokensEstimated: fields.tokensEstimated ?? true,
        latencyMs: this.now() - started,
        ttftMs: firstTextAt === undefined ? (fields.ttftMs ?? NaN) : firstTextAt - started,
        outcome,
        costUsd:
          fields.costUsd !== undefined
            ? fields.costUsd
            : estimateCost({ tier: a.tier, model, inputTokens, outputTokens, pricing: a.config.pricing }),
      };
      if (fields.note !== undefined) logged.note = fields.note;
      this.options.log.append(logged);
    };

    try {
      const result = await provider.chat({
        messages: a.messages,
        maxTokens: answerBudget(a.promptTokens, a.answerTokens, a.window),
        temperature: task.temperature ?? DEFAULT_TEMPERATURE,
        stop: task.stop,
        signal: task.signal,
        onText: (chunk) => {
          firstTextAt ??= this.now();
          streamed.push(chunk);
          task.onText?.(chunk);
        },
      });
      const { inputTokens, outputTokens, estimated } = result.usage;
      entry(result.finishReason === 'abort' ? 'aborted' : 'ok', {
        inputTokens,
        outputTokens,
        tokensEstimated: estimated,
        ttftMs: result.ttftMs,
        model: result.model || provider.model,
        note: a.decision.reason,
      });
      return {
        ...result,
        model: result.model || provider.model,
        tier: a.tier,
        provider: provider.label,
        decision: a.decision,
        notices: a.notices,
      };
    } catch (thrown) {
      const error = asBackendError(thrown, provider.label);
      const beforeText = streamed.length === 0;
      if (error.code === 'aborted' || task.signal?.aborted) {
        entry('aborted', { note: 'cancelled', costUsd: beforeText ? 0 : undefined });
        throw error.code === 'aborted' ? error : new BackendError('aborted', CANCELLED_MESSAGE, { cause: error });
      }
      const fallBack = a.canFallBack && beforeText && FALLBACK_CODES.includes(error.code);
      // A failure before any text is generally not billed (refused, unreachable, 4xx/5xx); once
      // text streamed, the tokens so far were.
      entry(fallBack ? 'fallback' : 'error', { note: error.message, costUsd: beforeText ? 0 : undefined });
      if (fallBack) return { fallbackFrom: error };
      throw error;
    }
  }

  private async providersFor(kind: TaskKind, config: RoutingConfig, trusted: boolean): Promise<{ local: Found; frontier: Found }> {
    // Nothing is asked of the frontier source (no secret read, no client built) when it can't be used.
    const frontierWanted = kind !== 'inline-completion' && config.frontierEnabled && trusted;
    const [local, frontier] = await Promise.all([
      this.lookup(() => this.options.providers.local()),
      frontierWanted
        ? this.lookup(() => this.options.providers.frontier())
        : Promise.resolve<Found>({ availability: { available: false, reason: 'not used' } }),
    ]);
    return { local, frontier };
  }

  private async lookup(find: () => Promise<ProviderLookup>): Promise<Found> {
    try {
      const found = await find();
      if ('unavailable' in found) return { availability: { available: false, reason: found.unavailable } };
      const { provider } = found;
      const contextWindow = await provider.contextWindow();
      return { provider, availability: { available: true, label: provider.label, model: provider.model, contextWindow } };
    } catch (error) {
      return { availability: { available: false, reason: messageOf(error) } };
    }
  }

  private async consent(label: string, files: string[]): Promise<ConsentChoice> {
    try {
      return await this.options.consent.ensure(label, files);
    } catch (error) {
      // A question that could not be asked is not a yes.
      throw new BackendError('aborted', `${CANCELLED_MESSAGE} The consent question failed: ${clause(messageOf(error))}.`, {
        cause: error,
      });
    }
  }

  private say(notice: string, notices: string[]): void {
    notices.push(notice);
    try {
      this.options.notify?.(notice);
    } catch {
      // Showing a notice must not break the request it is about.
    }
  }
}

/** The provider of a tier that decideRoute picked, which is therefore available. */
function ready(found: Found): { provider: ChatProvider; window: number } {
  if (!found.provider || !found.availability.available) {
    throw new BackendError('model-missing', 'No model is set up to answer this; check the bantam.routing settings.');
  }
  return { provider: found.provider, window: found.availability.contextWindow };
}

function nothingAnswers(decision: RouteDecision): BackendError {
  return new BackendError('model-missing', decision.notice ?? 'No model is set up to answer this.');
}

function final(outcome: RoutedResult | FellBack): RoutedResult {
  if ('fallbackFrom' in outcome) throw outcome.fallbackFrom; // only frontier attempts can fall back
  return outcome;
}

/** Shrinks the answer to what is left of the window when the prompt fits but prompt + answer do not. */
function answerBudget(promptTokens: number, answerTokens: number, window: number): number {
  if (promptTokens + answerTokens <= window || promptTokens >= window) return answerTokens;
  return Math.max(1, window - promptTokens);
}

function announce(task: RoutedTask, route: RouteAnnouncement): void {
  try {
    task.onRoute?.(route);
  } catch {
    // A UI callback failing must not cancel the request.
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new BackendError('aborted', CANCELLED_MESSAGE);
}

/** Providers reject only with BackendError; anything else is a bug in one, reported as such. */
function asBackendError(error: unknown, label: string): BackendError {
  if (isBackendError(error)) return error;
  return new BackendError('malformed', `${label} failed unexpectedly: ${clause(messageOf(error))}.`, { cause: error });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

