// A real llama-server for the benchmarks and the team-server integration suite: built once per
// machine by scripts/buildLlamaServer.mjs (from a pinned llama.cpp release), started
// here on a loopback port with the model, thread count and flash-attention setting of the run, and
// stopped with it. Also measures its prompt and generation rates the way the worker's measureRates
// does (a fresh 512-token prompt, 64 tokens generated), so the two engines can be compared before any
// latency is. Dependency-free, so the suites inside VS Code can start one too.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface LlamaServerOptions {
  model: string;
  threads: number;
  flashAttention: boolean;
  contextSize: number;
  /** llama-server's --cache-reuse (llama.vscode runs it with 256). */
  cacheReuse?: number;
  /** Slots (parallel sequences); llama.vscode's one request at a time needs one. */
  slots?: number;
  /** More flags, e.g. ['--jinja'] to render the model's own chat template. */
  extraArgs?: readonly string[];
}

export interface EngineRates {
  promptTokPerS: number;
  genTokPerS: number;
}

/** Builds llama-server if this machine has none yet (minutes, once) and returns its path. */
export function llamaServerBinary(root: string): string {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'buildLlamaServer.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = (r.stdout ?? '').trim().split('\n');
  if (r.status !== 0) throw new Error((r.stderr || lines.join('\n')).trim() || `buildLlamaServer.mjs exited with ${r.status}`);
  return lines[lines.length - 1]!;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class LlamaServerProcess {
  private child: ChildProcess | undefined;
  private output = '';
  url = '';

  constructor(
    private readonly binary: string,
    private readonly options: LlamaServerOptions,
  ) {}

  /**
   * Starts the server and waits until /health answers (loading the model takes a few seconds). A
   * stopped server starts again on the port it had, so a client pointed at it finds it there.
   */
  async start(timeoutMs = 120_000): Promise<void> {
    const port = this.url ? Number(new URL(this.url).port) : await freePort();
    const o = this.options;
    const args = [
      '-m', o.model,
      '--host', '127.0.0.1',
      '--port', String(port),
      '-t', String(o.threads),
      '-tb', String(o.threads),
      '-c', String(o.contextSize),
      '-fa', o.flashAttention ? 'on' : 'off',
      '-np', String(o.slots ?? 1),
      '--no-webui',
      ...(o.cacheReuse !== undefined ? ['--cache-reuse', String(o.cacheReuse)] : []),
      ...(o.extraArgs ?? []),
    ];
    this.url = `http://127.0.0.1:${port}`;
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`llama-server exited (${child.exitCode ?? child.signalCode}) while loading:\n${this.output.split('\n').slice(-10).join('\n')}`);
      }
      try {
        const r = await fetch(`${this.url}/health`);
        if (r.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await this.stop();
    throw new Error(`llama-server did not become ready within ${timeoutMs} ms:\n${this.output.split('\n').slice(-10).join('\n')}`);
  }

  async post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const r = await fetch(`${this.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal: signal ?? null });
    const text = await r.text();
    if (!r.ok) throw new Error(`llama-server ${path} answered ${r.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /** Prompt and generation rates on a fresh 512-token prompt with 64 tokens generated (like the worker's). */
  async measureRates(): Promise<EngineRates> {
    const lines = Array.from({ length: 60 }, (_, i) => `  const value${i} = compute(input[${i}], options.scale * ${i});`).join('\n');
    const tokens = await this.post<{ tokens: number[] }>('/tokenize', { content: lines });
    const prompt = tokens.tokens.slice(0, 512);
    const r = await this.post<{ timings: { prompt_per_second: number; predicted_per_second: number } }>('/completion', {
      prompt,
      n_predict: 64,
      ignore_eos: true,
      temperature: 0,
      cache_prompt: false,
    });
    return { promptTokPerS: r.timings.prompt_per_second, genTokPerS: r.timings.predicted_per_second };
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Kills the server (as a crash would) and resolves once the process has gone and its port is free. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }
}

/** The best of `runs` measurements: one swings several-fold when anything else wakes up on 2 cores. */
export async function bestRates(runs: number, measure: () => Promise<EngineRates>): Promise<{ rates: EngineRates; measured: EngineRates[] }> {
  const measured: EngineRates[] = [];
  for (let i = 0; i < runs; i++) measured.push(await measure());
  return {
    rates: { promptTokPerS: Math.max(...measured.map((r) => r.promptTokPerS)), genTokPerS: Math.max(...measured.map((r) => r.genTokPerS)) },
    measured,
  };
}

/** Whether two engines' rates are within `tolerance` (0.15 = 15%) of each other, rate by rate. */
export function ratesComparable(a: EngineRates, b: EngineRates, tolerance = 0.15): boolean {
  const close = (x: number, y: number): boolean => Math.abs(x - y) / Math.max(x, y) <= tolerance;
  return close(a.promptTokPerS, b.promptTokPerS) && close(a.genTokPerS, b.genTokPerS);
}
