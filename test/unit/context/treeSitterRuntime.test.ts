// Tests for the tree-sitter runtime: every grammar and its queries load and parse, loads are
// cached and shared, grammars load lazily (a missing one only fails when asked for), and a
// missing file says to run the build.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContextLanguage } from '../../../src/core/context/contextTypes';
import { CONTEXT_LANGUAGES } from '../../../src/core/context/languages/registry';
import { TreeSitterRuntime } from '../../../src/core/context/treeSitterRuntime';
import { grammarDir } from '../../support/repoRoot';

const SAMPLES: Record<ContextLanguage, string> = {
  typescript: 'export function f(x: number): number { return x; }',
  tsx: 'export const A = () => <div>{1}</div>;',
  javascript: 'function f(x) { return x; }',
  python: 'def f(x):\n    return x\n',
  go: 'package a\nfunc F(x int) int { return x }\n',
  rust: 'fn f(x: i32) -> i32 { x }',
  java: 'class A { int f(int x) { return x; } }',
  c: 'int f(int x) { return x; }',
  cpp: 'namespace n { int f(int x) { return x; } }',
  csharp: 'class A { int F(int x) { return x; } }',
  ruby: 'def f(x)\n  x\nend\n',
  php: '<?php function f($x) { return $x; }',
};

describe('TreeSitterRuntime', () => {
  let runtime: TreeSitterRuntime;
  before(async () => {
    runtime = await TreeSitterRuntime.create(grammarDir);
  });

  for (const language of CONTEXT_LANGUAGES) {
    it(`loads ${language} with its compiled definitions-and-imports query and identifier types`, async () => {
      const loaded = await runtime.load(language);
      assert.equal(loaded.language, language);
      const tree = loaded.parser.parse(SAMPLES[language]);
      assert.ok(tree);
      try {
        assert.equal(tree.rootNode.hasError, false, tree.rootNode.toString());
        const captures = loaded.symbols.captures(tree.rootNode).map((c) => c.name);
        assert.ok(captures.some((name) => name.startsWith('definition.')), 'the sample defines a function');
        assert.ok(tree.rootNode.descendantsOfType(loaded.identifierTypes).length > 0);
        assert.ok(loaded.symbols.captureNames.includes('import.statement'));
        assert.ok(loaded.symbols.captureNames.includes('import.source'));
      } finally {
        tree.delete();
      }
    });
  }

  it('caches a language: concurrent and later loads share one result', async () => {
    const first = runtime.load('go');
    const second = runtime.load('go');
    assert.equal(first, second);
    assert.equal(await first, await runtime.load('go'));
  });

  describe('with an incomplete grammar directory', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'bantam-grammars-'));
      copyFileSync(join(grammarDir, 'web-tree-sitter.wasm'), join(dir, 'web-tree-sitter.wasm'));
      copyFileSync(join(grammarDir, 'tree-sitter-python.wasm'), join(dir, 'tree-sitter-python.wasm'));
      mkdirSync(join(dir, 'queries', 'python'), { recursive: true });
      for (const file of ['tags.scm', 'extra-tags.scm', 'imports.scm']) {
        copyFileSync(join(grammarDir, 'queries', 'python', file), join(dir, 'queries', 'python', file));
      }
      // Ruby's grammar is there but its queries are not.
      copyFileSync(join(grammarDir, 'tree-sitter-ruby.wasm'), join(dir, 'tree-sitter-ruby.wasm'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('loads lazily: languages present work although others are missing', async () => {
      const partial = await TreeSitterRuntime.create(dir);
      const python = await partial.load('python');
      assert.equal(python.language, 'python');
    });

    it('says to run the build when a grammar is missing', async () => {
      const partial = await TreeSitterRuntime.create(dir);
      await assert.rejects(partial.load('rust'), /tree-sitter-rust\.wasm is missing: run npm run build/);
    });

    it('says to run the build when a query file is missing, and retries on the next call', async () => {
      const partial = await TreeSitterRuntime.create(dir);
      await assert.rejects(partial.load('ruby'), /tags\.scm is missing: run npm run build/);
      await assert.rejects(partial.load('ruby'), /run npm run build/);
    });
  });
});
