// `bantam next-edit --file PATH --line L --column C [--history FILE.json]`: the editor's next-edit
// road headless. The history file is replayed through EditHistory (editHistoryFile.ts), the model
// is the one NextEditClient builds from the settings these flags make, and NextEditPredictor asks it
// exactly as the editor does; the suggestion is printed as a unified diff of the file, or nothing.
// The file, and every file of the history, passes the same guard as every prompt (PromptExclusions).
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { configFrom, type RawSettings } from '../core/config';
import { describePromptBar, PromptExclusions, type PromptBarReason } from '../core/context/promptExclusions';
import { unifiedDiff } from '../core/edits/unifiedDiff';
import { readMachineProfile, osMachineProfile } from '../core/models/machineProfile';
import { ModelFileError } from '../core/models/modelFileError';
import { readModelFileFacts } from '../core/models/modelInspector';
import { locateNextEditModel, recommendNextEditModel } from '../core/models/nextEditModels';
import { NextEditClient, nextEditServerUrl } from '../core/nextEdit/nextEditClient';
import { applyEdits } from '../core/nextEdit/nextEditDisplay';
import { NEXT_EDIT_FORMATS } from '../core/nextEdit/nextEditFamilies';
import { NextEditPredictor } from '../core/nextEdit/nextEditPredictor';
import { EditHistory } from '../core/nextEdit/editHistory';
import { choice, offsetAt, positiveInt, relativeInside, UsageError, workspaceRoot, yesOnTerminal } from './cliShared';
import { readHistoryFile, replayHistory } from './editHistoryFile';
import { vscodeModelsDir } from './vscodeModelsDir';

export const NEXT_EDIT_USAGE = `  bantam next-edit --file PATH --line L --column C [--workspace DIR] [--history FILE.json]
              [--backend embedded|openai|ollama] [--model FILE|NAME] [--local-base-url URL]
              [--format auto|sweep|zeta] [--allow-remote] [--verbose]

  Predicts the edit you would make next around the cursor, from your recent edits, with the
  next-edit model, and prints it as a unified diff of --file (git apply accepts it); prints nothing
  (exit 0) when the model suggests nothing. Nothing is written.
  --workspace  the workspace folder (default: the current directory)
  --file       the file, relative to the workspace (or absolute inside it)
  --line       1-based line of the cursor, as editors show it
  --column     1-based column of the cursor, as editors show it (UTF-16 code units)
  --history    your recent edits, oldest first (below); without it the prompt holds no edits
  --backend    embedded (default: the shared model host, as in VS Code), openai (a server's
               /v1/completions) or ollama (BANTAM_NEXT_EDIT_BACKEND)
  --model      embedded: a GGUF file (default: the next-edit model downloaded in VS Code, or in
               BANTAM_MODELS_DIR); openai, ollama: the model's name on the server (BANTAM_NEXT_EDIT_MODEL)
  --local-base-url  the server (BANTAM_LOCAL_BASE_URL): an OpenAI-compatible base URL such as
               http://127.0.0.1:8080/v1 (its key from BANTAM_LOCAL_API_KEY), or the Ollama host
               (default http://127.0.0.1:11434)
  --format     the model's prompt format: auto (from its name; default), sweep or zeta
  --allow-remote  send the file and the history to a server that is neither this machine nor a
               private address (without it you are asked on a terminal, and refused without one)
  --verbose    say on stderr which model answered, in how long, and why it suggested nothing
  History file (JSON): { "edits": [ { "path": "src/a.ts", "before": "<whole file before>",
               "after": "<whole file after>" }, ... ], "viewed": [ { "path": "src/b.ts",
               "startLine": 3, "endLine": 9, "text": "<those lines>" } ] }
               Edits oldest first, each replayed as the editor records a change: edits without
               "at" (ms) come 100 ms apart, so nearby ones join as quick typing does; "reason":
               "undo" marks an undo. "viewed" (optional): ranges you looked at, lines 1-based.
               Paths are relative to the workspace; git-ignored and secret-looking files are left out.`;

