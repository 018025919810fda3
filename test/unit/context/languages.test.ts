// Tests for choosing a grammar: by file extension, by VS Code language id (falling back to the
// extension), and which languages share definitions in workspace-wide lookup.
import * as assert from 'node:assert/strict';
import type { ContextLanguage } from '../../../src/core/context/contextTypes';
import {
  CONTEXT_LANGUAGES,
  languageForDocument,
  languageForPath,
  lookupGroup,
} from '../../../src/core/context/languages';

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
});
