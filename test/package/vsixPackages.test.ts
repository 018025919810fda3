// The platform packages `npm run package` writes (dist/bantam-<target>.vsix, one per row of
// scripts/platformTargets.mjs), opened as zips: each must hold Bantam's bundles, workers, grammars and
// webview, exactly its platform's node-llama-cpp packages with the build the model host asks for
// there, and no file of another platform: every native binary in it has the target's format and CPU
// (read from its header bytes). Run by `node scripts/test.mjs --vsix` after packaging, before the
// host's own package is installed into the test VS Code (test/integration/vsix.test.ts).
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { prebuiltGpu } from '../../src/core/providers/local/host/prebuiltBuild';
import { loadScript, type NativeBinaryModule, type PlatformTarget, type PlatformTargetsModule } from '../support/packagingScripts';
import { repoRoot } from '../support/repoRoot';
import { readZipEntries, type ZipEntry } from '../support/zipEntries';

/** The VS Code targets Bantam ships (Bantam issue 14). */
const SHIPPED_TARGETS = ['darwin-arm64', 'darwin-x64', 'win32-x64', 'win32-arm64', 'linux-x64', 'linux-arm64'];
/** node-llama-cpp's names for the platforms, as in its build metadata. */
const NLC_PLATFORM: Record<string, string> = { darwin: 'mac', win32: 'win', linux: 'linux' };

interface BuildMetadata {
  buildOptions: { platform: string; arch: string; gpu: false | string };
}

/** Files under `dir` (relative to the checkout, with /), or none when it doesn't exist. */
function filesIn(dir: string): string[] {
  const abs = join(repoRoot, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(abs, f)).isFile())
    .map((f) => relative(repoRoot, join(abs, f)).split(sep).join('/'));
}

/**
 * What every package must carry, under the names vsce gives them: the manifest, README and licence,
 * the activity-bar icon, every bundle the build wrote to dist/ (extension, workers, CLI, webview;
 * not the integration suites, source maps or packages), the tree-sitter runtime and grammars, and
 * the queries.
 */
function requiredFiles(): string[] {
  const bundles = filesIn('dist').filter((f) => !f.startsWith('dist/test/') && /\.(js|css|ttf)$/.test(f));
  const grammars = filesIn('grammars').filter((f) => /\.(wasm|scm)$/.test(f));
  return ['package.json', 'readme.md', 'LICENSE.txt', 'media/bantam.svg', 'bin/bantam.js', ...bundles, ...grammars];
}

