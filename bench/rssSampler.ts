// Memory of the processes serving the windows (model hosts, or the llama-server), sampled every
// ~250 ms while a way runs: the sum of their resident set sizes (VmRSS, what `top` and the issue
// count), and of their proportional set sizes (Pss: pages shared between processes, such as a model
// file mapped by each of them, counted once in all), with the peak and the median of each sum.
// Linux only (/proc); elsewhere there are no samples.
import { readFileSync } from 'node:fs';
import { distribution } from './distribution';

/** A "Name:   123 kB" field of /proc/<pid>/status or /proc/<pid>/smaps_rollup, in kB. */
function kbField(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB\\s*$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}

/** VmRSS of /proc/<pid>/status, in kB (undefined for a zombie or a kernel thread, which have none). */
export function parseVmRssKb(status: string): number | undefined {
  return kbField(status, 'VmRSS');
}

/** Pss of /proc/<pid>/smaps_rollup, in kB. */
export function parsePssKb(smapsRollup: string): number | undefined {
  return kbField(smapsRollup, 'Pss');
}

export interface MemorySample {
  rssKb: number;
  pssKb: number;
  processes: number;
}

export interface MemorySummary {
  samples: number;
  /** Most processes seen at once. */
  processes: number;
  rssPeakMb: number;
  rssMedianMb: number;
  pssPeakMb: number;
  pssMedianMb: number;
}

const mb = (kb: number): number => kb / 1024;

export function summarizeMemory(samples: readonly MemorySample[]): MemorySummary {
  const rss = distribution(samples.map((s) => s.rssKb));
  const pss = distribution(samples.map((s) => s.pssKb));
  return {
    samples: samples.length,
    processes: samples.reduce((a, s) => Math.max(a, s.processes), 0),
    rssPeakMb: mb(rss.max),
    rssMedianMb: mb(rss.p50),
    pssPeakMb: mb(pss.max),
    pssMedianMb: mb(pss.p50),
  };
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** One sample of the given processes (duplicates counted once); undefined when none could be read. */
export function sampleMemory(pids: readonly number[]): MemorySample | undefined {
  let rssKb = 0;
  let pssKb = 0;
  let processes = 0;
  for (const pid of new Set(pids)) {
    const rss = parseVmRssKb(readOr(`/proc/${pid}/status`));
    if (rss === undefined) continue;
    rssKb += rss;
    pssKb += parsePssKb(readOr(`/proc/${pid}/smaps_rollup`)) ?? rss;
    processes++;
  }
  return processes > 0 ? { rssKb, pssKb, processes } : undefined;
}

export class MemorySampler {
  private readonly samples: MemorySample[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `pids` is asked at every sample: a host that restarts gets a new pid. */
  constructor(
    private readonly pids: () => readonly number[],
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.take();
    this.timer = setInterval(() => this.take(), this.intervalMs);
  }

  stop(): MemorySummary {
    this.take();
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    return summarizeMemory(this.samples);
  }

  private take(): void {
    const sample = sampleMemory(this.pids());
    if (sample) this.samples.push(sample);
  }
}
