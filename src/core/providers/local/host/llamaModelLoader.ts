// Loads GGUF models for the model host: gets the prebuilt binding for the chosen accelerator once
// without ever trying to build or download one (the CPU's, saying why, when the GPU's can't load),
// inspects a file before llama.cpp sees it (so the common mistakes get a clear sentence instead of a
// llama.cpp log line), loads its weights once for every client with as many layers on the GPU as
// free VRAM fits (on the CPU, saying why, when the GPU can't hold it), then gives each client its own
// context and long-lived sequence, warmed up so the first real request doesn't pay for page faults
// and lazy allocations.

import { performance } from 'node:perf_hooks';
// node-llama-cpp is ESM-only; its types are imported in ESM resolution mode and the module itself via import().
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp' with { 'resolution-mode': 'import' };
import { ModelFileError, type ModelFileErrorCode } from '../../../models/modelFileError';
import { canFillInTheMiddle, readModelFileFacts, type ModelFileFacts } from '../../../models/modelInspector';
import { noFimError } from '../../../models/modelFileError';
import type { GpuChoice, LoadOptions, ModelInfo, ModelPurpose, PromptLookupOptions, VocabInfo, WorkerErrorCode } from '../llamaProtocol';
import { acceleratorName } from '../../../kernel/accelerators';
import { acceleratorOf, cpuFallbackMessage, openLlama, readAccelerator, type LlamaBaseOptions, type OpenedLlama } from './llamaAccelerator';
import { prebuiltGpu } from './prebuiltBuild';
import { tileAlignedInputLookup } from './tileAlignedDrafts';
import { WorkerError } from './workerError';

export interface LoadedModel {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  info: ModelInfo;
  vocab: VocabInfo;
  trainContextSize: number;
  /** Prompt tokens per second measured after the warm-up; null if the measurement failed. */
  promptTokPerS: number | null;
}

type NodeLlamaCpp = typeof import('node-llama-cpp', { with: { 'resolution-mode': 'import' } });

/** How each refusal of the model inspector travels over the worker protocol. */
const FILE_ERROR_CODES: Record<ModelFileErrorCode, WorkerErrorCode> = {
  'not-found': 'model-missing',
  'not-gguf': 'not-gguf',
  'unsupported-version': 'load-failed',
  truncated: 'model-corrupt',
  corrupt: 'model-corrupt',
  'no-fim': 'no-fim',
};

/**
 * Reads the file's GGUF header and vocabulary before llama.cpp sees it (the same check the extension
 * runs): the common mistakes get a clear sentence, and the FIM family comes from the token texts.
 * FIM tokens are not required here: the weights serve rewrite clients too; a completion client's
 * session refuses a model without them (requireFimFor).
 */
async function inspect(modelPath: string): Promise<ModelFileFacts> {
  try {
    return await readModelFileFacts(modelPath);
  } catch (e) {
    throw asWorkerError(e);
  }
}

function asWorkerError(e: unknown): unknown {
  return e instanceof ModelFileError ? new WorkerError(FILE_ERROR_CODES[e.code], e.message) : e;
}

/** A completion client needs FIM tokens; a rewrite client (next-edit) does not. */
export function requireFimFor(purpose: ModelPurpose, facts: ModelFileFacts, modelPath: string): void {
  if (purpose === 'completion' && !canFillInTheMiddle(facts)) throw asWorkerError(noFimError(modelPath));
}

/**
 * Maps what llama.cpp / node-llama-cpp threw while loading to a sentence a user can act on.
 * node-llama-cpp only says "Failed to load model"; the reason is in llama.cpp's error log lines.
 */
function classifyLoadFailure(e: unknown, modelPath: string, llamaErrors: readonly string[]): WorkerError {
  if (e instanceof WorkerError) return e;
  const thrown = e instanceof Error ? e.message : String(e);
  const reason = llamaErrors.find((line) => /error loading model/i.test(line)) ?? llamaErrors[0];
  const detail = reason ? reason.replace(/^.*error loading model:\s*/i, '') : thrown;
  const all = `${thrown}\n${llamaErrors.join('\n')}`;
  if (/within the file bounds|truncated|incomplete|unexpected end|out of range|corrupt/i.test(all) || e instanceof RangeError) {
    return new WorkerError('model-corrupt', `The model file ${modelPath} is truncated or corrupt (${detail}); download it again.`);
  }
  if (/unknown model architecture|not supported|unsupported/i.test(all)) {
    return new WorkerError('load-failed', `This llama.cpp build cannot run the model ${modelPath} (${detail}); pick a supported model.`);
  }
  return new WorkerError('load-failed', `Failed to load the model ${modelPath} (${detail}); check the file or pick another model.`);
}

async function importNodeLlamaCpp(): Promise<NodeLlamaCpp> {
  try {
    return await import('node-llama-cpp');
  } catch (e) {
    throw new WorkerError(
      'binary-missing',
      `The node-llama-cpp package could not be loaded (${(e as Error).message}); reinstall Bantam.`,
    );
  }
}

