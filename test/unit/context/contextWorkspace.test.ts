// Tests for the context workspace (in-process, real tree-sitter): every fixture workspace indexes
// with its .gitignore'd folder and .env left out; file events (edit, rename, delete) reach
// definitionsNamed; huge, binary and broken files are handled; a restart re-uses the persisted
// cache instead of parsing; open documents' live text wins, and excluded documents stay out of
// every index even when opened.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, mkdtempSync, readdirSync, rmSync, symlinkSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ContextLanguage, FileSymbols, IndexProgress } from '../../../src/core/context/contextTypes';
import { ContextWorkspace, type ContextWorkspaceOptions } from '../../../src/core/context/contextWorkspace';
import { snippetOverheadTokens } from '../../../src/core/context/retrieval';
import { contextFixture, contextFixturesDir, FIXTURE_TOTAL_NAME as TOTAL_NAME, grammarDir } from '../../support/repoRoot';

function workspace(root: string, extra: Partial<ContextWorkspaceOptions> = {}): ContextWorkspace {
  return new ContextWorkspace({ root, grammarDir, documentExtractDelayMs: 0, ...extra });
}

function copyFixture(language: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `bantam-ws-${language}-`));
  cpSync(contextFixture(language), dir, { recursive: true });
  return dir;
}

const names = (ws: ContextWorkspace, name: string): string[] => ws.definitionsNamed(name).map((d) => d.file);

