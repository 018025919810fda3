// Tests for path normalization: every spelling of one file gives one key, and every way out of the
// workspace (absolute, drive letters, `..`, `~`) or into .git is refused.
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
];

describe('normalizeWorkspacePath', () => {
  for (const [raw, expected] of cases) {
    it(`${JSON.stringify(raw)} -> ${expected === 'refused' || !('path' in expected) ? 'refused' : expected.path}`, () => {
      const result = normalizeWorkspacePath(raw);
      if (expected === 'refused') assert.ok('refused' in result, JSON.stringify(result));
      else assert.deepEqual(result, expected);
    });
  }

  it('says "outside the workspace" for an escape', () => {
    assert.deepEqual(normalizeWorkspacePath('src/../../etc/passwd'), { refused: 'outside the workspace' });
  });
});