/** A model loaded once in the host and shared by every client that asks for the same file. */
export interface SharedModel {
  /** The node-llama-cpp module the model was loaded with (its token predictors come from there). */
  nlc: NodeLlamaCpp;
  llama: Llama;
  model: LlamaModel;
  inspected: ModelFileFacts;
  modelPath: string;
  /** Why the model runs on the CPU although a GPU was asked for or found; null when nothing fell back. */
  fallback: string | null;
  /** It runs on the CPU (asked for, or fallen back to). */
  cpuOnly: boolean;
  /** llama.cpp's recent error lines, quoted when something about this model fails. */
  llamaErrors: string[];
}

/** The getLlama options other than the GPU, and the node-llama-cpp module they belong to. */
export interface LlamaLoader {
  nlc: NodeLlamaCpp;
  base: LlamaBaseOptions;
}

/** How the host opens bindings: never building or downloading, llama.cpp's errors kept for messages. */
export async function llamaLoader(log: (line: string) => void, llamaErrors: string[]): Promise<LlamaLoader> {
  const nlc = await importNodeLlamaCpp();
  return {
    nlc,
    base: {
      // Never compile or download: on a user's machine that means minutes of silence or a failure.
      build: 'never',
      usePrebuiltBinaries: true,
      skipDownload: true,
      progressLogs: false,
      logLevel: nlc.LlamaLogLevel.warn,
      logger: (level, message) => {
        const line = message.trimEnd();
        if (level === nlc.LlamaLogLevel.error || level === nlc.LlamaLogLevel.fatal) {
          llamaErrors.push(line);
          if (llamaErrors.length > 8) llamaErrors.shift();
        }
        log(`llama.cpp ${level}: ${line}`);
      },
    },
  };
}

/** The binding for the accelerator `gpu` names (the CPU's, with the reason, when that can't load). */
export async function openBinding(loader: LlamaLoader, gpu: GpuChoice, log: (line: string) => void): Promise<OpenedLlama> {
  let opened: OpenedLlama;
  try {
    opened = await openLlama(loader.nlc, gpu, loader.base);
  } catch (e) {
    throw new WorkerError(
      'binary-missing',
      `No prebuilt llama.cpp CPU binary is available for ${process.platform}-${process.arch} (${(e as Error).message}); reinstall Bantam or use the Ollama backend.`,
    );
  }
  if (opened.fallback) log(opened.fallback);
  return opened;
}

/**
 * Inspects and loads the weights on `opened` (retrying on the CPU, saying why, when the GPU can't
 * hold or run them); every client of this file then opens its own session on them.
 */
export async function loadSharedModel(
  loader: LlamaLoader,
  opened: OpenedLlama,
  options: LoadOptions,
  llamaErrors: string[],
  log: (line: string) => void,
): Promise<SharedModel> {
  const inspected = await inspect(options.modelPath);
  const load = async ({ llama, fallback, cpuOnly }: OpenedLlama): Promise<SharedModel> => {
    const model = await llama.loadModel({
      modelPath: options.modelPath,
      defaultContextFlashAttention: options.flashAttention,
      // node-llama-cpp's own fitting: the most layers the free VRAM holds with this context beside them.
      // On the CPU none (Apple Silicon's only build is Metal's, so "on the CPU" there is 0 layers on it).
      gpuLayers: cpuOnly ? 0 : { fitContext: { contextSize: options.contextSize } },
    });
    return { nlc: loader.nlc, llama, model, inspected, modelPath: options.modelPath, fallback, cpuOnly, llamaErrors };
  };
  try {
    return await load(opened);
  } catch (e) {
    const failed = classifyLoadFailure(e, options.modelPath, llamaErrors);
    // A GPU that can't hold or run the model (driver error, VRAM taken meanwhile) still leaves the CPU;
    // a broken file fails there too, so it is not worth a second load.
    if (opened.cpuOnly || failed.code === 'model-corrupt') throw failed;
    const detail = llamaErrors.at(-1) ?? (e instanceof Error ? e.message : String(e));
    const reason = cpuFallbackMessage(`the model did not load on the ${acceleratorName(acceleratorOf(opened.llama.gpu))} GPU (${detail})`);
    log(reason);
    llamaErrors.length = 0;
    let cpu: OpenedLlama;
    try {
      cpu = { llama: await loader.nlc.getLlama({ ...loader.base, gpu: prebuiltGpu() }), fallback: reason, cpuOnly: true };
    } catch {
      throw failed;
    }
    try {
      return await load(cpu);
    } catch (e2) {
      throw classifyLoadFailure(e2, options.modelPath, llamaErrors);
    }
  }
}

/**
 * One client's own context and long-lived sequence on a shared model, warmed up and with its prompt
 * rate measured: clients never share or evict each other's KV cache.
 */
