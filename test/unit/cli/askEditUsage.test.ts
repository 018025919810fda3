// Tests for the command-line mistakes of `bantam ask` and `bantam edit`: each exits with code 2,
// prints nothing on stdout, and starts stderr with one line naming the mistake (the usage follows);
// none of them gets as far as indexing or sending anything.
import * as assert from 'node:assert/strict';
import { copyWorkspace, runBantam } from './cliHarness';

describe('bantam ask / edit usage errors (CLI)', function () {
  this.timeout(30_000);
  let ws: ReturnType<typeof copyWorkspace>;
  before(() => {
    ws = copyWorkspace();
  });
  after(() => ws.dispose());

  const cases: { name: string; args: () => string[]; env?: Record<string, string>; message: RegExp }[] = [
    { name: 'ask without a question', args: () => ['ask', '--workspace', ws.root], message: /^bantam: the question is missing$/ },
    { name: 'ask with only spaces as the question', args: () => ['ask', '--workspace', ws.root, '  '], message: /^bantam: the question is missing$/ },
    { name: 'ask without --workspace', args: () => ['ask', 'why?'], message: /^bantam: --workspace is required$/ },
    {
      name: 'ask with a bad --tier',
      args: () => ['ask', '--workspace', ws.root, '--tier', 'fastest', 'why?'],
      message: /^bantam: --tier must be one of auto, local, frontier, got "fastest"$/,
    },
    {
      name: 'ask with a bad BANTAM_TIER',
      args: () => ['ask', '--workspace', ws.root, 'why?'],
      env: { BANTAM_TIER: 'cloud' },
      message: /^bantam: --tier must be one of auto, local, frontier, got "cloud"$/,
    },
    {
      name: 'ask with --local embedded and no model file',
      args: () => ['ask', '--workspace', ws.root, '--local', 'embedded', 'why?'],
      message: /^bantam: --local embedded needs --model-file/,
    },
    { name: 'ask with a bad --budget', args: () => ['ask', '--workspace', ws.root, '--budget', '0', 'why?'], message: /^bantam: --budget must be a whole number/ },
    { name: 'ask with an unknown flag', args: () => ['ask', '--workspace', ws.root, '--temperature', '1', 'why?'], message: /^bantam: .*--temperature/ },
    { name: 'edit without --instruction', args: () => ['edit', '--workspace', ws.root], message: /^bantam: --instruction is required$/ },
    { name: 'edit with an empty --instruction', args: () => ['edit', '--workspace', ws.root, '--instruction', ' '], message: /^bantam: --instruction is required$/ },
    {
      name: 'edit with --range but no --file',
      args: () => ['edit', '--workspace', ws.root, '--instruction', 'x', '--range', '1:2'],
      message: /^bantam: --range needs --file$/,
    },
    {
      name: 'edit with a malformed --range',
      args: () => ['edit', '--workspace', ws.root, '--instruction', 'x', '--file', 'src/pricing.ts', '--range', 'a-b'],
      message: /^bantam: --range must look like L1:L2, got "a-b"$/,
    },
    {
      name: 'edit with a --range that ends before it starts',
      args: () => ['edit', '--workspace', ws.root, '--instruction', 'x', '--file', 'src/pricing.ts', '--range', '9:3'],
      message: /^bantam: --range 9:3 ends before it starts$/,
    },
    {
      name: 'edit with a --range past the end of the file',
      args: () => ['edit', '--workspace', ws.root, '--instruction', 'x', '--file', 'src/pricing.ts', '--range', '400:401'],
      message: /^bantam: --range 400:401 starts past the end of the file \(36 lines\)$/,
    },
    {
      name: 'edit with a --file outside the workspace',
      args: () => ['edit', '--workspace', ws.root, '--instruction', 'x', '--file', '../elsewhere.ts'],
      message: /^bantam: --file \.\.\/elsewhere\.ts is outside the workspace$/,
    },
    {
      name: 'edit with a git-ignored --file',
      args: () => ['edit', '--workspace', ws.root, '--instruction', 'x', '--file', 'ignored/pricing.ts'],
      message: /^bantam: ignored\/pricing\.ts is git-ignored, so Bantam never sends it to a model nor lets one change it\.$/,
    },
    {
      name: 'edit with a secret-looking --file',
      args: () => ['edit', '--workspace', ws.root, '--instruction', 'x', '--file', '.env'],
      message: /^bantam: \.env looks secret \(its name or a key or token in it\), so Bantam never sends it to a model nor lets one change it\.$/,
    },
    {
      name: 'edit with a bad --tier',
      args: () => ['edit', '--workspace', ws.root, '--instruction', 'x', '--tier', 'best'],
      message: /^bantam: --tier must be one of auto, local, frontier, got "best"$/,
    },
    { name: 'edit with a bad --frontier', args: () => ['edit', '--workspace', ws.root, '--instruction', 'x', '--frontier', 'gemini'], message: /^bantam: --frontier must be one of/ },
  ];
  for (const command of ['ask', 'edit', 'context']) {
    it(`bantam ${command} --help prints its usage and exits 0`, async () => {
      const run = await runBantam([command, '--help']);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^Usage:\\n {2}bantam ${command} `));
      assert.equal(run.stderr, '');
    });
  }

  it('a bare bantam prints the usage on stderr and exits 2', async () => {
    const run = await runBantam([]);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^Usage:/);
  });

  for (const c of cases) {
    it(`${c.name}: exit 2 and one line saying so`, async () => {
      const run = await runBantam(c.args(), { env: c.env });
      assert.equal(run.status, 2, run.stderr);
      assert.equal(run.stdout, '');
      // One line naming the mistake, a blank line, then the usage: nothing was indexed or sent.
      const [head, usage] = run.stderr.split('\n\nUsage:\n');
      assert.ok(usage !== undefined, run.stderr);
      assert.doesNotMatch(head!, /\n/);
      assert.match(head!, c.message);
    });
  }
});
