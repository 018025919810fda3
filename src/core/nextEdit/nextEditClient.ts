// The next-edit model the settings name, ready to ask, with the prompt format it was trained on.
// Built when first needed and again when a setting it depends on changes (the old one disposed):
//   embedded  the next-edit GGUF (bantam.nextEdit.model, or the recommended one once downloaded),
//             checked and named from its header, as a rewrite client of the shared model host;
//   openai    a model served at bantam.openai.baseUrl (/v1/completions), named by bantam.nextEdit.model;
//   ollama    a model served at bantam.ollama.host (raw mode).
// A server that is neither this machine nor a private address hears nothing until the user agrees
// (asked once per server, like inline completion's). When the model can't be had (no file, a broken
// file, no model name), the user is told once, in one sentence saying what to do; it is looked for
// again on the next request (a download may have finished), but the message waits for new settings.
import type { BantamConfig } from '../config';
import { readModelFileFacts } from '../models/modelInspector';
import type { MachineProfile } from '../models/recommendedModel';
import { locateNextEditModel, recommendNextEditModel } from '../models/nextEditModels';
import { hostOf, staysOnPrivateNetwork } from '../providers/http/hostLocality';
import type { ModelHostChoice } from '../providers/local/localLlamaBackend';
import { createNextEditModel, type NextEditModel } from './nextEditModel';
import { nextEditFormatOf, type NextEditModelFacts } from './nextEditFamilies';
import type { NextEditFormatName } from './nextEditTypes';

/** A failing model is mentioned to the user at most this often (it is logged every time). */
const ERROR_NOTICE_INTERVAL_MS = 5 * 60_000;

export interface ReadyNextEditModel {
  model: NextEditModel;
  format: NextEditFormatName;
  /** The model as the stats and logs name it: a file name, or `name @ host`. */
  label: string;
}

export interface NextEditClientOptions {
  /** dist/modelHost.js. */
  hostScript: string;
  /** Where downloaded models are (hf: URIs resolve there). */
  modelsDir: string;
  /** A relative bantam.nextEdit.model path is relative to this folder. */
  workspaceFolder?: string;
  machine: MachineProfile;
  /** The OpenAI-compatible server's key (SecretStorage in VS Code), if one is set. */
  apiKey?: () => Promise<string | undefined>;
  /** Asked before anything is sent to a server off this machine; true to send. */
  consent?: (host: string) => Promise<boolean>;
  host?: ModelHostChoice;
  log?: (message: string) => void;
  /** Tells the user why next-edit can't run (once per reason until the settings change). */
  notify?: (message: string) => void;
  /** Builds the model client (tests replace it). */
  create?: typeof createNextEditModel;
}

/** The server a served backend sends code to; undefined for the embedded one. */
export function nextEditServerUrl(config: BantamConfig): string | undefined {
  switch (config.nextEdit.backend) {
    case 'openai':
      return config.openai.baseUrl;
    case 'ollama':
      return config.ollama.host;
    case 'embedded':
      return undefined;
  }
}

/** The settings whose change needs a new client. */
function clientKey(config: BantamConfig): string {
  const { nextEdit, embedded } = config;
  const server = nextEditServerUrl(config);
  if (server !== undefined) return JSON.stringify([nextEdit.backend, server, nextEdit.model, nextEdit.promptFormat, config.ollama.keepAlive]);
  return JSON.stringify(['embedded', nextEdit.model, nextEdit.promptFormat, embedded.gpu, embedded.threads, embedded.flashAttention, embedded.contextSize]);
}

