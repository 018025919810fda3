// Tests for path normalization: every spelling of one file gives one key, and every way out of the
// workspace (absolute, drive letters, `..`, `~`) or into .git is refused, and so is every segment a
// file system reads as another name (trailing dot or space, NTFS streams and short names, invisible
// and bidi characters). In a multi-root workspace a path resolves to its folder or is refused.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { WorkspaceRoots } from '../../../src/core/kernel/workspaceRoots';
import { normalizeWorkspacePath, resolveFolderPath, type WorkspacePath } from '../../../src/core/edits/workspacePath';

const cases: Array<[raw: string, expected: WorkspacePath | 'refused']> = [
  ['src/a.ts', { path: 'src/a.ts' }],
  ['./src/a.ts', { path: 'src/a.ts' }],
  ['src\\util\\a.ts', { path: 'src/util/a.ts' }],
  ['src//./a.ts', { path: 'src/a.ts' }],
  ['src/lib/../a.ts', { path: 'src/a.ts' }],
  ['  src/a.ts  ', { path: 'src/a.ts' }],
  ['dir with space/file name.ts', { path: 'dir with space/file name.ts' }],
  ['src/../../etc/passwd', 'refused'],
  ['../a.ts', 'refused'],
  ['/etc/passwd', 'refused'],
  ['\\\\server\\share\\a.ts', 'refused'],
  ['C:\\Windows\\a.ts', 'refused'],
  ['c:a.ts', 'refused'],
  ['~/.ssh/id_rsa', 'refused'],
  ['.git/config', 'refused'],
  ['sub/.GIT/hooks/pre-commit', 'refused'],
  ['', 'refused'],
  ['.', 'refused'],
  ['src/a\0.ts', 'refused'],
  // Aliases of .git and of other names on Windows, NTFS and HFS+ (each a way past the .git check).
  ['.git./hooks/pre-commit', 'refused'],
  ['.git /hooks/pre-commit', 'refused'],
  ['.git::$INDEX_ALLOCATION/hooks/pre-commit', 'refused'],
  ['GIT~1/hooks/pre-commit', 'refused'],
  ['.g\u200cit/hooks/pre-commit', 'refused'],
  ['.gi\ufefft/config', 'refused'],
  ['src/\u202egnp.ts', 'refused'],
  ['src/a.ts.', 'refused'],
  ['src/a.ts:stream', 'refused'],
  ['.ＧＩＴ/config', { path: '.ＧＩＴ/config' }], // fullwidth letters are other letters, not an alias
  ['src/café.ts', { path: 'src/café.ts' }],
  ['src/v1.2/notes.md', { path: 'src/v1.2/notes.md' }],
];

describe('normalizeWorkspacePath', () => {
  for (const [raw, expected] of cases) {
    it(`${JSON.stringify(raw)} -> ${expected === 'refused' || !('path' in expected) ? 'refused' : expected.path}`, () => {
      const result = normalizeWorkspacePath(raw);
      if (expected === 'refused') assert.ok('refused' in result, JSON.stringify(result));
      else assert.deepEqual(result, expected);
    });
  }

  it('says which alias a refused segment is', () => {
    assert.match((normalizeWorkspacePath('.git./x') as { refused: string }).refused, /ends in a dot or a space/);
    assert.match((normalizeWorkspacePath('GIT~1/x') as { refused: string }).refused, /NTFS short name/);
    assert.match((normalizeWorkspacePath('.g\u200cit/x') as { refused: string }).refused, /invisible character/);
  });

  it('says "outside the workspace" for an escape', () => {
    assert.deepEqual(normalizeWorkspacePath('src/../../etc/passwd'), { refused: 'outside the workspace' });
  });
});

describe('resolveFolderPath (multi-root workspaces)', () => {
  const base = path.resolve('/ws');
  const two = new WorkspaceRoots([
    { name: 'app', root: path.join(base, 'app') },
    { name: 'lib', root: path.join(base, 'lib') },
  ]);
  const onDisk = (...files: string[]) => async (abs: string) => files.some((f) => path.join(base, f) === abs);

  it('a path starting with a folder name is that folder\'s', async () => {
    assert.deepEqual(await resolveFolderPath('lib/src/m.ts', two, onDisk()), { path: 'lib/src/m.ts' });
  });

  it('a path without a folder is taken when exactly one folder has the file', async () => {
    assert.deepEqual(await resolveFolderPath('src/m.ts', two, onDisk('lib/src/m.ts')), { path: 'lib/src/m.ts' });
  });

  it('refuses a path two folders have, and one no folder has, saying how to write it', async () => {
    const ambiguous = await resolveFolderPath('src/m.ts', two, onDisk('app/src/m.ts', 'lib/src/m.ts'));
    assert.ok('refused' in ambiguous && /ambiguous: app\/src\/m\.ts and lib\/src\/m\.ts/.test(ambiguous.refused), JSON.stringify(ambiguous));
    const nowhere = await resolveFolderPath('src/new.ts', two, onDisk());
    assert.ok('refused' in nowhere && /names no workspace folder.*app\/, lib\//.test(nowhere.refused), JSON.stringify(nowhere));
    const folder = await resolveFolderPath('app', two, onDisk());
    assert.ok('refused' in folder && /names a workspace folder/.test(folder.refused));
  });

  it('with one folder, every path is that folder\'s, unchanged', async () => {
    const one = new WorkspaceRoots([{ name: 'app', root: path.join(base, 'app') }]);
    assert.deepEqual(await resolveFolderPath('src/new.ts', one, onDisk()), { path: 'src/new.ts' });
    assert.ok('refused' in (await resolveFolderPath('src/a.ts', new WorkspaceRoots([]), onDisk())));
  });
});
