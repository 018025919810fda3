// scripts/buildLlamaServer.mjs chooses the CPU features of the llama-server it builds from what the
// CPU reports: every known x86 feature it lists, never AMX (a VM that reports AMX may trap it, and a
// binary using it dies with an illegal instruction), and nothing special off x86.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const script = pathToFileURL(join(resolve(__dirname, '..', '..', '..', '..'), 'scripts', 'buildLlamaServer.mjs')).href;

/** cpuOptions(cpuinfo, arch) from the script, run in a child (it is an ES module). */
function cpuOptions(cpuinfo: string, arch: string): { name: string; options: string[] } {
  const code = `import { cpuOptions } from ${JSON.stringify(script)}; console.log(JSON.stringify(cpuOptions(process.argv[1], process.argv[2])));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code, cpuinfo, arch], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { name: string; options: string[] };
}

describe('buildLlamaServer: CPU features', () => {
  it('an AVX-512 CPU that also reports AMX: every AVX-512 feature it lists on, AMX off, not native', () => {
    const { name, options } = cpuOptions('processor : 0\nflags : fpu sse avx avx2 fma f16c bmi2 avx512f avx512_vnni avx512_bf16 amx_tile amx_int8\n', 'x64');
    for (const on of ['GGML_AVX', 'GGML_AVX2', 'GGML_FMA', 'GGML_F16C', 'GGML_BMI2', 'GGML_AVX512', 'GGML_AVX512_VNNI', 'GGML_AVX512_BF16']) {
      assert.ok(options.includes(`-D${on}=ON`), `${on} on: ${options.join(' ')}`);
    }
    assert.ok(options.includes('-DGGML_AVX512_VBMI=OFF'), 'a feature the CPU does not list stays off');
    for (const amx of ['GGML_AMX_TILE', 'GGML_AMX_INT8', 'GGML_AMX_BF16']) assert.ok(options.includes(`-D${amx}=OFF`));
    assert.ok(options.includes('-DGGML_NATIVE=OFF'));
    assert.match(name, /^x64-avx-avx2-.*avx512f/);
    assert.doesNotMatch(name, /amx/);
  });

  it('an AVX2-only CPU gets a different build folder from an AVX-512 one', () => {
    const avx2 = cpuOptions('flags : avx avx2 fma f16c\n', 'x64');
    assert.ok(avx2.options.includes('-DGGML_AVX512=OFF'));
    assert.notEqual(avx2.name, cpuOptions('flags : avx avx2 fma f16c avx512f\n', 'x64').name);
  });

  it('off x86 (Apple Silicon, arm64) llama.cpp keeps its own defaults', () => {
    assert.deepEqual(cpuOptions('', 'arm64'), { name: 'arm64', options: [] });
  });
});

describe('buildLlamaServer: the pinned llama.cpp release', () => {
  /** The script's pinned source and the server path it gives for `dir`, run in a child. */
  function pinned(dir: string): { source: { release: string; package: string; version: string; integrity: string }; path: string } {
    const code = `import { LLAMA_SERVER_SOURCE, serverPath } from ${JSON.stringify(script)}; console.log(JSON.stringify({ source: LLAMA_SERVER_SOURCE, path: serverPath() }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', env: { ...process.env, BANTAM_LLAMA_SERVER_DIR: dir } });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as ReturnType<typeof pinned>;
  }

  it('is v0.5.0 from node-llama-cpp 3.22.1, with the tarball sha512 to check', () => {
    const { source } = pinned('/tmp/bantam-llama-server-cache');
    assert.deepEqual({ release: source.release, package: source.package, version: source.version }, { release: 'v0.5.0', package: 'node-llama-cpp', version: '3.22.1' });
    assert.match(source.integrity, /^sha512-[A-Za-z0-9+/]{86}==$/);
  });

  it('names the cache folder after the release and the CPU, whatever node-llama-cpp is installed', () => {
    const { source, path } = pinned('/tmp/bantam-llama-server-cache');
    assert.match(path, new RegExp(`^/tmp/bantam-llama-server-cache/${source.release.replace(/\./g, '\\.')}-[a-z0-9-]+/llama-server(\\.exe)?$`));
  });
});
