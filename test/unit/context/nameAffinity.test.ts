import * as assert from 'node:assert/strict';
import { fileBaseName, isTestEntryPoint, NameAffinity } from '../../../src/core/context/nameAffinity';

describe('name affinity', () => {
  const cases: { place: string[]; file: string; name: string; defFile: string; affinity: number }[] = [
    { place: ['TestParseDate'], file: 'localtime_test.go', name: 'ParseLocalDate', defFile: 'localtime.go', affinity: 4 },
    { place: ['TestParseDate'], file: 'localtime_test.go', name: 'ParseLocalDate', defFile: 'parser.go', affinity: 3 },
    { place: ['test_parse_header'], file: 'shop/test_mail.py', name: 'parse_header', defFile: 'shop/headers.py', affinity: 2 },
    { place: ['BenchmarkEncode'], file: 'bench_test.go', name: 'NewEncoder', defFile: 'encode.go', affinity: 1 },
    { place: ['readDateField'], file: 'src/form.ts', name: 'parseLocalDate', defFile: 'src/dates.ts', affinity: 1 },
    { place: ['TestRun', 'main'], file: 'tool_test.go', name: 'NewRunner', defFile: 'runner.go', affinity: 0 },
    { place: ['TestHelpers'], file: 'util_test.go', name: 'helperIndex', defFile: 'util.go', affinity: 0 },
    { place: ['checkout'], file: 'src/cart.ts', name: 'computeTotal', defFile: 'src/pricing.ts', affinity: 0 },
    // Keywords and built-in types on the lines above lend nothing.
    { place: ['public', 'static', 'final', 'String', 'private', 'void'], file: 'Shop.java', name: 'toString', defFile: 'Util.java', affinity: 0 },
    { place: ['if', 'err', 'nil', 'return', 'func', 'string'], file: 'shop.go', name: 'ErrNotFound', defFile: 'errors.go', affinity: 0 },
    { place: ['if', 'err', 'nil', 'return', 'func', 'string'], file: 'shop.go', name: 'StringValue', defFile: 'values.go', affinity: 0 },
  ];
  for (const c of cases) {
    it(`${c.place.join(', ')} in ${c.file}: ${c.name} of ${c.defFile} shares ${c.affinity}`, () => {
      assert.equal(new NameAffinity(c.place, c.file).of(c.name, c.defFile), c.affinity);
    });
  }

  it("a file's own name counts once, and the file itself is not 'named alike'", () => {
    assert.equal(new NameAffinity([], 'localtime.go').of('Zone', 'localtime.go'), 0);
    // 'local' starts 'localtime'; 'time' only ends it.
    assert.equal(new NameAffinity([], 'localtime.go').of('LocalTime', 'localtime.go'), 1);
  });

  it('fileBaseName', () => {
    assert.equal(fileBaseName('a/b/localtime_test.go'), 'localtime_test');
    assert.equal(fileBaseName('src/app.test.ts'), 'app');
    assert.equal(fileBaseName('Makefile'), 'Makefile');
  });

  const entryPoints: [string, string, boolean][] = [
    ['TestParse', 'x_test.go', true],
    ['Test', 'x_test.go', true],
    ['BenchmarkEncode', 'x_test.go', true],
    ['ExampleTree', 'x_test.go', true],
    ['FuzzDecode', 'x_test.go', true],
    ['Testify', 'x_test.go', false],
    ['TestParse', 'x.go', false],
    ['assertTree', 'x_test.go', false],
    ['test_parse', 'pkg/test_mail.py', true],
    ['test_parse', 'pkg/mail_test.py', true],
    ['make_fixture', 'pkg/test_mail.py', false],
    ['test_parse', 'pkg/mail.py', false],
    ['testParse', 'src/mail.test.ts', false],
    ['TestMailParser', 'pkg/test_mail.py', true],
    ['TestÉtat', 'x_test.go', true],
    ['Testé', 'x_test.go', false],
    ['test_parse', 'test/mail_test.rb', true],
    ['parse_fixture', 'test/mail_test.rb', false],
    ['testParse', 'tests/MailTest.php', true],
    ['testParse', 'src/test/java/MailTest.java', true],
    ['testing', 'src/test/java/MailTest.java', false],
    ['testParse', 'Mail.Tests/MailTests.cs', true],
    ['testParse', 'src/Mail.java', false],
  ];
  for (const [name, file, expected] of entryPoints) {
    it(`${name} in ${file} is ${expected ? '' : 'not '}a test entry point`, () => assert.equal(isTestEntryPoint(name, file), expected));
  }
});
