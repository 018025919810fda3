// scripts/runIntegration.mjs opens the workspace a run needs: a folder with code-server's `folder`
// parameter, a .code-workspace file with `workspace`; the multi-root suites get a two-folder
// workspace of their own and are never mixed with suites that expect one folder.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const script = pathToFileURL(join(resolve(__dirname, '..', '..', '..', '..'), 'scripts', 'runIntegration.mjs')).href;

/** Runs `expression` (with the script's exports in scope as `m`) in a child (it is an ES module); its JSON value. */
function run(expression: string): { value?: unknown; error?: string } {
  const code = `import * as m from ${JSON.stringify(script)};
    try { console.log(JSON.stringify({ value: ${expression} })); } catch (e) { console.log(JSON.stringify({ error: e.message })); }`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { value?: unknown; error?: string };
}

describe('runIntegration: the workspace a run opens', () => {
  it('opens a folder with `folder` and a .code-workspace with `workspace`', () => {
    const folder = run(`m.workbenchUrl('http://127.0.0.1:9', { workspace: '/tmp/ws', extensionDevelopmentPath: '/repo' })`).value as string;
    assert.equal(new URL(folder).searchParams.get('folder'), 'vscode-remote://127.0.0.1:9/tmp/ws');
    const file = run(`m.workbenchUrl('http://127.0.0.1:9', { workspace: '/tmp/x/b.code-workspace', extensionDevelopmentPath: '/repo' })`).value as string;
    assert.equal(new URL(file).searchParams.get('workspace'), 'vscode-remote://127.0.0.1:9/tmp/x/b.code-workspace');
    assert.equal(new URL(file).searchParams.get('folder'), null);
  });

  it('the multi-root suites run alone, in a two-folder workspace', () => {
    assert.equal(run(`m.wantsMultiRoot('multi-root')`).value, true);
    assert.equal(run(`m.wantsMultiRoot('multiRoot.test')`).value, true);
    assert.equal(run(`m.wantsMultiRoot('default')`).value, false);
    assert.match(run(`m.wantsMultiRoot('multi-root,chat.test')`).error ?? '', /run them alone/);
    const dir = mkdtempSync(join(tmpdir(), 'bantam-mr-'));
    try {
      const file = run(`m.writeMultiRootWorkspace(${JSON.stringify(dir)})`).value as string;
      assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).folders, [{ path: 'app' }, { path: 'lib' }]);
      assert.ok(statSync(join(dir, 'app')).isDirectory() && statSync(join(dir, 'lib')).isDirectory());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
