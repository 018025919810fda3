// Entry point of the model host process (bundled to dist/modelHost.js). It owns node-llama-cpp and
// the loaded models, so a native crash or an out-of-memory in llama.cpp never takes an extension
// host down, and it serves every window and the CLI of one user over a local socket
// (core/providers/local/host/modelHostServer.ts). The first client starts it; it exits a while after
// its last client has left. Its log goes to stderr (the client that started it points that at the
// host's log file in the state folder, or at its own log for a private host).
//
// Usage: modelHost.js --dir STATE_DIR [--gpu auto|metal|cuda|vulkan|off] [--private ID] [--idle-ms N] [--max-clients N]

import { parseArgs } from 'node:util';
import { GPU_CHOICES, type GpuChoice } from '../core/kernel/accelerators';
import { hostAddress, hostBuild, hostToken, prepareHostDir } from '../core/providers/local/hostAddress';
import { ModelHostServer } from '../core/providers/local/host/modelHostServer';

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} [model-host ${process.pid}] ${line}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      private: { type: 'string' },
      gpu: { type: 'string', default: 'auto' },
      'idle-ms': { type: 'string', default: '300000' },
      'max-clients': { type: 'string', default: '16' },
    },
  });
  if (!values.dir) throw new Error('--dir is required');
  const idleExitMs = Number(values['idle-ms']);
  const maxClients = Number(values['max-clients']);
  if (!Number.isFinite(idleExitMs) || idleExitMs < 0 || !Number.isInteger(maxClients) || maxClients < 1) throw new Error('--idle-ms and --max-clients must be numbers');
  prepareHostDir(values.dir);
  if (!GPU_CHOICES.includes(values.gpu as GpuChoice)) throw new Error(`--gpu must be one of ${GPU_CHOICES.join(', ')}`);
  const address = hostAddress(values.dir, hostBuild(__filename, values.gpu!), values.private);
  const server = new ModelHostServer({ address, token: hostToken(address), idleExitMs, maxClients, log });
  server.onStopped(() => process.exit(0));
  const outcome = await server.start();
  if (outcome === 'another-host') {
    log(`another host already serves ${address.socketPath}; this one exits`);
    process.exit(0);
  }
  const stop = (signal: string): void => void server.stop(`received ${signal}`);
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

process.on('uncaughtException', (e) => {
  log(`uncaught: ${e.stack ?? e.message}`);
  process.exit(1);
});
process.on('unhandledRejection', (e) => {
  log(`unhandled rejection: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
main().catch((e: unknown) => {
  log(`could not start: ${(e as Error).message}`);
  process.exit(1);
});
