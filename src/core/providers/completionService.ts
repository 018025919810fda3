// Owns the completion backend chosen by the settings: finds and checks the model file and builds the
// embedded (llama worker) backend, or builds a server backend from its provider registry row (Ollama,
// an OpenAI-compatible server); rebuilds it when a relevant setting changes, and reports one
// ServiceState for the status bar. Nothing here loads a model: the embedded backend starts its
// worker on the first completion request.
import { basename } from 'node:path';
import type { BantamConfig } from '../config';
import { inspectModelFile } from '../models/modelInspector';
import { locateModel } from '../models/modelLocation';
import { recommendModel, type MachineProfile } from '../models/recommendedModel';
import { LocalLlamaBackend } from './local/localLlamaBackend';
import { hostOf, staysOnPrivateNetwork } from './http/hostLocality';
import { providerRow, type CompletionServerRow, type KeyedProvider } from './registry';
import type { ServiceState } from './serviceState';
import type { CompletionBackend, FimFamily } from '../kernel/completionTypes';

export interface CompletionServiceOptions {
  /** Where downloaded models live. */
  modelsDir: string;
  /** The model host's entry (dist/modelHost.js). */
  workerPath: string;
  /** Who this is in the shared model host's log (e.g. "vscode window"). */
  clientName?: string;
  workspaceFolder?: string;
  /**
   * This machine as far as is known without probing the GPU (osMachineProfile): names the recommended
   * model while none is downloaded. Any model of the table already downloaded is used.
   */
  machine: MachineProfile;
  log: (message: string) => void;
  /** Clock for the Ollama retry pause; tests inject one. Default Date.now. */
  now?: () => number;
  /** A server's API key (SecretStorage in VS Code), when one is set. */
  apiKey?: (name: KeyedProvider) => Promise<string | undefined>;
  /**
   * Asked once before the code around the cursor first goes to a completion server that is neither
   * this machine nor a private address (`host`); true to go ahead. Without it, such a server is refused.
   */
  consent?: (host: string) => Promise<boolean>;
}

type Listener = (state: ServiceState) => void;

/** A server backend (Ollama, OpenAI-compatible) in error is tried again after this pause. */
const SERVER_RETRY_MS = 5000;

/** The registry row of the completion server the settings name; undefined for the embedded model. */
function serverRow(config: BantamConfig): CompletionServerRow | undefined {
  const backend = config.completion.backend;
  return backend === 'embedded' ? undefined : providerRow(backend).completionServer;
}

/** Where a server backend sends the code around the cursor; undefined for the embedded model. */
function endpointOf(config: BantamConfig): ServiceState['endpoint'] {
  const url = serverRow(config)?.url(config);
  return url === undefined ? undefined : { host: hostOf(url), leavesMachine: !staysOnPrivateNetwork(url) };
}

/** Settings that require a new backend when they change. */
function backendKey(config: BantamConfig): string {
  const { completion, embedded } = config;
  const server = serverRow(config);
  if (server) return JSON.stringify([completion.backend, ...server.key(config)]);
  return JSON.stringify(['embedded', completion.model, embedded.gpu, embedded.threads, embedded.flashAttention, embedded.contextSize]);
}

export class CompletionService {
  private current: CompletionBackend | undefined;
  private key = '';
  /** The backend's own state; while completions are disabled it is kept but shown as 'disabled'. */
  private state: ServiceState = { status: 'idle', backend: '', model: '' };
  private disabled = false;
  private readonly listeners = new Set<Listener>();
  private generation = 0;
  private config: BantamConfig | undefined;
  private failedAt = 0;
  private building: Promise<void> | undefined;
  /** The consent question for the current server backend: asked once, until the settings change. */
  private consentAnswer: Promise<boolean> | undefined;

  private readonly now: () => number;

