// The stand-in next-edit pipeline against a loopback OpenAI-compatible server: the window around the
// cursor, what goes to /v1/completions, the rewrite turned into minimal word edits, and the answers
// that show nothing (unchanged, empty, cut short, another backend, no model, a server not agreed to).
import * as assert from 'node:assert/strict';
import { configFrom, type BantamConfig } from '../../../src/core/config';
import { applyEdits } from '../../../src/core/nextEdit/nextEditDisplay';
import { nextEditPrompt, OpenAiNextEditSource, windowAround, wordEdits } from '../../../src/core/nextEdit/openAiNextEditSource';
import type { NextEditRequest } from '../../../src/core/nextEdit/nextEditSource';
import { startFakeProviderServer, type FakeProviderServer } from '../../support/fakeProviderServer';
import { withCursor } from '../../support/cursor';

const BEFORE = withCursor(
  ['export function scale(ratio█: number, values: number[]): number[] {', '  const out: number[] = [];', '  for (const v of values) out.push(v * factor);', '  return out;', '}', ''].join('\n'),
);
const AFTER = BEFORE.text.replace('v * factor', 'v * ratio');

function request(overrides: Partial<NextEditRequest> = {}): NextEditRequest {
  return { path: 'src/scale.ts', languageId: 'typescript', text: BEFORE.text, documentVersion: 7, cursorOffset: BEFORE.offset, ...overrides };
}

describe('OpenAiNextEditSource', () => {
  let fake: FakeProviderServer;
  let settings: Record<string, unknown>;
  const config = (): BantamConfig => configFrom(settings);

  beforeEach(async () => {
    fake = await startFakeProviderServer({ script: { chunks: [AFTER, '\n'] } });
    settings = { 'nextEdit.enabled': true, 'nextEdit.backend': 'openai', 'nextEdit.model': 'sweep-next-edit', 'openai.baseUrl': `${fake.url}/v1` };
  });

  afterEach(async () => {
    await fake.close();
  });

  it('asks /v1/completions for the window’s rewrite and answers with the edit it makes, for the version asked', async () => {
    const source = new OpenAiNextEditSource({ config });
    const suggestion = await source.suggest(request(), new AbortController().signal);
    source.dispose();
    assert.ok(suggestion);
    assert.equal(suggestion.documentVersion, 7);
    assert.equal(suggestion.path, 'src/scale.ts');
    assert.equal(suggestion.edits.length, 1);
    assert.equal(BEFORE.text.slice(suggestion.edits[0]!.startOffset, suggestion.edits[0]!.endOffset), 'factor');
    assert.equal(applyEdits(BEFORE.text, suggestion.edits), AFTER);
    const [sent] = fake.requestsTo('/completions');
    assert.equal(sent?.path, '/v1/completions');
    assert.equal(sent?.body.model, 'sweep-next-edit');
    assert.equal(sent?.body.temperature, 0);
    assert.equal(sent?.body.prompt, nextEditPrompt('src/scale.ts', BEFORE.text, windowAround(BEFORE.text, BEFORE.offset)));
    assert.ok((sent?.body.prompt as string).endsWith('<|file_sep|>updated/src/scale.ts\n'));
  });

  for (const [what, chunks] of [
    ['the window unchanged', [BEFORE.text]],
    ['an empty answer', ['']],
    ['only blank lines', ['\n\n']],
  ] as Array<[string, string[]]>) {
    it(`shows nothing for ${what}`, async () => {
      fake.setScript({ chunks });
      const source = new OpenAiNextEditSource({ config });
      assert.equal(await source.suggest(request(), new AbortController().signal), undefined);
      source.dispose();
    });
  }

  it('shows nothing for an answer cut short by the token limit (it would delete the window’s end)', async () => {
    fake.setScript({ chunks: [AFTER.slice(0, 40)], finishReason: 'length' });
    const source = new OpenAiNextEditSource({ config });
    assert.equal(await source.suggest(request(), new AbortController().signal), undefined);
    source.dispose();
  });

  it('asks nothing for another backend or without a model name, and says why once', async () => {
    const logged: string[] = [];
    for (const patch of [{ 'nextEdit.backend': 'embedded' }, { 'nextEdit.model': '' }]) {
      settings = { ...settings, ...patch };
      const source = new OpenAiNextEditSource({ config, log: (m) => logged.push(m) });
      assert.equal(await source.suggest(request(), new AbortController().signal), undefined);
      assert.equal(await source.suggest(request(), new AbortController().signal), undefined);
      source.dispose();
    }
    assert.equal(fake.requests.length, 0);
    assert.equal(logged.length, 2, logged.join('\n'));
  });

  it('sends nothing to a server off the private network unless the user agrees, and asks once per host', async () => {
    settings['openai.baseUrl'] = 'https://nes.example.com/v1';
    const asked: string[] = [];
    let fetched = 0;
    const source = new OpenAiNextEditSource({
      config,
      consent: async (host) => {
        asked.push(host);
        return false;
      },
      fetch: async () => {
        fetched++;
        throw new Error('must not be called');
      },
    });
    assert.equal(await source.suggest(request(), new AbortController().signal), undefined);
    assert.equal(await source.suggest(request(), new AbortController().signal), undefined);
    assert.deepEqual(asked, ['nes.example.com']);
    assert.equal(fetched, 0);
    source.dispose();
  });

  it('an aborted request shows nothing', async () => {
    fake.setScript({ firstByteDelayMs: 2000 });
    const source = new OpenAiNextEditSource({ config });
    const controller = new AbortController();
    const pending = source.suggest(request(), controller.signal);
    setTimeout(() => controller.abort(), 50);
    assert.equal(await pending, undefined);
    source.dispose();
  });
});

