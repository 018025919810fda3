// The model host asks node-llama-cpp for the prebuilt build each platform's package carries: the CPU
// build everywhere but Apple Silicon, whose only published build is Metal (asking for `false` there
// finds no binary). test/package/ checks each .vsix holds the build asked for.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { prebuiltGpu } from '../../../../../src/core/providers/local/host/prebuiltBuild';
import { repoRoot } from '../../../../support/repoRoot';

describe('prebuiltGpu: the build the model host asks for', () => {
  const cases: Array<[NodeJS.Platform, string, false | 'metal']> = [
    ['darwin', 'arm64', 'metal'],
    ['darwin', 'x64', false],
    ['win32', 'x64', false],
    ['win32', 'arm64', false],
    ['linux', 'x64', false],
    ['linux', 'arm64', false],
  ];
  for (const [platform, arch, expected] of cases) {
    it(`${platform}-${arch}: ${String(expected)}`, () => assert.equal(prebuiltGpu(platform, arch), expected));
  }

  it("node-llama-cpp keeps each choice as asked on its platform (it doesn't widen it to 'auto')", async () => {
    // An internal module of the installed node-llama-cpp, by path (its package exports don't list it).
    const file = join(repoRoot, 'node_modules', 'node-llama-cpp', 'dist', 'bindings', 'utils', 'getGpuTypesToUseForOption.js');
    const { resolveValidGpuOptionForPlatform } = (await import(pathToFileURL(file).href)) as {
      resolveValidGpuOptionForPlatform(gpu: false | string, where: { platform: string; arch: string }): false | string;
    };
    const nlcPlatform: Record<string, string> = { darwin: 'mac', win32: 'win', linux: 'linux' };
    for (const [platform, arch, expected] of cases) {
      assert.equal(resolveValidGpuOptionForPlatform(prebuiltGpu(platform, arch), { platform: nlcPlatform[platform]!, arch }), expected, `${platform}-${arch}`);
    }
  });
});
