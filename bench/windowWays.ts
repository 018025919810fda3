// The ways bench:windows serves three VS Code windows, and how a window's model backend is made for
// each. Bantam's shared host and "one process per window" differ only in the host options a
// window's backend gets (windowBackend below); the shared slot is a real llama-server.
import { join } from 'node:path';
import type { BantamConfig } from '../src/core/config';
import { LocalLlamaBackend, type LocalLlamaBackendOptions } from '../src/core/providers/local/localLlamaBackend';

export type WayKey = 'bantam' | 'per-process' | 'shared-slot' | 'single';

export const WAY_KEYS: readonly WayKey[] = ['bantam', 'per-process', 'shared-slot', 'single'];

export const WAY_LABELS: Record<WayKey, string> = {
  bantam: 'Bantam: one shared model host, a KV sequence per window',
  'per-process': 'One model process per window (Bantam before the shared host)',
  'shared-slot': "One shared sequence: a real llama-server with one slot, llama.vscode's requests from each window",
  single: "Reference: a single window alone (one private host; window 1's file and trace, typed without switching)",
};

export interface BackendSetup {
  root: string;
  modelPath: string;
  config: BantamConfig;
  /** The run's host state directory. */
  hostDir: string;
  log?: (line: string) => void;
}

/** Window `window`'s backend (one client of a model host) for a way that runs Bantam's engine. */
export function windowBackend(way: Exclude<WayKey, 'shared-slot'>, window: number, setup: BackendSetup): LocalLlamaBackend {
  const { config } = setup;
  const options: LocalLlamaBackendOptions = {
    workerPath: join(setup.root, 'dist', 'modelHost.js'),
    modelPath: setup.modelPath,
    // 0 means "the measured default", which the backend applies when given nothing.
    threads: config.embedded.threads > 0 ? config.embedded.threads : undefined,
    flashAttention: config.embedded.flashAttention,
    contextSize: config.embedded.contextSize,
    // Shared: every window a client of one host. Otherwise each window's own private host.
    host: { dir: setup.hostDir, shared: way === 'bantam', idleExitMs: 0 },
    clientName: `window ${window + 1}`,
    log: setup.log ? (line) => setup.log!(`window ${window + 1}: ${line}`) : undefined,
  };
  return new LocalLlamaBackend(options);
}