const BACKENDS = ['embedded', 'openai', 'ollama'] as const;
const FORMATS = ['auto', ...NEXT_EDIT_FORMATS] as const;

export async function nextEditCommand(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      workspace: { type: 'string' },
      file: { type: 'string' },
      line: { type: 'string' },
      column: { type: 'string' },
      history: { type: 'string' },
      backend: { type: 'string' },
      model: { type: 'string' },
      'local-base-url': { type: 'string' },
      format: { type: 'string' },
      'allow-remote': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.file || !values.line || !values.column) throw new UsageError('--file, --line and --column are required');
  const root = workspaceRoot(values.workspace ?? process.cwd());
  const line = positiveInt(values.line, '--line');
  const column = positiveInt(values.column, '--column');
  const backend = choice(values.backend ?? env.BANTAM_NEXT_EDIT_BACKEND, BACKENDS, '--backend') ?? 'embedded';
  const format = choice(values.format, FORMATS, '--format') ?? 'auto';
  const model = (values.model ?? env.BANTAM_NEXT_EDIT_MODEL ?? '').trim();
  const baseUrl = values['local-base-url'] ?? env.BANTAM_LOCAL_BASE_URL;
  if (backend !== 'embedded' && model === '') throw new UsageError(`--backend ${backend} needs --model, the next-edit model's name on the server`);
  if (backend === 'openai' && !baseUrl) throw new UsageError('--backend openai needs --local-base-url (or BANTAM_LOCAL_BASE_URL), e.g. http://127.0.0.1:8080/v1');
  const say = (line: string) => process.stderr.write(`bantam: ${line}\n`);
  const verbose = values.verbose ? say : undefined;

  // The guard every prompt passes, with the index's exclude globs.
  const exclusions = new PromptExclusions(root, () => configFrom().context.exclude);
  const rel = relativeInside(root, values.file, '--file');
  const barred = await exclusions.reasonFor(rel);
  if (barred) throw new UsageError(describePromptBar(rel, barred));
  let text: string;
  try {
    text = readFileSync(path.join(root, rel), 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read --file ${values.file}: ${(error as Error).message}`);
  }
  if (exclusions.reasonForText(text)) throw new UsageError(describePromptBar(rel, 'secret'));
  const cursorOffset = offsetAt(text, line, column);

  const { history, now } = values.history ? await replayedHistory(path.resolve(values.history), root, rel, text, exclusions, say) : { history: new EditHistory(() => true), now: 0 };

  const settings: RawSettings = { 'nextEdit.backend': backend, 'nextEdit.promptFormat': format, 'nextEdit.model': model };
  if (backend === 'openai') settings['openai.baseUrl'] = baseUrl;
  if (backend === 'ollama' && baseUrl) settings['ollama.host'] = baseUrl;
  const modelsDir = vscodeModelsDir(env);
  let machine = osMachineProfile();
  if (backend === 'embedded') {
    if (model === '') machine = await readMachineProfile({ probePath: path.join(__dirname, 'gpuProbe.js'), gpu: configFrom().embedded.gpu });
    settings['nextEdit.model'] = await embeddedModelFile(model, modelsDir, machine);
  }
  const config = configFrom(settings);

  const told: string[] = [];
  let refusedHost: string | undefined;
  const client = new NextEditClient({
    hostScript: path.join(__dirname, 'modelHost.js'),
    modelsDir,
    workspaceFolder: root,
    machine,
    // A local server's own key; OPENAI_API_KEY is for the frontier and never goes there.
    apiKey: async () => env.BANTAM_LOCAL_API_KEY || undefined,
    consent: async (host) => {
      const yes = values['allow-remote'] || (await yesOnTerminal(`Send ${rel} and your edit history to ${host}, which is neither this machine nor a private address? [y/N] `));
      if (yes) say(`sending ${rel} and its edit history to ${host}`);
      else refusedHost = host;
      return yes;
    },
    log: verbose,
    notify: (message) => told.push(message.replace(/^Bantam next-edit: /, '')),
  });
  const predictor = new NextEditPredictor({ config: () => config, client, history, now: () => now });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  try {
    const started = performance.now();
    const attempt = await predictor.attempt({ path: rel, languageId: '', text, documentVersion: 1, cursorOffset }, abort.signal);
    if (abort.signal.aborted) {
      say('interrupted');
      return 130;
    }
    const label = await client.label();
    verbose?.(`${label ?? 'no model'}${attempt.prompt ? `, ${attempt.prompt.format} prompt` : ''}, ${Math.round(performance.now() - started)} ms`);
    if (refusedHost !== undefined) {
      say(`nothing was sent: ${refusedHost} (${nextEditServerUrl(config)}) is neither this machine nor a private address; pass --allow-remote to send it ${rel} and your edits`);
      return 1;
    }
    if (attempt.suggestion) {
      const after = applyEdits(text, attempt.suggestion.edits);
      process.stdout.write(unifiedDiff([{ path: rel, kind: 'modify', before: text, after }]));
      return 0;
    }
    // No model (none found, a broken file) or a failed request: a failure, not "nothing to suggest".
    if (told.length) {
      for (const message of told) say(message);
      return 1;
    }
    verbose?.(`no suggestion${attempt.refused ? ` (${attempt.refused})` : ''}`);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    predictor.dispose();
    client.dispose();
  }
}

/**
 * The GGUF file for the embedded backend: --model as a path (relative to the current directory), or
 * an `hf:` URI or nothing, found among the models Bantam downloaded.
 */
async function embeddedModelFile(model: string, modelsDir: string, machine: ReturnType<typeof osMachineProfile>): Promise<string> {
  const location = await locateNextEditModel(model.startsWith('hf:') ? model : model && path.resolve(model), {
    modelsDir,
    recommended: recommendNextEditModel(machine),
  });
  if (location.kind === 'not-downloaded') {
    throw new Error(`no next-edit model is downloaded in ${modelsDir}: pass --model FILE.gguf, or download one with 'Bantam: Download Next-Edit Model' in VS Code (BANTAM_MODELS_DIR names another folder)`);
  }
  if (!existsSync(location.path)) throw new UsageError(`--model ${model}: no such file`);
  // Checked here too, to say what to do in the CLI's terms (the inspector's advice names settings).
  try {
    await readModelFileFacts(location.path);
  } catch (error) {
    if (!(error instanceof ModelFileError)) throw error;
    throw new Error(`${error.message.split('; ')[0]!.replace(/\.$/, '')}; pass --model with a next-edit .gguf file`);
  }
  return location.path;
}

/**
 * The history file replayed as the editor records it, with the files the guard bars left out (and
 * said so); warns when the file's last recorded edit does not end in its text now.
 */
async function replayedHistory(
  file: string,
  root: string,
  rel: string,
  text: string,
  exclusions: PromptExclusions,
  say: (line: string) => void,
): Promise<{ history: EditHistory; now: number }> {
  const parsed = await readHistoryFile(file, root);
  const barred = new Map<string, PromptBarReason>();
  for (const p of new Set([...parsed.edits, ...parsed.viewed].map((e) => e.path))) {
    const reason = await exclusions.reasonFor(p);
    if (reason) barred.set(p, reason);
  }
  const replayed = replayHistory(parsed, (p, after) => {
    const reason = barred.get(p) ?? exclusions.reasonForText(after);
    if (reason && !barred.has(p)) barred.set(p, reason);
    return reason === undefined;
  });
  for (const [p, reason] of barred) say(`left out of the history: ${describePromptBar(p, reason)}`);
  const last = parsed.edits.filter((e) => e.path === rel).at(-1);
  if (last && last.after !== text) say(`the history's last edit of ${rel} does not end in the file's text now; the prompt shows both as they are`);
  return replayed;
}
