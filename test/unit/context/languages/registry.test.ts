// Tests for the language registry: choosing a grammar by file extension or by VS Code language id
// (falling back to the extension), which languages share definitions in workspace-wide lookup, and
// that every spec is complete, claims its extensions and editor ids alone, and has its grammar
// copied by the build (as in its npm package) and its queries committed.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContextLanguage } from '../../../../src/core/context/contextTypes';
import {
  CONTEXT_LANGUAGES,
  LANGUAGE_SPECS,
  languageForDocument,
  languageForPath,
  lookupGroup,
} from '../../../../src/core/context/languages/registry';
import { grammarDir, repoRoot } from '../../../support/repoRoot';

describe('languages', () => {
  describe('languageForPath', () => {
    const cases: [string, ContextLanguage | undefined][] = [
      ['src/a.ts', 'typescript'],
      ['src/a.mts', 'typescript'],
      ['src/a.cts', 'typescript'],
      ['types/index.d.ts', 'typescript'],
      ['src/App.tsx', 'tsx'],
      ['a.js', 'javascript'],
      ['a.mjs', 'javascript'],
      ['a.cjs', 'javascript'],
      ['a.jsx', 'javascript'],
      ['pkg/mod.py', 'python'],
      ['stubs/mod.pyi', 'python'],
      ['main.go', 'go'],
      ['src/lib.rs', 'rust'],
      ['Main.java', 'java'],
      ['x.c', 'c'],
      ['x.h', 'c'],
      ['x.cc', 'cpp'],
      ['x.cpp', 'cpp'],
      ['x.cxx', 'cpp'],
      ['x.c++', 'cpp'],
      ['x.hpp', 'cpp'],
      ['x.hh', 'cpp'],
      ['x.hxx', 'cpp'],
      ['x.h++', 'cpp'],
      ['Program.cs', 'csharp'],
      ['lib/a.rb', 'ruby'],
      ['Rakefile.rake', 'ruby'],
      ['index.php', 'php'],
      ['SRC\\WIN\\MAIN.TS', 'typescript'],
      ['README.md', undefined],
      ['Makefile', undefined],
      ['.ts', undefined],
      ['dir.ts/file', undefined],
      ['archive.tar.gz', undefined],
    ];
    for (const [path, expected] of cases) {
      it(`${path} -> ${String(expected)}`, () => assert.equal(languageForPath(path), expected));
    }
  });

  describe('languageForDocument', () => {
    const cases: [string, string, ContextLanguage | undefined][] = [
      ['typescriptreact', 'a.ts', 'tsx'],
      ['javascriptreact', 'a.jsx', 'javascript'],
      ['typescript', 'untitled-1', 'typescript'],
      ['javascript', 'a.txt', 'javascript'],
      ['python', 'x', 'python'],
      ['go', 'x', 'go'],
      ['rust', 'x', 'rust'],
      ['java', 'x', 'java'],
      ['c', 'x', 'c'],
      ['cpp', 'x.h', 'cpp'],
      ['csharp', 'x', 'csharp'],
      ['ruby', 'x', 'ruby'],
      ['php', 'x', 'php'],
      ['plaintext', 'notes.py', 'python'],
      ['vue', 'App.vue', undefined],
    ];
    for (const [id, path, expected] of cases) {
      it(`${id} + ${path} -> ${String(expected)}`, () => assert.equal(languageForDocument(id, path), expected));
    }
  });

  it('lookupGroup lets TS/TSX/JS and C/C++ see each other, and nothing else', () => {
    const groups = Object.fromEntries(CONTEXT_LANGUAGES.map((language) => [language, lookupGroup(language)]));
    assert.deepEqual(groups, {
      typescript: 'js',
      tsx: 'js',
      javascript: 'js',
      python: 'python',
      go: 'go',
      rust: 'rust',
      java: 'java',
      c: 'c',
      cpp: 'c',
      csharp: 'csharp',
      ruby: 'ruby',
      php: 'php',
    });
  });

  it('CONTEXT_LANGUAGES lists the 12 grammars once each', () => {
    assert.equal(CONTEXT_LANGUAGES.length, 12);
    assert.equal(new Set(CONTEXT_LANGUAGES).size, 12);
  });

  describe('specs', () => {
    /** Every value claimed by more than one spec. */
    function claimedTwice(values: readonly string[]): string[] {
      return values.filter((value, i) => values.indexOf(value) !== i);
    }

    it('ids are unique', () => assert.deepEqual(claimedTwice(LANGUAGE_SPECS.map((spec) => spec.id)), []));
    it('no extension belongs to two specs', () => assert.deepEqual(claimedTwice(LANGUAGE_SPECS.flatMap((spec) => spec.extensions)), []));
    it('no VS Code language id belongs to two specs', () => assert.deepEqual(claimedTwice(LANGUAGE_SPECS.flatMap((spec) => spec.vscodeIds)), []));

    for (const spec of LANGUAGE_SPECS) {
      it(`${spec.id} is complete`, () => {
        assert.match(spec.id, /^[a-z]+$/, 'an id names grammars/ files: lower-case letters only');
        assert.ok(spec.extensions.length > 0, 'at least one extension');
        for (const extension of spec.extensions) assert.match(extension, /^\.[a-z0-9+]+$/, 'extensions are lower case, with the dot');
        for (const [extension, fence] of Object.entries(spec.fences)) {
          assert.ok(spec.extensions.includes(extension) && fence !== '', `fence ${fence} for its own extension ${extension}`);
        }
        assert.ok(spec.vscodeIds.length > 0, 'at least one VS Code language id');
        assert.ok(spec.lookupGroup !== '', 'a lookup group');
        assert.equal(typeof spec.resolveImport, 'function', 'an import rule');
        assert.ok(Object.keys(spec.cursor.scopes).length > 0, 'the syntax nodes that are scopes');
        assert.ok(spec.grammar.package !== '' && spec.grammar.wasm.endsWith('.wasm'), 'a grammar package and its .wasm');
        // The build writes tags.scm into the language's own folder only; a borrowed folder has the owner's.
        assert.equal(spec.grammar.tags.length > 0, spec.grammar.queries === spec.id, 'tags.scm sources exactly when the queries folder is its own');
      });

      it(`${spec.id}: its grammar packages are dev dependencies`, () => {
        const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
        for (const pkg of [spec.grammar.package, ...spec.grammar.tags]) assert.ok(pkg in manifest.devDependencies, `${pkg} in devDependencies`);
      });

      it(`${spec.id}: the build copied its grammar's .wasm from ${spec.grammar.package}`, () => {
        const copied = join(grammarDir, `tree-sitter-${spec.id}.wasm`);
        assert.ok(existsSync(copied), `${copied} exists (after npm run build)`);
        const original = readFileSync(join(repoRoot, 'node_modules', spec.grammar.package, spec.grammar.wasm));
        assert.ok(readFileSync(copied).equals(original), `${copied} is ${spec.grammar.package}/${spec.grammar.wasm}`);
      });

      it(`${spec.id}: its queries folder holds tags.scm and imports.scm, and each inherited folder imports.scm`, () => {
        const queries = join(grammarDir, 'queries', spec.grammar.queries);
        for (const file of ['tags.scm', 'imports.scm']) assert.ok(existsSync(join(queries, file)), `${queries}/${file} exists`);
        for (const folder of spec.grammar.inheritedImports ?? []) {
          assert.ok(existsSync(join(grammarDir, 'queries', folder, 'imports.scm')), `queries/${folder}/imports.scm exists`);
        }
      });
    }
  });
});
