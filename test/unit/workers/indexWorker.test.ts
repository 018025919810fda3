// Tests for the index worker thread through IndexClient, with the real bundled worker
// (BANTAM_INDEX_WORKER, default dist/indexWorker.js): indexing a fixture, retrieval and codebase
// search answered while a full index runs, cancellation, a killed worker restarted with its open documents, malformed
// messages rejected on both sides of the protocol.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { IndexProgress } from '../../../src/core/context/contextTypes';
import { IndexClient, IndexClientError, type IndexClientOptions } from '../../../src/core/context/indexClient';
import { parseIndexHostMessage, parseIndexWorkerMessage } from '../../../src/core/context/indexProtocol';
import { contextFixture, grammarDir, repoRoot } from '../../support/repoRoot';

const workerPath = process.env.BANTAM_INDEX_WORKER ?? path.join(repoRoot, 'dist', 'indexWorker.js');

function start(root: string, extra: Partial<IndexClientOptions> = {}): IndexClient {
  return IndexClient.start({
    workerPath,
    root,
    grammarDir,
    storageDir: undefined,
    excludeGlobs: [],
    maxFileBytes: 1_000_000,
    maxFiles: 50_000,
    restartDelaysMs: [20],
    ...extra,
  });
}

/** A workspace big enough that a full index takes many event-loop turns. */
function bigWorkspace(files: number): string {
  const root = mkdtempSync(path.join(tmpdir(), 'bantam-big-'));
  mkdirSync(path.join(root, 'src'));
  for (let i = 0; i < files; i++) {
    const body = Array.from(
      { length: 40 },
      (_, k) => `export function f${i}_${k}(a: number, b: string): string {\n  return b.repeat(a + ${k});\n}\n`,
    ).join('\n');
    writeFileSync(path.join(root, 'src', `m${i}.ts`), body);
  }
  return root;
}

