// scripts/copyGrammars.mjs runs before the TypeScript build, so it reads the language registry by
// bundling it in memory: it must see exactly the specs the extension is built with.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LANGUAGE_SPECS } from '../../../src/core/context/languages/registry';
import { repoRoot } from '../../support/repoRoot';

const script = pathToFileURL(join(repoRoot, 'scripts', 'copyGrammars.mjs')).href;

describe('copyGrammars: the languages it copies', () => {
  it("are the registry's specs, in order, with their grammars", () => {
    const code = `import { languageGrammars } from ${JSON.stringify(script)}; console.log(JSON.stringify(languageGrammars()));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const expected = LANGUAGE_SPECS.map((spec) => ({ id: spec.id, ...spec.grammar }));
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(JSON.stringify(expected)));
  });
});
