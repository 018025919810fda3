// Tests for resolveImport (table-driven per language) and FileSet's lookups.
import * as assert from 'node:assert/strict';
import type { ContextLanguage } from '../../../src/core/context/contextTypes';
import { FileSet, resolveImport } from '../../../src/core/context/importResolver';
import type { FileLookup } from '../../../src/core/context/languages/importPaths';

interface Case {
  from: string;
  source: string;
  expected: string[];
  names?: string[];
}

function runTable(language: ContextLanguage, files: string[], cases: Case[]): void {
  const set = new FileSet(files);
  for (const { from, source, expected, names } of cases) {
    it(`${from}: ${source}${names ? ` (${names.join(', ')})` : ''} -> ${expected.join(', ') || 'nothing'}`, () => {
      assert.deepEqual(resolveImport(from, language, source, set, names), expected);
    });
  }
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
