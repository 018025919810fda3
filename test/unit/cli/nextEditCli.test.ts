// Tests for `npx bantam next-edit` end to end: the built CLI against a loopback OpenAI-compatible
// server answering a prepared Sweep rewrite (a history renaming a parameter gives a diff changing its
// use, the prompt sent holds the replayed history, a refused rewrite prints nothing with exit 0),
// the history file's checks, the guard on --file and on the history's files, consent for a server off
// the machine, a server error and Ctrl-C, and the embedded backend through a private model host on
// the tiny test model.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { hostAddress, hostBuild } from '../../../src/core/providers/local/hostAddress';
import { stopModelHost } from '../../../src/core/providers/local/hostConnection';
import { TINY_MODEL_TEXT } from '../../support/gguf/testModels';
import { startFakeProviderServer, type FakeProviderServer } from '../../support/fakeProviderServer';
import { ensureTinyModels, noFimModel, workerPath } from '../providers/local/llamaTestModels';
import { runBantam } from './cliHarness';

const PATH = 'src/scale.ts';
const BEFORE = ['export function scale(factor: number, values: number[]): number[] {', '  const out: number[] = [];', '  for (const v of values) out.push(v * factor);', '  return out;', '}', ''].join('\n');
const RENAMED = BEFORE.replace('scale(factor', 'scale(ratio');
const EXPECTED = RENAMED.replace('v * factor', 'v * ratio');
/** The cursor after `ratio` on line 1, as an editor shows it (1-based). */
const LINE = '1';
const COLUMN = String(RENAMED.indexOf('ratio') + 'ratio'.length + 1);
/** The window of this short file is all of it: Sweep answers with the header's line break, then the window. */
const SWEEP_ANSWER = `\n${EXPECTED}\n`;

const OTHER = 'src/units.ts';
const OTHER_BEFORE = 'export const UNIT = 1;\n';
const OTHER_AFTER = 'export const UNIT = 1;\nexport const HALF = 0.5;\n';

/** An earlier edit of another file, then the rename typed a keystroke at a time (whole-file snapshots). */
function renameHistory(): { edits: Array<{ path: string; before: string; after: string }> } {
  const edits = [{ path: OTHER, before: OTHER_BEFORE, after: OTHER_AFTER }];
  const start = BEFORE.indexOf('factor');
  const [head, tail] = [BEFORE.slice(0, start), BEFORE.slice(start + 'factor'.length)];
  let text = BEFORE;
  for (const word of ['', 'r', 'ra', 'rat', 'rati', 'ratio']) {
    edits.push({ path: PATH, before: text, after: head + word + tail });
    text = head + word + tail;
  }
  assert.equal(text, RENAMED);
  return { edits };
}

