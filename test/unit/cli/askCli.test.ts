// Tests for `npx bantam ask` end to end (bin/bantam.js -> dist/cli.js, the real index worker, codebase
// search, the router and the HTTP providers) against the loopback fake provider server: the answer
// streams to stdout; stderr lists the excerpts sent and who answered; the request carries the key in
// the provider's own header and the excerpt of the function the question names; a rejected key
// fails naming the variable without echoing the key; a failing frontier falls back to the local model.
import * as assert from 'node:assert/strict';
import { startFakeProviderServer, type FakeProviderServer } from '../../support/fakeProviderServer';
import { copyWorkspace, linesOf, runBantam } from './cliHarness';

const QUESTION = 'How is computeTotal calculated?';
const ANSWER = 'computeTotal applies the discount, then TAX_RATE (`src/pricing.ts:30`).\n';
/** A line of the function's body: only the excerpt of src/pricing.ts can have put it in the prompt. */
const DEFINITION_LINE = 'const net = calculator.subtotal(items) * (1 - discount / 100);';

/** The text of every message a request sent (Anthropic's system field included). */
function promptText(body: { system?: unknown; messages?: Array<{ content?: unknown }> }): string {
  const parts = (body.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));
  return [typeof body.system === 'string' ? body.system : '', ...parts].join('\n');
}

