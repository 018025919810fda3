// Tests for `npx bantam context` (bin/bantam.js -> dist/cli.js, the index worker the extension
// uses): on a fixture workspace it prints the snippets retrieval sends, as the documented JSON, with
// paths relative to the workspace; bad arguments get a one-line message and exit code 2.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { contextFixture, FIXTURE_CURSOR_MARKER, repoRoot } from '../../support/repoRoot';

const BIN = join(repoRoot, 'bin', 'bantam.js');

function bantam(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('bantam context (CLI)', function () {
  this.timeout(90_000);
  const workspace = contextFixture('python');
  const file = 'shop/cart.py';
  const lines = readFileSync(join(workspace, file), 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(FIXTURE_CURSOR_MARKER)) + 1;
  const column = lines[line - 1]!.indexOf('compute_total') + 4;

  it('prints the retrieved snippets as JSON, paths relative to the workspace', () => {
    const run = bantam('context', '--workspace', workspace, '--file', file, '--line', String(line), '--column', String(column), '--json', '--no-cache');
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(run.stdout) as { snippets: Record<string, unknown>[]; tokens: number };
    assert.deepEqual(Object.keys(json), ['snippets', 'tokens']);
    const definition = json.snippets.find((s) => String(s.reason).startsWith('definition of compute_total'));
    assert.ok(definition, run.stdout);
    assert.deepEqual(Object.keys(definition).sort(), ['endLine', 'file', 'reason', 'startLine', 'text', 'tokens']);
    assert.equal(definition.file, 'shop/pricing.py');
    assert.match(String(definition.text), /def compute_total\(/);
    assert.ok(json.tokens > 0 && json.tokens <= 512);
    assert.ok(json.snippets.every((s) => !String(s.file).startsWith('/') && s.file !== '.env'));
  });

  it('honours --budget', () => {
    const run = bantam('context', '--workspace', workspace, '--file', file, '--line', String(line), '--column', String(column), '--budget', '40', '--json', '--no-cache');
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(run.stdout) as { tokens: number };
    assert.ok(json.tokens <= 40, `${json.tokens} tokens`);
  });

  it('with --workspace twice, indexes both folders and names files with their folder', () => {
    const ts = contextFixture('typescript');
    const tsLines = readFileSync(join(ts, 'src/checkout/cart.ts'), 'utf8').split('\n');
    const tsLine = tsLines.findIndex((l) => l.includes('computeTotal(')) + 1;
    const tsColumn = tsLines[tsLine - 1]!.indexOf('computeTotal(') + 4;
    const name = basename(ts);
    const run = bantam('context', '--workspace', ts, '--workspace', workspace, '--file', `${name}/src/checkout/cart.ts`, '--line', String(tsLine), '--column', String(tsColumn), '--json', '--no-cache');
    assert.equal(run.status, 0, run.stderr);
    const json = JSON.parse(run.stdout) as { snippets: { file: string; reason: string }[] };
    const definition = json.snippets.find((s) => s.reason.startsWith('definition of computeTotal'));
    assert.ok(definition, run.stdout);
    assert.equal(definition.file, `${name}/src/pricing.ts`);
    const unnamed = bantam('context', '--workspace', ts, '--workspace', workspace, '--file', 'src/checkout/cart.ts', '--line', '1', '--column', '1');
    assert.equal(unnamed.status, 2);
    assert.match(unnamed.stderr, /is in no --workspace folder; .*start it with the folder's name/);
  });

  const bad: { name: string; args: string[]; message: RegExp }[] = [
    { name: 'missing --line', args: ['context', '--workspace', workspace, '--file', file, '--column', '1'], message: /--line and --column are required/ },
    { name: 'line past the end', args: ['context', '--workspace', workspace, '--file', file, '--line', '9999', '--column', '1'], message: /past the end of the file/ },
    { name: 'not a directory', args: ['context', '--workspace', join(workspace, file), '--file', file, '--line', '1', '--column', '1'], message: /is not a directory/ },
    { name: 'unknown command', args: ['summon'], message: /unknown command "summon"/ },
    { name: 'unknown flag', args: ['context', '--frobnicate'], message: /bantam: .*frobnicate/ },
  ];
  for (const c of bad) {
    it(`${c.name}: a clear message and exit code 2`, () => {
      const run = bantam(...c.args);
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, c.message);
      assert.equal(run.stdout, '');
    });
  }
});
