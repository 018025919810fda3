// Tests for PathFilter (gitignore, exclude globs, secrets, .git) and contentSkipReason.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SkipReason } from '../../../src/core/context/contextTypes';
import {
  contentSkipReason,
  DEFAULT_CONTEXT_EXCLUDES,
  DEFAULT_MAX_FILE_BYTES,
  PathFilter,
  readGlobalExcludes,
} from '../../../src/core/context/fileFilter';

type PathCase = [relPath: string, isDirectory: boolean, expected: SkipReason | undefined];

describe('fileFilter', () => {
  describe('PathFilter', () => {
    function makeFilter(excludeGlobs: readonly string[] = []): PathFilter {
      const filter = new PathFilter('/nowhere', { excludeGlobs, maxFileBytes: 1000 });
      filter.addGitignore('', '*.log\nbuild/\n/root-only.txt\ngenerated/\n!generated/keep.ts\n');
      filter.addGitignore('pkg', 'tmp/\n!important.log\n*.bak\n');
      filter.addGitignore('pkg/deep', '!*.bak\n');
      return filter;
    }

    const cases: PathCase[] = [
      ['src/index.ts', false, undefined],
      ['debug.log', false, 'ignored'],
      ['src/a/b/trace.log', false, 'ignored'],
      ['build', true, 'ignored'],
      ['build/out.js', false, 'ignored'],
      ['src/build/x.ts', false, 'ignored'],
      ['root-only.txt', false, 'ignored'],
      ['sub/root-only.txt', false, undefined],
      // A nested .gitignore overrides the root one, a deeper one overrides both.
      ['pkg/important.log', false, undefined],
      ['pkg/other.log', false, 'ignored'],
      ['pkg/tmp/x.ts', false, 'ignored'],
      ['tmp/x.ts', false, undefined],
      ['pkg/old.bak', false, 'ignored'],
      ['pkg/deep/old.bak', false, undefined],
      ['old.bak', false, undefined],
      // Git can't re-include a file when its folder is ignored.
      ['generated/keep.ts', false, 'ignored'],
      ['.git', true, 'excluded'],
      ['.git/config', false, 'excluded'],
      ['sub/.git/HEAD', false, 'excluded'],
      ['.gitignore', false, undefined],
      ['.github/workflows/ci.yml', false, undefined],
      ['.env', false, 'secret'],
      ['config/.env.local', false, 'secret'],
      ['.ssh', true, 'secret'],
      ['home/.ssh/id_rsa', false, 'secret'],
      ['./src/index.ts', false, undefined],
      ['src\\win\\debug.log', false, 'ignored'],
    ];
    for (const [relPath, isDirectory, expected] of cases) {
      it(`${relPath}${isDirectory ? '/' : ''} -> ${expected ?? 'kept'}`, () => {
        assert.equal(makeFilter().skipReasonForPath(relPath, isDirectory), expected);
      });
    }

    const globCases: [globs: string[], relPath: string, isDirectory: boolean, expected: SkipReason | undefined][] = [
      [['**/node_modules'], 'node_modules', true, 'excluded'],
      [['**/node_modules'], 'a/node_modules/x/index.js', false, 'excluded'],
      [['**/node_modules/**'], 'node_modules', true, 'excluded'],
      [['**/node_modules/**'], 'pkg/node_modules/lib/a.ts', false, 'excluded'],
      [['**/*.min.*'], 'static/app.min.js', false, 'excluded'],
      [['**/.cache'], 'a/.cache/x.ts', false, 'excluded'],
      [['out'], 'out/x.js', false, 'excluded'],
      [['out'], 'src/out/x.js', false, undefined],
      [['./docs/**'], 'docs/a.md', false, 'excluded'],
      [['**/*.{png,jpg}'], 'img/a.jpg', false, 'excluded'],
      [[], 'node_modules/x/index.js', false, undefined],
    ];
    for (const [globs, relPath, isDirectory, expected] of globCases) {
      it(`globs ${JSON.stringify(globs)}: ${relPath} -> ${expected ?? 'kept'}`, () => {
        const filter = new PathFilter('/nowhere', { excludeGlobs: globs, maxFileBytes: 1000 });
        assert.equal(filter.skipReasonForPath(relPath, isDirectory), expected);
      });
    }

    it('excludes what the default excludes name', () => {
      const filter = new PathFilter('/nowhere', { excludeGlobs: DEFAULT_CONTEXT_EXCLUDES, maxFileBytes: 1 });
      for (const p of ['node_modules/a/b.js', 'dist/x.js', 'a/__pycache__/m.pyc', '.venv/lib/x.py', 'target/debug/x.rs', 'web/app.min.js']) {
        assert.equal(filter.skipReasonForPath(p), 'excluded', p);
      }
      assert.equal(filter.skipReasonForPath('src/distance.ts'), undefined);
      assert.equal(DEFAULT_MAX_FILE_BYTES, 1_000_000);
    });

    it('replaces a folder’s rules when its .gitignore changes, and drops them when emptied', () => {
      const filter = new PathFilter('/nowhere', { excludeGlobs: [], maxFileBytes: 1000 });
      filter.addGitignore('', '*.tmp\n');
      assert.equal(filter.skipReasonForPath('a/x.tmp'), 'ignored');
      filter.addGitignore('', '*.log\n');
      assert.equal(filter.skipReasonForPath('a/x.tmp'), undefined);
      assert.equal(filter.skipReasonForPath('a/x.log'), 'ignored');
      filter.addGitignore('', '');
      assert.equal(filter.skipReasonForPath('a/x.log'), undefined);
    });

    it('forgets cached folder verdicts when rules change', () => {
      const filter = new PathFilter('/nowhere', { excludeGlobs: [], maxFileBytes: 1000 });
      assert.equal(filter.skipReasonForPath('gen/a.ts'), undefined);
      filter.addGitignore('', 'gen/\n');
      assert.equal(filter.skipReasonForPath('gen/a.ts'), 'ignored');
    });

    it('load() reads the root .gitignore and .git/info/exclude, the .gitignore winning', async () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bantam-filter-'));
      try {
        fs.mkdirSync(path.join(root, '.git', 'info'), { recursive: true });
        fs.writeFileSync(path.join(root, '.git', 'info', 'exclude'), 'local/\n*.gen.ts\n');
        fs.writeFileSync(path.join(root, '.gitignore'), '*.log\n!keep.gen.ts\n');
        const filter = new PathFilter(root, { excludeGlobs: [], maxFileBytes: 1000 });
        await filter.load();
        assert.equal(filter.skipReasonForPath('local/a.ts'), 'ignored');
        assert.equal(filter.skipReasonForPath('x.log'), 'ignored');
        assert.equal(filter.skipReasonForPath('a.gen.ts'), 'ignored');
        assert.equal(filter.skipReasonForPath('keep.gen.ts'), undefined);
        assert.equal(filter.skipReasonForPath('src/a.ts'), undefined);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });

    it('load() without any ignore file keeps everything', async () => {
      const filter = new PathFilter(path.join(os.tmpdir(), 'bantam-does-not-exist'), { excludeGlobs: [], maxFileBytes: 1 });
      await filter.load();
      assert.equal(filter.skipReasonForPath('a/b.log'), undefined);
    });
  });

  describe('contentSkipReason', () => {
    const code = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
    const longLine = `var a=${'x'.repeat(6000)};\n`;
    const denseLines = Array.from({ length: 10 }, () => `x(${'y'.repeat(400)});`).join('\n');
    const begin = (label: string): string => `-----BEGIN ${label}-----`;
    const keyBody = 'MIIEowIBAAKCAQEA'.repeat(4);
    const cases: [name: string, relPath: string, content: string | Uint8Array, expected: SkipReason | undefined][] = [
      ['plain code', 'src/add.ts', code, undefined],
      ['plain code as bytes', 'src/add.ts', Buffer.from(code), undefined],
      ['UTF-8 text', 'src/i18n.py', 'greeting = "héllo wörld ✓ 日本"\n', undefined],
      ['UTF-8 bytes', 'src/i18n.py', Buffer.from('greeting = "héllo wörld ✓ 日本"\n'), undefined],
      ['Latin-1 bytes with a few accents', 'legacy.c', Buffer.from('/* caf\xe9 */\nint x;\n'.repeat(20), 'latin1'), undefined],
      ['too large', 'big.ts', 'x'.repeat(100_001), 'too-large'],
      ['too large in UTF-8 bytes only', 'big.ts', 'é'.repeat(70_000), 'too-large'],
      ['NUL byte', 'a.dat', Buffer.from([0x41, 0x00, 0x42]), 'binary'],
      ['NUL char', 'a.ts', 'abc\0def', 'binary'],
      ['invalid UTF-8 noise', 'a.bin', Buffer.from(Array.from({ length: 800 }, (_, i) => 0x80 + (i % 0x40))), 'binary'],
      ['control characters', 'a.txt', '\x01\x02\x03\x04'.repeat(50), 'binary'],
      ['.min.js by name', 'static/app.min.js', code, 'minified'],
      ['.min.css by name', 'a/b.min.css', code, 'minified'],
      ['one very long line', 'bundle.js', longLine, 'minified'],
      ['long average line', 'bundle.js', denseLines, 'minified'],
      ['long lines but under 2 KB', 'small.js', `x(${'y'.repeat(400)});\n`, undefined],
      ['.pb.go', 'api/v1/user.pb.go', code, 'generated'],
      ['_pb2.py', 'api/user_pb2.py', code, 'generated'],
      ['.g.cs', 'obj/Foo.g.cs', code, 'generated'],
      ['.Designer.cs', 'Forms/Main.Designer.cs', code, 'generated'],
      ['.generated.ts', 'src/schema.generated.ts', code, 'generated'],
      ['package-lock.json', 'package-lock.json', '{}', 'generated'],
      ['yarn.lock', 'web/yarn.lock', '# yarn\n', 'generated'],
      ['Go generated header', 'x.go', `// Code generated by stringer. DO NOT EDIT.\n\npackage x\n`, 'generated'],
      ['@generated docblock', 'x.js', `/**\n * Copyright\n * @generated\n */\nmodule.exports = 1;\n`, 'generated'],
      ['auto-generated after a licence', 'x.py', `${'# Licensed under MIT\n'.repeat(12)}# This file is auto-generated.\nx = 1\n`, 'generated'],
      ['autogenerated in a block comment', 'x.c', `/*\n  autogenerated by tool\n*/\nint x;\n`, 'generated'],
      ['marker after the code starts', 'x.ts', `export const x = 1;\n// DO NOT EDIT below\n`, undefined],
      ['marker in a string', 'x.ts', `const msg = "auto-generated";\n`, undefined],
      ['private key in content', 'fixtures/key.txt', `${begin('RSA PRIVATE KEY')}\n${keyBody}\n`, 'secret'],
      ['private key in bytes', 'fixtures/key.txt', Buffer.from(`${begin('OPENSSH PRIVATE KEY')}\n${keyBody}\n`), 'secret'],
      ['inline source map after code', 'lib/x.js', `${code.repeat(40)}//# sourceMappingURL=data:application/json;base64,${'A'.repeat(20_000)}\n`, undefined],
    ];
    for (const [name, relPath, content, expected] of cases) {
      it(`${name} -> ${expected ?? 'kept'}`, () => {
        assert.equal(contentSkipReason(relPath, content, 100_000), expected);
      });
    }

    it('accepts a file of exactly maxFileBytes', () => {
      assert.equal(contentSkipReason('a.ts', Buffer.alloc(100, 0x61), 100), undefined);
      assert.equal(contentSkipReason('a.ts', Buffer.alloc(101, 0x61), 100), 'too-large');
    });

    it('looks for NUL bytes only in the first 8 KB', () => {
      const text = Buffer.concat([Buffer.from('a\n'.repeat(5000)), Buffer.from([0])]);
      assert.equal(contentSkipReason('a.txt', text, DEFAULT_MAX_FILE_BYTES), undefined);
    });
  });
});

describe('readGlobalExcludes', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'bantam-home-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it("reads core.excludesFile from ~/.gitconfig (with ~ expanded)", async () => {
    fs.writeFileSync(path.join(home, '.gitconfig'), '[core]\n\texcludesFile = ~/my-ignores\n');
    fs.writeFileSync(path.join(home, 'my-ignores'), '.env.local\nscratch/\n');
    assert.equal(await readGlobalExcludes(home, {}), '.env.local\nscratch/\n');
  });

  it("falls back to git's default $XDG_CONFIG_HOME/git/ignore", async () => {
    const xdg = path.join(home, 'xdg');
    fs.mkdirSync(path.join(xdg, 'git'), { recursive: true });
    fs.writeFileSync(path.join(xdg, 'git', 'ignore'), 'notes.md\n');
    assert.equal(await readGlobalExcludes(home, { XDG_CONFIG_HOME: xdg }), 'notes.md\n');
  });

  it('is undefined when there is none', async () => {
    assert.equal(await readGlobalExcludes(home, {}), undefined);
  });
});
