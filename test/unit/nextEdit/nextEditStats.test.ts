// Tests for next-edit's session stats: the counts, the latency percentiles and their sample cap, the
// refusals by reason, the markdown the stats command shows and the tooltip's one line.
import * as assert from 'node:assert/strict';
import { NextEditStats, nextEditStatsSummary, renderNextEditStats } from '../../../src/core/nextEdit/nextEditStats';

function session(): NextEditStats {
  const stats = new NextEditStats();
  for (const latency of [400, 100, 300, 200]) {
    stats.record('request');
    stats.recordShown(latency);
  }
  stats.record('request');
  stats.recordRefused('no-change');
  stats.record('request');
  stats.recordRefused('no-change');
  stats.record('request');
  stats.recordRefused('outside-window');
  stats.record('jumped');
  stats.record('jumped');
  stats.record('accepted');
  stats.record('accepted');
  stats.record('accepted');
  stats.record('dismissed');
  stats.record('error');
  return stats;
}

describe('NextEditStats', () => {
  it('an empty session: zeros, no percentiles, nothing accepted', () => {
    const s = new NextEditStats().snapshot();
    assert.deepEqual([s.requests, s.shown, s.jumped, s.accepted, s.dismissed, s.errors, s.acceptanceRate], [0, 0, 0, 0, 0, 0, 0]);
    assert.ok(Number.isNaN(s.latencyP50Ms) && Number.isNaN(s.latencyP95Ms));
    assert.deepEqual(s.refused, {});
    assert.equal(s.lastLatencyMs, undefined);
  });

  it('counts shown, jumped, accepted, dismissed and refusals by reason; latency by nearest rank', () => {
    const s = session().snapshot();
    assert.deepEqual(
      [s.requests, s.shown, s.jumped, s.accepted, s.dismissed, s.errors],
      [7, 4, 2, 3, 1, 1],
    );
    assert.deepEqual(s.refused, { 'no-change': 2, 'outside-window': 1 });
    assert.equal(s.latencyP50Ms, 200);
    assert.equal(s.latencyP95Ms, 400);
    assert.equal(s.lastLatencyMs, 200);
    assert.equal(s.acceptanceRate, 0.75);
  });

  it('counts the editor’s outcomes; a suggestion replaced, left in another editor or turned off is not a dismissal', () => {
    const stats = new NextEditStats();
    const suggestion = { path: 'a.ts', documentVersion: 1, edits: [], latencyMs: 250 };
    stats.recordOutcome({ kind: 'shown', suggestion, as: 'decorations' });
    stats.recordOutcome({ kind: 'jumped', suggestion });
    stats.recordOutcome({ kind: 'accepted', suggestion });
    for (const reason of ['escape', 'typed', 'moved', 'editor-changed', 'stale', 'disabled'] as const) stats.recordOutcome({ kind: 'dismissed', suggestion, reason });
    const s = stats.snapshot();
    assert.deepEqual([s.shown, s.jumped, s.accepted, s.dismissed, s.latencyP50Ms], [1, 1, 1, 3, 250]);
  });

  it('keeps only the most recent latency samples', () => {
    const stats = new NextEditStats(3);
    for (const latency of [5000, 5000, 10, 20, 30]) stats.recordShown(latency);
    const s = stats.snapshot();
    assert.equal(s.latencyP95Ms, 30);
    assert.equal(s.shown, 5);
  });

  it('a snapshot does not change when the session goes on', () => {
    const stats = session();
    const before = stats.snapshot();
    stats.recordRefused('no-change');
    assert.equal(before.refused['no-change'], 2);
  });
});

describe('renderNextEditStats', () => {
  it('shows every measure, and only the refusal reasons that happened', () => {
    const text = renderNextEditStats(session().snapshot(), 'sweep-next-edit-0.5b.gguf');
    for (const row of [
      'Model: sweep-next-edit-0.5b.gguf',
      '| suggestion latency p50 | 200 ms |',
      '| suggestion latency p95 | 400 ms |',
      '| acceptance rate | 75.0% |',
      '| requests | 7 |',
      '| suggestions shown | 4 |',
      '| jumped to (Tab) | 2 |',
      '| accepted (Tab) | 3 |',
      '| dismissed | 1 |',
      '| showed nothing: no change | 2 |',
      '| showed nothing: reached past the window | 1 |',
      '| errors | 1 |',
    ]) {
      assert.ok(text.includes(row), `missing ${row}\n${text}`);
    }
    assert.ok(!text.includes('only redid an undo'));
  });

  it('an empty session shows dashes for the latencies', () => {
    assert.ok(renderNextEditStats(new NextEditStats().snapshot()).includes('| suggestion latency p50 | – |'));
  });
});

describe('nextEditStatsSummary', () => {
  it('one line with shown, accepted, dismissed and the median latency', () => {
    assert.equal(nextEditStatsSummary(session().snapshot()), 'Next edit: 4 shown, 3 accepted (75.0%), 1 dismissed, p50 200 ms');
  });
  it('says so before the first suggestion', () => {
    assert.equal(nextEditStatsSummary(new NextEditStats().snapshot()), 'Next edit: no suggestions yet');
  });
});
