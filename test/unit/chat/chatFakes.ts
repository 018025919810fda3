// Test doubles for the chat tests: a clock whose timers run only when the test advances it, a
// key-value store that keeps JSON copies (as VS Code's workspaceState persists them), and a task
// runner that behaves like the Router towards the chat session: it builds the prompt for a room,
// announces a route, streams scripted chunks, and honours (or, when told, ignores) the abort signal.
import type { TaskRunner } from '../../../src/core/chat/codeTasks';
import type { Timers } from '../../../src/core/chat/deltaCoalescer';
import type { KeyValueStore } from '../../../src/core/chat/conversationStore';
import { BackendError } from '../../../src/core/kernel/backendError';
import type { FinishReason } from '../../../src/core/kernel/chatTypes';
import { CANCELLED_MESSAGE, type RoutedResult, type RoutedTask, type TaskPrompt } from '../../../src/core/routing/router';

export class FakeClock implements Timers {
  time = 0;
  private nextId = 1;
  private timers: { id: number; at: number; fn: () => void }[] = [];
  readonly now = () => this.time;
  set(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ id, at: this.time + ms, fn });
    return id;
  }
  clear(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  get pending(): number {
    return this.timers.length;
  }
  /** Moves to `time`, running each timer that falls due on the way, in order. */
  advanceTo(time: number): void {
    for (;;) {
      const due = this.timers.filter((t) => t.at <= time).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = Math.max(this.time, time);
  }
}

/** Holds JSON copies, as workspaceState persists them; `undefined` removes a key. */
export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, unknown>();
  get(key: string): unknown {
    return this.data.get(key);
  }
  update(key: string, value: unknown): void {
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.parse(JSON.stringify(value)));
  }
}

export interface RunScript {
  /** Answer chunks; a [time, text] chunk arrives when the clock reaches `time`. */
  chunks?: (string | [number, string])[];
  /** Rooms the prompt is built for, in order (more than one: a fallback to a smaller model). */
  rooms?: number[];
  /** Stop after this many chunks until released or aborted. */
  pauseAfter?: number;
  /** What an abort does: end with finishReason 'abort', throw 'aborted', or go on as if nothing happened. */
  onAbort?: 'return' | 'throw' | 'ignore';
  /** Rejects with this after building the prompt. */
  fail?: unknown;
  finishReason?: FinishReason;
  /** The result's text when it is not the chunks joined (a provider that does not stream). */
  text?: string;
  notices?: string[];
}

export class FakeRunner implements TaskRunner {
  script: RunScript = { chunks: ['Hello', ', world'] };
  readonly tasks: RoutedTask[] = [];
  /** The prompt of each task as last built (the one the model saw). */
  readonly prompts: TaskPrompt[] = [];
  /** Whether each task's signal had aborted when it finished. */
  readonly sawAbort: boolean[] = [];
  private pausedAt: (() => void) | undefined;
  private paused = new Promise<void>((resolve) => (this.pausedAt = resolve));
  private resume: (() => void) | undefined;

  constructor(private readonly clock?: FakeClock) {}

  /** Resolves once a run reaches its pause. */
  whenPaused(): Promise<void> {
    return this.paused;
  }

  release(): void {
    this.resume?.();
  }

  async run(task: RoutedTask): Promise<RoutedResult> {
    const script = this.script;
    this.tasks.push(task);
    let prompt: TaskPrompt | undefined;
    for (const room of script.rooms ?? [100_000]) prompt = await task.build!(room);
    this.prompts.push(prompt!);
    task.onRoute?.({ tier: 'local', reason: 'default for chat', provider: 'Fake', model: 'fake-1' });
    const finish = (reason: FinishReason, text: string): RoutedResult => {
      this.sawAbort.push(task.signal?.aborted ?? false);
      return {
        text: script.text ?? text,
        usage: { inputTokens: 11, outputTokens: 7, estimated: false },
        finishReason: reason,
        model: 'fake-1',
        ttftMs: 1,
        totalMs: 2,
        attempts: 1,
        tier: 'local',
        provider: 'Fake',
        decision: { tier: 'local', reason: 'default for chat' },
        notices: script.notices ?? [],
      };
    };
    if (script.fail !== undefined) {
      this.sawAbort.push(false);
      throw script.fail;
    }
    let text = '';
    const chunks = script.chunks ?? [];
    for (let i = 0; i < chunks.length; i++) {
      if (i === script.pauseAfter) {
        await this.pause(task.signal, script.onAbort ?? 'return');
        if (task.signal?.aborted && script.onAbort !== 'ignore') {
          if (script.onAbort === 'throw') {
            this.sawAbort.push(true);
            throw new BackendError('aborted', CANCELLED_MESSAGE);
          }
          return finish('abort', text);
        }
      }
      const chunk = chunks[i]!;
      const [at, piece] = typeof chunk === 'string' ? [undefined, chunk] : chunk;
      if (at !== undefined) this.clock?.advanceTo(at);
      text += piece;
      task.onText?.(piece);
    }
    return finish(script.finishReason ?? 'stop', text);
  }

  private pause(signal: AbortSignal | undefined, onAbort: RunScript['onAbort']): Promise<void> {
    const released = new Promise<void>((resolve) => {
      this.resume = resolve;
      if (onAbort !== 'ignore') signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    this.pausedAt?.();
    return released;
  }
}
