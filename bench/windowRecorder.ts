// bench:windows's request log: the completion benchmark's sample recorder, shared by all windows of
// one way, that also notes for every request which window fired it, during which schedule segment,
// and in what order over the whole run, so the after-switch accounting can follow each window.
import type { CompletionRequest } from '../src/core/kernel/completionTypes';
import { SampleRecorder, type RequestSample, type RequestTag } from './requestSamples';
import type { FiredRequest, ModelRead } from './switchAccounting';

export type WindowSample = RequestSample & Omit<FiredRequest, 'phase'>;

export class WindowSampleRecorder extends SampleRecorder {
  /** The schedule segment playing now; the player sets it at every switch (-1 while the files open). */
  segment = -1;
  readonly fired: FiredRequest[] = [];
  private seq = 0;

  /** `windowOf` maps a trace's file name (each window edits its own file) to the window's index. */
  constructor(private readonly windowOf: ReadonlyMap<string, number>) {
    super();
  }

  override tag(request: CompletionRequest, tag: RequestTag): void {
    const window = this.windowOf.get(tag.file);
    if (window === undefined) throw new Error(`no window edits ${tag.file}`);
    const fired: FiredRequest = { seq: this.seq++, window, segment: this.segment, phase: tag.phase };
    this.fired.push(fired);
    // The extra fields ride along in the tag: the recorder copies the whole tag into the sample.
    super.tag(request, { ...tag, seq: fired.seq, window, segment: fired.segment } as RequestTag);
  }

  get windowSamples(): readonly WindowSample[] {
    return this.samples as WindowSample[];
  }

  /**
   * The requests that reached the model and reported how many prompt tokens they had and reused. A
   * request the next keystroke cancelled before the model host answered reports none (0 tokens).
   */
  modelReads(): ModelRead[] {
    return this.windowSamples
      .filter((s) => s.timings.reachedModel && (s.timings.promptTokens ?? 0) > 0)
      .map((s) => {
        const promptTokens = s.timings.promptTokens!;
        return { seq: s.seq, promptTokens, newTokens: promptTokens - (s.timings.reusedTokens ?? 0) };
      });
  }

  /** Keystroke -> first token of the requests that got one. */
  firstTokens(): { seq: number; ms: number }[] {
    return this.windowSamples.flatMap((s) => (s.timings.firstTokenMs === undefined ? [] : [{ seq: s.seq, ms: s.timings.firstTokenMs }]));
  }
}
