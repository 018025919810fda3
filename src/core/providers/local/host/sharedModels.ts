// The models the host has loaded, each once, whoever asked: the weights are the bulk of a model's
// memory, so every window and the CLI share one copy. A model whose last client has left stays loaded
// for a while (a window being reloaded comes back within seconds), then is unloaded. A load that
// failed is forgotten, so a client can try again after the user fixed the file.

import type { Llama } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import type { LoadOptions } from '../llamaProtocol';
import { getLlamaBinding, loadSharedModel, type SharedModel } from './llamaModelLoader';

interface Entry {
  model: Promise<SharedModel>;
  users: number;
  unloadTimer: NodeJS.Timeout | undefined;
}

export class SharedModels {
  private binding: Promise<Llama> | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly llamaErrors: string[] = [];

  constructor(
    private readonly log: (line: string) => void,
    /** How long a model nobody uses stays loaded. */
    private readonly keepUnusedMs: number,
  ) {}

  /** Paths of the models loaded or loading, with how many clients use each. */
  describe(): { modelPath: string; users: number }[] {
    return [...this.entries].map(([modelPath, entry]) => ({ modelPath, users: entry.users }));
  }

  /** The shared model for `options.modelPath`, loading it if no client has; call release() when done. */
  async acquire(options: LoadOptions): Promise<SharedModel> {
    let entry = this.entries.get(options.modelPath);
    if (!entry) {
      entry = { model: this.load(options), users: 0, unloadTimer: undefined };
      this.entries.set(options.modelPath, entry);
    }
    clearTimeout(entry.unloadTimer);
    entry.unloadTimer = undefined;
    entry.users++;
    try {
      return await entry.model;
    } catch (e) {
      entry.users--;
      if (this.entries.get(options.modelPath) === entry) this.entries.delete(options.modelPath);
      throw e;
    }
  }

  release(modelPath: string): void {
    const entry = this.entries.get(modelPath);
    if (!entry || entry.users === 0) return;
    entry.users--;
    if (entry.users > 0) return;
    entry.unloadTimer = setTimeout(() => void this.unload(modelPath, entry), this.keepUnusedMs);
    entry.unloadTimer.unref();
  }

  async disposeAll(): Promise<void> {
    for (const [modelPath, entry] of [...this.entries]) await this.unload(modelPath, entry);
    const binding = this.binding;
    this.binding = undefined;
    await binding?.then((llama) => llama.dispose()).catch(() => undefined);
  }

  private async load(options: LoadOptions): Promise<SharedModel> {
    this.binding ??= getLlamaBinding(this.log, this.llamaErrors);
    let llama: Llama;
    try {
      llama = await this.binding;
    } catch (e) {
      this.binding = undefined;
      throw e;
    }
    const started = performance.now();
    const model = await loadSharedModel(llama, options, this.llamaErrors);
    this.log(`loaded the weights of ${options.modelPath} in ${Math.round(performance.now() - started)} ms`);
    return model;
  }

  private async unload(modelPath: string, entry: Entry): Promise<void> {
    clearTimeout(entry.unloadTimer);
    if (this.entries.get(modelPath) !== entry) return;
    this.entries.delete(modelPath);
    try {
      const model = await entry.model;
      await model.model.dispose();
      this.log(`unloaded ${modelPath}: no client uses it`);
    } catch {
      // A model that never loaded has nothing to free.
    }
  }
}