describe('bantam next-edit (CLI)', function () {
  this.timeout(60_000);
  let base: string;
  let root: string;
  let fake: FakeProviderServer;

  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  const historyFile = (content: unknown): string => {
    const file = join(base, 'history.json');
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  const nextEdit = (...args: string[]) =>
    runBantam(['next-edit', '--workspace', root, '--backend', 'openai', '--model', 'sweep-next-edit-0.5b', '--local-base-url', `${fake.url}/v1`, ...args]);
  const atCursor = ['--file', PATH, '--line', LINE, '--column', COLUMN];

  beforeEach(async () => {
    base = mkdtempSync(join(tmpdir(), 'bantam-cli-ne-'));
    root = join(base, 'ws');
    write(PATH, RENAMED);
    write(OTHER, OTHER_AFTER);
    write('.gitignore', 'generated/\n');
    write('generated/scale.ts', RENAMED);
    fake = await startFakeProviderServer({ script: { chunks: [SWEEP_ANSWER] } });
  });
  afterEach(async () => {
    await fake.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('a history renaming a parameter gives the diff changing its use, from a prompt holding that history', async () => {
    const run = await nextEdit(...atCursor, '--history', historyFile(renameHistory()));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^diff --git a\/src\/scale\.ts b\/src\/scale\.ts\n--- a\/src\/scale\.ts\n\+\+\+ b\/src\/scale\.ts\n@@ /);
    assert.match(run.stdout, /^- {2}for \(const v of values\) out\.push\(v \* factor\);$/m);
    assert.match(run.stdout, /^\+ {2}for \(const v of values\) out\.push\(v \* ratio\);$/m);
    assert.equal(run.stdout.match(/^[-+][^-+]/gm)?.length, 2, 'one line changes');
    assert.equal(readFileSync(join(root, PATH), 'utf8'), RENAMED, 'nothing is written');
    execFileSync('git', ['init', '-q'], { cwd: root });
    execFileSync('git', ['apply', '--check', '-'], { cwd: root, input: run.stdout });

    const [sent, ...more] = fake.requestsTo('/completions');
    assert.equal(more.length, 0);
    assert.equal(sent?.body.model, 'sweep-next-edit-0.5b');
    const prompt = sent?.body.prompt as string;
    // The other file's edit is an earlier .diff block; the keystrokes coalesced into one hunk, the
    // edit being typed, so the window before it (with `factor`) is the original/ block.
    assert.ok(prompt.includes(`<|file_sep|>${OTHER}.diff\noriginal:\nexport const UNIT = 1;\nupdated:\nexport const UNIT = 1;\nexport const HALF = 0.5;\n`), prompt);
    // (The window is the whole short file, its last empty line included.)
    assert.ok(prompt.endsWith(`<|file_sep|>original/${PATH}\n${BEFORE}\n<|file_sep|>current/${PATH}\n${RENAMED}\n<|file_sep|>updated/${PATH}`), prompt);
    assert.doesNotMatch(prompt, /scale\(rati,/, 'keystrokes coalesce as quick typing does');
  });

  it('a rewrite that changes nothing prints nothing and exits 0; --verbose says why and how long it took', async () => {
    fake.setScript({ chunks: [`\n${RENAMED}\n`] });
    const run = await nextEdit(...atCursor, '--history', historyFile(renameHistory()), '--verbose');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^bantam: no suggestion \(no-change: /m);
    assert.match(run.stderr, /^bantam: sweep-next-edit-0\.5b @ 127\.0\.0\.1:\d+, sweep prompt, \d+ ms$/m);
    assert.equal(fake.requestsTo('/completions').length, 1);
  });

  it('says when the history does not end in the file as it is now (and asks all the same)', async () => {
    const history = renameHistory();
    history.edits.push({ path: PATH, before: RENAMED, after: EXPECTED });
    const run = await nextEdit(...atCursor, '--history', historyFile(history));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /^bantam: the history's last edit of src\/scale\.ts does not end in the file's text now; /m);
    assert.equal(fake.requestsTo('/completions').length, 1);
  });

  const badHistories: Array<[string, unknown, RegExp]> = [
    ['not JSON', '{ "edits": [', /^bantam: --history \S+history\.json: not JSON \(/],
    ['the wrong shape', { changes: [] }, /: expected an object with an "edits" array/],
    ['an edit without its texts', { edits: [{ path: PATH, before: BEFORE }] }, /: edits\[0\] needs "before" and "after"/],
    ['a path outside the workspace', { edits: [{ path: '../elsewhere.ts', before: '', after: 'x' }] }, /: edits\[0\]\.path \.\.\/elsewhere\.ts is outside the workspace$/m],
    ['edits out of order', { edits: [{ path: PATH, before: BEFORE, after: RENAMED, at: 500 }, { path: PATH, before: RENAMED, after: EXPECTED, at: 100 }] }, /edits\[1\]\.at is earlier than the edit before it/],
  ];
  for (const [what, content, message] of badHistories) {
    it(`a history file with ${what}: exit 1, one sentence saying what is wrong, nothing sent`, async () => {
      const run = await nextEdit(...atCursor, '--history', historyFile(content));
      assert.equal(run.status, 1, run.stderr);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.equal(fake.requests.length, 0);
    });
  }

  it('refuses a --file outside the workspace or git-ignored (exit 2), and sends nothing', async () => {
    writeFileSync(join(base, 'outside.ts'), RENAMED);
    const outside = await nextEdit('--file', '../outside.ts', '--line', '1', '--column', '1');
    assert.equal(outside.status, 2, outside.stderr);
    assert.match(outside.stderr, /^bantam: --file \.\.\/outside\.ts is outside the workspace$/m);
    const ignored = await nextEdit('--file', 'generated/scale.ts', '--line', '1', '--column', '1');
    assert.equal(ignored.status, 2, ignored.stderr);
    assert.match(ignored.stderr, /^bantam: generated\/scale\.ts is git-ignored, so Bantam never sends it to a model/m);
    assert.equal(fake.requests.length, 0);
  });

  it('leaves the edits of a git-ignored file out of the history, and says so', async () => {
    const history = renameHistory();
    history.edits.unshift({ path: 'generated/scale.ts', before: RENAMED, after: `${RENAMED}// IGNORED_MARKER\n` });
    const run = await nextEdit(...atCursor, '--history', historyFile(history));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /^bantam: left out of the history: generated\/scale\.ts is git-ignored/m);
    const prompt = fake.requestsTo('/completions')[0]?.body.prompt as string;
    assert.ok(prompt.includes(`<|file_sep|>${OTHER}.diff`));
    assert.doesNotMatch(prompt, /IGNORED_MARKER|generated\/scale\.ts/);
  });

  it('sends nothing to a server off this machine without --allow-remote (no terminal to ask on): exit 1', async () => {
    const run = await runBantam(['next-edit', '--workspace', root, ...atCursor, '--backend', 'openai', '--model', 'm', '--local-base-url', 'http://203.0.113.7:9/v1']);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /nothing was sent: 203\.0\.113\.7:9 .* is neither this machine nor a private address; pass --allow-remote/);
  });

  it('a server error is a failure that says what the server said (exit 1), not "no suggestion"', async () => {
    fake.setScript({ httpError: { status: 500, message: 'model crashed' } });
    const run = await nextEdit(...atCursor);
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^bantam: .*model crashed/m);
  });

  it('Ctrl-C while the model answers: exit 130, nothing printed, the request closed', async () => {
    fake.setScript({ chunks: [SWEEP_ANSWER], firstByteDelayMs: 10_000 });
    const run = await runBantam(['next-edit', '--workspace', root, ...atCursor, '--backend', 'openai', '--model', 'm', '--local-base-url', `${fake.url}/v1`], {
      started: (child) => {
        const poll = setInterval(() => {
          if (fake.requests.length === 0) return;
          clearInterval(poll);
          child.kill('SIGINT');
        }, 20);
      },
    });
    assert.equal(run.status, 130, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(await fake.settled(fake.requests[0]!), 'client-closed');
  });

  it('an embedded --model that is not a GGUF file: exit 1, saying so in the CLI’s terms', async () => {
    const run = await runBantam(['next-edit', '--workspace', root, ...atCursor, '--model', join(root, PATH)]);
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /^bantam: \S+scale\.ts is not a GGUF model \(it does not start with 'GGUF'\); pass --model with a next-edit \.gguf file$/m);
  });

  it('a served backend needs the model’s name (exit 2)', async () => {
    const run = await runBantam(['next-edit', '--workspace', root, ...atCursor, '--backend', 'openai', '--local-base-url', `${fake.url}/v1`]);
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /^bantam: --backend openai needs --model/m);
    assert.equal(fake.requests.length, 0);
  });
});