describe('index worker (through IndexClient)', function () {
  this.timeout(120_000);

  before(function () {
    if (!existsSync(workerPath)) {
      throw new Error(`${workerPath} is missing: run node scripts/build.mjs, or set BANTAM_INDEX_WORKER.`);
    }
  });

  it('indexes every folder it is given, naming files with their folder', async () => {
    const client = start(contextFixture('typescript'), {
      folders: [
        { name: 'shop', root: contextFixture('typescript'), excludeGlobs: [] },
        { name: 'py', root: contextFixture('python'), excludeGlobs: ['**/*.py'] },
      ],
    });
    try {
      assert.equal((await client.indexAll()).phase, 'done');
      // The python folder's own exclude leaves its .py files out; the other folder keeps its files.
      assert.deepEqual(await client.indexedFiles(), ['shop/src/checkout/cart.ts', 'shop/src/pricing.ts']);
    } finally {
      await client.close();
    }
  });

  it('indexes a fixture workspace and answers retrieval and stats', async () => {
    const client = start(contextFixture('typescript'));
    try {
      const seen: IndexProgress[] = [];
      const progress = await client.indexAll((p) => seen.push(p));
      assert.equal(progress.phase, 'done');
      assert.deepEqual(await client.indexedFiles(), ['src/checkout/cart.ts', 'src/pricing.ts']);
      assert.ok(seen.some((p) => p.phase === 'scanning'));
      const stats = await client.stats();
      assert.equal(stats.files, 2);
      assert.ok(stats.definitions > 5);
      assert.ok((stats.skipped.secret ?? 0) >= 1);
      const text = 'import { computeTotal } from "../pricing";\nconst t = computeTotal([]);\n';
      const result = await client.retrieve({
        file: 'src/checkout/other.ts',
        languageId: 'typescript',
        text,
        offset: text.length,
        budgetTokens: 500,
      });
      assert.ok(Array.isArray(result.snippets));
      assert.ok(result.snippets.every((s) => !s.file.startsWith('ignored/') && s.file !== '.env'));
    } finally {
      client.dispose();
    }
  });

  it('answers a codebase search, with open documents\' text, and cancels one', async () => {
    const client = start(contextFixture('typescript'));
    try {
      await client.indexAll();
      const answer = await client.searchCodebase({ question: 'how is the total computed?', budgetTokens: 1000, activeFile: 'src/checkout/cart.ts' });
      assert.equal(answer.filesConsidered, 2);
      assert.deepEqual(answer.terms, ['total', 'computed']);
      assert.equal(answer.snippets[0].file, 'src/pricing.ts');
      assert.match(answer.snippets[0].reason, /defines computeTotal/);
      assert.ok(answer.tokens <= 1000);
      assert.ok(answer.snippets.every((s) => !s.file.startsWith('ignored/') && s.file !== '.env'));

      client.documentOpened('src/pricing.ts', 'typescript', 'export function computeTotal(): number {\n  return LIVE_TEXT;\n}\n');
      const live = await client.searchCodebase({ question: 'where is computeTotal defined', budgetTokens: 1000 });
      assert.ok(live.snippets[0].text.includes('LIVE_TEXT'));

      const controller = new AbortController();
      const cancelled = client.searchCodebase({ question: 'cart', budgetTokens: 1000 }, controller.signal);
      controller.abort();
      await assert.rejects(cancelled, { name: 'AbortError' });
      // The worker still answers afterwards.
      assert.ok((await client.searchCodebase({ question: '', budgetTokens: 10 })).snippets.length === 0);
    } finally {
      client.dispose();
    }
  });

  describe('with a large workspace', () => {
    let root: string;
    before(() => {
      root = bigWorkspace(600);
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it('answers retrieval while a full index is running', async () => {
      const client = start(root);
      try {
        const order: string[] = [];
        let retrieval: Promise<unknown> | undefined;
        let progressAtRequest: IndexProgress | undefined;
        const indexed = client
          .indexAll((p) => {
            if (!retrieval && p.phase === 'indexing' && p.done > 0) {
              progressAtRequest = p;
              retrieval = client
                .retrieve({ file: 'src/new.ts', languageId: 'typescript', text: 'f1_1(', offset: 5, budgetTokens: 200 })
                .then(() => order.push('retrieved'));
            }
          })
          .then((p) => {
            order.push('indexed');
            return p;
          });
        const final = await indexed;
        await retrieval;
        assert.ok(progressAtRequest, 'progress was reported while indexing');
        assert.ok(progressAtRequest.done < progressAtRequest.total);
        assert.equal(final.phase, 'done');
        assert.equal(final.done, 600);
        assert.deepEqual(order, ['retrieved', 'indexed']);
      } finally {
        client.dispose();
      }
    });

    it('answers a codebase search while a full index is running, from what is indexed so far', async () => {
      const client = start(root);
      try {
        let search: Promise<{ considered: number; total: number }> | undefined;
        const final = await client.indexAll((p) => {
          if (!search && p.phase === 'indexing' && p.done > 10) {
            search = client
              .searchCodebase({ question: 'where is f1_1 defined?', budgetTokens: 300 })
              .then((r) => ({ considered: r.filesConsidered, total: p.total }));
          }
        });
        assert.ok(search, 'progress was reported while indexing');
        const seen = await search;
        assert.equal(final.done, 600);
        assert.ok(seen.considered > 0 && seen.considered < seen.total, `searched ${seen.considered} of ${seen.total}`);
      } finally {
        client.dispose();
      }
    });

    it('cancels a full index', async () => {
      const client = start(root);
      try {
        const controller = new AbortController();
        const final = await client.indexAll((p) => {
          if (p.phase === 'indexing' && p.done > 0) controller.abort();
        }, controller.signal);
        assert.equal(final.phase, 'cancelled');
        assert.ok(final.done < 600);
        // The worker is still fine afterwards.
        assert.equal((await client.stats()).indexing, false);
      } finally {
        client.dispose();
      }
    });

    it('a killed worker fails pending requests clearly, restarts, and gets its open documents back', async () => {
      const logged: string[] = [];
      const client = start(root, { log: (l) => logged.push(l) });
      try {
        client.documentOpened('notes.md', 'markdown', '# notes\n');
        const firstThread = client.threadId;
        let killed = false;
        const running = client.indexAll((p) => {
          if (!killed && p.phase === 'indexing' && p.done > 0) {
            killed = true;
            void client.killWorkerForTest();
          }
        });
        await assert.rejects(running, (e: unknown) => {
          assert.ok(e instanceof IndexClientError);
          assert.equal(e.code, 'worker-stopped');
          assert.match(e.message, /stopped.*restart/);
          return true;
        });
        // stats waits for the restarted worker.
        const stats = await client.stats();
        assert.equal(client.restarts, 1);
        assert.notEqual(client.threadId, firstThread);
        assert.equal(stats.openDocuments, 1);
        const result = await client.retrieve({ file: 'a.ts', languageId: 'typescript', text: 'x', offset: 1, budgetTokens: 100 });
        assert.ok(Array.isArray(result.snippets));
        assert.ok(logged.some((l) => l.includes('stopped unexpectedly')));
      } finally {
        client.dispose();
      }
    });
  });

  it('recycles a worker above the memory cap after a full index, and re-indexes from the cache', async () => {
    const storage = mkdtempSync(path.join(tmpdir(), 'bantam-recycle-'));
    const logged: string[] = [];
    const client = start(contextFixture('go'), { storageDir: storage, recycleAboveMb: 1, log: (l) => logged.push(l) });
    try {
      const first = await client.indexAll();
      assert.equal(first.phase, 'done');
      for (let i = 0; i < 500 && client.restarts === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(client.restarts, 1);
      const again = await client.indexAll();
      assert.equal(again.phase, 'done');
      assert.equal(again.done, first.done);
      assert.equal(again.cached, again.done, 'the new worker took every file from the cache');
      assert.ok(logged.some((l) => l.includes('recycling')));
    } finally {
      await client.close();
      rmSync(storage, { recursive: true, force: true });
    }
  });

  it('rejects malformed messages in the worker, logs them, and keeps serving', async () => {
    const logged: string[] = [];
    const client = start(contextFixture('python'), { log: (l) => logged.push(l) });
    try {
      client.postRawForTest({ type: 'retrieve', id: 5, request: { file: '/etc/passwd' } });
      client.postRawForTest('not an object');
      client.postRawForTest({ type: 'documentOpened', file: '../../outside.py', languageId: 'python', text: '' });
      const stats = await client.stats();
      assert.equal(stats.openDocuments, 0);
      assert.equal(logged.filter((l) => l.startsWith('rejected')).length, 3);
    } finally {
      client.dispose();
    }
  });

  it('rejects requests after dispose', async () => {
    const client = start(contextFixture('python'));
    client.dispose();
    await assert.rejects(client.stats(), /shut down/);
    await assert.rejects(
      client.retrieve({ file: 'a.py', languageId: 'python', text: '', offset: 0, budgetTokens: 10 }),
      /shut down/,
    );
  });
});

describe('indexProtocol validation', () => {
  const request = { file: 'src/a.ts', languageId: 'typescript', text: 'abc', offset: 3, budgetTokens: 100 };
  const init = {
    type: 'init',
    id: 1,
    root: '/w',
    grammarDir: '/g',
    excludeGlobs: ['**/node_modules/**'],
    maxFileBytes: 1000,
    maxFiles: 10,
  };
  const host: { name: string; message: unknown; ok: boolean }[] = [
    { name: 'init', message: init, ok: true },
    { name: 'init without root', message: { ...init, root: '' }, ok: false },
    { name: 'init with folders', message: { ...init, folders: [{ name: 'a', root: '/a', excludeGlobs: ['x/**'] }] }, ok: true },
    { name: 'init with a folder without root', message: { ...init, folders: [{ name: 'a', root: '', excludeGlobs: [] }] }, ok: false },
    { name: 'init with a folder whose excludes are not strings', message: { ...init, folders: [{ name: 'a', root: '/a', excludeGlobs: [1] }] }, ok: false },
    { name: 'init with a zero file cap', message: { ...init, maxFiles: 0 }, ok: false },
    { name: 'indexAll', message: { type: 'indexAll', id: 2, fresh: true }, ok: true },
    { name: 'indexAll with a string id', message: { type: 'indexAll', id: '2' }, ok: false },
    { name: 'retrieve', message: { type: 'retrieve', id: 3, request }, ok: true },
    { name: 'retrieve with the cursor past the text', message: { type: 'retrieve', id: 3, request: { ...request, offset: 9 } }, ok: false },
    { name: 'retrieve of an absolute path', message: { type: 'retrieve', id: 3, request: { ...request, file: '/etc/passwd' } }, ok: false },
    { name: 'search', message: { type: 'search', id: 4, query: { question: 'where?', budgetTokens: 100 } }, ok: true },
    {
      name: 'search with editor state',
      message: { type: 'search', id: 4, query: { question: 'q', budgetTokens: 100, activeFile: 'a.ts', openFiles: ['b.ts'], maxFiles: 3 } },
      ok: true,
    },
    { name: 'search without a question', message: { type: 'search', id: 4, query: { budgetTokens: 100 } }, ok: false },
    { name: 'search with a negative budget', message: { type: 'search', id: 4, query: { question: 'q', budgetTokens: -1 } }, ok: false },
    { name: 'search with an absolute active file', message: { type: 'search', id: 4, query: { question: 'q', budgetTokens: 1, activeFile: '/etc/passwd' } }, ok: false },
    { name: 'search with an open file outside', message: { type: 'search', id: 4, query: { question: 'q', budgetTokens: 1, openFiles: ['../x'] } }, ok: false },
    { name: 'search with zero files', message: { type: 'search', id: 4, query: { question: 'q', budgetTokens: 1, maxFiles: 0 } }, ok: false },
    { name: 'file event', message: { type: 'fileEvent', event: 'changed', file: 'src/a.ts' }, ok: true },
    { name: 'file event leaving the workspace', message: { type: 'fileEvent', event: 'changed', file: 'src/../../x' }, ok: false },
    { name: 'file event of an unknown kind', message: { type: 'fileEvent', event: 'touched', file: 'a.ts' }, ok: false },
    { name: 'rename', message: { type: 'fileRenamed', from: 'a.ts', to: 'b/a.ts' }, ok: true },
    {
      name: 'document change',
      message: { type: 'documentChanged', file: 'a.ts', text: 'x', changes: [{ startLine: 1, endLine: 2, lineDelta: -1 }] },
      ok: true,
    },
    {
      name: 'document change with line 0',
      message: { type: 'documentChanged', file: 'a.ts', text: 'x', changes: [{ startLine: 0, endLine: 2, lineDelta: 1 }] },
      ok: false,
    },
    { name: 'viewed', message: { type: 'viewed', file: 'a.ts', startLine: 1, endLine: 40 }, ok: true },
    { name: 'unknown type', message: { type: 'explode', id: 1 }, ok: false },
    { name: 'array', message: [], ok: false },
    { name: 'null', message: null, ok: false },
  ];
  for (const c of host) {
    it(`host message: ${c.name} is ${c.ok ? 'accepted' : 'rejected'}`, () => {
      assert.equal(parseIndexHostMessage(c.message) !== undefined, c.ok);
    });
  }

  const progress = { phase: 'indexing', total: 3, done: 1, cached: 0, skipped: 0, capped: false };
  const snippet = {
    file: 'a.ts',
    startLine: 1,
    endLine: 2,
    text: 'x',
    reason: 'definition of x',
    kind: 'definition',
    tokens: 1,
    score: 0.5,
  };
  const answer = {
    snippets: [{ file: 'a.ts', startLine: 1, endLine: 3, text: 'x', reason: 'defines x (named in the question)', tokens: 1, kind: 'definition', score: 12 }],
    filesConsidered: 4,
    terms: ['x'],
    truncated: false,
    tokens: 6,
  };
  const worker: { name: string; message: unknown; ok: boolean }[] = [
    { name: 'progress', message: { type: 'progress', id: 1, progress }, ok: true },
    { name: 'progress with an unknown phase', message: { type: 'progress', id: 1, progress: { ...progress, phase: 'x' } }, ok: false },
    { name: 'context', message: { type: 'context', id: 1, result: { snippets: [snippet], tokens: 1 } }, ok: true },
    {
      name: 'context with an unknown snippet kind',
      message: { type: 'context', id: 1, result: { snippets: [{ ...snippet, kind: 'gossip' }], tokens: 1 } },
      ok: false,
    },
    { name: 'search answer', message: { type: 'search', id: 1, result: answer }, ok: true },
    { name: 'search answer with an unknown kind', message: { type: 'search', id: 1, result: { ...answer, snippets: [{ ...answer.snippets[0], kind: 'gossip' }] } }, ok: false },
    { name: 'search answer without terms', message: { type: 'search', id: 1, result: { ...answer, terms: undefined } }, ok: false },
    { name: 'search answer ending before it starts', message: { type: 'search', id: 1, result: { ...answer, snippets: [{ ...answer.snippets[0], endLine: 0 }] } }, ok: false },
    { name: 'files', message: { type: 'files', id: 1, files: ['a.ts'] }, ok: true },
    { name: 'error', message: { type: 'error', id: 1, code: 'failed', message: 'boom' }, ok: true },
    { name: 'error with an unknown code', message: { type: 'error', id: 1, code: 'oops', message: 'boom' }, ok: false },
    { name: 'log', message: { type: 'log', line: 'hello' }, ok: true },
    { name: 'stats without memory', message: { type: 'stats', id: 1, stats: { root: '/w' } }, ok: false },
  ];
  for (const c of worker) {
    it(`worker message: ${c.name} is ${c.ok ? 'accepted' : 'rejected'}`, () => {
      assert.equal(parseIndexWorkerMessage(c.message) !== undefined, c.ok);
    });
  }
});