describe('windowAround', () => {
  it('takes whole lines, up to ten above and below the cursor’s line, and the cursor inside it', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`);
    const text = lines.join('\n');
    const cursor = text.indexOf('line 20') + 3;
    const window = windowAround(text, cursor);
    assert.equal(window.startLine, 10);
    assert.equal(window.endLine, 31);
    assert.equal(window.text, lines.slice(10, 31).join('\n'));
    assert.equal(window.text.slice(window.cursorOffset).startsWith('e 20'), true);
  });

  it('stops at the start and the end of the document', () => {
    const { text, offset } = withCursor('a\nb█\nc\n');
    const window = windowAround(text, offset);
    assert.deepEqual([window.startLine, window.endLine, window.text, window.cursorOffset], [0, 4, text, offset]);
  });
});

describe('wordEdits', () => {
  const cases: Array<[string, string, string, Array<[string, string]>]> = [
    ['a renamed word is one replacement', 'return width * h;', 'return area * h;', [['width', 'area']]],
    ['a word that grew at its end is an insertion', 'const wid = 1;', 'const width = 1;', [['', 'th']]],
    ['a new argument is an insertion', 'add(1, 2);', 'add(1, 2, 3);', [['', ', 3']]],
    ['two uses renamed are two edits', 'f(x) + g(x)', 'f(y) + g(y)', [['x', 'y'], ['x', 'y']]],
    ['a line added', 'a;\nc;', 'a;\nb;\nc;', [['', 'b;\n']]],
    ['a deletion', 'foo(a, b);', 'foo(a);', [[', b', '']]],
  ];
  for (const [what, before, after, expected] of cases) {
    it(what, () => {
      const edits = wordEdits(before, after, 100);
      assert.deepEqual(
        edits.map((e) => [before.slice(e.startOffset - 100, e.endOffset - 100), e.newText]),
        expected,
      );
      const shifted = edits.map((e) => ({ ...e, startOffset: e.startOffset - 100, endOffset: e.endOffset - 100 }));
      assert.equal(applyEdits(before, shifted), after);
    });
  }
});
