// Plays the switch schedule over the windows of one way: at each segment the window in front types
// its own trace from where it last stopped, in real time, until the user switches away; the others
// get no keystrokes (their engines go on with whatever they were doing, as in VS Code).
import { now, sleepUntil } from './clock';
import type { TraceReplayer } from './traceReplayer';
import type { WindowSampleRecorder } from './windowRecorder';
import type { WindowSegment } from './windowSchedule';

/** Plays `schedule` from now; `replayers[i]` is window i's, already opened. Resolves when the last segment ends. */
export async function playSchedule(replayers: readonly TraceReplayer[], schedule: readonly WindowSegment[], recorder: WindowSampleRecorder): Promise<void> {
  const start = now();
  for (const [index, segment] of schedule.entries()) {
    const replayer = replayers[segment.window];
    if (!replayer) throw new Error(`the schedule switches to window ${segment.window + 1}, which is not open`);
    await sleepUntil(start + segment.startMs);
    recorder.segment = index;
    await replayer.playUntil(start + segment.endMs);
  }
  const last = schedule[schedule.length - 1];
  if (last) await sleepUntil(start + last.endMs);
}