export class NextEditClient {
  private current: { key: string; ready: Promise<ReadyNextEditModel | undefined> } | undefined;
  private readonly consents = new Map<string, Promise<boolean>>();
  private told = new Set<string>();
  /** The settings the messages in `told` were about. */
  private toldKey = '';
  private lastErrorNotice = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: NextEditClientOptions) {}

  /** The model for `config`, or undefined when it can't be had (the user has been told why) or was not agreed to. */
  async ready(config: BantamConfig): Promise<ReadyNextEditModel | undefined> {
    const server = nextEditServerUrl(config);
    if (server !== undefined && !staysOnPrivateNetwork(server) && !(await this.consented(hostOf(server)))) return undefined;
    const key = clientKey(config) + (config.nextEdit.backend === 'openai' ? ((await this.options.apiKey?.()) ?? '') : '');
    if (this.current?.key !== key) {
      this.disposeCurrent();
      if (this.toldKey !== key) this.told = new Set();
      this.toldKey = key;
      const current = {
        key,
        ready: this.build(config).catch((error: unknown) => this.tell(`Bantam next-edit: ${(error as Error).message}`)),
      };
      this.current = current;
      // No model yet (not downloaded, a broken file): look again next time, without saying it again.
      void current.ready.then((ready) => {
        if (!ready && this.current === current) this.current = undefined;
      });
    }
    return this.current.ready;
  }

  /** The model label of the client in use, if one is built. */
  async label(): Promise<string | undefined> {
    return (await this.current?.ready)?.label;
  }

  private consented(host: string): Promise<boolean> {
    let answer = this.consents.get(host);
    if (!answer) {
      answer = (this.options.consent?.(host) ?? Promise.resolve(false)).catch(() => false);
      this.consents.set(host, answer);
    }
    return answer;
  }

  private async build(config: BantamConfig): Promise<ReadyNextEditModel | undefined> {
    const create = this.options.create ?? createNextEditModel;
    const { nextEdit } = config;
    const server = nextEditServerUrl(config);
    if (server !== undefined) {
      if (nextEdit.model.trim() === '') {
        return this.tell(`Bantam next-edit: set bantam.nextEdit.model to the name of the next-edit model served at ${hostOf(server)}.`);
      }
      const facts: NextEditModelFacts = { name: nextEdit.model };
      const apiKey = nextEdit.backend === 'openai' ? await this.options.apiKey?.() : undefined;
      const model = create(config, { hostScript: this.options.hostScript, ...(apiKey ? { apiKey } : {}) });
      return { model, format: nextEditFormatOf(facts, nextEdit.promptFormat), label: `${nextEdit.model} @ ${hostOf(server)}` };
    }
    const location = await locateNextEditModel(nextEdit.model, {
      modelsDir: this.options.modelsDir,
      workspaceFolder: this.options.workspaceFolder,
      recommended: recommendNextEditModel(this.options.machine),
    });
    if (location.kind === 'not-downloaded') return this.tell(`Bantam next-edit: ${location.message}`);
    let facts;
    try {
      facts = await readModelFileFacts(location.path);
    } catch (error) {
      return this.tell(`Bantam next-edit: ${(error as Error).message}`);
    }
    const model = create(config, {
      hostScript: this.options.hostScript,
      modelPath: location.path,
      ...(this.options.host ? { host: this.options.host } : {}),
      ...(this.options.log ? { log: this.options.log } : {}),
    });
    const file = location.path.split(/[\\/]/).at(-1)!;
    return { model, format: nextEditFormatOf({ name: facts.name, file }, nextEdit.promptFormat), label: file };
  }

  /** Says `message` once (until the settings change) and answers "no model". */
  private tell(message: string): undefined {
    if (!this.told.has(message)) {
      this.told.add(message);
      this.options.log?.(message);
      this.options.notify?.(message);
    }
    return undefined;
  }

  /**
   * Logs a model error; tells the user about the first, and then at most once every few minutes (a
   * broken server fails every request, a crashing host with a different exit each time).
   */
  reportError(message: string): void {
    const now = Date.now();
    this.options.log?.(`Bantam next-edit: ${message}`);
    if (now - this.lastErrorNotice < ERROR_NOTICE_INTERVAL_MS) return;
    this.lastErrorNotice = now;
    this.options.notify?.(`Bantam next-edit: ${message}`);
  }

  /** Forgets the answers to "send code to this server?" (Forget Frontier Consent): the next request asks again. */
  forgetConsents(): void {
    this.consents.clear();
  }

  private disposeCurrent(): void {
    const old = this.current;
    this.current = undefined;
    void old?.ready.then((ready) => ready?.model.dispose());
  }

  dispose(): void {
    this.disposeCurrent();
  }
}
