// Tests for the persisted index cache: round trip, what makes a cache unusable (missing, corrupt,
// truncated, other format, other extractor fingerprint) without ever throwing, pruning on save,
// the size+mtime shortcut and its racy-mtime guard, and atomic saves.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { FileSymbols } from '../../../src/core/context/contextTypes';
import { CACHE_FILE_NAME, CACHE_FORMAT, hashContent, IndexCache, RACY_MS } from '../../../src/core/context/indexCache';

const sample = (name: string): FileSymbols => ({
  language: 'python',
  definitions: [
    { name, kind: 'function', startLine: 3, endLine: 9, signature: `def ${name}(items):` },
    { name: 'total', kind: 'method', startLine: 12, endLine: 14, signature: 'def total(self):', container: 'Cart' },
  ],
  imports: [
    { source: '.models', names: ['Item', 'Order'], line: 1 },
    { source: 'os', names: [], line: 2 },
  ],
  identifiers: ['items', 'total', name],
  hasErrors: true,
});

describe('IndexCache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bantam-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const old = Date.now() - 60_000;
  const stat = (size: number) => ({ size, mtimeMs: old, readAt: Date.now() });

  it('hashContent is sha1 hex of the UTF-8 text, same for string and bytes', () => {
    assert.equal(hashContent('abc'), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.equal(hashContent('größe'), hashContent(Buffer.from('größe', 'utf8')));
    assert.notEqual(hashContent('a'), hashContent('b'));
    // The same text read by two grammars gives two keys (a .js and a .ts `export {};`).
    assert.notEqual(hashContent('export {};', 'javascript'), hashContent('export {};', 'typescript'));
    assert.equal(hashContent('x', 'python'), hashContent(Buffer.from('x'), 'python'));
  });

  it('round-trips symbols through a save and a load', async () => {
    const cache = await IndexCache.load(dir, { fingerprint: 'fp' });
    cache.set('h1', sample('compute_total'));
    assert.ok(await cache.save([{ file: 'shop/pricing.py', hash: 'h1', symbols: sample('compute_total'), stat: stat(120) }]));
    const again = await IndexCache.load(dir, { fingerprint: 'fp' });
    assert.deepEqual(again.get('h1'), sample('compute_total'));
    assert.equal(again.get('nope'), undefined);
    assert.equal(again.hits, 1);
    assert.equal(again.misses, 1);
  });

  it('keeps the cache readable by its user only (it holds names and signatures of their code)', async () => {
    const fresh = path.join(dir, 'private');
    const cache = await IndexCache.load(fresh, { fingerprint: 'fp' });
    cache.set('h1', sample('compute_total'));
    assert.ok(await cache.save([{ file: 'shop/pricing.py', hash: 'h1', symbols: sample('compute_total'), stat: stat(120) }]));
    assert.equal(statSync(fresh).mode & 0o777, 0o700);
    for (const name of readdirSync(fresh)) assert.equal(statSync(path.join(fresh, name)).mode & 0o777, 0o600, name);
  });

  const broken: { name: string; write: (file: string) => void }[] = [
    { name: 'missing file', write: () => {} },
    { name: 'not JSON', write: (f) => writeFileSync(f, '{"format": 1, "finger') },
    { name: 'JSON null', write: (f) => writeFileSync(f, 'null') },
    { name: 'binary garbage', write: (f) => writeFileSync(f, Buffer.from([0, 159, 146, 150, 255])) },
    {
      name: 'other format version',
      write: (f) =>
        writeFileSync(f, JSON.stringify({ format: CACHE_FORMAT + 1, fingerprint: 'fp', savedAt: 0, strings: [], symbols: {}, paths: {} })),
    },
    {
      name: 'bad string table',
      write: (f) =>
        writeFileSync(f, JSON.stringify({ format: CACHE_FORMAT, fingerprint: 'fp', savedAt: 0, strings: [1, 2], symbols: {}, paths: {} })),
    },
  ];
  for (const b of broken) {
    it(`a ${b.name} gives an empty cache, never an exception`, async () => {
      b.write(path.join(dir, CACHE_FILE_NAME));
      const logged: string[] = [];
      const cache = await IndexCache.load(dir, { fingerprint: 'fp', log: (l) => logged.push(l) });
      assert.equal(cache.size, 0);
      assert.equal(cache.get('h1'), undefined);
      assert.equal(cache.hashForStat('a.py', 1, old), undefined);
      // And it can still save over the broken file.
      assert.ok(await cache.save([{ file: 'a.py', hash: 'h1', symbols: sample('f') }]));
      assert.deepEqual((await IndexCache.load(dir, { fingerprint: 'fp' })).get('h1'), sample('f'));
    });
  }

  it('discards a cache written by another extractor or grammar set (fingerprint)', async () => {
    const cache = await IndexCache.load(dir, { fingerprint: 'extractor-1' });
    await cache.save([{ file: 'a.py', hash: 'h1', symbols: sample('f'), stat: stat(5) }]);
    assert.ok((await IndexCache.load(dir, { fingerprint: 'extractor-1' })).get('h1'));
    const other = await IndexCache.load(dir, { fingerprint: 'extractor-2' });
    assert.equal(other.get('h1'), undefined);
    assert.equal(other.hashForStat('a.py', 5, old), undefined);
  });

  it('treats one malformed entry as a miss and keeps the others', async () => {
    const cache = await IndexCache.load(dir, { fingerprint: 'fp' });
    await cache.save([
      { file: 'a.py', hash: 'good', symbols: sample('f') },
      { file: 'b.py', hash: 'bad', symbols: sample('g') },
    ]);
    const file = path.join(dir, CACHE_FILE_NAME);
    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.symbols.bad[2] = [999999, 0, 1, 1, 0, -1]; // a name index outside the string table
    writeFileSync(file, JSON.stringify(data));
    const again = await IndexCache.load(dir, { fingerprint: 'fp' });
    assert.equal(again.get('bad'), undefined);
    assert.deepEqual(again.get('good'), sample('f'));
  });

  it('save prunes symbols of files no longer in the index, on disk and in memory', async () => {
    const cache = await IndexCache.load(dir, { fingerprint: 'fp' });
    cache.set('gone', sample('old'));
    await cache.save([
      { file: 'a.py', hash: 'kept', symbols: sample('f') },
      { file: 'b.py', hash: 'gone', symbols: sample('old') },
    ]);
    const next = await IndexCache.load(dir, { fingerprint: 'fp' });
    assert.ok(next.get('kept'));
    await next.save([{ file: 'a.py', hash: 'kept', symbols: sample('f') }]);
    assert.equal(next.get('gone'), undefined, 'pruned in memory');
    const last = await IndexCache.load(dir, { fingerprint: 'fp' });
    assert.equal(last.get('gone'), undefined, 'pruned on disk');
    assert.ok(last.get('kept'));
  });

  it('a save without pruning keeps loaded entries the run has not reached yet', async () => {
    const first = await IndexCache.load(dir, { fingerprint: 'fp' });
    await first.save([
      { file: 'a.py', hash: 'ha', symbols: sample('a'), stat: stat(1) },
      { file: 'b.py', hash: 'hb', symbols: sample('b'), stat: stat(2) },
    ]);
    const second = await IndexCache.load(dir, { fingerprint: 'fp' });
    assert.ok(second.get('ha'));
    await second.save([{ file: 'a.py', hash: 'ha', symbols: sample('a'), stat: stat(1) }], { prune: false });
    const third = await IndexCache.load(dir, { fingerprint: 'fp' });
    assert.deepEqual(third.get('hb'), sample('b'));
    assert.equal(third.hashForStat('b.py', 2, old), 'hb');
  });

  it('remembers path -> hash by size and mtime, but not for a racy (just modified) file', async () => {
    const cache = await IndexCache.load(dir, { fingerprint: 'fp' });
    const now = Date.now();
    await cache.save([
      { file: 'old.py', hash: 'h1', symbols: sample('f'), stat: { size: 10, mtimeMs: now - 10 * RACY_MS, readAt: now } },
      { file: 'racy.py', hash: 'h2', symbols: sample('g'), stat: { size: 10, mtimeMs: now - 1, readAt: now } },
      { file: 'open.py', hash: 'h3', symbols: sample('h') },
    ]);
    const again = await IndexCache.load(dir, { fingerprint: 'fp' });
    assert.equal(again.hashForStat('old.py', 10, now - 10 * RACY_MS), 'h1');
    assert.equal(again.hashForStat('old.py', 11, now - 10 * RACY_MS), undefined, 'size changed');
    assert.equal(again.hashForStat('old.py', 10, now), undefined, 'mtime changed');
    assert.equal(again.hashForStat('racy.py', 10, now - 1), undefined);
    assert.equal(again.hashForStat('open.py', 10, now), undefined);
    assert.ok(again.get('h2'), 'the racy file still has its symbols by hash');
  });

  it('saves atomically: no temporary file is left behind', async () => {
    const cache = await IndexCache.load(path.join(dir, 'nested', 'store'), { fingerprint: 'fp' });
    assert.ok(await cache.save([{ file: 'a.py', hash: 'h', symbols: sample('f') }]));
    assert.ok(await cache.save([{ file: 'a.py', hash: 'h', symbols: sample('f') }]));
    assert.deepEqual(readdirSync(path.join(dir, 'nested', 'store')), [CACHE_FILE_NAME]);
  });

  it('a failed save (storage path is a file) returns false instead of throwing', async () => {
    const blocker = path.join(dir, 'blocker');
    writeFileSync(blocker, 'x');
    const logged: string[] = [];
    const cache = await IndexCache.load(path.join(blocker, 'store'), { fingerprint: 'fp', log: (l) => logged.push(l) });
    assert.equal(await cache.save([{ file: 'a.py', hash: 'h', symbols: sample('f') }]), false);
    assert.equal(logged.length, 1);
  });

  it('stores repeated strings once on disk', async () => {
    const cache = await IndexCache.load(dir, { fingerprint: 'fp' });
    const files = Array.from({ length: 50 }, (_, i) => ({ file: `f${i}.py`, hash: `h${i}`, symbols: sample('compute_total') }));
    await cache.save(files);
    const data = JSON.parse(readFileSync(path.join(dir, CACHE_FILE_NAME), 'utf8'));
    assert.equal(data.strings.filter((s: string) => s === 'compute_total').length, 1);
  });
});
