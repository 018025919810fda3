// Collects one record per engine request during a benchmark run. The engine reports timings through
// `onTimings(timings, request)`; the replayer tags each request object before handing it over, so a
// record knows which file, phase and user action it belongs to.
import type { CompletionRequest } from '../src/core/kernel/completionTypes';
import type { EngineTimings } from '../src/core/completion/engine';

/** prime: the untimed request when a file opens; trace: real-time replay; sampled: isolated requests. */
export type RequestPhase = 'prime' | 'trace' | 'sampled';

export type KeyAction =
  | 'open'
  | 'type'
  | 'enter'
  | 'backspace'
  | 'delete'
  | 'typeThrough'
  | 'typeThroughUndo'
  | 'acceptFollowUp'
  | 'undoAccept';

export interface RequestTag {
  file: string;
  phase: RequestPhase;
  action: KeyAction;
  /** How late the replay fired this keystroke against its schedule (event-loop health). */
  lagMs: number;
  /**
   * Set when the trace pauses right after this keystroke: the planned pause, in ms. These requests
   * are the same in every real-time variant, so they give a like-for-like comparison.
   */
  pauseAfterMs?: number;
}

export interface RequestSample extends RequestTag {
  timings: EngineTimings;
}

export class SampleRecorder {
  readonly samples: RequestSample[] = [];
  private readonly tags = new WeakMap<CompletionRequest, RequestTag>();
  private untagged = 0;

  tag(request: CompletionRequest, tag: RequestTag): void {
    this.tags.set(request, tag);
  }

  /** Pass as EngineDeps.onTimings. */
  readonly onTimings = (timings: EngineTimings, request: CompletionRequest): void => {
    const tag = this.tags.get(request);
    if (!tag) {
      this.untagged++;
      return;
    }
    // Copy: the engine owns its timings object.
    this.samples.push({ ...tag, timings: { ...timings } });
  };

  /** Timings for requests the benchmark did not send (should stay 0; a sign the engine copies requests). */
  get untaggedCount(): number {
    return this.untagged;
  }
}
