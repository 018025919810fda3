// Tests for the one guard on everything sent: git-ignored (root and nested .gitignore,
// .git/info/exclude, negation), excluded (files.exclude, bantam.context.exclude) and secret-looking
// files, inside and outside the workspace folder; links out of the workspace or to a barred file;
// keys and tokens in the text about to be sent; invalidate() picks up changed rules.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describePromptBar, PromptExclusions } from '../../../src/core/context/promptExclusions';

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

  it('exclude globs bar a file as the index does, read again after invalidate()', async () => {
    let globs = ['private/**'];
    const exclusions = new PromptExclusions(root, () => globs);
    assert.equal(await exclusions.reasonFor('private/plan.ts'), 'excluded');
    assert.equal(await exclusions.reasonFor('src/app.ts'), undefined);
    globs = ['src/**'];
    exclusions.invalidate();
    assert.equal(await exclusions.reasonFor('private/plan.ts'), undefined);
    assert.equal(await exclusions.reasonFor('src/app.ts'), 'excluded');
  });

  describe('symbolic links', () => {
    let home: string;
    beforeEach(() => {
      home = mkdtempSync(join(tmpdir(), 'bantam-home-'));
      writeFileSync(join(home, '.bash_history'), 'export OPENAI_API_KEY=sk-proj-abc\n');
      writeFileSync(join(home, 'notes.py'), 'x = 1\n');
      mkdirSync(join(root, 'src'), { recursive: true });
      writeFileSync(join(root, 'src', 'app.ts'), 'export const a = 1;\n');
      writeFileSync(join(root, '.env'), 'TOKEN=1\n');
      mkdirSync(join(root, 'local'), { recursive: true });
      writeFileSync(join(root, 'local', 'real.ts'), 'x\n');
      symlinkSync(join(home, '.bash_history'), join(root, 'src', 'history.py'));
      symlinkSync('../.env', join(root, 'src', 'config.ts'));
      symlinkSync('../local/real.ts', join(root, 'src', 'mirror.ts'));
      symlinkSync('app.ts', join(root, 'src', 'alias.ts'));
      symlinkSync(home, join(root, 'homedir'));
    });
    afterEach(() => rmSync(home, { recursive: true, force: true }));

    const linkCases: Array<[string, string | undefined]> = [
      ['src/history.py', 'outside'],
      ['homedir/notes.py', 'outside'],
      ['src/config.ts', 'secret'],
      ['src/mirror.ts', 'ignored'],
      ['src/alias.ts', undefined],
      ['src/app.ts', undefined],
    ];
    for (const [path, expected] of linkCases) {
      it(`${path}: ${expected ?? 'allowed'}`, async () => {
        assert.equal(await new PromptExclusions(root).reasonFor(path), expected);
      });
    }
  });

  it('keys and tokens in the text about to be sent bar it, wherever they are in it', async () => {
    const exclusions = new PromptExclusions(root);
    const code = 'export function total(items: number[]) {\n  return items.reduce((a, b) => a + b, 0);\n}\n';
    assert.equal(exclusions.reasonForText(code), undefined);
    assert.equal(exclusions.reasonForText(`const key = "AKIAIOSFODNN7EXAMPLE";\n${code}`), 'secret');
    assert.equal(exclusions.reasonForText(`${code.repeat(2000)}const key = "AKIAIOSFODNN7EXAMPLE";\n`), 'secret', 'past 64 KB too');
    assert.equal(await exclusions.reasonForSending('src/config.ts', 'const key = "AKIAIOSFODNN7EXAMPLE";'), 'secret');
    assert.equal(await exclusions.reasonForSending('local/a.ts', code), 'ignored');
    assert.equal(await exclusions.reasonForSending('src/app.ts', code), undefined);
  });

  it('says in one sentence why a file is never sent', () => {
    assert.match(describePromptBar('src/history.py', 'outside'), /^src\/history\.py leads outside the workspace through a symbolic link/);
    assert.match(describePromptBar('private/a.ts', 'excluded'), /files\.exclude or bantam\.context\.exclude/);
    assert.match(describePromptBar('local/a.ts', 'ignored'), /git-ignored/);
    assert.match(describePromptBar('src/config.ts', 'secret'), /looks secret/);
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
