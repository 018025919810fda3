// Where the first of several stop strings occurs in streamed completion text: servers that can't be
// given every stop string (or that may overshoot one) are cut on Bantam's side.

/** Index of the earliest occurrence of any of `stops` in `text` at or after `from`, or undefined. */
export function firstStop(text: string, stops: readonly string[], from: number): number | undefined {
  let earliest: number | undefined;
  for (const stop of stops) {
    const at = text.indexOf(stop, from);
    if (at >= 0 && (earliest === undefined || at < earliest)) earliest = at;
  }
  return earliest;
}