describe('ContextWorkspace', function () {
  this.timeout(60_000);

  describe('indexes every fixture workspace', () => {
    const languages = readdirSync(contextFixturesDir).filter((l) => l in TOTAL_NAME) as ContextLanguage[];
    it('has a fixture for every language', () => assert.equal(languages.length, 12));
    for (const language of languages) {
      it(`${language}: finds ${TOTAL_NAME[language]}, never in ignored/ or .env`, async () => {
        const ws = workspace(contextFixture(language));
        try {
          const progress = await ws.indexAll();
          assert.equal(progress.phase, 'done');
          assert.ok(progress.done >= 2, `indexed ${progress.done} files`);
          const files = [...ws.index.files()];
          assert.ok(files.every((f) => !f.startsWith('ignored/')), files.join(', '));
          assert.ok(!files.includes('.env'));
          const found = names(ws, TOTAL_NAME[language]);
          assert.ok(found.length >= 1, `${TOTAL_NAME[language]} defined somewhere`);
          assert.ok(found.every((f) => !f.startsWith('ignored/')), found.join(', '));
          const stats = ws.stats();
          assert.ok((stats.skipped.ignored ?? 0) >= 1, 'the ignored/ folder is reported');
          assert.ok((stats.skipped.secret ?? 0) >= 1, '.env is reported as secret');
          assert.equal(ws.textOf('.env'), undefined);
          assert.equal(ws.textOf(`ignored/${readdirSync(contextFixture(language, 'ignored'))[0]}`), undefined);
        } finally {
          ws.dispose();
        }
      });
    }
  });

  describe('file events', () => {
    let root: string;
    let ws: ContextWorkspace;
    beforeEach(async () => {
      root = copyFixture('typescript');
      ws = workspace(root);
      await ws.indexAll();
    });
    afterEach(() => {
      ws.dispose();
      rmSync(root, { recursive: true, force: true });
    });

    it('an edit on disk replaces the file\'s definitions', async () => {
      assert.deepEqual(names(ws, 'computeTotal'), ['src/pricing.ts']);
      writeFileSync(path.join(root, 'src/pricing.ts'), 'export function grandTotal(): number {\n  return 1;\n}\n');
      await ws.fileChanged('src/pricing.ts');
      assert.deepEqual(names(ws, 'computeTotal'), []);
      assert.deepEqual(names(ws, 'grandTotal'), ['src/pricing.ts']);
    });

    it('a file read for a prompt is read again once it changes on disk, with or without a file event', async () => {
      const file = path.join(root, 'src/pricing.ts');
      const original = ws.textOf('src/pricing.ts') ?? '';
      assert.match(original, /computeTotal/);
      assert.deepEqual(ws.linesOf('src/pricing.ts'), original.split('\n'));
      // The watcher has not told yet: the file's new size, mtime or ctime is enough.
      const withKey = original.replace('0.2;', `0.2; // ${'sk-proj-' + 'a'.repeat(48)}`);
      writeFileSync(file, withKey);
      assert.equal(ws.textOf('src/pricing.ts'), undefined, 'a key written into the file keeps it out at once');
      assert.equal(ws.linesOf('src/pricing.ts'), undefined);
      writeFileSync(file, 'export function grandTotal(): number {\r\n  return 1;\r\n}\r\n');
      assert.deepEqual(ws.linesOf('src/pricing.ts'), ['export function grandTotal(): number {', '  return 1;', '}', '']);
      // Same size, same mtime, other bytes: the ctime still tells.
      writeFileSync(file, 'export function grandTotal(): number {\r\n  return 2;\r\n}\r\n');
      utimesSync(file, new Date(0), new Date(0));
      assert.equal(ws.linesOf('src/pricing.ts')?.[1], '  return 2;');
      writeFileSync(file, 'export function grandTotal(): number {\r\n  return 3;\r\n}\r\n');
      utimesSync(file, new Date(0), new Date(0));
      assert.equal(ws.linesOf('src/pricing.ts')?.[1], '  return 3;');
    });

    it('a key past the first 64 KB keeps a file read from disk out, and a snippet holding one never goes out', async () => {
      const filler = '// padding line for a long file\n'.repeat(3000); // ~96 KB
      const key = 'ghp_' + 'k'.repeat(36);
      writeFileSync(path.join(root, 'src/long.ts'), `${filler}export function longClean(): number {\n  return 1;\n}\n`);
      writeFileSync(path.join(root, 'src/leaky.ts'), `${filler}export function leakyToken(): string {\n  return '${key}';\n}\n`);
      await ws.fileCreated('src/long.ts');
      await ws.fileCreated('src/leaky.ts');
      assert.match(ws.textOf('src/long.ts') ?? '', /longClean/, 'a long file without a key is read');
      assert.equal(ws.textOf('src/leaky.ts'), undefined, 'the key at 96 KB is found');
      // Open in an editor (judged on its first 64 KB as typed), its definition is still never sent.
      await ws.documentOpened('src/leaky.ts', 'typescript', readFileSync(path.join(root, 'src/leaky.ts'), 'utf8'));
      await ws.flushDocuments();
      const text = "import { leakyToken } from './leaky';\nimport { longClean } from './long';\nexport const a = leakyToken() + longClean();\n";
      const result = await ws.retrieve({ file: 'src/use.ts', languageId: 'typescript', text, offset: text.length, budgetTokens: 2048 });
      assert.ok(result.snippets.some((s) => s.text.includes('longClean')), JSON.stringify(result.snippets.map((s) => s.file)));
      assert.ok(!result.snippets.some((s) => s.text.includes(key)), 'no snippet carries the key');
      assert.equal(result.tokens, result.snippets.reduce((n, s) => n + s.tokens + snippetOverheadTokens(s), 0), 'the count is of what is sent');
    });

    it('the path rules are judged on every read: a file ignored after it was read is not read again', async () => {
      assert.match(ws.textOf('src/pricing.ts') ?? '', /computeTotal/);
      writeFileSync(path.join(root, '.gitignore'), 'ignored/\nsrc/pricing.ts\n');
      await ws.fileChanged('.gitignore');
      assert.equal(ws.textOf('src/pricing.ts'), undefined);
      assert.equal(ws.linesOf('src/pricing.ts'), undefined);
    });

    it("an open document's lines follow its text", async () => {
      await ws.documentOpened('src/pricing.ts', 'typescript', 'a\nb\n');
      assert.deepEqual(ws.linesOf('src/pricing.ts'), ['a', 'b', '']);
      await ws.documentChanged('src/pricing.ts', 'a\nc\n', [{ startLine: 2, endLine: 2, lineDelta: 0 }]);
      assert.deepEqual(ws.linesOf('src/pricing.ts'), ['a', 'c', '']);
      await ws.documentChanged('src/pricing.ts', `a\n${'ghp_' + 'b'.repeat(36)}\n`, [{ startLine: 2, endLine: 2, lineDelta: 0 }]);
      assert.equal(ws.linesOf('src/pricing.ts'), undefined, 'a key typed into the document keeps it out');
    });

    it('a rename moves the definitions; a delete removes them', async () => {
      await ws.fileRenamed('src/pricing.ts', 'src/money/pricing.ts');
      assert.deepEqual(names(ws, 'computeTotal'), ['src/money/pricing.ts']);
      assert.ok(!ws.index.has('src/pricing.ts'));
      await ws.fileDeleted('src/money/pricing.ts');
      assert.deepEqual(names(ws, 'computeTotal'), []);
    });

    it('a folder rename and delete move and drop everything inside', async () => {
      await ws.fileRenamed('src', 'lib');
      assert.deepEqual([...ws.index.files()].sort(), ['lib/checkout/cart.ts', 'lib/pricing.ts']);
      await ws.fileDeleted('lib/checkout');
      assert.deepEqual([...ws.index.files()], ['lib/pricing.ts']);
    });

    it('a rename into an ignored folder drops the file', async () => {
      await ws.fileRenamed('src/pricing.ts', 'ignored/pricing2.ts');
      assert.deepEqual(names(ws, 'computeTotal'), []);
    });

    it('a new file is indexed; a new file in an ignored folder or a secret is not', async () => {
      writeFileSync(path.join(root, 'src/tax.ts'), 'export function taxFor(amount: number) { return amount; }\n');
      writeFileSync(path.join(root, 'ignored/tax.ts'), 'export function taxFor() {}\n');
      await ws.fileCreated('src/tax.ts');
      await ws.fileCreated('ignored/tax.ts');
      await ws.fileCreated('.env');
      assert.deepEqual(names(ws, 'taxFor'), ['src/tax.ts']);
      assert.ok(!ws.index.has('.env'));
    });

    it('a changed .gitignore drops what it now ignores', async () => {
      writeFileSync(path.join(root, '.gitignore'), 'ignored/\nsrc/checkout/\n');
      await ws.fileChanged('.gitignore');
      assert.deepEqual([...ws.index.files()], ['src/pricing.ts']);
    });

    it('a link created to a file outside the workspace is never read, by file event or by textOf', async () => {
      const outside = mkdtempSync(path.join(tmpdir(), 'bantam-home-'));
      try {
        writeFileSync(path.join(outside, 'history.ts'), 'export function leakedSecret() { return "sk-proj-abc"; }\n');
        symlinkSync(path.join(outside, 'history.ts'), path.join(root, 'src/history.ts'), 'file');
        symlinkSync('../.env', path.join(root, 'src/config.ts'), 'file');
        await ws.fileCreated('src/history.ts');
        await ws.fileCreated('src/config.ts');
        assert.deepEqual(names(ws, 'leakedSecret'), []);
        assert.ok(!ws.index.has('src/history.ts') && !ws.index.has('src/config.ts'));
        assert.equal(ws.textOf('src/history.ts'), undefined);
        assert.equal(ws.textOf('src/config.ts'), undefined, 'a link to .env is judged as .env');
        assert.equal(ws.stats().skipped.outside, 1);
        // Opened in the editor, it stays out of everything too.
        await ws.documentOpened('src/history.ts', 'typescript', 'export function leakedSecret() {}\n');
        await ws.flushDocuments();
        assert.deepEqual(names(ws, 'leakedSecret'), []);
        assert.ok(!ws.similar.files().includes('src/history.ts'));
        assert.equal(ws.textOf('src/history.ts'), undefined);
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    });

    it('a vanished file and a path outside the workspace are handled quietly', async () => {
      rmSync(path.join(root, 'src/pricing.ts'));
      await ws.fileChanged('src/pricing.ts');
      assert.ok(!ws.index.has('src/pricing.ts'));
      await ws.fileChanged('../outside.ts');
      assert.equal(ws.textOf('../../etc/passwd'), undefined);
    });
  });

  describe('files that must not stop the index', () => {
    let root: string;
    beforeEach(() => {
      root = copyFixture('typescript');
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('skips a 50 MB file by size and a binary file by content, indexes a file with syntax errors', async () => {
      const huge = path.join(root, 'src/huge.ts');
      writeFileSync(huge, '');
      truncateSync(huge, 50 * 1024 * 1024); // sparse: cheap to create, would be costly to read
      writeFileSync(path.join(root, 'src/blob.ts'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 0, 0, 3]));
      writeFileSync(
        path.join(root, 'src/broken.ts'),
        'export function beforeError(): number { return 1; }\nconst x = ((( ;\nexport function afterError(): number { return 2; }\n',
      );
      const ws = workspace(root);
      try {
        const progress = await ws.indexAll();
        assert.equal(progress.phase, 'done');
        const stats = ws.stats();
        assert.equal(stats.skipped['too-large'], 1);
        assert.equal(stats.skipped.binary, 1);
        assert.ok(!ws.index.has('src/huge.ts'));
        assert.ok(!ws.index.has('src/blob.ts'));
        const broken = ws.symbolsOf('src/broken.ts');
        assert.ok(broken, 'the broken file is indexed');
        assert.equal(broken.hasErrors, true);
        assert.deepEqual(names(ws, 'beforeError'), ['src/broken.ts']);
        assert.equal(ws.textOf('src/huge.ts'), undefined);
        assert.equal(ws.textOf('src/blob.ts'), undefined);
      } finally {
        ws.dispose();
      }
    });

    it('an extractor failure on one file is counted and the rest is indexed', async () => {
      writeFileSync(path.join(root, 'src/explode.ts'), '// EXPLODE\n');
      const logged: string[] = [];
      const ws = workspace(root, {
        log: (l) => logged.push(l),
        extract: async (language, text) => {
          if (text.includes('EXPLODE')) throw new Error('extractor crashed');
          return fakeSymbols(language, text);
        },
      });
      try {
        const progress = await ws.indexAll();
        assert.equal(progress.phase, 'done');
        assert.equal(ws.stats().failed, 1);
        assert.ok(!ws.index.has('src/explode.ts'));
        assert.deepEqual(names(ws, 'computeTotal'), ['src/pricing.ts']);
        assert.ok(logged.some((l) => l.includes('src/explode.ts')));
      } finally {
        ws.dispose();
      }
    });

    it('caps the scan at maxFiles and says so', async () => {
      const ws = workspace(root, { maxFiles: 1, extract: async (l, t) => fakeSymbols(l, t) });
      try {
        const progress = await ws.indexAll();
        assert.equal(progress.capped, true);
        assert.equal(ws.index.size, 1);
      } finally {
        ws.dispose();
      }
    });

    it('a cancelled index resolves with phase cancelled', async () => {
      const ws = workspace(root, { extract: async (l, t) => fakeSymbols(l, t) });
      try {
        const controller = new AbortController();
        controller.abort();
        const seen: IndexProgress[] = [];
        const progress = await ws.indexAll((p) => seen.push(p), controller.signal);
        assert.equal(progress.phase, 'cancelled');
        assert.equal(seen.at(-1)?.phase, 'cancelled');
      } finally {
        ws.dispose();
      }
    });
  });

  describe('restart with a persisted cache', () => {
    let root: string;
    let storage: string;
    beforeEach(() => {
      root = copyFixture('python');
      storage = mkdtempSync(path.join(tmpdir(), 'bantam-store-'));
    });
    afterEach(() => {
      rmSync(root, { recursive: true, force: true });
      rmSync(storage, { recursive: true, force: true });
    });

    function counting(): { ws: ContextWorkspace; parsed: string[] } {
      const parsed: string[] = [];
      const ws = workspace(root, {
        storageDir: storage,
        extract: async (language, text) => {
          parsed.push(text);
          return fakeSymbols(language, text);
        },
      });
      return { ws, parsed };
    }

    it('re-parses nothing unchanged, and only the changed file', async () => {
      const first = counting();
      const p1 = await first.ws.indexAll();
      await first.ws.close();
      assert.equal(first.parsed.length, p1.done);
      assert.ok(p1.done >= 2);

      const second = counting();
      const p2 = await second.ws.indexAll();
      await second.ws.close();
      assert.equal(second.parsed.length, 0, 'nothing parsed again');
      assert.equal(p2.cached, p2.done);
      assert.deepEqual(names(second.ws, 'compute_total'), ['shop/pricing.py']);

      writeFileSync(path.join(root, 'shop/cart.py'), 'def checkout_all():\n    pass\n');
      const third = counting();
      await third.ws.indexAll();
      await third.ws.close();
      assert.equal(third.parsed.length, 1);
      assert.deepEqual(names(third.ws, 'checkout_all'), ['shop/cart.py']);
    });

    it('skips even reading files whose size and mtime are unchanged; a deleted file drops out', async () => {
      const past = new Date(Date.now() - 3600_000);
      for (const f of ['shop/cart.py', 'shop/pricing.py']) utimesSync(path.join(root, f), past, past);
      const first = counting();
      await first.ws.indexAll();
      await first.ws.close();

      const second = counting();
      await second.ws.indexAll();
      assert.equal(second.parsed.length, 0);
      assert.equal(second.ws.stats().unchangedSkippedRead, 2);
      await second.ws.close();

      rmSync(path.join(root, 'shop/cart.py'));
      const third = counting();
      await third.ws.indexAll();
      await third.ws.close();
      assert.deepEqual([...third.ws.index.files()], ['shop/pricing.py']);
    });

    it('closing before any full index keeps the cache whole', async () => {
      const first = counting();
      await first.ws.indexAll();
      await first.ws.close();
      const second = counting();
      await second.ws.documentOpened('shop/new.py', 'python', 'def fresh_one():\n    pass\n');
      await second.ws.close();
      const third = counting();
      await third.ws.indexAll();
      await third.ws.close();
      assert.equal(third.parsed.length, 0);
    });

    it('a fresh rebuild parses everything again', async () => {
      const first = counting();
      const p1 = await first.ws.indexAll();
      const before = first.parsed.length;
      const p2 = await first.ws.indexAll(undefined, undefined, { fresh: true });
      await first.ws.close();
      assert.equal(first.parsed.length, before + p1.done);
      assert.equal(p2.cached, 0);
    });
  });

  describe('open documents', () => {
    let root: string;
    let ws: ContextWorkspace;
    beforeEach(async () => {
      root = copyFixture('typescript');
      mkdirSync(path.join(root, 'docs'));
      ws = workspace(root, { now: () => 1000 });
      await ws.indexAll();
    });
    afterEach(() => {
      ws.dispose();
      rmSync(root, { recursive: true, force: true });
    });

    it('the live text wins over disk while open; disk is back after close', async () => {
      await ws.documentOpened('src/pricing.ts', 'typescript', 'export function liveTotal() { return 0; }\n');
      await ws.flushDocuments();
      assert.deepEqual(names(ws, 'liveTotal'), ['src/pricing.ts']);
      assert.deepEqual(names(ws, 'computeTotal'), []);
      assert.match(ws.textOf('src/pricing.ts') ?? '', /liveTotal/);
      // A disk event for an open document does not override the live text.
      await ws.fileChanged('src/pricing.ts');
      assert.deepEqual(names(ws, 'liveTotal'), ['src/pricing.ts']);

      await ws.documentChanged('src/pricing.ts', 'export function liveTotal() { return 0; }\nexport function typedNow() {}\n', [
        { startLine: 2, endLine: 2, lineDelta: 1 },
      ]);
      await ws.flushDocuments();
      assert.deepEqual(names(ws, 'typedNow'), ['src/pricing.ts']);
      assert.deepEqual(
        ws.recent.recent({ now: 1000 }).map((r) => [r.file, r.startLine, r.endLine, r.kind]),
        [['src/pricing.ts', 2, 2, 'edit']],
      );

      await ws.documentClosed('src/pricing.ts');
      assert.deepEqual(names(ws, 'computeTotal'), ['src/pricing.ts']);
      assert.deepEqual(names(ws, 'typedNow'), []);
    });

    const excluded: { name: string; file: string; text: string }[] = [
      { name: 'a .gitignore\'d file', file: 'ignored/pricing.ts', text: 'export function computeTotal() {}\n' },
      { name: 'a secret-looking name', file: '.env', text: 'TOKEN=abc\n' },
      { name: 'a file carrying a private key', file: 'src/key.ts', text: `const k = \`-----BEGIN ${'RSA PRIVATE KEY'}-----\nMIIEpAIBAAKCAQEA${'Q'.repeat(48)}\n\`;\n` },
    ];
    for (const c of excluded) {
      it(`${c.name} stays out of the index, similar code and recent ranges even when opened`, async () => {
        await ws.documentOpened(c.file, 'typescript', c.text);
        await ws.documentChanged(c.file, c.text + '\n', [{ startLine: 1, endLine: 2, lineDelta: 1 }]);
        await ws.viewed(c.file, 1, 2);
        await ws.flushDocuments();
        assert.ok(!ws.index.has(c.file));
        assert.ok(!ws.similar.files().includes(c.file));
        assert.deepEqual(ws.recent.recent({ now: 1000 }), []);
        assert.equal(ws.textOf(c.file), undefined);
        assert.equal(await ws.parse(c.file, 'typescript', c.text), undefined);
        assert.deepEqual(names(ws, 'computeTotal'), ['src/pricing.ts']);
      });
    }

    it('a file without a grammar still feeds similar code and recent edits', async () => {
      await ws.documentOpened('docs/notes.md', 'markdown', '# Notes\ncomputeTotal rounds prices\n');
      await ws.documentChanged('docs/notes.md', '# Notes\ncomputeTotal rounds prices\nmore\n', [
        { startLine: 3, endLine: 3, lineDelta: 1 },
      ]);
      await ws.viewed('docs/notes.md', 1, 3);
      assert.ok(ws.similar.files().includes('docs/notes.md'));
      assert.ok(!ws.index.has('docs/notes.md'));
      assert.deepEqual(
        ws.recent.recent({ now: 1000 }).map((r) => r.kind).sort(),
        ['edit', 'view'],
      );
      assert.match(ws.textOf('docs/notes.md') ?? '', /more/);
    });

    it('edits shift earlier recent ranges below them', async () => {
      const text = Array.from({ length: 30 }, (_, i) => `const v${i} = ${i};`).join('\n');
      await ws.documentOpened('src/values.ts', 'typescript', text);
      await ws.documentChanged('src/values.ts', text, [{ startLine: 20, endLine: 20, lineDelta: 0 }]);
      // Two lines inserted at line 5: the edit at line 20 is now at line 22.
      await ws.documentChanged('src/values.ts', text, [{ startLine: 5, endLine: 7, lineDelta: 2 }]);
      assert.deepEqual(
        ws.recent.recent({ now: 1000 }).map((r) => [r.startLine, r.endLine]).sort((a, b) => a[0] - b[0]),
        [
          [5, 7],
          [22, 22],
        ],
      );
    });

    it('parses an open document for retrieval', async () => {
      const text = 'export function parsedHere() {}\n';
      await ws.documentOpened('src/new.ts', 'typescript', text);
      const parsed = await ws.parse('src/new.ts', 'typescript', text);
      assert.ok(parsed);
    });
  });
});

/** A stand-in extractor: every `function NAME` / `def NAME` is a definition. */
function fakeSymbols(language: ContextLanguage, text: string): FileSymbols {
  const definitions = [...text.matchAll(/(?:function|def)\s+([A-Za-z_]\w*)/g)].map((m) => {
    const line = text.slice(0, m.index).split('\n').length;
    return { name: m[1], kind: 'function' as const, startLine: line, endLine: line, signature: m[0] };
  });
  return { language, definitions, imports: [], identifiers: [], hasErrors: false };
}
