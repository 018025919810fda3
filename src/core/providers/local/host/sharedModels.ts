// The models the host has loaded, each once, whoever asked: the weights are the bulk of a model's
// memory, so every window and the CLI share one copy. A model is one file on one accelerator choice
// (bantam.embedded.gpu), and each choice opens its llama.cpp binding once. A model whose last client has left stays loaded
// for a while (a window being reloaded comes back within seconds), then is unloaded. A load that
// failed is forgotten, so a client can try again after the user fixed the file.

import type { OpenedLlama } from './llamaAccelerator';
import type { GpuChoice, LoadOptions } from '../llamaProtocol';
import { llamaLoader, loadSharedModel, openBinding, type LlamaLoader, type SharedModel } from './llamaModelLoader';

interface Entry {
  model: Promise<SharedModel>;
  users: number;
  unloadTimer: NodeJS.Timeout | undefined;
}

export class SharedModels {
  private loader: Promise<LlamaLoader> | undefined;
  private readonly bindings = new Map<GpuChoice, Promise<OpenedLlama>>();
  private readonly entries = new Map<string, Entry>();
  private readonly llamaErrors: string[] = [];

  constructor(
    private readonly log: (line: string) => void,
    /** How long a model nobody uses stays loaded. */
    private readonly keepUnusedMs: number,
  ) {}

  /** The models loaded or loading (file and accelerator choice), with how many clients use each. */
  describe(): { model: string; users: number }[] {
    return [...this.entries].map(([model, entry]) => ({ model, users: entry.users }));
  }

  /** The shared model for `options` (file and accelerator), loading it if no client has; release(key) when done. */
  async acquire(options: LoadOptions): Promise<SharedModel> {
    const key = SharedModels.key(options);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { model: this.load(options), users: 0, unloadTimer: undefined };
      this.entries.set(key, entry);
    }
    clearTimeout(entry.unloadTimer);
    entry.unloadTimer = undefined;
    entry.users++;
    try {
      return await entry.model;
    } catch (e) {
      entry.users--;
      if (this.entries.get(key) === entry) this.entries.delete(key);
      throw e;
    }
  }

  /** What tells two loads apart: the file, and the accelerator it was asked on. */
  static key(options: Pick<LoadOptions, 'modelPath' | 'gpu'>): string {
    return `${options.gpu}:${options.modelPath}`;
  }

  release(key: string): void {
    const entry = this.entries.get(key);
    if (!entry || entry.users === 0) return;
    entry.users--;
    if (entry.users > 0) return;
    entry.unloadTimer = setTimeout(() => void this.unload(key, entry), this.keepUnusedMs);
    entry.unloadTimer.unref();
  }

  async disposeAll(): Promise<void> {
    for (const [key, entry] of [...this.entries]) await this.unload(key, entry);
    const bindings = [...this.bindings.values()];
    this.bindings.clear();
    for (const binding of bindings) await binding.then(({ llama }) => llama.dispose()).catch(() => undefined);
  }

  private async load(options: LoadOptions): Promise<SharedModel> {
    this.loader ??= llamaLoader(this.log, this.llamaErrors);
    let loader: LlamaLoader;
    try {
      loader = await this.loader;
    } catch (e) {
      this.loader = undefined;
      throw e;
    }
    let binding = this.bindings.get(options.gpu);
    if (!binding) {
      binding = openBinding(loader, options.gpu, this.log);
      this.bindings.set(options.gpu, binding);
    }
    let opened: OpenedLlama;
    try {
      opened = await binding;
    } catch (e) {
      if (this.bindings.get(options.gpu) === binding) this.bindings.delete(options.gpu);
      throw e;
    }
    const started = performance.now();
    const model = await loadSharedModel(loader, opened, options, this.llamaErrors, this.log);
    this.log(`loaded the weights of ${options.modelPath} in ${Math.round(performance.now() - started)} ms (${model.model.gpuLayers} layers on the GPU)`);
    return model;
  }

  private async unload(key: string, entry: Entry): Promise<void> {
    clearTimeout(entry.unloadTimer);
    if (this.entries.get(key) !== entry) return;
    this.entries.delete(key);
    try {
      const model = await entry.model;
      await model.model.dispose();
      this.log(`unloaded ${key}: no client uses it`);
    } catch {
      // A model that never loaded has nothing to free.
    }
  }
}
