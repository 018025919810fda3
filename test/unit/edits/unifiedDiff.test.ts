// Tests for the unified diff of a plan: its exact git-style headers, three lines of context, and,
// on a real temporary git repository, that `git apply` accepts it and produces the planned texts.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FileChange } from '../../../src/core/edits/editTypes';
import { unifiedDiff } from '../../../src/core/edits/unifiedDiff';

const numbered = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join('');

describe('unifiedDiff', () => {
  it('writes git headers, /dev/null for create and delete, and 3 lines of context', () => {
    const diff = unifiedDiff([
      { path: 'src/a.ts', kind: 'modify', before: numbered(1, 10), after: numbered(1, 10).replace('line 5\n', 'five\n') },
      { path: 'src/n.ts', kind: 'create', before: undefined, after: 'new\n' },
      { path: 'src/old.ts', kind: 'delete', before: 'old\n', after: undefined },
    ]);
    assert.equal(
      diff,
      [
        'diff --git a/src/a.ts b/src/a.ts',
        '--- a/src/a.ts',
        '+++ b/src/a.ts',
        '@@ -2,7 +2,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+five',
        ' line 6',
        ' line 7',
        ' line 8',
        'diff --git a/src/n.ts b/src/n.ts',
        'new file mode 100644',
        '--- /dev/null',
        '+++ b/src/n.ts',
        '@@ -0,0 +1,1 @@',
        '+new',
        'diff --git a/src/old.ts b/src/old.ts',
        'deleted file mode 100644',
        '--- a/src/old.ts',
        '+++ /dev/null',
        '@@ -1,1 +0,0 @@',
        '-old',
        '',
      ].join('\n'),
    );
  });

  it('is empty for no changes or changes that change nothing', () => {
    assert.equal(unifiedDiff([]), '');
    assert.equal(unifiedDiff([{ path: 'a', kind: 'modify', before: 'x\n', after: 'x\n' }]), '');
  });

  describe('git apply on a temporary repository', () => {
    let repo: string;
    const originals: Record<string, string> = {
      'src/a.ts': numbered(1, 40),
      'win.txt': 'one\r\ntwo\r\nthree\r\n',
      'no-newline.txt': 'a\nb',
      'gone.txt': 'bye\n',
      'empty-gone.txt': '',
      'tabs.go': 'func f() {\n\treturn\n}\n',
    };
    const changes: FileChange[] = [
      {
        path: 'src/a.ts',
        kind: 'modify',
        before: originals['src/a.ts'],
        after: numbered(1, 40).replace('line 3\n', 'line three\n').replace('line 30\n', '').replace('line 40\n', 'line 40\nline 41\n'),
      },
      { path: 'win.txt', kind: 'modify', before: originals['win.txt'], after: 'one\r\nTWO\r\nthree\r\n' },
      { path: 'no-newline.txt', kind: 'modify', before: originals['no-newline.txt'], after: 'a\nB\n' },
      { path: 'gone.txt', kind: 'delete', before: originals['gone.txt'], after: undefined },
      { path: 'empty-gone.txt', kind: 'delete', before: '', after: undefined },
      { path: 'tabs.go', kind: 'modify', before: originals['tabs.go'], after: 'func f() {\n\treturn 1\n}\n' },
      { path: 'new dir/with space.ts', kind: 'create', before: undefined, after: 'x\ny' },
      { path: 'src/empty.ts', kind: 'create', before: undefined, after: '' },
      { path: 'odd "name".txt', kind: 'create', before: undefined, after: 'q\n' },
    ];

    before(() => {
      repo = mkdtempSync(join(tmpdir(), 'bantam-diff-'));
      const git = (...args: string[]): void => {
        execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'core.autocrlf=false', ...args], { cwd: repo, stdio: 'pipe' });
      };
      git('init', '-q');
      for (const [path, text] of Object.entries(originals)) {
        mkdirSync(dirname(join(repo, path)), { recursive: true });
        writeFileSync(join(repo, path), text);
      }
      git('add', '-A');
      git('commit', '-q', '-m', 'start');
      writeFileSync(join(repo, 'plan.diff'), unifiedDiff(changes));
    });

    after(() => rmSync(repo, { recursive: true, force: true }));

    it('git apply --check accepts the diff', () => {
      execFileSync('git', ['apply', '--check', 'plan.diff'], { cwd: repo, stdio: 'pipe' });
    });

    it('git apply produces exactly the planned texts', () => {
      execFileSync('git', ['apply', 'plan.diff'], { cwd: repo, stdio: 'pipe' });
      for (const change of changes) {
        const file = join(repo, change.path);
        if (change.after === undefined) assert.ok(!existsSync(file), `${change.path} should be deleted`);
        else assert.equal(readFileSync(file, 'utf8'), change.after, change.path);
      }
    });
  });
});
