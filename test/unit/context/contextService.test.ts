// The context service every host uses, with the real bundled index worker (BANTAM_INDEX_WORKER,
// default dist/indexWorker.js) on a fixture workspace: it runs only while context is on, keeps the
// last progress, lets a new index run call off the one before, answers nothing (rather than
// failing) while stopped, and hands the host's open documents to each new worker.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { configFrom } from '../../../src/core/config';
import { ContextService, type ContextServiceOptions } from '../../../src/core/context/contextService';
import type { IndexProgress } from '../../../src/core/context/contextTypes';
import { contextFixture, grammarDir, repoRoot } from '../../support/repoRoot';

const workerPath = process.env.BANTAM_INDEX_WORKER ?? path.join(repoRoot, 'dist', 'indexWorker.js');

function service(root: string, enabled: { on: boolean }, extra: Partial<ContextServiceOptions> = {}): ContextService {
  return new ContextService({
    workerPath,
    grammarDir,
    root,
    settings: () => ({ ...configFrom().context, enabled: enabled.on }),
    log: () => {},
    worker: { restartDelaysMs: [20] },
    ...extra,
  });
}

const QUESTION = { question: 'How is computeTotal calculated?', budgetTokens: 2000 };

describe('ContextService', function () {
  this.timeout(120_000);

  before(function () {
    if (!existsSync(workerPath)) throw new Error(`${workerPath} is missing: run node scripts/build.mjs, or set BANTAM_INDEX_WORKER.`);
  });

  it('starts only while context is on, and answers nothing while stopped', async () => {
    const enabled = { on: false };
    const context = service(contextFixture('typescript'), enabled);
    try {
      assert.equal(context.start(), false);
      assert.equal(context.running, false);
      assert.equal(context.events, undefined);
      assert.deepEqual(await context.retrieve({ file: 'a.ts', languageId: 'typescript', text: 'x', offset: 1, budgetTokens: 100 }), { snippets: [], tokens: 0 });
      assert.equal(await context.searchCodebase(QUESTION), undefined);
      await assert.rejects(context.index(), /Codebase context is off/);

      enabled.on = true;
      assert.equal(context.start(), true);
      assert.ok(context.events, 'a running service takes document events');
      const seen: IndexProgress[] = [];
      const progress = await context.index((p) => seen.push(p));
      assert.equal(progress.phase, 'done');
      assert.deepEqual(context.progress, progress);
      assert.ok(seen.some((p) => p.phase === 'scanning'));
      assert.deepEqual(await context.indexedFiles(), ['src/checkout/cart.ts', 'src/pricing.ts']);
      const answer = await context.searchCodebase(QUESTION);
      assert.ok(answer?.snippets.some((s) => s.file === 'src/pricing.ts'), 'the search found the definition');

      context.stop();
      assert.equal(context.running, false);
      assert.equal(await context.searchCodebase(QUESTION), undefined);
    } finally {
      context.dispose();
    }
  });

  it('a new index run calls off the one still going', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'bantam-service-'));
    mkdirSync(path.join(root, 'src'));
    for (let i = 0; i < 300; i++) {
      writeFileSync(path.join(root, 'src', `m${i}.ts`), Array.from({ length: 30 }, (_, k) => `export function f${i}_${k}(a: number): number {\n  return a + ${k};\n}\n`).join('\n'));
    }
    const context = service(root, { on: true });
    try {
      context.start();
      let going!: () => void;
      const started = new Promise<void>((resolve) => (going = resolve));
      const first = context.index((p) => {
        if (p.phase === 'indexing') going();
      });
      await started;
      const second = context.index();
      assert.equal((await first).phase, 'cancelled');
      assert.equal((await second).phase, 'done');
      assert.equal(context.progress?.phase, 'done');
    } finally {
      context.dispose();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a cancelled run ends as cancelled, and restart() starts a worker with the new rules', async () => {
    const exclude = { globs: [] as string[] };
    let started = 0;
    const context = new ContextService({
      workerPath,
      grammarDir,
      root: contextFixture('typescript'),
      settings: () => ({ ...configFrom().context, enabled: true, exclude: exclude.globs }),
      onStarted: () => started++,
      log: () => {},
    });
    try {
      context.start();
      const cancel = new AbortController();
      const run = await context.index((p) => {
        if (p.phase === 'scanning') cancel.abort();
      }, cancel.signal);
      assert.equal(run.phase, 'cancelled');
      exclude.globs = ['src/checkout/**'];
      context.restart();
      assert.equal(started, 2, 'each new worker gets the open documents');
      await context.index();
      assert.deepEqual(await context.indexedFiles(), ['src/pricing.ts']);
    } finally {
      await context.close();
    }
  });

  describe('runs called off while they wait or run', () => {
    let root: string;
    before(() => {
      root = mkdtempSync(path.join(tmpdir(), 'bantam-service-'));
      mkdirSync(path.join(root, 'src'));
      for (let i = 0; i < 300; i++) {
        writeFileSync(path.join(root, 'src', `m${i}.ts`), Array.from({ length: 30 }, (_, k) => `export function f${i}_${k}(a: number): number {\n  return a + ${k};\n}\n`).join('\n'));
      }
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    /** Starts a run and resolves once the worker has reported it going (scanning). */
    async function running(context: ContextService): Promise<{ run: Promise<IndexProgress> }> {
      let going!: () => void;
      const started = new Promise<void>((resolve) => (going = resolve));
      const run = context.index(() => going());
      await started;
      // Wrapped: an async function returning the promise itself would wait for the whole run.
      return { run };
    }

    it('restart() under a run (a settings change) ends it as cancelled, not as a failure', async () => {
      const context = service(root, { on: true });
      try {
        context.start();
        const { run } = await running(context);
        context.restart();
        assert.equal((await run).phase, 'cancelled');
        assert.equal((await context.index()).phase, 'done');
      } finally {
        context.dispose();
      }
    });

    it('of the calls made while a run is being called off, only the last one runs', async () => {
      const context = service(root, { on: true });
      try {
        context.start();
        const { run: first } = await running(context);
        const second = context.index();
        const third = context.index();
        assert.deepEqual([(await first).phase, (await second).phase, (await third).phase], ['cancelled', 'cancelled', 'done']);
      } finally {
        context.dispose();
      }
    });
  });
});
