// Tests for the engine's context source: the block is chosen once per line (same file, line, prompt
// window and budget reuse it without asking the worker), a new line / file / window / explicit
// request retrieves afresh, and a slow or failing retrieval leaves the previous block for the same
// file in place instead of an empty one.
import * as assert from 'node:assert/strict';
import type { CompletionRequest } from '../../../src/core/kernel/completionTypes';
import { CompletionContext, type ContextRetriever } from '../../../src/core/context/completionContext';
import type { ContextRequest, ContextResult } from '../../../src/core/context/contextTypes';

function resultNamed(name: string): ContextResult {
  return {
    snippets: [{ file: 'lib/a.ts', startLine: 1, endLine: 1, text: `export function ${name}() {}`, reason: `definition of ${name}`, kind: 'definition', tokens: 6, score: 1 }],
    tokens: 12,
  };
}

class FakeRetriever implements ContextRetriever {
  calls: ContextRequest[] = [];
  next: () => Promise<ContextResult> = async () => resultNamed(`r${this.calls.length}`);
  retrieve(request: ContextRequest): Promise<ContextResult> {
    this.calls.push(request);
    return this.next();
  }
}

function request(text: string, offset: number, file = 'src/main.ts', explicit = false): CompletionRequest {
  return { uri: `file:///${file}`, relativePath: file, languageId: 'typescript', text, offset, selectionEmpty: true, explicit };
}

const window = { startLine: 1, endLine: 40 };
const signal = new AbortController().signal;
const TEXT = 'const a = 1;\nconst b = a + \n';

describe('CompletionContext', () => {
  it('keeps the block while the cursor stays on its line', async () => {
    const retriever = new FakeRetriever();
    const context = new CompletionContext({ retriever: () => retriever });
    const first = await context.snippets(request(TEXT, 24), 512, signal, window);
    const typed = TEXT.slice(0, 27) + 'fo' + TEXT.slice(27);
    const second = await context.snippets(request(typed, 29), 512, signal, window);
    assert.equal(retriever.calls.length, 1);
    assert.deepEqual(second, first);
    assert.equal(first[0]!.reason, 'definition of r1');
  });

  const changes: { name: string; next: CompletionRequest; budget?: number; visible?: { startLine: number; endLine: number } }[] = [
    { name: 'another line', next: request(TEXT, 5) },
    { name: 'another file', next: request(TEXT, 24, 'src/other.ts') },
    { name: 'an explicit request', next: request(TEXT, 24, 'src/main.ts', true) },
    { name: 'a prompt window jump', next: request(TEXT, 24), visible: { startLine: 17, endLine: 60 } },
    { name: 'another budget', next: request(TEXT, 24), budget: 256 },
  ];
  for (const c of changes) {
    it(`retrieves afresh on ${c.name}`, async () => {
      const retriever = new FakeRetriever();
      const context = new CompletionContext({ retriever: () => retriever });
      await context.snippets(request(TEXT, 24), 512, signal, window);
      const after = await context.snippets(c.next, c.budget ?? 512, signal, c.visible ?? window);
      assert.equal(retriever.calls.length, 2);
      assert.equal(after[0]!.reason, 'definition of r2');
    });
  }

  it('Show Context (fresh) adopts what it shows for the next completion on the line', async () => {
    const retriever = new FakeRetriever();
    const context = new CompletionContext({ retriever: () => retriever });
    await context.snippets(request(TEXT, 24), 512, signal, window);
    const shown = await context.resultFor({ file: 'src/main.ts', languageId: 'typescript', text: TEXT, offset: 24, budgetTokens: 512, visibleLines: window }, true);
    const sent = await context.snippets(request(TEXT, 25), 512, signal, window);
    assert.equal(shown.snippets[0]!.reason, 'definition of r2');
    assert.equal(sent[0]!.reason, 'definition of r2');
    assert.equal(retriever.calls.length, 2);
  });

  it('a retrieval past the deadline keeps the previous block of the same file', async () => {
    const retriever = new FakeRetriever();
    const context = new CompletionContext({ retriever: () => retriever, deadlineMs: 20 });
    await context.snippets(request(TEXT, 24), 512, signal, window);
    retriever.next = () => new Promise((resolve) => setTimeout(() => resolve(resultNamed('late')), 500));
    const slow = await context.snippets(request(TEXT, 5), 512, signal, window);
    assert.equal(slow[0]!.reason, 'definition of r1');
  });

  it('waits longer when asked to (Show Context at Cursor): a retrieval past the completion deadline still answers', async () => {
    const retriever = new FakeRetriever();
    const context = new CompletionContext({ retriever: () => retriever, deadlineMs: 20 });
    retriever.next = () => new Promise((resolve) => setTimeout(() => resolve(resultNamed('slow')), 100));
    const shown = await context.resultFor({ file: 'src/main.ts', languageId: 'typescript', text: TEXT, offset: 24, budgetTokens: 512, visibleLines: window }, true, undefined, true, 5000);
    assert.equal(shown.snippets[0]!.reason, 'definition of slow');
  });

  it('a failed retrieval keeps the previous block of the same file, and gives none for another file', async () => {
    const logged: string[] = [];
    const retriever = new FakeRetriever();
    const context = new CompletionContext({ retriever: () => retriever, log: (m) => logged.push(m) });
    await context.snippets(request(TEXT, 24), 512, signal, window);
    retriever.next = () => Promise.reject(new Error('worker gone'));
    assert.equal((await context.snippets(request(TEXT, 5), 512, signal, window))[0]!.reason, 'definition of r1');
    assert.deepEqual(await context.snippets(request(TEXT, 5, 'src/other.ts'), 512, signal, window), []);
    assert.match(logged.join('\n'), /worker gone/);
  });

  it('sends nothing when context is off (no retriever)', async () => {
    const context = new CompletionContext({ retriever: () => undefined });
    assert.deepEqual(await context.snippets(request(TEXT, 24), 512, signal, window), []);
  });
});
