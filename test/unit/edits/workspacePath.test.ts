// Tests for path normalization: every spelling of one file gives one key, and every way out of the
// workspace (absolute, drive letters, `..`, `~`) or into .git is refused, and so is every segment a
// file system reads as another name (trailing dot or space, NTFS streams and short names, invisible
// and bidi characters).
import * as assert from 'node:assert/strict';
import { normalizeWorkspacePath, type WorkspacePath } from '../../../src/core/edits/workspacePath';

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