  constructor(private readonly options: CompletionServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The backend to ask, built on first use (so activation loads and parses nothing), or undefined
   * while disabled or in error. An Ollama server that failed is tried again after a pause, so
   * starting Ollama (or pulling the model) recovers by itself.
   */
  async backend(): Promise<CompletionBackend | undefined> {
    const config = this.config;
    if (!config || this.disabled) return undefined;
    this.building ??= this.rebuild(config, backendKey(config));
    await this.building;
    if (this.endpoint?.leavesMachine && !(await this.consented(this.endpoint.host))) return undefined;
    if (this.state.status === 'error') {
      const server = this.state.backend === 'ollama' || this.state.backend === 'openai';
      const retry = server && this.now() - this.failedAt > SERVER_RETRY_MS;
      return retry ? this.current : undefined;
    }
    return this.current;
  }

  /**
   * The embedded backend, built on first use, when it is the completion backend: chat tasks on the
   * local tier share its worker and model. Undefined otherwise (or while it is in error).
   */
  async embeddedBackend(): Promise<LocalLlamaBackend | undefined> {
    if (this.config?.completion.backend !== 'embedded') return undefined;
    const backend = await this.backend();
    return backend instanceof LocalLlamaBackend ? backend : undefined;
  }

  /** The backend with its model loaded, if there is one now; builds, loads and asks nothing. */
  loadedBackend(): CompletionBackend | undefined {
    return this.currentState.status === 'ready' ? this.current : undefined;
  }

  get currentState(): ServiceState {
    return this.disabled ? { ...this.state, status: 'disabled', message: undefined } : this.state;
  }

  onState(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies settings; a backend-relevant change drops the backend, to be rebuilt on next use. */
  configure(config: BantamConfig): void {
    this.config = config;
    const wasDisabled = this.disabled;
    this.disabled = !config.completion.enabled;
    if (this.disabled) {
      if (!wasDisabled) this.publish();
      return;
    }
    const key = backendKey(config);
    if (key === this.key) {
      if (wasDisabled) this.publish();
      return;
    }
    this.reset(key);
    const backend = config.completion.backend;
    const model = serverRow(config)?.model(config) ?? basename(config.completion.model).replace(/\.gguf$/i, '');
    this.setState({ status: 'idle', backend, model, message: 'Starts on the first suggestion' });
  }

  /** Drops the backend (killing the worker); the next suggestion builds it again from the settings. */
  restart(): void {
    this.reset(this.key);
    // Where the old model ran says nothing about the next load.
    const { runtime: _runtime, ...state } = this.state;
    if (this.config?.completion.enabled) this.setState({ ...state, status: 'idle', message: 'Restarting' });
  }

  /** Asks (once per backend) whether code may go to `host`; a no turns completion off until the settings change. */
  private async consented(host: string): Promise<boolean> {
    const generation = this.generation;
    this.consentAnswer ??= (this.options.consent?.(host) ?? Promise.resolve(false)).catch(() => false);
    const yes = await this.consentAnswer;
    if (!yes && generation === this.generation && this.state.status !== 'error') {
      this.fail(
        this.state.backend,
        this.state.model,
        `Inline completion is off: it would send the code around your cursor to ${host}, which is neither this machine nor your private network, and that was not agreed to. Point bantam.ollama.host or bantam.openai.baseUrl at your own machine, or set bantam.completion.backend to 'embedded'; Restart Model asks again.`,
      );
    }
    return yes;
  }

  private reset(key: string): void {
    this.generation++;
    this.consentAnswer = undefined;
    this.current?.dispose();
    this.current = undefined;
    this.building = undefined;
    this.key = key;
  }

  dispose(): void {
    this.generation++;
    this.current?.dispose();
    this.current = undefined;
    this.listeners.clear();
  }

  private async rebuild(config: BantamConfig, key: string): Promise<void> {
    this.reset(key);
    const generation = this.generation;
    const backendName = config.completion.backend;
    try {
      const server = serverRow(config);
      if (server) {
        const apiKey = server.keyName ? await this.options.apiKey?.(server.keyName) : undefined;
        if (generation !== this.generation) return;
        this.buildServer(config, server, apiKey, generation);
        return;
      }
      const backend = await this.buildEmbedded(config, generation);
      if (!backend || generation !== this.generation) {
        backend?.dispose();
        return;
      }
      this.current = backend;
    } catch (error) {
      if (generation !== this.generation) return;
      this.fail(backendName, this.state.model, (error as Error).message);
    }
  }

  private async buildEmbedded(config: BantamConfig, generation: number): Promise<CompletionBackend | undefined> {
    const recommended = recommendModel(config.embedded.gpu === 'off' ? { ...this.options.machine, gpu: null } : this.options.machine);
    const location = await locateModel(config.completion.model, {
      modelsDir: this.options.modelsDir,
      workspaceFolder: this.options.workspaceFolder,
      recommended,
    });
    if (generation !== this.generation) return undefined;
    if (location.kind === 'not-downloaded') {
      this.fail('embedded', recommended.fileName.replace(/\.gguf$/, ''), location.message);
      return undefined;
    }
    const model = basename(location.path).replace(/\.gguf$/i, '');
    this.setState({ status: 'loading', backend: 'embedded', model, message: 'Checking the model file' });
    const inspection = await inspectModelFile(location.path);
    if (generation !== this.generation) return undefined;
    const backend = new LocalLlamaBackend({
      workerPath: this.options.workerPath,
      modelPath: location.path,
      gpu: config.embedded.gpu,
      threads: config.embedded.threads || undefined,
      flashAttention: config.embedded.flashAttention,
      contextSize: config.embedded.contextSize,
      family: inspection.family as FimFamily,
      log: this.options.log,
      clientName: this.options.clientName,
    });
    backend.onState((s) => {
      if (generation !== this.generation) return;
      const status = s.status === 'restarting' ? 'loading' : s.status;
      const loaded = s.status === 'ready' ? backend.modelInfo?.info : undefined;
      const runtime = loaded && { accelerator: loaded.accelerator, threads: loaded.threads, host: { pid: backend.pid, shared: backend.sharedHost } };
      this.setState({ status, backend: 'embedded', model, message: s.message, ...(runtime ? { runtime } : {}) });
    });
    this.setState({ status: 'idle', backend: 'embedded', model, message: 'The model loads on the first suggestion' });
    return backend;
  }

  private buildServer(config: BantamConfig, row: CompletionServerRow, apiKey: string | undefined, generation: number): void {
    const name = config.completion.backend;
    const model = row.model(config);
    const backend = row.build(config, apiKey);
    this.current = this.trackServer(backend, name, generation);
    // A server off the machine hears nothing from Bantam, not even a health check, before consent.
    if (row.check && !this.endpoint?.leavesMachine) {
      this.setState({ status: 'loading', backend: name, model, message: `Connecting to ${row.name}` });
      void this.checkServer(row.check, backend, name, generation);
      return;
    }
    this.setState({ status: 'idle', backend: name, model, message: `Asks ${row.name} (${this.endpoint?.host}) on the first suggestion` });
  }

  /** The server's own health check (Ollama: is the model pulled), before the first suggestion. */
  private async checkServer(check: NonNullable<CompletionServerRow['check']>, backend: CompletionBackend, name: string, generation: number): Promise<void> {
    const result = await check(backend);
    if (generation !== this.generation) return;
    if (result.ok) this.setState({ status: 'ready', backend: name, model: result.model, message: undefined });
    else this.fail(name, this.state.model, result.message);
  }

  /** Reports a server's health from real requests: a success clears an error, a failure sets one. */
  private trackServer(backend: CompletionBackend, name: string, generation: number): CompletionBackend {
    const current = () => generation === this.generation;
    return {
      id: backend.id,
      family: () => backend.family(),
      generate: async (prompt, options) => {
        try {
          const result = await backend.generate(prompt, options);
          if (current() && this.state.status !== 'ready') {
            this.setState({ ...this.state, status: 'ready', message: undefined });
          }
          return result;
        } catch (error) {
          if (current() && !options.signal?.aborted) this.fail(name, this.state.model, (error as Error).message);
          throw error;
        }
      },
      dispose: () => backend.dispose(),
    };
  }

  private fail(backend: string, model: string, message: string): void {
    this.failedAt = this.now();
    this.options.log(`completion backend error: ${message}`);
    this.setState({ status: 'error', backend, model, message });
  }

  /** Where the server backend sends code (from the settings), merged into every state this service reports. */
  private get endpoint(): ServiceState['endpoint'] {
    return this.config ? endpointOf(this.config) : undefined;
  }

  private setState(state: ServiceState): void {
    this.state = this.endpoint ? { ...state, endpoint: this.endpoint } : state;
    this.publish();
  }

  private publish(): void {
    const shown = this.currentState;
    for (const listener of this.listeners) listener(shown);
  }
}
