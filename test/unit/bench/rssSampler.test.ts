// bench:windows's memory sampler: /proc parsing and the summary of the sums.
import * as assert from 'node:assert/strict';
import { parsePssKb, parseVmRssKb, sampleMemory, summarizeMemory } from '../../../bench/rssSampler';

const status = `Name:\tnode
Umask:\t0022
State:\tS (sleeping)
VmPeak:\t 1234567 kB
VmSize:\t 1200000 kB
VmHWM:\t  900000 kB
VmRSS:\t  812345 kB
RssAnon:\t  300000 kB
RssFile:\t  512345 kB
Threads:\t4
`;

const smapsRollup = `55d0c0a00000-7ffd1e5f4000 ---p 00000000 00:00 0                          [rollup]
Rss:              812345 kB
Pss:              640012 kB
Pss_Dirty:        290000 kB
Pss_Anon:         300000 kB
Pss_File:         340012 kB
Shared_Clean:     344000 kB
`;

describe('memory sampler', () => {
  it('reads VmRSS from /proc/<pid>/status, not VmHWM, VmSize or RssAnon', () => {
    assert.equal(parseVmRssKb(status), 812345);
  });

  it('reads Pss from smaps_rollup, not Pss_Dirty or Pss_Anon', () => {
    assert.equal(parsePssKb(smapsRollup), 640012);
  });

  it('a kernel thread or zombie without VmRSS gives nothing', () => {
    assert.equal(parseVmRssKb('Name:\tkworker/0:1\nState:\tI (idle)\n'), undefined);
    assert.equal(parsePssKb(''), undefined);
  });

  it('sums each process once; the peak and median of the sums, in MB', () => {
    const summary = summarizeMemory([
      { rssKb: 1024 * 100, pssKb: 1024 * 80, processes: 1 },
      { rssKb: 1024 * 300, pssKb: 1024 * 200, processes: 3 },
      { rssKb: 1024 * 200, pssKb: 1024 * 150, processes: 2 },
    ]);
    assert.deepEqual(summary, { samples: 3, processes: 3, rssPeakMb: 300, rssMedianMb: 200, pssPeakMb: 200, pssMedianMb: 150 });
  });

  // The benchmark reads /proc, as the test suite's host does (Debian, see .ci/run).
  it('samples this process from /proc, counting a pid given twice once', () => {
    const once = sampleMemory([process.pid]);
    const twice = sampleMemory([process.pid, process.pid]);
    assert.ok(once && twice);
    assert.equal(twice.processes, 1);
    assert.ok(once.rssKb > 1024, 'a Node process holds more than 1 MB');
    assert.equal(sampleMemory([]), undefined);
  });
});