describe('bantam ask (CLI)', function () {
  this.timeout(60_000);
  let ws: ReturnType<typeof copyWorkspace>;
  const servers: FakeProviderServer[] = [];
  const server = async (options: Parameters<typeof startFakeProviderServer>[0]) => {
    const s = await startFakeProviderServer(options);
    servers.push(s);
    return s;
  };
  beforeEach(() => {
    ws = copyWorkspace();
  });
  afterEach(async () => {
    ws.dispose();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  const frontiers = [
    {
      name: 'anthropic',
      keyVar: 'ANTHROPIC_API_KEY',
      key: 'sk-ant-test-4f2b9c',
      baseUrl: (url: string) => url,
      path: '/v1/messages',
      sentKey: (headers: Record<string, string>) => headers['x-api-key'],
      label: /Anthropic/,
    },
    {
      name: 'openai',
      keyVar: 'OPENAI_API_KEY',
      key: 'sk-openai-test-8d1e0a',
      baseUrl: (url: string) => `${url}/v1`,
      path: '/v1/chat/completions',
      sentKey: (headers: Record<string, string>) => headers['authorization']?.replace(/^Bearer /, ''),
      label: /OpenAI/i,
    },
  ];
  for (const f of frontiers) {
    it(`--frontier ${f.name}: streams the answer to stdout, lists the excerpts and the route on stderr`, async () => {
      const fake = await server({ apiKey: f.key, script: { chunks: linesOf(ANSWER).flatMap((l) => l.split(/(?<= )/)) } });
      const run = await runBantam(
        ['ask', '--workspace', ws.root, '--no-cache', '--frontier', f.name, '--base-url', f.baseUrl(fake.url), QUESTION],
        { env: { [f.keyVar]: f.key } },
      );
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, ANSWER);
      // The excerpt of the file that defines the function the question names, with its lines.
      assert.match(run.stderr, /^ {2}src\/pricing\.ts:\d+-\d+ {2}defines computeTotal/m);
      assert.doesNotMatch(run.stderr, /\.env|ignored\/pricing\.ts/);
      // The route summary: who answered, on which tier, with token counts.
      const summary = run.stderr.trimEnd().split('\n').at(-1)!;
      assert.match(summary, /^bantam: .+, frontier, \d+ tokens in, \d+ out, \d+ ms, /);
      assert.match(summary, f.label);

      assert.equal(fake.requests.length, 1);
      const request = fake.requests[0]!;
      assert.equal(request.path, f.path);
      assert.equal(f.sentKey(request.headers), f.key);
      const prompt = promptText(request.body);
      assert.ok(prompt.includes(DEFINITION_LINE), prompt);
      assert.ok(prompt.includes(QUESTION));
      assert.equal(request.body.stream, true);
    });
  }

  it('--frontier none --local ollama: answered by the Ollama host, no key needed', async () => {
    const fake = await server({ script: { chunks: ['It adds ', 'tax.'] } });
    const run = await runBantam([
      'ask', '--workspace', ws.root, '--no-cache', '--frontier', 'none',
      '--local', 'ollama', '--local-base-url', fake.url, '--local-model', 'qwen-test:7b', QUESTION,
    ]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'It adds tax.\n');
    assert.deepEqual(fake.requests.map((r) => r.path), ['/api/chat']);
    const body = fake.requests[0]!.body;
    assert.equal(body.model, 'qwen-test:7b');
    assert.ok(promptText(body).includes(DEFINITION_LINE));
    assert.match(run.stderr, /Ollama .*\(qwen-test:7b\), local, /);
    // Nothing was offered to a frontier provider.
    assert.doesNotMatch(run.stderr, /sending .* to /);
  });

  it('--local openai: OPENAI_API_KEY never goes to the local server; BANTAM_LOCAL_API_KEY does', async () => {
    const fake = await server({ script: { chunks: ['It adds ', 'tax.'] } });
    const args = ['ask', '--workspace', ws.root, '--no-cache', '--frontier', 'none', '--local', 'openai', '--local-base-url', `${fake.url}/v1`, '--local-model', 'm', QUESTION];
    const withOpenAiKey = await runBantam(args, { env: { OPENAI_API_KEY: 'sk-openai-not-for-local' } });
    assert.equal(withOpenAiKey.status, 0, withOpenAiKey.stderr);
    assert.equal(fake.requests[0]!.headers.authorization ?? '', '', 'the OpenAI key was sent to the local server');
    const withLocalKey = await runBantam(args, { env: { OPENAI_API_KEY: 'sk-openai-not-for-local', BANTAM_LOCAL_API_KEY: 'local-key-1' } });
    assert.equal(withLocalKey.status, 0, withLocalKey.stderr);
    assert.equal(fake.requests[1]!.headers.authorization, 'Bearer local-key-1');
  });

  it('a rejected key (401): exit 1, the message names ANTHROPIC_API_KEY and never contains the key', async () => {
    const key = 'sk-ant-wrong-7c3d2e1f0a9b';
    // A careless server that quotes the key back: the CLI must still not print it.
    const fake = await server({ apiKey: 'sk-ant-right', echoKeyInErrors: true });
    const run = await runBantam(['ask', '--workspace', ws.root, '--no-cache', '--frontier', 'anthropic', '--base-url', fake.url, QUESTION], {
      env: { ANTHROPIC_API_KEY: key },
    });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, '');
    const last = run.stderr.trimEnd().split('\n').at(-1)!;
    assert.match(last, /^bantam: .*401.*ANTHROPIC_API_KEY/);
    assert.ok(!run.stderr.includes(key) && !run.stderr.includes(key.slice(7)), run.stderr);
    assert.equal(fake.requests.length, 1, 'a rejected key is not retried');
  });

  it('a frontier server error (500) with --local ollama: answered locally, with a notice on stderr', async () => {
    // Retry-After: 0 keeps the provider's retries immediate.
    const frontier = await server({ apiKey: 'sk-ant-ok', script: { httpError: { status: 500, message: 'Internal server error', retryAfter: '0' } } });
    const local = await server({ script: { chunks: ['local ', 'answer'] } });
    const run = await runBantam(
      ['ask', '--workspace', ws.root, '--no-cache', '--frontier', 'anthropic', '--base-url', frontier.url, '--local', 'ollama', '--local-base-url', local.url, QUESTION],
      { env: { ANTHROPIC_API_KEY: 'sk-ant-ok' } },
    );
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'local answer\n');
    assert.ok(frontier.requests.length >= 1 && frontier.requests.every((r) => r.path === '/v1/messages'));
    assert.equal(local.requests.length, 1);
    assert.match(run.stderr, /^bantam: Anthropic .* failed, so the local model .* answers instead: .*500/m);
    assert.match(run.stderr.trimEnd().split('\n').at(-1)!, /^bantam: Ollama .*, local, /);
  });

  it('a 500 with no local model: exit 1 with the server error, nothing on stdout', async () => {
    const frontier = await server({ apiKey: 'sk-ant-ok', script: { httpError: { status: 500, message: 'Internal server error', retryAfter: '0' } } });
    const run = await runBantam(['ask', '--workspace', ws.root, '--no-cache', '--frontier', 'anthropic', '--base-url', frontier.url, QUESTION], {
      env: { ANTHROPIC_API_KEY: 'sk-ant-ok' },
    });
    assert.equal(run.status, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr.trimEnd().split('\n').at(-1)!, /^bantam: .*HTTP 500/);
  });

  it('an interrupt (SIGINT) while the answer streams: the partial answer is kept and the exit code is 130', async () => {
    // The server sends one chunk, then goes quiet until the client hangs up.
    const fake = await server({ apiKey: 'sk-ant-ok', script: { chunks: ['partial ', 'rest'], stallAfterChunks: 1, stallMs: 600_000 } });
    const run = await runBantam(['ask', '--workspace', ws.root, '--no-cache', '--frontier', 'anthropic', '--base-url', fake.url, QUESTION], {
      env: { ANTHROPIC_API_KEY: 'sk-ant-ok' },
      started: (child) => {
        let seen = '';
        const interrupt = (d: Buffer | string) => {
          seen += String(d);
          if (!seen.includes('partial')) return;
          child.stdout!.off('data', interrupt);
          child.kill('SIGINT');
        };
        child.stdout!.on('data', interrupt);
      },
    });
    assert.equal(run.status, 130, run.stderr);
    assert.match(run.stdout, /^partial /);
    assert.doesNotMatch(run.stdout, /rest/);
    assert.equal(await fake.settled(fake.requests[0]!), 'client-closed');
  });
});
