// Provider settings for `bantam ask` and `bantam edit`, from flags or environment variables, and
// the router built from them. API keys come only from the environment (ANTHROPIC_API_KEY,
// OPENAI_API_KEY), never from flags, so they stay out of shell history and process listings.
import * as path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { configFrom, type BantamConfig, type RawSettings } from '../core/config';
import type { ProviderLookup } from '../core/kernel/chatTypes';
import { LocalChatProvider } from '../core/providers/local/localChatProvider';
import { LocalLlamaBackend } from '../core/providers/local/localLlamaBackend';
import { chatProviderFor, type ProviderHost, type ProviderKeys } from '../core/providers/registry';
import { Router } from '../core/routing/router';
import { RoutingLog } from '../core/routing/routingLog';
import { choice, UsageError } from './cliShared';

export const PROVIDER_USAGE = `  Models (flags win over environment variables; keys only from the environment):
  --frontier anthropic|openai|none   frontier provider (BANTAM_FRONTIER; default: anthropic when
                                     ANTHROPIC_API_KEY is set, else openai when OPENAI_API_KEY is set, else none)
  --model NAME                       frontier model (BANTAM_MODEL)
  --base-url URL                     frontier base URL (BANTAM_BASE_URL)
  --local embedded|ollama|openai|none  local provider (BANTAM_LOCAL; default: embedded with --model-file, else none)
  --local-model NAME                 Ollama or OpenAI-compatible local model (BANTAM_LOCAL_MODEL)
  --local-base-url URL               Ollama host or local OpenAI-compatible base URL (BANTAM_LOCAL_BASE_URL)
  --model-file PATH                  GGUF file for the embedded local model (BANTAM_MODEL_FILE)
  --tier auto|local|frontier         override the task's default tier (BANTAM_TIER)
  --timeout-ms N                     first-byte and between-chunk timeout (default 60000)
  --max-tokens N                     longest answer (default 4096)
  Keys: ANTHROPIC_API_KEY, OPENAI_API_KEY (frontier only); BANTAM_LOCAL_API_KEY for a local
  OpenAI-compatible server (OPENAI_API_KEY is never sent there).`;

export const PROVIDER_OPTIONS = {
  frontier: { type: 'string' },
  model: { type: 'string' },
  'base-url': { type: 'string' },
  local: { type: 'string' },
  'local-model': { type: 'string' },
  'local-base-url': { type: 'string' },
  'model-file': { type: 'string' },
  tier: { type: 'string' },
  'timeout-ms': { type: 'string' },
  'max-tokens': { type: 'string' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

type ProviderFlags = Partial<Record<keyof typeof PROVIDER_OPTIONS, string>>;

export interface CliModels {
  router: Router;
  log: RoutingLog;
  config: BantamConfig;
  dispose(): void;
}

function numberFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number, got "${value}"`);
  return n;
}

export function cliModels(flags: ProviderFlags, env: NodeJS.ProcessEnv = process.env): CliModels {
  const keys: ProviderKeys = { anthropic: env.ANTHROPIC_API_KEY || undefined, openai: env.OPENAI_API_KEY || undefined };
  const frontier =
    choice(flags.frontier ?? env.BANTAM_FRONTIER, ['anthropic', 'openai', 'none'] as const, '--frontier') ??
    (keys.anthropic ? 'anthropic' : keys.openai ? 'openai' : 'none');
  const modelFile = flags['model-file'] ?? env.BANTAM_MODEL_FILE;
  const local =
    choice(flags.local ?? env.BANTAM_LOCAL, ['embedded', 'ollama', 'openai', 'none'] as const, '--local') ??
    (modelFile ? 'embedded' : 'none');
  if (local === 'embedded' && !modelFile) throw new UsageError('--local embedded needs --model-file (or BANTAM_MODEL_FILE)');
  const tier = choice(flags.tier ?? env.BANTAM_TIER, ['auto', 'local', 'frontier'] as const, '--tier');
  const model = flags.model ?? env.BANTAM_MODEL;
  const baseUrl = flags['base-url'] ?? env.BANTAM_BASE_URL;
  const localModel = flags['local-model'] ?? env.BANTAM_LOCAL_MODEL;
  const localBaseUrl = flags['local-base-url'] ?? env.BANTAM_LOCAL_BASE_URL;

  const shared: RawSettings = {
    // With no frontier provider the router is told it is unavailable (and why), not switched off.
    'routing.frontierProvider': frontier === 'none' ? undefined : frontier,
    'routing.localProvider': local === 'none' ? undefined : local,
    'routing.tier': tier,
    'routing.timeoutMs': numberFlag(flags['timeout-ms'], '--timeout-ms'),
    'routing.maxAnswerTokens': numberFlag(flags['max-tokens'], '--max-tokens'),
  };
  const frontierConfig = configFrom({
    ...shared,
    [`${frontier}.model`]: model,
    [`${frontier}.baseUrl`]: baseUrl,
  });
  const localConfig = configFrom({
    ...shared,
    'ollama.host': local === 'ollama' ? localBaseUrl : undefined,
    'ollama.chatModel': local === 'ollama' ? localModel : undefined,
    'openai.baseUrl': local === 'openai' ? localBaseUrl : undefined,
    'openai.model': local === 'openai' ? localModel : undefined,
  });
  let embedded: LocalLlamaBackend | undefined;
  const host: ProviderHost = {
    // The local server is not OpenAI: OPENAI_API_KEY never goes there, only its own key.
    keys: async (tier) => (tier === 'local' ? { openai: env.BANTAM_LOCAL_API_KEY || undefined } : keys),
    keyHint: (provider, tier) =>
      tier === 'local' ? 'Set BANTAM_LOCAL_API_KEY.' : provider === 'anthropic' ? 'Set ANTHROPIC_API_KEY.' : 'Set OPENAI_API_KEY.',
    embedded: (config) => {
      embedded ??= new LocalLlamaBackend({
        workerPath: path.join(__dirname, 'modelHost.js'),
        modelPath: path.resolve(modelFile!),
        gpu: config.embedded.gpu,
        contextSize: config.embedded.contextSize,
        clientName: 'bantam cli',
      });
      const backend = embedded;
      return { provider: new LocalChatProvider({ backend: async () => backend, model: path.basename(modelFile!), contextSize: config.embedded.contextSize }) };
    },
  };
  const providers = {
    async frontier(): Promise<ProviderLookup> {
      if (frontier === 'none') return { unavailable: 'No frontier provider is set: set ANTHROPIC_API_KEY or OPENAI_API_KEY, or pass --frontier.' };
      return chatProviderFor(frontier, 'frontier', frontierConfig, host);
    },
    async local(): Promise<ProviderLookup> {
      if (local === 'none') return { unavailable: 'No local model is set: pass --model-file PATH (a GGUF file), or --local ollama.' };
      return chatProviderFor(local, 'local', localConfig, host);
    },
  };
  const log = new RoutingLog();
  const router = new Router({
    providers,
    config: () => frontierConfig.routing,
    trusted: () => true,
    // Running the command with a frontier key is the consent; say what goes where all the same.
    consent: {
      ensure: async (label, files) => {
        process.stderr.write(`bantam: sending ${files.length ? files.join(', ') : 'the question only'} to ${label}\n`);
        return 'send';
      },
    },
    log,
    notify: (notice) => process.stderr.write(`bantam: ${notice}\n`),
  });
  return { router, log, config: frontierConfig, dispose: () => embedded?.dispose() };
}
