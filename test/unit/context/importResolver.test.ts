// Tests for resolveImport (table-driven per language) and FileSet's lookups.
import * as assert from 'node:assert/strict';
import type { ContextLanguage, FileSymbols, ImportStatement } from '../../../src/core/context/contextTypes';
import { FileSet, type ImportLookup, resolveImport } from '../../../src/core/context/importResolver';
import { goModulePath } from '../../../src/core/context/languages/go';
import type { FileLookup } from '../../../src/core/context/languages/importPaths';

interface Case {
  from: string;
  source: string;
  expected: string[];
  names?: string[];
}

function runTable(language: ContextLanguage, files: string[] | ImportLookup, cases: Case[]): void {
  const set = Array.isArray(files) ? new FileSet(files) : files;
  for (const { from, source, expected, names } of cases) {
    it(`${from}: ${source}${names ? ` (${names.join(', ')})` : ''} -> ${expected.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(resolveImport(from, language, source, set, names), expected);
    });
  }
}

/** A small workspace as a file: its top-level definitions and its imports as `source [names]`. */
interface FakeFile {
  defines?: string[];
  imports?: string[];
}

/** An ImportLookup over fake files: their symbols (for re-exports) and manifests' text (go.mod). */
function workspace(language: ContextLanguage, files: Record<string, FakeFile>, manifests: Record<string, string> = {}): ImportLookup {
  const set = new FileSet(Object.keys(files));
  const symbols = (file: FakeFile): FileSymbols => ({
    language,
    definitions: (file.defines ?? []).map((name, i) => ({ name, kind: 'function', startLine: i + 1, endLine: i + 1, signature: name })),
    imports: (file.imports ?? []).map((written, i): ImportStatement => {
      const [, source, names] = /^(\S+)(?: \[(.*)\])?$/.exec(written)!;
      return { source: source!, names: names ? names.split(', ') : [], line: i + 1 };
    }),
    identifiers: [],
    hasErrors: false,
  });
  return {
    has: (p) => set.has(p),
    filesIn: (dir) => set.filesIn(dir),
    pathsEndingWith: (suffix) => set.pathsEndingWith(suffix),
    dirsEndingWith: (suffix) => set.dirsEndingWith(suffix),
    manifestText: (file) => manifests[file],
    symbolsOf: (file) => (files[file] ? symbols(files[file]) : undefined),
  };
}

describe('importResolver', () => {
  describe('typescript / javascript', () => {
    const files = [
      'src/app.ts',
      'src/util.ts',
      'src/util.js',
      'src/types.d.ts',
      'src/legacy.js',
      'src/legacy.d.ts',
      'src/components/Button.tsx',
      'src/components/index.ts',
      'src/esm/mod.mts',
      'src/data.json',
      'src/user.service.ts',
      'lib/old.js',
      'lib/index.js',
      'src/lib/helper.ts',
    ];
    runTable('typescript', files, [
      { from: 'src/app.ts', source: './util', expected: ['src/util.ts'] },
      { from: 'src/app.ts', source: './util.js', expected: ['src/util.ts'] },
      { from: 'src/app.ts', source: './types', expected: ['src/types.d.ts'] },
      { from: 'src/app.ts', source: './legacy', expected: ['src/legacy.d.ts', 'src/legacy.js'] },
      { from: 'src/app.ts', source: './components', expected: ['src/components/index.ts'] },
      { from: 'src/app.ts', source: './components/Button', expected: ['src/components/Button.tsx'] },
      { from: 'src/app.ts', source: './components/Button.js', expected: ['src/components/Button.tsx'] },
      { from: 'src/app.ts', source: './esm/mod.mjs', expected: ['src/esm/mod.mts'] },
      { from: 'src/app.ts', source: './data.json', expected: ['src/data.json'] },
      { from: 'src/app.ts', source: './user.service', expected: ['src/user.service.ts'] },
      { from: 'src/components/Button.tsx', source: '../util', expected: ['src/util.ts'] },
      { from: 'src/components/Button.tsx', source: '..', expected: [] },
      { from: 'src/app.ts', source: '../lib', expected: ['lib/index.js'] },
      { from: 'src/app.ts', source: '../lib/old', expected: ['lib/old.js'] },
      { from: 'src/app.ts', source: '@/lib/helper', expected: ['src/lib/helper.ts'] },
      { from: 'src/app.ts', source: './missing', expected: [] },
      { from: 'src/app.ts', source: '../../outside', expected: [] },
      { from: 'src/app.ts', source: 'react', expected: [] },
      { from: 'src/app.ts', source: '@scope/pkg', expected: [] },
      { from: 'src/app.ts', source: './util?raw', expected: ['src/util.ts'] },
    ]);
    runTable('javascript', files, [
      { from: 'src/app.js', source: './util', expected: ['src/util.js'] },
      { from: 'src/app.js', source: './util.js', expected: ['src/util.js'] },
      { from: 'lib/x.js', source: '.', expected: ['lib/index.js'] },
    ]);
  });

  describe('python', () => {
    const files = [
      'app/__init__.py',
      'app/main.py',
      'app/models.py',
      'app/db/__init__.py',
      'app/db/session.py',
      'app/api/routes.py',
      'utils.py',
      'src/mypkg/__init__.py',
      'src/mypkg/core.py',
      'src/mypkg/sub/thing.py',
      'stubs/typed.pyi',
    ];
    runTable('python', files, [
      { from: 'app/main.py', source: '.models', expected: ['app/models.py'] },
      { from: 'app/main.py', source: '.db', expected: ['app/db/__init__.py'] },
      { from: 'app/main.py', source: '.db.session', expected: ['app/db/session.py'] },
      { from: 'app/api/routes.py', source: '..models', expected: ['app/models.py'] },
      { from: 'app/api/routes.py', source: '..', names: ['models'], expected: ['app/models.py', 'app/__init__.py'] },
      { from: 'app/main.py', source: '.', names: ['models', 'Thing'], expected: ['app/models.py', 'app/__init__.py'] },
      { from: 'app/main.py', source: '...x', expected: [] },
      { from: 'app/main.py', source: 'app.db.session', expected: ['app/db/session.py'] },
      { from: 'app/main.py', source: 'app.db', names: ['session'], expected: ['app/db/session.py', 'app/db/__init__.py'] },
      { from: 'app/main.py', source: 'utils', expected: ['utils.py'] },
      { from: 'src/mypkg/sub/thing.py', source: 'mypkg.core', expected: ['src/mypkg/core.py'] },
      { from: 'src/mypkg/core.py', source: 'mypkg', expected: ['src/mypkg/__init__.py'] },
      { from: 'stubs/x.py', source: 'typed', expected: ['stubs/typed.pyi'] },
      { from: 'app/main.py', source: 'os.path', expected: [] },
      { from: 'app/main.py', source: 'numpy', expected: [] },
    ]);
  });

  describe('go', () => {
    const files = [
      'go.mod',
      'main.go',
      'internal/util/strings.go',
      'internal/util/numbers.go',
      'internal/util/strings_test.go',
      'pkg/api/api.go',
      'backend/internal/db/db.go',
      'tools/db/gen.go',
      'errors/errors.go',
    ];
    runTable('go', files, [
      { from: 'main.go', source: 'github.com/acme/app/internal/util', expected: ['internal/util/numbers.go', 'internal/util/strings.go'] },
      { from: 'main.go', source: 'github.com/acme/app/pkg/api', expected: ['pkg/api/api.go'] },
      { from: 'main.go', source: '"github.com/acme/app/pkg/api"', expected: ['pkg/api/api.go'] },
      { from: 'backend/main.go', source: 'github.com/acme/backend/internal/db', expected: ['backend/internal/db/db.go'] },
      { from: 'main.go', source: 'github.com/acme/app/db', expected: [] },
      { from: 'main.go', source: 'fmt', expected: [] },
      { from: 'main.go', source: 'errors', expected: [] },
      { from: 'main.go', source: 'net/http', expected: [] },
      { from: 'main.go', source: 'github.com/other/lib', expected: [] },
    ]);
  });

  describe('rust', () => {
    const files = [
      'Cargo.toml',
      'src/main.rs',
      'src/shapes.rs',
      'src/shapes/circle.rs',
      'src/net/mod.rs',
      'src/net/tcp.rs',
      'src/net/http/mod.rs',
      'src/util.rs',
    ];
    runTable('rust', files, [
      { from: 'src/main.rs', source: 'crate::shapes::Circle', expected: ['src/shapes.rs'] },
      { from: 'src/main.rs', source: 'crate::shapes::circle::Circle', expected: ['src/shapes/circle.rs'] },
      { from: 'src/net/tcp.rs', source: 'crate::net::http', expected: ['src/net/http/mod.rs'] },
      { from: 'src/main.rs', source: 'crate::net::{Tcp, Udp}', expected: ['src/net/mod.rs'] },
      { from: 'src/main.rs', source: 'shapes', expected: ['src/shapes.rs'] },
      { from: 'src/shapes.rs', source: 'circle', expected: ['src/shapes/circle.rs'] },
      { from: 'src/shapes.rs', source: 'self::circle::Circle', expected: ['src/shapes/circle.rs'] },
      { from: 'src/shapes/circle.rs', source: 'super::super::util::helper', expected: ['src/util.rs'] },
      { from: 'src/net/mod.rs', source: 'super::util', expected: ['src/util.rs'] },
      { from: 'src/net/mod.rs', source: 'tcp', expected: ['src/net/tcp.rs'] },
      { from: 'src/net/tcp.rs', source: 'super::http::Client', expected: ['src/net/http/mod.rs'] },
      { from: 'src/net/tcp.rs', source: 'util::helper', expected: ['src/util.rs'] },
      { from: 'src/main.rs', source: 'std::collections::HashMap', expected: [] },
      { from: 'src/main.rs', source: 'serde::Serialize', expected: [] },
    ]);
  });

  describe('java', () => {
    const files = [
      'src/main/java/com/acme/util/Strings.java',
      'src/main/java/com/acme/util/Numbers.java',
      'src/main/java/com/acme/App.java',
      'other/src/main/java/com/acme/util/Strings.java',
    ];
    runTable('java', files, [
      { from: 'src/main/java/com/acme/App.java', source: 'com.acme.util.Strings', expected: ['src/main/java/com/acme/util/Strings.java'] },
      { from: 'other/src/main/java/com/acme/X.java', source: 'com.acme.util.Strings', expected: ['other/src/main/java/com/acme/util/Strings.java'] },
      { from: 'src/main/java/com/acme/App.java', source: 'com.acme.util.Strings.join', expected: ['src/main/java/com/acme/util/Strings.java'] },
      { from: 'src/main/java/com/acme/App.java', source: 'static com.acme.util.Numbers.max', expected: ['src/main/java/com/acme/util/Numbers.java'] },
      {
        from: 'src/main/java/com/acme/App.java',
        source: 'com.acme.util.*',
        expected: ['src/main/java/com/acme/util/Numbers.java', 'src/main/java/com/acme/util/Strings.java'],
      },
      { from: 'src/main/java/com/acme/App.java', source: 'java.util.List', expected: [] },
    ]);
  });

  describe('c / c++', () => {
    const files = [
      'src/main.c',
      'src/util.h',
      'src/util.c',
      'include/lib/api.h',
      'src/lib/api.cpp',
      'common.h',
      'third/foo/include/foo/bar.hpp',
      'third/foo/src/bar.cc',
    ];
    runTable('c', files, [
      { from: 'src/main.c', source: 'util.h', expected: ['src/util.h', 'src/util.c'] },
      { from: 'src/main.c', source: '"util.h"', expected: ['src/util.h', 'src/util.c'] },
      { from: 'src/main.c', source: 'common.h', expected: ['common.h'] },
      { from: 'src/main.c', source: 'lib/api.h', expected: ['include/lib/api.h', 'src/lib/api.cpp'] },
      { from: 'src/main.c', source: 'foo/bar.hpp', expected: ['third/foo/include/foo/bar.hpp'] },
      { from: 'src/main.c', source: '<stdio.h>', expected: [] },
      { from: 'src/main.c', source: 'missing.h', expected: [] },
      { from: 'src/util.c', source: 'util.h', expected: ['src/util.h'] },
    ]);
  });

  describe('c#', () => {
    const files = [
      'src/Shop/Pricing/Calculator.cs',
      'src/Shop/Pricing/Discount.cs',
      'src/Shop/Orders/Order.cs',
      'Shop.Billing/Invoice.cs',
      'tests/Pricing/PricingTests.cs',
    ];
    runTable('csharp', files, [
      { from: 'src/Shop/Orders/Order.cs', source: 'Shop.Pricing', expected: ['src/Shop/Pricing/Calculator.cs', 'src/Shop/Pricing/Discount.cs'] },
      { from: 'src/Shop/Orders/Order.cs', source: 'Acme.Shop.Pricing', expected: ['src/Shop/Pricing/Calculator.cs', 'src/Shop/Pricing/Discount.cs'] },
      { from: 'src/Shop/Orders/Order.cs', source: 'Shop.Billing', expected: ['Shop.Billing/Invoice.cs'] },
      { from: 'src/Shop/Orders/Order.cs', source: 'static Shop.Pricing.Calculator', expected: ['src/Shop/Pricing/Calculator.cs'] },
      { from: 'src/Shop/Orders/Order.cs', source: 'System.Linq', expected: [] },
      { from: 'src/Shop/Orders/Order.cs', source: 'Newtonsoft.Json', expected: [] },
    ]);
  });

  describe('ruby', () => {
    const files = ['app/models/user.rb', 'app/models/concerns/named.rb', 'lib/acme/client.rb', 'gems/tool/lib/tool/cli.rb', 'helper.rb'];
    runTable('ruby', files, [
      { from: 'app/models/user.rb', source: './concerns/named', expected: ['app/models/concerns/named.rb'] },
      { from: 'app/models/user.rb', source: 'concerns/named', expected: ['app/models/concerns/named.rb'] },
      { from: 'app/models/user.rb', source: '../../helper', expected: ['helper.rb'] },
      { from: 'app/models/user.rb', source: 'acme/client', expected: ['lib/acme/client.rb'] },
      { from: 'bin/run.rb', source: 'helper', expected: ['helper.rb'] },
      { from: 'gems/tool/bin/tool.rb', source: 'tool/cli', expected: ['gems/tool/lib/tool/cli.rb'] },
      { from: 'app/models/user.rb', source: 'json', expected: [] },
    ]);
  });

  describe('php', () => {
    const files = ['app/Models/User.php', 'app/Http/Controllers/UserController.php', 'src/Support/helpers.php', 'config/db.php', 'public/index.php', 'vendor/x/User.php'];
    runTable('php', files, [
      { from: 'app/Http/Controllers/UserController.php', source: 'App\\Models\\User', expected: ['app/Models/User.php'] },
      { from: 'app/Http/Controllers/UserController.php', source: '\\App\\Models\\User', expected: ['app/Models/User.php'] },
      { from: 'app/Models/User.php', source: 'App\\Http\\Controllers\\UserController', expected: ['app/Http/Controllers/UserController.php'] },
      { from: 'public/index.php', source: '../config/db.php', expected: ['config/db.php'] },
      { from: 'public/index.php', source: 'config/db.php', expected: ['config/db.php'] },
      { from: 'config/x.php', source: '/db.php', expected: ['config/db.php'] },
      { from: 'app/Models/User.php', source: 'Illuminate\\Support\\Str', expected: [] },
      { from: 'app/Models/User.php', source: 'Acme\\Support\\helpers\\format', expected: ['src/Support/helpers.php'] },
    ]);
  });

  describe('go: package semantics and go.mod', () => {
    const goMod = 'module example.com/shop\n\ngo 1.22\n';
    const ws = workspace(
      'go',
      {
        'go.mod': {},
        'main.go': {},
        'helpers.go': {},
        'main_test.go': {},
        'store/store.go': {},
        'store/memory.go': {},
        'store/store_test.go': {},
        'internal/db/db.go': {},
        'third/shop/store/store.go': {},
        'tools/go.mod': {},
        'tools/gen/gen.go': {},
        'tools/cmd/run.go': {},
      },
      { 'go.mod': goMod, 'tools/go.mod': 'module example.com/tools\n' },
    );
    runTable('go', ws, [
      // The package clause's own-package import: the other files of the folder, tests only from a test.
      { from: 'main.go', source: '.', expected: ['helpers.go'] },
      { from: 'main_test.go', source: '.', expected: ['helpers.go', 'main.go'] },
      { from: 'store/memory.go', source: '.', expected: ['store/store.go'] },
      { from: 'store/store_test.go', source: '.', expected: ['store/memory.go', 'store/store.go'] },
      // go.mod's module path places the module's own packages, over a folder with a matching tail.
      { from: 'main.go', source: 'example.com/shop/store', expected: ['store/memory.go', 'store/store.go'] },
      { from: 'store/store.go', source: 'example.com/shop', expected: ['helpers.go', 'main.go'] },
      { from: 'main.go', source: 'example.com/shop/internal/db', expected: ['internal/db/db.go'] },
      { from: 'tools/cmd/run.go', source: 'example.com/tools/gen', expected: ['tools/gen/gen.go'] },
      // Another module's package: the longest-tail search, as without go.mod.
      { from: 'tools/cmd/run.go', source: 'example.com/shop/internal/db', expected: ['internal/db/db.go'] },
      { from: 'main.go', source: 'example.com/shop/missing', expected: [] },
      { from: 'main.go', source: 'fmt', expected: [] },
    ]);

    const modules: [string, string | undefined][] = [
      ['module example.com/shop\n', 'example.com/shop'],
      ['// generated\nmodule "example.com/quoted"\n', 'example.com/quoted'],
      ['module github.com/a/b // a comment\ngo 1.21', 'github.com/a/b'],
      ['go 1.22\n', undefined],
    ];
    for (const [text, expected] of modules) {
      it(`go.mod ${JSON.stringify(text)} -> ${expected ?? 'no module'}`, () => assert.equal(goModulePath(text), expected));
    }
  });

  describe('python: module imports at any depth', () => {
    runTable('python', ['a/b/c.py', 'a/b/__init__.py', 'pkg/util.py', 'pkg/sub/deep/mod.py', 'app/pkg/__init__.py', 'app/pkg/module.py', 'app/main.py'], [
      { from: 'x.py', source: 'a.b.c', expected: ['a/b/c.py'] },
      { from: 'pkg/sub/deep/mod.py', source: '...util', expected: ['pkg/util.py'] },
      { from: 'pkg/sub/deep/mod.py', source: '....', names: ['pkg'], expected: [] },
      { from: 'app/main.py', source: '.pkg', names: ['module'], expected: ['app/pkg/module.py', 'app/pkg/__init__.py'] },
      { from: 'app/main.py', source: '.', names: ['pkg'], expected: ['app/pkg/__init__.py'] },
    ]);
  });

  describe('re-exports through index files', () => {
    const tsFiles: Record<string, FakeFile> = {
      'src/app.ts': {},
      // export * from './button'; export { Card } from './card'; export * from './forms';
      // export { helper as publicHelper } from './internal'
      'src/lib/index.ts': { imports: ['./button', './card [Card]', './forms', './internal [helper, publicHelper]'] },
      'src/lib/button.ts': { defines: ['Button'] },
      'src/lib/card.ts': { defines: ['Card', 'CardBody'] },
      'src/lib/forms/index.ts': { imports: ['./input'] },
      'src/lib/forms/input.ts': { defines: ['Input'] },
      'src/lib/internal.ts': { defines: ['helper'] },
      'src/a/index.ts': { imports: ['../b'] },
      'src/b/index.ts': { imports: ['../a'] },
    };
    const all = ['src/lib/index.ts', 'src/lib/button.ts', 'src/lib/card.ts', 'src/lib/forms/index.ts', 'src/lib/forms/input.ts', 'src/lib/internal.ts'];
    for (const language of ['typescript', 'tsx'] as const) {
      describe(language, () => {
        runTable(language, workspace(language, tsFiles), [
          { from: 'src/app.ts', source: './lib', names: ['Button'], expected: ['src/lib/index.ts', 'src/lib/button.ts'] },
          { from: 'src/app.ts', source: './lib', names: ['Card'], expected: ['src/lib/index.ts', 'src/lib/card.ts'] },
          { from: 'src/app.ts', source: './lib', names: ['Input'], expected: ['src/lib/index.ts', 'src/lib/forms/index.ts', 'src/lib/forms/input.ts'] },
          { from: 'src/app.ts', source: './lib', names: ['publicHelper'], expected: ['src/lib/index.ts', 'src/lib/internal.ts'] },
          { from: 'src/app.ts', source: './lib', names: ['Missing'], expected: ['src/lib/index.ts'] },
          { from: 'src/app.ts', source: './lib', expected: all },
          { from: 'src/app.ts', source: './lib/button', names: ['Button'], expected: ['src/lib/button.ts'] },
          { from: 'src/app.ts', source: './a', expected: ['src/a/index.ts', 'src/b/index.ts'] },
        ]);
      });
    }
    runTable('javascript', workspace('javascript', { 'lib/index.js': { imports: ['./x'] }, 'lib/x.js': { defines: ['X'] }, 'lib/y.js': { defines: ['X'] } }), [
      { from: 'app.js', source: './lib', names: ['X'], expected: ['lib/index.js', 'lib/x.js'] },
    ]);
    const pyFiles: Record<string, FakeFile> = {
      // from .models import Item, Cart; from .pricing import *; from . import util
      'shop/__init__.py': { imports: ['.models [Item, Cart]', '.pricing', '. [util]'] },
      'shop/models.py': { defines: ['Item', 'Cart'] },
      'shop/pricing.py': { defines: ['compute_total'] },
      'shop/util.py': { defines: ['slug'] },
      'app.py': {},
    };
    runTable('python', workspace('python', pyFiles), [
      { from: 'app.py', source: 'shop', names: ['Item'], expected: ['shop/__init__.py', 'shop/models.py'] },
      { from: 'app.py', source: 'shop', names: ['compute_total'], expected: ['shop/__init__.py', 'shop/pricing.py'] },
      { from: 'app.py', source: 'shop', names: ['util'], expected: ['shop/util.py', 'shop/__init__.py'] },
      { from: 'app.py', source: 'shop', expected: ['shop/__init__.py', 'shop/models.py', 'shop/pricing.py', 'shop/util.py'] },
      { from: 'app.py', source: 'shop.models', names: ['Item'], expected: ['shop/models.py'] },
    ]);
  });

  describe('with a plain FileLookup (no suffix index)', () => {
    const paths = ['src/main/java/com/acme/Util.java', 'src/util.ts', 'pkg/api/api.go', 'app/Models/User.php'];
    const plain: FileLookup = {
      has: (p) => paths.includes(p),
      filesIn: (dir) => paths.filter((p) => p.slice(0, Math.max(0, p.lastIndexOf('/'))) === dir),
    };
    const cases: [ContextLanguage, string, string, string[]][] = [
      ['java', 'src/main/java/com/acme/App.java', 'com.acme.Util', ['src/main/java/com/acme/Util.java']],
      ['typescript', 'src/app.ts', './util', ['src/util.ts']],
      ['go', 'main.go', 'example.com/m/pkg/api', ['pkg/api/api.go']],
      ['php', 'x.php', 'App\\Models\\User', ['app/Models/User.php']],
    ];
    for (const [language, from, source, expected] of cases) {
      it(`${language}: ${source}`, () => assert.deepEqual(resolveImport(from, language, source, plain), expected));
    }
  });

  describe('FileSet', () => {
    it('indexes folders, base names and folder suffixes, and forgets removed files', () => {
      const set = new FileSet(['a/b/x.ts', 'c/b/x.ts', 'a/b/y.ts', 'x.ts']);
      assert.equal(set.size, 4);
      assert.deepEqual(set.filesIn('a/b'), ['a/b/x.ts', 'a/b/y.ts']);
      assert.deepEqual(set.filesIn(''), ['x.ts']);
      assert.deepEqual([...set.pathsEndingWith('b/x.ts')].sort(), ['a/b/x.ts', 'c/b/x.ts']);
      assert.deepEqual([...set.pathsEndingWith('x.ts')].sort(), ['a/b/x.ts', 'c/b/x.ts', 'x.ts']);
      assert.deepEqual(set.pathsEndingWith('a/b/x.ts'), ['a/b/x.ts']);
      assert.deepEqual(set.pathsEndingWith('/b/x.ts'.slice(1)).length, 2);
      assert.deepEqual([...set.dirsEndingWith('b')].sort(), ['a/b', 'c/b']);
      assert.deepEqual(set.dirsEndingWith('c/b'), ['c/b']);
      set.remove('c/b/x.ts');
      set.remove('c/b/x.ts');
      assert.equal(set.has('c/b/x.ts'), false);
      assert.deepEqual(set.dirsEndingWith('b'), ['a/b']);
      assert.deepEqual(set.filesIn('c/b'), []);
      set.add('a/b/a.ts');
      set.add('a/b/a.ts');
      assert.deepEqual(set.filesIn('a/b'), ['a/b/a.ts', 'a/b/x.ts', 'a/b/y.ts']);
      assert.equal(set.size, 4);
    });
  });
});
