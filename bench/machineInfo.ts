// What machine the figures came from: latency on a 2-core CPU means little without it.
import * as os from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  ram_gb: number;
  node: string;
  platform: string;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    ram_gb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}
