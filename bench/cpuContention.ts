// Measures how much CPU other processes took while a variant ran. The figures are only meaningful
// on a quiet machine (2 cores: one busy neighbour halves the model's speed), so the benchmark
// reports the contention next to each variant and can wait for the machine to calm down first.
// Linux only (/proc); elsewhere it reports nothing.
import { readFileSync } from 'node:fs';
import { sleep } from './clock';

interface CpuSnapshot {
  /** Busy and total jiffies of the whole machine, all cores. */
  busy: number;
  total: number;
  /** Busy jiffies of the benchmark process and the given children. */
  own: number;
}

function systemJiffies(): { busy: number; total: number } | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [, ...fields] = line.trim().split(/\s+/);
    const v = fields.map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

function processJiffies(pid: number | 'self'): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11]) + Number(rest[12]);
  } catch {
    return 0;
  }
}

function snapshot(pids: readonly number[]): CpuSnapshot | undefined {
  const sys = systemJiffies();
  if (!sys) return undefined;
  const own = processJiffies('self') + pids.reduce((a, pid) => a + processJiffies(pid), 0);
  return { ...sys, own };
}

export class CpuContention {
  private start: CpuSnapshot | undefined;
  private readonly cores: number;

  constructor(cores: number) {
    this.cores = cores;
  }

  begin(pids: readonly number[] = []): void {
    this.start = snapshot(pids);
  }

  /** Average cores used by other processes since begin(); call while the children still run. */
  end(pids: readonly number[] = []): number | undefined {
    const stop = snapshot(pids);
    if (!this.start || !stop || stop.total <= this.start.total) return undefined;
    const foreign = stop.busy - this.start.busy - (stop.own - this.start.own);
    return Math.max(0, (foreign / (stop.total - this.start.total)) * this.cores);
  }
}

/**
 * Waits until other processes use less than `maxForeignCores` over a 3 s window, for at most
 * `timeoutMs`. Returns the last measured foreign load (undefined without /proc).
 */
export async function waitForQuietMachine(cores: number, maxForeignCores: number, timeoutMs: number, report: (load: number) => void): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  const probe = new CpuContention(cores);
  let load: number | undefined;
  for (let first = true; ; first = false) {
    probe.begin();
    await sleep(3000);
    load = probe.end();
    if (load === undefined || load < maxForeignCores || Date.now() >= deadline) return load;
    if (first) report(load);
  }
}

/** Waits (when `waitIdle`) up to a minute for other processes to use under 0.3 cores, saying so; returns the machine's cores. */
export async function settleMachine(cores: number, waitIdle: boolean): Promise<number> {
  if (waitIdle) {
    await waitForQuietMachine(cores, 0.3, 60_000, (load) =>
      console.log(`  other processes use ${load.toFixed(2)} cores; waiting up to a minute for them to settle`),
    );
  }
  return cores;
}
