// The routing log: one entry per model attempt the router made (which tier, provider and model,
// tokens, latency, estimated cost, how it ended), so users can see where their code went and what it
// cost. It keeps the last N entries in memory, can persist them through a small store the vscode
// layer backs with workspaceState, and renders a markdown report. It never holds message text:
// only counts, names and the router's own short notes.
import type { Tier } from '../kernel/chatTypes';
import { isTaskKind, type TaskKind } from '../kernel/taskKinds';

/** 'fallback': this attempt failed and the router answered with another provider instead. */
export type RoutingOutcome = 'ok' | 'error' | 'aborted' | 'fallback';

export interface RoutingLogEntry {
  /** When the attempt started, ISO 8601. */
  time: string;
  task: TaskKind;
  tier: Tier;
  /** The provider's label, e.g. "anthropic" or "ollama (127.0.0.1:11434)". */
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  /** True when the numbers are Bantam's estimate rather than the provider's report. */
  tokensEstimated: boolean;
  latencyMs: number;
  /** ms to the first streamed text; NaN when none arrived. */
  ttftMs: number;
  outcome: RoutingOutcome;
  /** Estimated USD; null when the model's price is unknown. */
  costUsd: number | null;
  /** The route's reason or the error that ended the attempt; never message text. */
  note?: string;
}

/** Where entries persist between sessions (workspaceState in VS Code, a JSON file in the CLI). */
export interface RoutingLogStore {
  load(): unknown | Promise<unknown>;
  save(entries: readonly RoutingLogEntry[]): void | Promise<void>;
}

export interface RoutingLogOptions {
  /** Entries kept; the oldest go first. */
  capacity?: number;
  store?: RoutingLogStore;
}

export const DEFAULT_ROUTING_LOG_CAPACITY = 500;

type Listener = (entries: readonly RoutingLogEntry[]) => void;

export class RoutingLog {
  private list: RoutingLogEntry[] = [];
  private readonly listeners = new Set<Listener>();
  private readonly capacity: number;
  private readonly store: RoutingLogStore | undefined;
  // Saves run one after another so an older snapshot can never land after a newer one.
  private saving: Promise<void> = Promise.resolve();

  constructor(options: RoutingLogOptions = {}) {
    this.capacity = Math.max(1, Math.floor(options.capacity ?? DEFAULT_ROUTING_LOG_CAPACITY));
    this.store = options.store;
  }

  /** Oldest first. */
  entries(): readonly RoutingLogEntry[] {
    return this.list;
  }

  append(entry: RoutingLogEntry): void {
    this.list = [...this.list, { ...entry }].slice(-this.capacity);
    this.changed();
  }

  clear(): void {
    this.list = [];
    this.changed();
  }

  /**
   * Reads persisted entries and puts them before any appended since start-up. Malformed entries
   * (another version's shape, a hand-edited file) are dropped rather than trusted.
   */
  async load(): Promise<void> {
    if (!this.store) return;
    const raw = await this.store.load();
    const loaded = Array.isArray(raw) ? raw.map(entryFrom).filter((e): e is RoutingLogEntry => e !== undefined) : [];
    if (loaded.length === 0) return;
    this.list = [...loaded, ...this.list].slice(-this.capacity);
    this.notify();
  }

  /** Resolves when every save started so far has finished (failures are swallowed: the log is advisory). */
  flush(): Promise<void> {
    return this.saving;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.listeners.clear();
  }

