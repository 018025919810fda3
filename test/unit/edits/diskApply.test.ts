// Tests for writing a plan to disk: all changes land (new folders made, deletions done, no temp files
// left), and every refusal (stale text, a create target that appeared, a symlink out of the root, a
// write failing midway) leaves the workspace exactly as it was.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { applyChangesToDisk, diskReader } from '../../../src/core/edits/diskApply';
import type { FileChange } from '../../../src/core/edits/editTypes';

/** Every file under `dir` with its text, so a test can compare a whole workspace. */
function snapshot(dir: string, root = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(out, snapshot(full, root));
    else if (entry.isFile()) out[relative(root, full).split('\\').join('/')] = readFileSync(full, 'utf8');
  }
  return out;
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const START = { 'src/a.ts': 'a\n', 'src/b.ts': 'b\r\n', 'old.txt': 'old\n' };

describe('applyChangesToDisk', () => {
  let base: string;
  let root: string;
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'bantam-apply-'));
    root = join(base, 'ws');
    writeTree(root, START);
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  const plan: FileChange[] = [
    { path: 'src/a.ts', kind: 'modify', before: 'a\n', after: 'A\n' },
    { path: 'src/b.ts', kind: 'modify', before: 'b\r\n', after: 'B\r\n' },
    { path: 'src/deep/new/n.ts', kind: 'create', before: undefined, after: 'n\n' },
    { path: 'old.txt', kind: 'delete', before: 'old\n', after: undefined },
  ];

  it('writes every change, makes folders, deletes, and leaves no temp files', async () => {
    const result = await applyChangesToDisk(root, plan);
    assert.deepEqual(result, { applied: true, written: ['src/a.ts', 'src/b.ts', 'src/deep/new/n.ts', 'old.txt'], problems: [] });
    assert.deepEqual(snapshot(root), { 'src/a.ts': 'A\n', 'src/b.ts': 'B\r\n', 'src/deep/new/n.ts': 'n\n' });
  });

  it('keeps the mode of a file it rewrites', async () => {
    chmodSync(join(root, 'src/a.ts'), 0o755);
    await applyChangesToDisk(root, [plan[0]!]);
    assert.equal(statSync(join(root, 'src/a.ts')).mode & 0o777, 0o755);
  });

  const refusals: Array<{ name: string; prepare: (root: string) => void; changes: FileChange[]; includes: string }> = [
    {
      name: 'a file edited since the plan refuses everything',
      prepare: (r) => writeFileSync(join(r, 'src/b.ts'), 'b edited\r\n'),
      changes: plan,
      includes: 'src/b.ts changed since the request; nothing was applied. Run the command again.',
    },
    {
      name: 'a file to delete that is already gone refuses everything',
      prepare: (r) => rmSync(join(r, 'old.txt')),
      changes: plan,
      includes: 'old.txt changed since the request',
    },
    {
      name: 'a file to create that now exists refuses everything',
      prepare: (r) => writeTree(r, { 'src/deep/new/n.ts': 'someone else\n' }),
      changes: plan,
      includes: 'src/deep/new/n.ts changed since the request',
    },
    {
      name: 'a path outside the workspace refuses everything',
      prepare: () => undefined,
      changes: [plan[0]!, { path: '../escape.txt', kind: 'create', before: undefined, after: 'x\n' }],
      includes: '../escape.txt: outside the workspace; nothing was applied.',
    },
    {
      name: 'a symlinked folder leading out of the workspace refuses everything',
      prepare: (r) => {
        mkdirSync(join(base, 'outside'));
        symlinkSync(join(base, 'outside'), join(r, 'link'));
      },
      changes: [plan[0]!, { path: 'link/x.txt', kind: 'create', before: undefined, after: 'x\n' }],
      includes: 'link/x.txt: it leads outside the workspace through a symbolic link',
    },
  ];
  for (const c of refusals) {
    it(c.name, async () => {
      c.prepare(root);
      const before = snapshot(base);
      const result = await applyChangesToDisk(root, c.changes);
      assert.equal(result.applied, false);
      assert.deepEqual(result.written, []);
      assert.ok(result.problems.some((p) => p.includes(c.includes)), JSON.stringify(result.problems));
      assert.deepEqual(snapshot(base), before);
    });
  }

  it('a write failing midway restores the files already written, removes created folders, and says so', async () => {
    // `old.txt/x.ts` cannot be created: old.txt is a file. Everything before it must be undone.
    const failing: FileChange[] = [...plan.slice(0, 3), { path: 'old.txt/x.ts', kind: 'create', before: undefined, after: 'x\n' }];
    const result = await applyChangesToDisk(root, failing);
    assert.equal(result.applied, false);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0]!, /^old\.txt\/x\.ts: could not be written \(.+\); the files already written were restored\.$/);
    assert.deepEqual(snapshot(root), START);
    assert.deepEqual(readdirSync(join(root, 'src')).sort(), ['a.ts', 'b.ts']);
  });

  it('deleting a link deletes the link, never the file it points to', async () => {
    symlinkSync('a.ts', join(root, 'src', 'alias.ts'));
    const result = await applyChangesToDisk(root, [{ path: 'src/alias.ts', kind: 'delete', before: 'a\n', after: undefined }]);
    assert.deepEqual(result, { applied: true, written: ['src/alias.ts'], problems: [] });
    assert.equal(readFileSync(join(root, 'src', 'a.ts'), 'utf8'), 'a\n');
    assert.throws(() => statSync(join(root, 'src', 'alias.ts')));
  });

  it('refuses two names for one file in one plan (a link and its target): nothing is written', async () => {
    symlinkSync('a.ts', join(root, 'src', 'same.ts'));
    const result = await applyChangesToDisk(root, [
      { path: 'src/a.ts', kind: 'modify', before: 'a\n', after: 'ONE\n' },
      { path: 'src/same.ts', kind: 'modify', before: 'a\n', after: 'TWO\n' },
    ]);
    assert.equal(result.applied, false);
    assert.match(result.problems.join(' '), /src\/a\.ts and src\/same\.ts are two names for one file/);
    assert.equal(readFileSync(join(root, 'src', 'a.ts'), 'utf8'), 'a\n');
  });

  it('refuses a file that is not UTF-8 rather than re-encode bytes the edit never touched', async () => {
    writeFileSync(join(root, 'latin1.txt'), Buffer.from([0x2f, 0x2f, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const result = await applyChangesToDisk(root, [{ path: 'latin1.txt', kind: 'modify', before: '// caf\ufffd\n', after: 'x\n' }]);
    assert.equal(result.applied, false);
    assert.match(result.problems.join(' '), /latin1\.txt: could not be read \(it is not UTF-8 text/);
    assert.deepEqual(readFileSync(join(root, 'latin1.txt')), Buffer.from([0x2f, 0x2f, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
    await assert.rejects(diskReader(root)('latin1.txt'), /not UTF-8 text/);
  });

  it('a folder whose name starts with two dots is inside the workspace', async () => {
    const result = await applyChangesToDisk(root, [{ path: '..notes/todo.md', kind: 'create', before: undefined, after: 'x\n' }]);
    assert.deepEqual(result.problems, []);
    assert.equal(readFileSync(join(root, '..notes', 'todo.md'), 'utf8'), 'x\n');
  });

  it('writes through a symlink that stays inside the workspace', async () => {
    symlinkSync(join(root, 'src'), join(root, 'alias'));
    const result = await applyChangesToDisk(root, [{ path: 'alias/a.ts', kind: 'modify', before: 'a\n', after: 'A\n' }]);
    assert.equal(result.applied, true, JSON.stringify(result.problems));
    assert.equal(readFileSync(join(root, 'src/a.ts'), 'utf8'), 'A\n');
  });
});

describe('diskReader', () => {
  it('reads workspace files, says undefined for missing ones, and refuses escapes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'bantam-read-'));
    try {
      writeTree(root, { 'src/a.ts': 'a\n' });
      const read = diskReader(root);
      assert.equal(await read('./src\\a.ts'), 'a\n');
      assert.equal(await read('src/missing.ts'), undefined);
      assert.equal(await read('src/a.ts/not-a-dir.ts'), undefined);
      await assert.rejects(read('../outside.txt'), /outside the workspace/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