export async function openModelSession(shared: SharedModel, options: LoadOptions): Promise<LoadedModel> {
  const { llama, model, inspected, fallback } = shared;
  const purpose = options.purpose ?? 'completion';
  requireFimFor(purpose, inspected, options.modelPath);
  let context: LlamaContext | undefined;
  try {
    const { fim } = inspected;
    context = await model.createContext({
      contextSize: options.contextSize,
      batchSize: options.batchSize,
      flashAttention: options.flashAttention,
      threads: options.threads,
      sequences: 1,
      // Fail instead of quietly shrinking: the prompt budgets were sized for this context.
      failedCreationRemedy: false,
    });
    const sequence = context.getSequence(sequenceOptions(shared.nlc, options.promptLookup, shared.cpuOnly));

    const info: ModelInfo = {
      architecture: String(model.fileInfo.metadata?.general?.architecture ?? 'unknown'),
      name: typeof model.fileInfo.metadata?.general?.name === 'string' ? model.fileInfo.metadata.general.name : null,
      family: inspected.family,
      // Codestral's prompts have no middle marker: the prefix runs straight into the completion.
      fimTokens: fim ? { prefix: fim.prefix.text, suffix: fim.suffix.text, middle: fim.middle?.text ?? '' } : null,
      fileBytes: inspected.fileBytes,
      contextSize: context.contextSize,
      batchSize: context.batchSize,
      threads: context.idealThreads,
      flashAttention: context.flashAttention === true,
      accelerator: await readAccelerator(llama, model, fallback, shared.cpuOnly),
    };
    const vocab: VocabInfo = {
      size: inspected.vocabSize,
      type: String(model.vocabularyType),
      bos: model.tokens.bosString,
      eos: model.tokens.eosString,
      addBos: model.tokens.shouldPrependBosToken,
    };
    const loaded: LoadedModel = { llama, model, context, sequence, info, vocab, trainContextSize: model.trainContextSize, promptTokPerS: null };
    await warmUp(loaded);
    loaded.promptTokPerS = await measurePromptRate(loaded);
    return loaded;
  } catch (e) {
    await context?.dispose().catch(() => undefined);
    throw classifyLoadFailure(e, options.modelPath, shared.llamaErrors);
  }
}

/**
 * The sequence's options: with prompt lookup, an InputLookupTokenPredictor that drafts up to
 * maxDraftTokens by copying from the prompt (the generator hands it each request's prompt). On the
 * CPU its drafts are cut so each verify batch fills whole mat-mul tiles (see tileAlignedDrafts.ts).
 */
export function sequenceOptions(
  nlc: Pick<NodeLlamaCpp, 'InputLookupTokenPredictor'>,
  promptLookup: PromptLookupOptions | undefined,
  cpuOnly: boolean,
): { tokenPredictor?: InstanceType<NodeLlamaCpp['InputLookupTokenPredictor']> } {
  if (!promptLookup) return {};
  const options = {
    // One token of the generated tail is enough to find the place being copied; drafts run to the cap.
    patternLength: { min: 1 },
    predictionLength: { min: 1, max: promptLookup.maxDraftTokens },
  };
  return { tokenPredictor: cpuOnly ? tileAlignedInputLookup(nlc, options) : new nlc.InputLookupTokenPredictor(options) };
}

/** Tokens read to measure the prompt rate: one batch, about a second on one slow core. */
const RATE_PROBE_TOKENS = 128;

/**
 * Times the reading of one prompt batch (warm, so no page faults count), then empties the cache.
 * The completion engine sizes its prompts from this rate (core/completion/promptSizer.ts) before any
 * request of the user's has finished a long read.
 */
async function measurePromptRate({ model, sequence, info }: LoadedModel): Promise<number | null> {
  const line = model.tokenize('    total = total + values[index] * weights[index]\n', false);
  if (line.length === 0) return null;
  const tokens = Array.from({ length: Math.min(RATE_PROBE_TOKENS, info.batchSize) }, (_, i) => line[i % line.length]!);
  const started = performance.now();
  await sequence.evaluateWithoutGeneratingNewTokens(tokens);
  const ms = performance.now() - started;
  await sequence.clearHistory();
  return ms > 0 ? (tokens.length * 1000) / ms : null;
}

/** One short infill (or plain text, for a rewrite model), then an empty cache: the first user request then runs at steady-state speed. */
async function warmUp({ model, sequence, info }: LoadedModel): Promise<void> {
  const fim = info.fimTokens;
  const text = fim ? `${fim.prefix}def add(a, b):\n    return${fim.suffix}\n${fim.middle}` : 'def add(a, b):\n    return';
  const tokens = model.tokenize(text, true);
  let n = 0;
  for await (const token of sequence.evaluate(tokens, { temperature: 0, yieldEogToken: true })) {
    if (++n >= 2 || model.isEogToken(token)) break;
  }
  await sequence.clearHistory();
}
