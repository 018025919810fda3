// Tests for scanWorkspace over real temporary trees: gitignore (nested, negation), exclude globs,
// symlink cycles, secrets, size cap, file cap, accept filter, ordering and abort.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SkipReason } from '../../../src/core/context/contextTypes';
import { PathFilter } from '../../../src/core/context/fileFilter';
import { scanWorkspace, type ScanOptions, type ScanSummary } from '../../../src/core/context/workspaceScanner';

/** Writes `tree` (relative path -> content) under a fresh temp folder and returns it. */
function makeTree(tree: Record<string, string | Buffer>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bantam-scan-'));
  for (const [rel, content] of Object.entries(tree)) {
    const abs = path.join(root, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
  return root;
}

interface ScanOutcome {
  files: string[];
  skipped: Map<string, SkipReason>;
  summary: ScanSummary;
}

async function scan(
  root: string,
  options: ScanOptions & { excludeGlobs?: string[]; maxFileBytes?: number } = {},
): Promise<ScanOutcome> {
  const filter = new PathFilter(root, { excludeGlobs: options.excludeGlobs ?? [], maxFileBytes: options.maxFileBytes ?? 1000 });
  await filter.load();
  const skipped = new Map<string, SkipReason>();
  const files: string[] = [];
  const generator = scanWorkspace(root, filter, {
    ...options,
    onSkip: (p, reason, isDirectory) => skipped.set(isDirectory ? `${p}/` : p, reason),
  });
  for (;;) {
    const next = await generator.next();
    if (next.done) return { files, skipped, summary: next.value };
    files.push(next.value.path);
  }
}

describe('workspaceScanner', () => {
  const roots: string[] = [];
  const tree = (content: Record<string, string | Buffer>): string => {
    const root = makeTree(content);
    roots.push(root);
    return root;
  };
  after(() => {
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  });

  it('walks in a stable order and honours nested .gitignore files with negation', async () => {
    const root = tree({
      '.gitignore': '*.log\nignored-dir/\n',
      'b.ts': 'b',
      'a.ts': 'a',
      'debug.log': 'x',
      'ignored-dir/x.ts': 'x',
      'src/.gitignore': '*.tmp.ts\n!keep.tmp.ts\n!important.log\n',
      'src/z.ts': 'z',
      'src/drop.tmp.ts': 'x',
      'src/keep.tmp.ts': 'x',
      'src/important.log': 'x',
      'src/other.log': 'x',
      'src/lib/deep.ts': 'd',
      'src/lib/drop.tmp.ts': 'x',
      '.git/HEAD': 'ref',
    });
    const { files, skipped, summary } = await scan(root);
    assert.deepEqual(files, [
      '.gitignore',
      'a.ts',
      'b.ts',
      'src/.gitignore',
      'src/important.log',
      'src/keep.tmp.ts',
      'src/z.ts',
      'src/lib/deep.ts',
    ]);
    assert.equal(skipped.get('debug.log'), 'ignored');
    assert.equal(skipped.get('ignored-dir/'), 'ignored');
    assert.equal(skipped.get('src/drop.tmp.ts'), 'ignored');
    assert.equal(skipped.get('src/other.log'), 'ignored');
    assert.equal(skipped.get('src/lib/drop.tmp.ts'), 'ignored');
    assert.equal(skipped.get('.git/'), 'excluded');
    assert.equal(skipped.has('ignored-dir/x.ts'), false, 'does not descend into skipped folders');
    assert.deepEqual(summary, { capped: false });
  });

  it('skips excluded globs, secrets and files over the size limit', async () => {
    const root = tree({
      'node_modules/pkg/index.js': 'x',
      'web/node_modules/pkg/index.js': 'x',
      '.env': 'TOKEN=1',
      '.env.example': 'TOKEN=',
      'certs/server.key': 'k',
      '.ssh/config': 'Host x',
      'big.ts': 'x'.repeat(1001),
      'exact.ts': 'x'.repeat(1000),
      'src/app.ts': 'x',
    });
    const { files, skipped } = await scan(root, { excludeGlobs: ['**/node_modules/**'] });
    assert.deepEqual(files, ['exact.ts', 'src/app.ts']);
    assert.equal(skipped.get('node_modules/'), 'excluded');
    assert.equal(skipped.get('web/node_modules/'), 'excluded');
    assert.equal(skipped.get('.env'), 'secret');
    assert.equal(skipped.get('.env.example'), 'secret');
    assert.equal(skipped.get('certs/server.key'), 'secret');
    assert.equal(skipped.get('.ssh/'), 'secret');
    assert.equal(skipped.get('big.ts'), 'too-large');
  });

  it('reports size and mtime', async () => {
    const root = tree({ 'a.ts': 'hello' });
    const filter = new PathFilter(root, { excludeGlobs: [], maxFileBytes: 1000 });
    const found = [];
    for await (const file of scanWorkspace(root, filter, {})) found.push(file);
    assert.equal(found.length, 1);
    assert.equal(found[0]!.size, 5);
    assert.equal(found[0]!.mtimeMs, fs.statSync(path.join(root, 'a.ts')).mtimeMs);
  });

  it('never follows symlinked folders (no cycles), but reads symlinked files', async () => {
    const root = tree({ 'src/a.ts': 'a', 'shared/b.ts': 'b' });
    fs.symlinkSync(path.join(root, 'src'), path.join(root, 'src', 'loop'), 'dir');
    fs.symlinkSync(root, path.join(root, 'up'), 'dir');
    fs.symlinkSync(path.join(root, 'shared', 'b.ts'), path.join(root, 'src', 'link.ts'), 'file');
    const { files } = await scan(root);
    assert.deepEqual(files, ['shared/b.ts', 'src/a.ts', 'src/link.ts']);
  });

  it('never reads through a link that leads outside the workspace, nor one whose target the rules leave out', async () => {
    const home = tree({ '.bash_history': 'export OPENAI_API_KEY=sk-proj-abc\n', 'notes.py': 'x = 1\n' });
    const root = tree({ 'src/a.py': 'a', '.env': 'TOKEN=1', 'build/out.py': 'b', '.gitignore': 'build/\n' });
    fs.symlinkSync(path.join(home, '.bash_history'), path.join(root, 'src', 'history.py'), 'file');
    fs.symlinkSync(path.relative(path.join(root, 'src'), path.join(home, 'notes.py')), path.join(root, 'src', 'notes.py'), 'file');
    fs.symlinkSync('../.env', path.join(root, 'src', 'settings.py'), 'file');
    fs.symlinkSync('../build/out.py', path.join(root, 'src', 'out.py'), 'file');
    fs.symlinkSync('a.py', path.join(root, 'src', 'alias.py'), 'file');
    const { files, skipped } = await scan(root);
    assert.deepEqual(files, ['.gitignore', 'src/a.py', 'src/alias.py']);
    assert.equal(skipped.get('src/history.py'), 'outside', 'absolute link out');
    assert.equal(skipped.get('src/notes.py'), 'outside', 'relative link out');
    assert.equal(skipped.get('src/settings.py'), 'secret', 'the target is judged by its own name');
    assert.equal(skipped.get('src/out.py'), 'ignored', 'the target is git-ignored');
  });

  it('a workspace opened through a link to its folder: links inside its real root still count as inside', async () => {
    const real = tree({ 'src/a.py': 'a' });
    const parent = tree({});
    const root = path.join(parent, 'linked-root');
    fs.symlinkSync(real, root, 'dir');
    fs.symlinkSync(path.join(real, 'src', 'a.py'), path.join(real, 'src', 'b.py'), 'file');
    const { files } = await scan(root);
    assert.deepEqual(files, ['src/a.py', 'src/b.py'], 'a link inside the real root stays inside');
  });

  it('lets accept() keep only some files, without reporting the others as skipped', async () => {
    const root = tree({ 'a.ts': 'a', 'b.png': 'x', 'c.py': 'c', 'd.bin': 'x' });
    const { files, skipped } = await scan(root, { accept: (p) => /\.(ts|py)$/.test(p) });
    assert.deepEqual(files, ['a.ts', 'c.py']);
    assert.equal(skipped.size, 0);
  });

  const capCases: [maxFiles: number, expectedFiles: string[], capped: boolean][] = [
    [2, ['a.ts', 'b.ts'], true],
    [3, ['a.ts', 'b.ts', 'd/c.ts'], false],
    [10, ['a.ts', 'b.ts', 'd/c.ts'], false],
    [0, [], true],
  ];
  for (const [maxFiles, expectedFiles, capped] of capCases) {
    it(`stops at maxFiles=${maxFiles} and says whether files were left out`, async () => {
      const root = tree({ 'a.ts': 'a', 'b.ts': 'b', 'd/c.ts': 'c' });
      const outcome = await scan(root, { maxFiles });
      assert.deepEqual(outcome.files, expectedFiles);
      assert.equal(outcome.summary.capped, capped);
    });
  }

  it('throws the abort reason when aborted mid-scan', async () => {
    const content: Record<string, string> = {};
    for (let i = 0; i < 50; i++) content[`d${i}/f.ts`] = 'x';
    const root = tree(content);
    const controller = new AbortController();
    const seen: string[] = [];
    await assert.rejects(
      (async () => {
        const filter = new PathFilter(root, { excludeGlobs: [], maxFileBytes: 1000 });
        for await (const file of scanWorkspace(root, filter, { signal: controller.signal })) {
          seen.push(file.path);
          if (seen.length === 3) controller.abort();
        }
      })(),
      (error: Error) => error.name === 'AbortError',
    );
    assert.equal(seen.length, 3);
  });

  it('throws at once when the signal is already aborted', async () => {
    const root = tree({ 'a.ts': 'a' });
    const filter = new PathFilter(root, { excludeGlobs: [], maxFileBytes: 1000 });
    const generator = scanWorkspace(root, filter, { signal: AbortSignal.abort() });
    await assert.rejects(generator.next(), (error: Error) => error.name === 'AbortError');
  });

  it('handles wide folders, giving the event loop turns along the way', async () => {
    const content: Record<string, string> = {};
    for (let i = 0; i < 1500; i++) content[`wide/f${String(i).padStart(4, '0')}.ts`] = 'x';
    const root = tree(content);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      const { files } = await scan(root, { accept: (p) => !p.endsWith('7.ts') });
      assert.equal(files.length, 1350);
      assert.deepEqual(files.slice(0, 2), ['wide/f0000.ts', 'wide/f0001.ts']);
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 0, 'timers ran during the scan');
  });

  it('passes over a root that does not exist', async () => {
    const outcome = await scan(path.join(os.tmpdir(), 'bantam-no-such-root-xyz'));
    assert.deepEqual(outcome.files, []);
  });
});
