// `npm start`: opens Bantam in a real VS Code on the example workspace, for trying it by hand.
// Builds, makes the tiny test model when no model is configured, then either launches a desktop
// VS Code (`code` on PATH) with this repo as the extension under development, or starts the cached
// code-server test host on 127.0.0.1 with the extension loaded and prints the URL to open.
// Stays in the foreground until Ctrl-C (or until the desktop window closes).
//
// Usage: node scripts/start.mjs [--web] [--port N] [--workspace DIR]
//   --web        use code-server even when a desktop `code` is on PATH
//   --port       port for code-server (default: any free port)
//   --workspace  folder to open (default: a copy of examples/workspace in .cache/example-workspace)
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureTestHost, testHostDir } from './setupTestHost.mjs';
import { repoRoot, startCodeServer, stopChild, workbenchUrl } from './runIntegration.mjs';

const { values: flags } = parseArgs({
  options: {
    web: { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
    workspace: { type: 'string' },
  },
});
// The example opens from a copy under .cache/ (gitignored), so the edits you make while trying
// Bantam and the machine-specific model path below never touch the committed example.
const workspace = resolve(flags.workspace ?? join(repoRoot, '.cache', 'example-workspace'));
const tinyModel = join(repoRoot, '.cache', 'models', 'bantam-tiny-qwen2.gguf');

/** Copies examples/workspace once and points its settings at the tiny test model if none is set. */
function prepareExampleWorkspace() {
  if (flags.workspace) return;
  if (!existsSync(workspace)) cpSync(join(repoRoot, 'examples', 'workspace'), workspace, { recursive: true });
  if (workspaceConfiguresModel()) return;
  const file = join(workspace, '.vscode', 'settings.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ 'bantam.completion.model': tinyModel }, null, 2)}\n`);
  console.log(`The example workspace uses the tiny test model (random weights: its suggestions are noise).`);
  console.log(`For real suggestions run "Bantam: Download Recommended Model" or set bantam.completion.model in ${file}.`);
}

function which(cmd) {
  for (const d of (process.env.PATH || '').split(delimiter)) {
    if (d && existsSync(join(d, cmd))) return join(d, cmd);
  }
  return undefined;
}

function runNode(args) {
  console.log(`> node ${args.join(' ')}`);
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

/** True when the workspace's settings name a model; then there is nothing to generate. */
function workspaceConfiguresModel() {
  const settings = join(workspace, '.vscode', 'settings.json');
  return existsSync(settings) && /"bantam\.completion\.model"\s*:/.test(readFileSync(settings, 'utf8'));
}

async function openInDesktop(code) {
  console.log(`Opening ${workspace} in ${code} with Bantam from ${repoRoot}; close the window (or Ctrl-C) to stop.`);
  const child = spawn(code, ['--new-window', '--wait', `--extensionDevelopmentPath=${repoRoot}`, workspace], { stdio: 'inherit' });
  await new Promise((r) => child.on('exit', r));
}

async function openInCodeServer() {
  await ensureTestHost();
  const profileDir = join(dirname(testHostDir()), 'start-profile');
  const logFile = join(profileDir, 'code-server.log');
  mkdirSync(profileDir, { recursive: true });
  const log = createWriteStream(logFile, { flags: 'a' });
  const { child, url } = startCodeServer({
    profileDir,
    workspace,
    port: Number(flags.port) || 0,
    onOutput: (text) => log.write(text),
  });
  const stop = async (why) => {
    console.log(`\n${why}: stopping code-server`);
    await stopChild(child);
    log.end();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('Ctrl-C'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  let base;
  try {
    base = await url;
  } catch (e) {
    log.end();
    throw new Error(`${e instanceof Error ? e.message : e}; see ${logFile}`);
  }
  const open = workbenchUrl(base, { workspace, extensionDevelopmentPath: repoRoot });
  console.log('');
  console.log('Bantam is running in VS Code (code-server) on the example workspace. Open:');
  console.log('');
  console.log(`  ${open}`);
  console.log('');
  console.log(`Server log: ${logFile}. From another machine: ssh -L ${new URL(base).port}:127.0.0.1:${new URL(base).port} this host.`);
  console.log('Press Ctrl-C to stop.');
  const code = await new Promise((r) => child.on('exit', (c, s) => r(c ?? s)));
  log.end();
  throw new Error(`code-server exited (${code}); see ${logFile}`);
}

async function main() {
  runNode(['scripts/build.mjs']);
  runNode(['scripts/makeTestModels.mjs', '--tiny']);
  prepareExampleWorkspace();
  if (!existsSync(workspace)) throw new Error(`workspace folder ${workspace} does not exist`);
  const code = flags.web ? undefined : which('code');
  if (code) await openInDesktop(code);
  else await openInCodeServer();
}

main().catch((e) => {
  console.error(`npm start: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
});
