// The conversation's turns: user turns as plain text with their chips, assistant turns as rendered
// markdown with who answered, notices, errors and a streaming indicator. Streaming deltas are
// batched: the answer is re-rendered at most once per RENDER_INTERVAL_MS, and the list stays
// scrolled to the bottom if it was there.
import { MAX_TEXT, type ChipView, type RouteView, type TurnView } from '../../src/core/chat/chatProtocol';
import { el, icon } from './dom';
import { renderMarkdown } from './markdown';

export const RENDER_INTERVAL_MS = 50;
// Within this many pixels of the end counts as "at the bottom".
const BOTTOM_SLACK = 24;

export interface TurnsScheduler {
  now(): number;
  later(run: () => void, ms: number): void;
}

const browserScheduler: TurnsScheduler = {
  now: () => performance.now(),
  later: (run, ms) => void setTimeout(run, ms),
};

export function chipLabel(chip: ChipView): string {
  return `${chip.label} (${chip.tokens.toLocaleString('en-US')} tokens)`;
}

export class TurnsView {
  private turns: TurnView[] = [];
  private readonly elements = new Map<string, HTMLElement>();
  private readonly dirty = new Set<string>();
  private flushPending = false;
  private lastRender = -Infinity;

  constructor(
    readonly root: HTMLElement,
    private readonly onChange: () => void,
    private readonly scheduler: TurnsScheduler = browserScheduler,
  ) {}

  get all(): readonly TurnView[] {
    return this.turns;
  }

  /** Replaces every turn (a `state` message, or a saved state on load). */
  setAll(turns: TurnView[]): void {
    this.turns = turns.map((t) => ({ ...t }));
    this.dirty.clear();
    this.elements.clear();
    this.keepBottom(() => {
      this.root.replaceChildren(...this.turns.map((t) => {
        const element = this.build(t);
        this.elements.set(t.id, element);
        return element;
      }));
      if (this.turns.length === 0) this.root.append(emptyHint());
    });
  }

  /** Adds turns (or replaces ones with the same id). */
  add(turns: TurnView[]): void {
    this.keepBottom(() => {
      this.root.querySelector('.empty-hint')?.remove();
      for (const turn of turns) this.put({ ...turn });
    });
  }

  /** A finished turn replaces the streaming one, rendered at once. */
  replace(turn: TurnView): void {
    this.dirty.delete(turn.id);
    this.keepBottom(() => this.put({ ...turn }));
  }

  /** Shows which model answers a streaming turn. Returns false for an unknown turn. */
  setRoute(turnId: string, route: RouteView): boolean {
    const turn = this.turns.find((t) => t.id === turnId);
    if (!turn || turn.role !== 'assistant') return false;
    turn.route = { ...route };
    this.dirty.add(turnId);
    this.scheduleFlush();
    return true;
  }

  /** Appends streamed text; the re-render is batched. Returns false for an unknown turn. */
  appendDelta(turnId: string, text: string): boolean {
    const turn = this.turns.find((t) => t.id === turnId);
    if (!turn || turn.role !== 'assistant') return false;
    turn.text = (turn.text + text).slice(0, MAX_TEXT);
    this.dirty.add(turnId);
    this.scheduleFlush();
    return true;
  }

  get streaming(): boolean {
    return this.turns.some((t) => t.status === 'streaming');
  }

  private scheduleFlush(): void {
    if (this.flushPending) return;
    this.flushPending = true;
    const wait = Math.max(0, this.lastRender + RENDER_INTERVAL_MS - this.scheduler.now());
    this.scheduler.later(() => this.flush(), wait);
  }

  private flush(): void {
    this.flushPending = false;
    this.lastRender = this.scheduler.now();
    if (this.dirty.size === 0) return;
    const ids = [...this.dirty];
    this.dirty.clear();
    this.keepBottom(() => {
      for (const id of ids) {
        const turn = this.turns.find((t) => t.id === id);
        if (turn) this.put(turn);
      }
    });
    this.onChange();
  }

