// Files that run code or configure tools need a confirmation by name; ordinary files do not. And the
// headless writer refuses new files, deletions and such files unless a flag allows each.
import * as assert from 'node:assert/strict';
import { sensitiveChanges, sensitivePathReason } from '../../../src/core/edits/sensitivePaths';
import type { FileChange } from '../../../src/core/edits/editTypes';
import { refusedWrites } from '../../../src/core/edits/writePermissions';

describe('sensitivePathReason', () => {
  const sensitive = [
    '.vscode/tasks.json',
    '.vscode/settings.json',
    '.github/workflows/ci.yml',
    '.husky/pre-commit',
    '.devcontainer/devcontainer.json',
    '.hg/hgrc',
    '.gitattributes',
    '.gitmodules',
    '.gitignore',
    'node_modules/left-pad/index.js',
    'package.json',
    'packages/app/package.json',
    'conftest.py',
    'tests/conftest.py',
    'setup.py',
    'Makefile',
    'pyproject.toml',
    'Dockerfile',
    '.pre-commit-config.yaml',
    'vite.config.ts',
    'eslint.config.mjs',
    '.eslintrc.js',
    'scripts/release.sh',
    'build.gradle.kts',
  ];
  const ordinary = ['src/app.ts', 'README.md', 'src/config.ts', 'tests/test_app.py', 'docs/makefile.md', 'src/package.ts', 'config.json', 'tsconfig.json'];
  for (const path of sensitive) it(`flags ${path}`, () => assert.ok(sensitivePathReason(path), path));
  for (const path of ordinary) it(`lets ${path} through`, () => assert.equal(sensitivePathReason(path), undefined));

  it('sensitiveChanges keeps the flagged paths, each with why', () => {
    assert.deepEqual(
      sensitiveChanges(['src/a.ts', 'package.json']).map((s) => s.path),
      ['package.json'],
    );
    assert.match(sensitiveChanges(['.husky/pre-commit'])[0]!.why, /git hooks/);
  });
});

describe('refusedWrites', () => {
  const change = (path: string, kind: FileChange['kind']): FileChange => ({
    path,
    kind,
    before: kind === 'create' ? undefined : 'a\n',
    after: kind === 'delete' ? undefined : 'b\n',
  });
  const none = { create: false, delete: false, sensitive: new Set<string>() };

  it('a plain modification needs no permission', () => {
    assert.deepEqual(refusedWrites([change('src/a.ts', 'modify')], none), []);
  });

  it('a new file needs create, a deletion delete, each named with its flag', () => {
    const refused = refusedWrites([change('src/new.ts', 'create'), change('src/old.ts', 'delete')], none);
    assert.deepEqual(refused.map((r) => r.path), ['src/new.ts', 'src/old.ts']);
    assert.match(refused[0]!.reason, /--allow-create/);
    assert.match(refused[1]!.reason, /--allow-delete/);
    assert.deepEqual(refusedWrites([change('src/new.ts', 'create'), change('src/old.ts', 'delete')], { ...none, create: true, delete: true }), []);
  });

  it('a file that runs code needs its own path allowed, even when creating is', () => {
    const changes = [change('package.json', 'modify'), change('.github/workflows/x.yml', 'create')];
    const refused = refusedWrites(changes, { create: true, delete: false, sensitive: new Set(['package.json']) });
    assert.deepEqual(refused.map((r) => r.path), ['.github/workflows/x.yml']);
    assert.match(refused[0]!.reason, /--allow-sensitive \.github\/workflows\/x\.yml/);
  });
});
