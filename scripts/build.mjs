// Builds everything Bantam runs from:
//   dist/extension.js          the extension bundle (vscode and node-llama-cpp stay external)
//   dist/modelHost.js          the model host process shared by every window (node-llama-cpp external, loaded lazily)
//   dist/gpuProbe.js           a short-lived child process that reports the GPU and its memory
//   dist/cli.js                `npx bantam` (bin/bantam.js loads it)
//   dist/test/integration.js   the integration suites, run inside a real VS Code extension host
//   dist/media/                the chat webview app: chat.js (media/chat/main.ts), chat.css, and
//                              codicon.css + codicon.ttf from @vscode/codicons
//   out/**                     src, test, bench transpiled file by file for mocha, the CLI and benchmarks
//   grammars/                  tree-sitter runtime, grammars and their tags.scm (scripts/copyGrammars.mjs)
// Usage: node scripts/build.mjs [--production]
// BANTAM_OUT_DIR=dir builds only the file-by-file tree, into dir (parallel work without clobbering out/).
import * as esbuild from 'esbuild';
import { readdirSync, statSync, existsSync, rmSync, mkdirSync, copyFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyGrammars } from './copyGrammars.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const production = process.argv.includes('--production');

function listTs(dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  const found = [];
  for (const name of readdirSync(abs)) {
    const rel = join(dir, name);
    // Test fixtures are data (workspaces in many languages), not code to build.
    if (rel === join('test', 'fixtures')) continue;
    if (statSync(join(root, rel)).isDirectory()) found.push(...listTs(rel));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(rel);
  }
  return found;
}

const common = {
  absWorkingDir: root,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'error',
};

const external = ['vscode', 'node-llama-cpp', 'playwright-core'];
// esbuild would pick web-tree-sitter's ESM build, whose `import.meta.url` becomes `{}` in CJS output
// and crashes Parser.init silently: bundle its CJS entry instead.
const alias = { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' };
const outDir = process.env.BANTAM_OUT_DIR || 'out';

const bundles = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { entryPoints: ['src/workers/modelHost.ts'], outfile: 'dist/modelHost.js' },
  { entryPoints: ['src/workers/indexWorker.ts'], outfile: 'dist/indexWorker.js' },
  { entryPoints: ['src/workers/gpuProbe.ts'], outfile: 'dist/gpuProbe.js' },
  { entryPoints: ['src/cli/bantam.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['test/integration/index.ts'], outfile: 'dist/test/integration.js' },
].filter((b) => existsSync(join(root, b.entryPoints[0])) && !process.env.BANTAM_OUT_DIR);

// The chat webview runs in a browser frame, not in Node: its own bundle, script and stylesheet.
const buildMedia = !process.env.BANTAM_OUT_DIR && existsSync(join(root, 'media', 'chat', 'main.ts'));
const mediaCommon = { absWorkingDir: root, bundle: true, minify: production, sourcemap: !production, logLevel: 'error' };
const mediaBuilds = buildMedia
  ? [
      { ...mediaCommon, entryPoints: ['media/chat/main.ts'], outfile: 'dist/media/chat.js', platform: 'browser', format: 'iife', target: 'chrome120' },
      { ...mediaCommon, entryPoints: ['media/chat/chat.css'], outfile: 'dist/media/chat.css', target: 'chrome120' },
    ]
  : [];

function copyCodicons() {
  if (!buildMedia) return;
  const from = join(root, 'node_modules', '@vscode', 'codicons', 'dist');
  const to = join(root, 'dist', 'media');
  mkdirSync(to, { recursive: true });
  for (const name of ['codicon.css', 'codicon.ttf']) copyFileSync(join(from, name), join(to, name));
}

// out/ mirrors the sources file by file: start it afresh so a deleted test can't keep running.
rmSync(join(root, outDir), { recursive: true, force: true });
copyGrammars();
copyCodicons();

await Promise.all([
  ...bundles.map((b) =>
    esbuild.build({ ...common, ...b, bundle: true, external, alias, minify: production, sourcemap: !production }),
  ),
  ...mediaBuilds.map((b) => esbuild.build(b)),
  esbuild.build({
    ...common,
    entryPoints: [...listTs('src'), ...listTs('test'), ...listTs('bench')],
    outdir: outDir,
    outbase: '.',
    bundle: false,
  }),
]);
const built = [...bundles, ...mediaBuilds].map((b) => relative(root, join(root, b.outfile)));
console.log(`built ${[...built, `${outDir}/`].join(", ")}`);
