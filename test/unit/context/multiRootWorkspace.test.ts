// Tests for a context workspace over several folders (in-process, real tree-sitter): files are named
// `folderName/path`, a definition in one folder reaches retrieval in another, each folder keeps its
// own .gitignore, excludes and link rule, a .gitignore event reaches the right folder, codebase
// search names files with their folder, and a nested folder is indexed once, as itself.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ContextWorkspace, type IndexFolder } from '../../../src/core/context/contextWorkspace';
import { grammarDir } from '../../support/repoRoot';

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

const CART = [
  "import { formatMoney } from 'money';",
  '',
  'export function receipt(total: number): string {',
  '  return formatMoney(total);',
  '}',
  '',
].join('\n');

const MONEY = [
  'export function formatMoney(cents: number): string {',
  "  return '$' + (cents / 100).toFixed(2);",
  '}',
  '',
].join('\n');

describe('ContextWorkspace over several folders', function () {
  this.timeout(60_000);
  let base: string;
  let app: string;
  let lib: string;
  let ws: ContextWorkspace | undefined;

  beforeEach(() => {
    base = mkdtempSync(path.join(tmpdir(), 'bantam-roots-'));
    app = path.join(base, 'app');
    lib = path.join(base, 'lib');
    write(app, {
      'src/cart.ts': CART,
      'src/generated/skip.ts': 'export function onlyInApp(): number { return 1; }\n',
      '.gitignore': 'src/generated/\n',
      'tmp/scratch.ts': 'export function scratchInApp(): number { return 2; }\n',
    });
    write(lib, {
      'src/money.ts': MONEY,
      // app's .gitignore must not reach lib: the same relative path is indexed here.
      'src/generated/keep.ts': 'export function keptInLib(): number { return 3; }\n',
      'tmp/scratch.ts': 'export function scratchInLib(): number { return 4; }\n',
    });
  });

  afterEach(() => {
    ws?.dispose();
    ws = undefined;
    rmSync(base, { recursive: true, force: true });
  });

  function open(folders: IndexFolder[]): ContextWorkspace {
    ws = new ContextWorkspace({ root: folders[0]!.root, folders, grammarDir, documentExtractDelayMs: 0 });
    return ws;
  }

  const both = (): IndexFolder[] => [
    { name: 'app', root: app, excludeGlobs: ['tmp/**'] },
    { name: 'lib', root: lib, excludeGlobs: [] },
  ];

  it('names every file with its folder, with each folder\'s own .gitignore and excludes', async () => {
    const w = open(both());
    const progress = await w.indexAll();
    assert.equal(progress.phase, 'done');
    assert.deepEqual([...w.index.files()].sort(), ['app/src/cart.ts', 'lib/src/generated/keep.ts', 'lib/src/money.ts', 'lib/tmp/scratch.ts']);
    assert.deepEqual(w.definitionsNamed('formatMoney').map((d) => d.file), ['lib/src/money.ts']);
    assert.equal(w.textOf('lib/src/money.ts'), MONEY);
    assert.equal(w.textOf('app/src/generated/skip.ts'), undefined, "app's .gitignore");
    assert.equal(w.textOf('app/tmp/scratch.ts'), undefined, "app's exclude");
    assert.equal(w.textOf('src/cart.ts'), undefined, 'a path without a folder names nothing');
    assert.equal(w.textOf('other/src/cart.ts'), undefined, 'a path with an unknown folder names nothing');
  });

  it('a definition in one folder reaches retrieval in another, named with its folder', async () => {
    const w = open(both());
    await w.indexAll();
    const offset = CART.indexOf('formatMoney(total)') + 'formatMoney('.length;
    const result = await w.retrieve({ file: 'app/src/cart.ts', languageId: 'typescript', text: CART, offset, budgetTokens: 512 });
    const money = result.snippets.find((s) => s.text.includes('function formatMoney'));
    assert.ok(money, `snippets: ${result.snippets.map((s) => s.file).join(', ')}`);
    assert.equal(money.file, 'lib/src/money.ts');
  });

  it('codebase search names files with their folder', async () => {
    const w = open(both());
    await w.indexAll();
    const found = await w.searchCodebase({ question: 'how is money formatted by formatMoney?', budgetTokens: 2000 });
    assert.ok(found.snippets.some((s) => s.file === 'lib/src/money.ts'), found.snippets.map((s) => s.file).join(', '));
    assert.ok(found.snippets.every((s) => /^(app|lib)\//.test(s.file)), found.snippets.map((s) => s.file).join(', '));
  });

  it('a link out of its folder is never read, even into another workspace folder', async () => {
    symlinkSync(path.join(lib, 'src', 'money.ts'), path.join(app, 'src', 'linked.ts'));
    const w = open(both());
    await w.indexAll();
    assert.ok(![...w.index.files()].includes('app/src/linked.ts'));
    assert.equal(w.textOf('app/src/linked.ts'), undefined);
    assert.equal(w.textOf('lib/src/money.ts'), MONEY, 'the file itself, under its own folder');
  });

  it('a .gitignore created in one folder drops only that folder\'s files', async () => {
    const w = open(both());
    await w.indexAll();
    writeFileSync(path.join(lib, '.gitignore'), 'tmp/\n');
    await w.fileCreated('lib/.gitignore');
    assert.equal(w.textOf('lib/tmp/scratch.ts'), undefined);
    assert.equal(w.textOf('lib/src/money.ts'), MONEY);
    assert.equal(w.textOf('app/src/cart.ts'), CART);
  });

  it('folders with the same name are told apart; a nested folder is indexed once, as itself', async () => {
    const nested = path.join(app, 'packages', 'core');
    write(nested, { 'index.ts': 'export function coreThing(): number { return 5; }\n' });
    const w = open([
      { name: 'app', root: app, excludeGlobs: [] },
      { name: 'app', root: lib, excludeGlobs: [] },
      { name: 'core', root: nested, excludeGlobs: [] },
    ]);
    await w.indexAll();
    assert.deepEqual(w.definitionsNamed('formatMoney').map((d) => d.file), ['app-2/src/money.ts']);
    assert.deepEqual(w.definitionsNamed('coreThing').map((d) => d.file), ['core/index.ts']);
  });

  it('a file of a nested folder must pass the outer folder\'s rules too', async () => {
    const nested = path.join(app, 'packages', 'core');
    write(app, { 'packages/.gitignore': 'core/private/\n' });
    write(nested, { 'index.ts': 'export function coreThing(): number { return 5; }\n', 'private/hidden.ts': 'export function hiddenThing(): number { return 6; }\n' });
    const w = open([
      { name: 'app', root: app, excludeGlobs: ['**/drafts/**'] },
      { name: 'core', root: nested, excludeGlobs: [] },
    ]);
    write(nested, { 'drafts/d.ts': 'export function draftThing(): number { return 7; }\n' });
    await w.indexAll();
    assert.deepEqual(w.definitionsNamed('coreThing').map((d) => d.file), ['core/index.ts']);
    assert.deepEqual(w.definitionsNamed('hiddenThing'), [], "app's packages/.gitignore");
    assert.deepEqual(w.definitionsNamed('draftThing'), [], "app's exclude");
    assert.equal(w.textOf('core/private/hidden.ts'), undefined);
  });

  it('with one folder, paths stay plain relative paths', async () => {
    const w = open([{ name: 'lib', root: lib, excludeGlobs: [] }]);
    await w.indexAll();
    assert.deepEqual(w.definitionsNamed('formatMoney').map((d) => d.file), ['src/money.ts']);
    assert.equal(w.textOf('src/money.ts'), MONEY);
  });
});