describe('bantam next-edit with the embedded model (CLI, real llama.cpp)', function () {
  this.timeout(120_000);
  let base: string;
  let hostDir: string;

  before(() => ensureTinyModels());
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'bantam-cli-ne-'));
    hostDir = mkdtempSync(join(tmpdir(), 'bh-'));
  });
  afterEach(async () => {
    await stopModelHost({ hostScript: workerPath, dir: hostDir, log: () => undefined }).catch(() => undefined);
    rmSync(base, { recursive: true, force: true });
    rmSync(hostDir, { recursive: true, force: true });
  });

  it('runs the rewrite through the shared model host (a private one here) and prints the model’s edit', async () => {
    writeFileSync(join(base, 'a.ts'), 'function add(a, b) {\n  return a + b;\n}\n');
    const run = await runBantam(['next-edit', '--workspace', base, '--file', 'a.ts', '--line', '1', '--column', '10', '--model', noFimModel, '--verbose'], {
      env: { BANTAM_MODEL_HOST_DIR: hostDir },
    });
    assert.equal(run.status, 0, run.stderr);
    // The tiny model always writes TINY_MODEL_TEXT: its answer became the suggestion (never a quality figure).
    assert.match(run.stdout, /^diff --git a\/a\.ts b\/a\.ts\n/);
    assert.ok(run.stdout.includes(`+${TINY_MODEL_TEXT.trim().split('\n')[0]}`), run.stdout);
    assert.match(run.stderr, /^bantam: bantam-tiny-nofim\.gguf, sweep prompt, \d+ ms$/m);
    const log = hostAddress(hostDir, hostBuild(workerPath, 'auto')).logPath;
    assert.ok(existsSync(log), 'the model host of BANTAM_MODEL_HOST_DIR served the request');
    assert.match(readFileSync(log, 'utf8'), /next-edit .*connected/);
  });
});