describe('platform packages (.vsix)', function () {
  this.timeout(300_000);
  let nb: NativeBinaryModule;
  let targets: PlatformTarget[];
  const packages = new Map<string, Map<string, ZipEntry>>();

  before(async () => {
    nb = await loadScript<NativeBinaryModule>('nativeBinary.mjs');
    const pt = await loadScript<PlatformTargetsModule>('platformTargets.mjs');
    targets = pt.PLATFORM_TARGETS;
    for (const row of targets) {
      const path = join(repoRoot, pt.vsixPath(row.target));
      assert.ok(existsSync(path), `${path} is missing: run npm run package`);
      const whole = (name: string) => name === 'extension.vsixmanifest' || /^extension\/node_modules\/(@node-llama-cpp\/[^/]+|node-llama-cpp)\/package\.json$/.test(name) || name.endsWith('/_nlcBuildMetadata.json');
      packages.set(row.target, await readZipEntries(path, nb.HEADER_BYTES, whole));
    }
  });

  const text = (entries: Map<string, ZipEntry>, name: string) => entries.get(name)?.contents?.toString('utf8') ?? '';

  it('there is one package for each of the six targets, marked with its target', () => {
    assert.deepEqual(targets.map((t) => t.target).sort(), [...SHIPPED_TARGETS].sort());
    for (const row of targets) {
      assert.match(text(packages.get(row.target)!, 'extension.vsixmanifest'), new RegExp(`TargetPlatform="${row.target}"`), row.target);
    }
  });

  it("each holds the manifest, README, every bundle the build writes (extension, workers, webview), the grammars and queries", () => {
    const required = requiredFiles();
    for (const needed of ['dist/extension.js', 'dist/modelHost.js', 'dist/gpuProbe.js', 'dist/indexWorker.js', 'dist/media/chat.js', 'grammars/web-tree-sitter.wasm']) {
      assert.ok(required.includes(needed), `the build left no ${needed} (run node scripts/build.mjs)`);
    }
    for (const row of targets) {
      const entries = packages.get(row.target)!;
      const missing = required.filter((f) => !entries.has(`extension/${f}`));
      assert.deepEqual(missing, [], `${row.target} lacks ${missing.join(', ')}`);
      assert.ok(entries.has('extension/node_modules/node-llama-cpp/dist/index.js'), `${row.target} lacks node-llama-cpp`);
      const sources = [...entries.keys()].filter((n) => /^extension\/(src|test|media\/chat)\//.test(n) || n.endsWith('.map'));
      assert.deepEqual(sources, [], `${row.target} carries sources or maps`);
    }
  });

  it("each holds exactly its platform's @node-llama-cpp packages, at node-llama-cpp's version", () => {
    for (const row of targets) {
      const entries = packages.get(row.target)!;
      const found = new Set([...entries.keys()].map((n) => /^extension\/node_modules\/@node-llama-cpp\/([^/]+)\//.exec(n)?.[1]).filter((n): n is string => !!n));
      assert.deepEqual([...found].sort(), [...row.packages].sort(), `${row.target}'s @node-llama-cpp packages`);
      const version = (JSON.parse(text(entries, 'extension/node_modules/node-llama-cpp/package.json')) as { version: string }).version;
      for (const name of row.packages) {
        const manifest = JSON.parse(text(entries, `extension/node_modules/@node-llama-cpp/${name}/package.json`)) as { version: string };
        // node-llama-cpp ignores a prebuilt package of another version.
        assert.equal(manifest.version, version, `${row.target}: @node-llama-cpp/${name}`);
        assert.ok(entries.has(`extension/node_modules/@node-llama-cpp/${name}/dist/index.js`), `${row.target}: @node-llama-cpp/${name} has no dist/index.js`);
      }
    }
  });

  it("every native binary in each package has its target's format and CPU; nothing of another platform is there", () => {
    for (const row of targets) {
      const entries = packages.get(row.target)!;
      const wrong: string[] = [];
      let native = 0;
      for (const [name, entry] of entries) {
        const found = nb.binaryFormat(entry.head);
        const inBins = /\/bins\//.test(name) && !name.endsWith('/_nlcBuildMetadata.json') && !name.endsWith('.moved.txt');
        // Judged by extension, by place (a prebuilt's bins/) and by content (a native file under any name).
        if (!nb.looksNative(name) && !inBins && !found) continue;
        native++;
        if (!nb.isFormat(found, row.binary)) wrong.push(`${name}: ${nb.describeFormat(found)}`);
      }
      assert.deepEqual(wrong, [], `${row.target} must hold only ${row.binary.format} ${row.binary.arch} binaries`);
      assert.ok(native >= 5, `${row.target}: only ${native} native binaries`);
      const foreign = [...entries.keys()].filter((n) => /\/@reflink\/reflink-|\.lib$/i.test(n));
      assert.deepEqual(foreign, [], `${row.target} carries other platforms' or link-time files`);
    }
  });

  it('each holds, ready to load, the build the model host asks node-llama-cpp for on its platform', () => {
    for (const row of targets) {
      const entries = packages.get(row.target)!;
      const builds = [...entries.keys()]
        .map((n) => /^extension\/node_modules\/@node-llama-cpp\/[^/]+\/bins\/[^/]+\//.exec(n)?.[0])
        .filter((folder, i, all): folder is string => !!folder && all.indexOf(folder) === i)
        .map((folder) => ({ folder, meta: JSON.parse(text(entries, `${folder}_nlcBuildMetadata.json`) || 'null') as BuildMetadata | null }));
      for (const { folder, meta } of builds) {
        assert.ok(meta, `${folder} has no _nlcBuildMetadata.json`);
        assert.equal(meta.buildOptions.platform, NLC_PLATFORM[row.platform], `${folder} is built for ${meta.buildOptions.platform}`);
        assert.equal(meta.buildOptions.arch, row.arch, `${folder} is built for ${meta.buildOptions.arch}`);
        assert.ok(entries.has(`${folder}llama-addon.node`), `${folder} has no llama-addon.node`);
      }
      const asked = prebuiltGpu(row.platform, row.arch);
      assert.ok(builds.some((b) => b.meta?.buildOptions.gpu === asked), `${row.target}: no build with gpu ${String(asked)} among ${builds.map((b) => `${b.folder} (${String(b.meta?.buildOptions.gpu)})`).join(', ')}`);
      if (/Vulkan/.test(row.accelerators)) assert.ok(builds.some((b) => b.meta?.buildOptions.gpu === 'vulkan'), `${row.target} has no Vulkan build`);
      if (/Metal/.test(row.accelerators)) assert.ok(builds.some((b) => b.meta?.buildOptions.gpu === 'metal'), `${row.target} has no Metal build`);
    }
  });

  it('the header reader told all six formats apart on the real addons (Mach-O, PE32+ and ELF; arm64 and x64)', () => {
    const seen = new Set<string>();
    for (const row of targets) {
      for (const [name, entry] of packages.get(row.target)!) {
        if (name.endsWith('/llama-addon.node')) seen.add(nb.describeFormat(nb.binaryFormat(entry.head)));
      }
    }
    assert.deepEqual([...seen].sort(), ['ELF 64-bit arm64', 'ELF 64-bit x64', 'Mach-O 64-bit arm64', 'Mach-O 64-bit x64', 'PE32+ arm64', 'PE32+ x64']);
  });
});
