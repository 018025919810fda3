// The one place that describes this machine for the model recommendation: RAM and cores from the OS,
// the GPU and its memory from node-llama-cpp, asked in a short-lived child process (dist/gpuProbe.js)
// so a GPU binding never loads into the extension host. Without the probe (it failed, or took too
// long), Apple silicon is still known to have Metal on unified memory; other GPUs count as none.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { isBool, isCount, isObj, isStr } from '../kernel/messageChecks';
import { ACCELERATOR_KINDS, acceleratorName, type AcceleratorKind, type GpuChoice } from '../kernel/accelerators';
import type { MachineGpu, MachineProfile } from './recommendedModel';

/** What dist/gpuProbe.js reports (host side: probeGpu in llamaAccelerator.ts). */
export interface GpuProbeReport {
  kind: AcceleratorKind;
  devices: string[];
  vramBytes: number;
  unified: boolean;
  cpuMathCores: number;
  fallback: string | null;
}

export interface MachineProbeOptions {
  /** dist/gpuProbe.js; without it only the OS is asked. */
  probePath?: string;
  /** bantam.embedded.gpu: 'off' means the GPU is not Bantam's to use. */
  gpu: GpuChoice;
  /** The probe's longest wait (a CUDA driver can take seconds to initialise). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

const PROBE_TIMEOUT_MS = 20_000;

/** The report, if `v` is a well-formed probe message; undefined otherwise. */
export function parseGpuProbeMessage(v: unknown): GpuProbeReport | undefined {
  if (!isObj(v) || v.type !== 'gpu' || !isObj(v.report)) return undefined;
  const r = v.report;
  const ok =
    isStr(r.kind) &&
    (ACCELERATOR_KINDS as readonly string[]).includes(r.kind) &&
    Array.isArray(r.devices) &&
    r.devices.every(isStr) &&
    isCount(r.vramBytes) &&
    isBool(r.unified) &&
    isCount(r.cpuMathCores) &&
    (r.fallback === null || isStr(r.fallback));
  return ok ? (r as unknown as GpuProbeReport) : undefined;
}

/** The GPU a probe found, as the recommendation sees it (none when it ended on the CPU). */
export function gpuFromProbe(report: GpuProbeReport): MachineGpu | null {
  return report.kind === 'cpu' ? null : { kind: report.kind, vramBytes: report.vramBytes, unified: report.unified };
}

/** Apple silicon always has Metal on unified memory, probe or not. */
function knownGpu(platform: NodeJS.Platform, arch: string, ramBytes: number): MachineGpu | null {
  return platform === 'darwin' && arch === 'arm64' ? { kind: 'metal', vramBytes: ramBytes, unified: true } : null;
}

/** Runs dist/gpuProbe.js for `gpu`; undefined when it fails or takes too long (said in the log). */
export function runGpuProbe(probePath: string, gpu: GpuChoice, timeoutMs: number, log: (line: string) => void): Promise<GpuProbeReport | undefined> {
  return new Promise((resolve) => {
    if (!existsSync(probePath)) {
      log(`GPU probe: ${probePath} is missing`);
      resolve(undefined);
      return;
    }
    const child = fork(probePath, [gpu], {
      execArgv: [],
      // Inside VS Code process.execPath is Electron; this makes it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    let settled = false;
    const finish = (report: GpuProbeReport | undefined, why?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (why) log(`GPU probe: ${why}`);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      resolve(report);
    };
    const timer = setTimeout(() => finish(undefined, `no answer within ${timeoutMs} ms`), timeoutMs);
    child.stderr?.resume();
    child.on('message', (raw: unknown) => {
      const report = parseGpuProbeMessage(raw);
      finish(report, report ? undefined : `unexpected answer ${JSON.stringify(raw).slice(0, 200)}`);
    });
    child.on('error', (e) => finish(undefined, e.message));
    child.on('exit', (code, signal) => finish(undefined, `exited (${signal ?? code}) without an answer`));
  });
}

/** This machine as the OS tells it, at once: RAM, cores, and Metal on Apple silicon (other GPUs need the probe). */
export function osMachineProfile(): MachineProfile {
  const ramBytes = totalmem();
  return { ramBytes, cpuCores: availableParallelism(), gpu: knownGpu(process.platform, process.arch, ramBytes) };
}

/** This machine with the GPU `options.gpu` would use, probed when a probe is given. */
export async function readMachineProfile(options: MachineProbeOptions): Promise<MachineProfile> {
  const machine = osMachineProfile();
  if (options.gpu === 'off') return { ...machine, gpu: null };
  if (!options.probePath) return machine;
  const report = await runGpuProbe(options.probePath, options.gpu, options.timeoutMs ?? PROBE_TIMEOUT_MS, options.log ?? (() => undefined));
  return report ? { ...machine, gpu: gpuFromProbe(report) } : machine;
}

/** "32 GiB RAM, 16 cores, CUDA with 12 GiB": for the log line that says why a model was recommended. */
export function describeMachine(machine: MachineProfile): string {
  const gib = (bytes: number): string => `${Math.round((bytes / 1024 ** 3) * 10) / 10} GiB`;
  const gpu = machine.gpu
    ? `${acceleratorName(machine.gpu.kind)} with ${machine.gpu.unified ? 'unified memory' : gib(machine.gpu.vramBytes)}`
    : 'no GPU';
  return `${gib(machine.ramBytes)} RAM, ${machine.cpuCores} cores, ${gpu}`;
}
