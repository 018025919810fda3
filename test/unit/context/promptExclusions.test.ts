// Tests for the documents kept out of prompts altogether: git-ignored (root and nested .gitignore,
// .git/info/exclude, negation) and secret-looking files, inside and outside the workspace folder;
// exclude globs don't bar a document; invalidate() picks up a changed .gitignore.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PromptExclusions } from '../../../src/core/context/promptExclusions';

describe('PromptExclusions', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bantam-prompt-excl-'));
    writeFileSync(join(root, '.gitignore'), 'local/\n*.log\n');
    mkdirSync(join(root, 'pkg', 'gen'), { recursive: true });
    writeFileSync(join(root, 'pkg', '.gitignore'), 'gen/\n!gen/keep.ts\n');
    mkdirSync(join(root, '.git', 'info'), { recursive: true });
    writeFileSync(join(root, '.git', 'info', 'exclude'), 'scratch.ts\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const cases: { path: string; outside?: boolean; expected: string | undefined }[] = [
    { path: 'src/app.ts', expected: undefined },
    { path: 'local/settings.ts', expected: 'ignored' },
    { path: 'server.log', expected: 'ignored' },
    { path: 'pkg/gen/types.ts', expected: 'ignored' },
    { path: 'scratch.ts', expected: 'ignored' },
    { path: '.env', expected: 'secret' },
    { path: 'config/.env.production', expected: 'secret' },
    { path: 'keys/server.key', expected: 'secret' },
    { path: 'build/out.ts', expected: undefined },
    { path: '/home/me/.ssh/id_rsa', outside: true, expected: 'secret' },
    { path: '/home/me/notes/local/todo.ts', outside: true, expected: undefined },
  ];
  for (const c of cases) {
    it(`${c.path}${c.outside ? ' (outside the folder)' : ''}: ${c.expected ?? 'allowed'}`, async () => {
      const exclusions = new PromptExclusions(root);
      assert.equal(await exclusions.reasonFor(c.path, c.outside), c.expected);
    });
  }

  it('without a workspace folder only the name rules apply', async () => {
    const exclusions = new PromptExclusions(undefined);
    assert.equal(await exclusions.reasonFor('local/settings.ts'), undefined);
    assert.equal(await exclusions.reasonFor('.env'), 'secret');
  });

  it('re-reads the rules after invalidate()', async () => {
    const exclusions = new PromptExclusions(root);
    assert.equal(await exclusions.reasonFor('src/app.ts'), undefined);
    writeFileSync(join(root, '.gitignore'), 'src/\n');
    assert.equal(await exclusions.reasonFor('src/app.ts'), undefined, 'cached until told');
    exclusions.invalidate();
    assert.equal(await exclusions.reasonFor('src/app.ts'), 'ignored');
  });
});