  private changed(): void {
    this.notify();
    const store = this.store;
    if (!store) return;
    const snapshot = this.list;
    this.saving = this.saving.then(async () => {
      try {
        await store.save(snapshot);
      } catch {
        // A log that cannot be saved must not break the request that produced it.
      }
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener(this.list);
  }
}

const OUTCOMES: readonly RoutingOutcome[] = ['ok', 'error', 'aborted', 'fallback'];

/** An entry from persisted JSON, or undefined when it is not one (NaN was saved as null). */
function entryFrom(value: unknown): RoutingLogEntry | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
  const [inputTokens, outputTokens, latencyMs] = [num(v.inputTokens), num(v.outputTokens), num(v.latencyMs)];
  if (
    typeof v.time !== 'string' ||
    !isTaskKind(v.task) ||
    (v.tier !== 'local' && v.tier !== 'frontier') ||
    typeof v.provider !== 'string' ||
    typeof v.model !== 'string' ||
    inputTokens === undefined ||
    outputTokens === undefined ||
    latencyMs === undefined ||
    !OUTCOMES.includes(v.outcome as RoutingOutcome)
  ) {
    return undefined;
  }
  const entry: RoutingLogEntry = {
    time: v.time,
    task: v.task,
    tier: v.tier,
    provider: v.provider,
    model: v.model,
    inputTokens,
    outputTokens,
    tokensEstimated: v.tokensEstimated === true,
    latencyMs,
    ttftMs: num(v.ttftMs) ?? NaN,
    outcome: v.outcome as RoutingOutcome,
    costUsd: num(v.costUsd) ?? null,
  };
  if (typeof v.note === 'string') entry.note = v.note;
  return entry;
}

/** A markdown report: a summary, then every entry newest first. */
export function renderRoutingLog(entries: readonly RoutingLogEntry[]): string {
  const lines = ['# Bantam routing log', ''];
  if (entries.length === 0) {
    lines.push('No requests have been routed yet.', '');
    return lines.join('\n');
  }
  const byTier = { local: 0, frontier: 0 };
  let input = 0;
  let output = 0;
  let estimated = false;
  let cost = 0;
  let unpriced = 0;
  let failures = 0;
  let aborted = 0;
  for (const e of entries) {
    byTier[e.tier]++;
    input += e.inputTokens;
    output += e.outputTokens;
    estimated ||= e.tokensEstimated;
    if (e.costUsd === null) unpriced++;
    else cost += e.costUsd;
    if (e.outcome === 'error' || e.outcome === 'fallback') failures++;
    if (e.outcome === 'aborted') aborted++;
  }
  const approx = estimated ? '~' : '';
  lines.push(
    '## Summary',
    '',
    `- Requests: ${count(entries.length)} (local ${count(byTier.local)}, frontier ${count(byTier.frontier)})`,
    `- Tokens: ${approx}${count(input + output)} (${approx}${count(input)} in, ${approx}${count(output)} out)` +
      (estimated ? '; ~ marks Bantam’s estimates' : ''),
    `- Estimated cost: ${usd(cost)}` + (unpriced > 0 ? ` (${count(unpriced)} with unknown price not counted)` : ''),
    `- Failures: ${count(failures)}` + (aborted > 0 ? `; cancelled: ${count(aborted)}` : ''),
    '',
    '## Requests (newest first)',
    '',
    '| Time | Task | Tier | Provider | Model | Tokens in / out | Latency | First token | Cost | Outcome | Note |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const e of [...entries].reverse()) {
    const mark = e.tokensEstimated ? '~' : '';
    const cells = [
      e.time,
      e.task,
      e.tier,
      e.provider,
      e.model,
      `${mark}${count(e.inputTokens)} / ${mark}${count(e.outputTokens)}`,
      ms(e.latencyMs),
      ms(e.ttftMs),
      e.costUsd === null ? 'unknown' : usd(e.costUsd),
      e.outcome,
      e.note ?? '',
    ];
    lines.push(`| ${cells.map(cell).join(' | ')} |`);
  }
  lines.push('');
  return lines.join('\n');
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function ms(n: number): string {
  return Number.isFinite(n) ? `${count(n)} ms` : '–';
}

/** Dollars with enough digits that a cheap request does not show as $0.00. */
function usd(n: number): string {
  if (n === 0) return '$0';
  if (n < 0.0001) return '<$0.0001';
  if (n < 0.01) return `$${n.toFixed(4)}`;
  return `$${n.toFixed(2)}`;
}

/** A table cell: pipes escaped and line breaks flattened so the row stays one row. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}