  private put(turn: TurnView): void {
    const index = this.turns.findIndex((t) => t.id === turn.id);
    if (index >= 0) this.turns[index] = turn;
    else this.turns.push(turn);
    const fresh = this.build(turn);
    const old = this.elements.get(turn.id);
    if (old?.isConnected) {
      // A streaming turn is rebuilt as text arrives: keep keyboard focus on the same control in it.
      const focused = focusIndex(old);
      old.replaceWith(fresh);
      if (focused !== undefined) focusables(fresh)[focused]?.focus();
    } else {
      this.root.append(fresh);
    }
    this.elements.set(turn.id, fresh);
  }

  private keepBottom(change: () => void): void {
    const r = this.root;
    const atBottom = r.scrollHeight - r.scrollTop - r.clientHeight <= BOTTOM_SLACK;
    change();
    if (atBottom) r.scrollTop = r.scrollHeight;
  }

  private build(turn: TurnView): HTMLElement {
    const article = el('article', { class: `turn turn-${turn.role} status-${turn.status}` });
    article.dataset.turnId = turn.id;
    article.append(
      el('div', { class: 'turn-role' }, icon(turn.role === 'user' ? 'account' : 'hubot'), el('span', { text: turn.role === 'user' ? 'You' : 'Bantam' })),
    );
    if (turn.role === 'user') {
      article.append(el('div', { class: 'turn-body user-text', text: turn.text }));
      if (turn.chips?.length) {
        article.append(el('ul', { class: 'turn-chips', attrs: { 'aria-label': 'Context sent' } },
          ...turn.chips.map((c) => el('li', { class: 'chip' }, icon(chipIcon(c)), el('span', { text: chipLabel(c) })))));
      }
      return article;
    }
    const body = el('div', { class: 'turn-body markdown' });
    body.append(renderMarkdown(turn.text));
    article.append(body);
    if (turn.status === 'streaming') {
      article.append(el('div', { class: 'streaming' }, icon('loading', 'codicon-modifier-spin'), el('span', { text: 'Answering…' })));
    }
    if (turn.route) {
      const verb = turn.status === 'streaming' ? 'answering with' : 'answered by';
      article.append(el('div', { class: 'route', text: `${verb} ${turn.route.provider} (${turn.route.model}), ${turn.route.tier}` }));
    }
    if (turn.sources?.length) {
      const items = turn.sources.map((source) => {
        const label = `${source.file}:${source.startLine}-${source.endLine}`;
        const button = el('button', { class: 'file-ref', text: label, attrs: { type: 'button', title: `Open ${source.file} at line ${source.startLine}` } });
        button.dataset.action = 'openFile';
        button.dataset.path = source.file;
        button.dataset.line = String(source.startLine);
        return el('li', {}, button, el('span', { class: 'source-reason', text: ` — ${source.reason}` }));
      });
      article.append(el('details', { class: 'sources' }, el('summary', { text: `Sources (${turn.sources.length})` }), el('ul', {}, ...items)));
    }
    for (const notice of turn.notices ?? []) {
      article.append(el('div', { class: 'turn-notice' }, icon('info'), el('span', { text: notice })));
    }
    if (turn.status === 'stopped') article.append(el('div', { class: 'turn-notice' }, icon('debug-stop'), el('span', { text: 'Stopped.' })));
    if (turn.error) article.append(el('div', { class: 'turn-error' }, icon('error'), el('span', { text: turn.error })));
    return article;
  }
}

function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>('button, summary, [tabindex]'));
}

/** Which of `root`'s focusable controls has the focus, if one does. */
function focusIndex(root: HTMLElement): number | undefined {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !root.contains(active)) return undefined;
  const index = focusables(root).indexOf(active);
  return index >= 0 ? index : undefined;
}

function emptyHint(): HTMLElement {
  return el('div', { class: 'empty-hint', text: 'Ask a question about your code. Add context with the buttons below or by typing @.' });
}

export function chipIcon(chip: ChipView): string {
  return chip.kind === 'selection' ? 'selection' : chip.kind === 'file' ? 'file' : 'database';
}
