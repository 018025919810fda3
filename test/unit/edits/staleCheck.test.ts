// Tests for the stale check: a plan or a request is stale exactly when a file's current text is not
// the one it was computed from (edited, deleted, or for a create, come into existence).
import * as assert from 'node:assert/strict';
import type { FileChange } from '../../../src/core/edits/editTypes';
import { findStale, findStaleSnapshots, hashText, staleMessage, takeSnapshot } from '../../../src/core/edits/staleCheck';

const changes: FileChange[] = [
  { path: 'a.ts', kind: 'modify', before: 'a\n', after: 'A\n' },
  { path: 'b.ts', kind: 'delete', before: 'b\n', after: undefined },
  { path: 'c.ts', kind: 'create', before: undefined, after: 'c\n' },
];

const staleCases: Array<[name: string, files: Record<string, string>, stale: string[]]> = [
  ['nothing changed', { 'a.ts': 'a\n', 'b.ts': 'b\n' }, []],
  ['a modified file was edited', { 'a.ts': 'a\nmore\n', 'b.ts': 'b\n' }, ['a.ts']],
  ['only its line endings changed', { 'a.ts': 'a\r\n', 'b.ts': 'b\n' }, ['a.ts']],
  ['a file to delete is already gone', { 'a.ts': 'a\n' }, ['b.ts']],
  ['a file to create appeared', { 'a.ts': 'a\n', 'b.ts': 'b\n', 'c.ts': '' }, ['c.ts']],
  ['all three', { 'a.ts': '', 'c.ts': 'c\n' }, ['a.ts', 'b.ts', 'c.ts']],
];

describe('findStale', () => {
  for (const [name, files, stale] of staleCases) {
    it(name, () => {
      assert.deepEqual(findStale(changes, (p) => files[p]), stale);
    });
  }
});

describe('findStaleSnapshots', () => {
  const snapshots = [takeSnapshot('./src\\a.ts', 'a\n'), takeSnapshot('src/new.ts', undefined)];

  it('keys snapshots by the normalized path and keeps only a hash', () => {
    assert.deepEqual(snapshots, [
      { path: 'src/a.ts', hash: hashText('a\n') },
      { path: 'src/new.ts', hash: undefined },
    ]);
  });

  const cases: Array<[name: string, files: Record<string, string>, stale: string[]]> = [
    ['unchanged', { 'src/a.ts': 'a\n' }, []],
    ['edited while the model answered', { 'src/a.ts': 'a\nb\n' }, ['src/a.ts']],
    ['deleted, and a file that did not exist now does', { 'src/new.ts': '' }, ['src/a.ts', 'src/new.ts']],
  ];
  for (const [name, files, stale] of cases) {
    it(name, () => {
      assert.deepEqual(findStaleSnapshots(snapshots, (p) => files[p]), stale);
    });
  }
});

describe('staleMessage', () => {
  it('names the files, says nothing was applied and what to do', () => {
    assert.equal(staleMessage(['src/a.ts']), 'src/a.ts changed since the request; nothing was applied. Run the command again.');
    assert.equal(
      staleMessage(['a', 'b', 'c', 'd', 'e']),
      'a, b, c and 2 more changed since the request; nothing was applied. Run the command again.',
    );
  });
});
