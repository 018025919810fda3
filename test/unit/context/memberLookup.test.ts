// Tests for how retrieval looks up a member call's name: the receiver's type, when the file tells
// it, picks that type's method among same-named ones (table over the languages with methods); a
// name defined in many imported files is ambiguous (none of them is guessed) unless the receiver or
// an import that names it narrows it.
import * as assert from 'node:assert/strict';
import type { RetrievedSnippet } from '../../../src/core/context/contextTypes';
import { describeSnippets, FixtureWorkspaces, retrieveAtCursor, type CursorCase } from '../../support/fixtureWorkspaces';

interface Case extends CursorCase {
  /** The member looked up. */
  member: string;
  /** Lines (trimmed) its definitions retrieved must show, and lines they may not. */
  expect: string[];
  absent: string[];
}


const RECEIVER_CASES: Case[] = [
  {
    language: 'typescript',
    files: { 'src/a_other.ts': 'export class Other {\n  total(): number {\n    return 1;\n  }\n}\n', 'src/ledger.ts': 'export class Ledger {\n  total(): number {\n    return 2;\n  }\n}\n' },
    file: 'src/use.ts',
    member: 'total',
    text: 'declare const make: () => unknown;\nconst l = new Ledger();\nl.total(|);\n',
    expect: ['return 2;'],
    absent: ['return 1;'],
  },
  {
    language: 'python',
    files: { 'shop/a_other.py': 'class Other:\n    def total(self):\n        return 1\n', 'shop/ledger.py': 'class Ledger:\n    def total(self):\n        return 2\n' },
    file: 'shop/use.py',
    member: 'total',
    text: 'def run(l: Ledger):\n    return l.total(|)\n',
    expect: ['return 2'],
    absent: ['return 1'],
  },
  {
    language: 'go',
    files: { 'pricing/a_other.go': 'package pricing\n\ntype Other struct{}\n\nfunc (o *Other) Total() int {\n\treturn 1\n}\n', 'pricing/ledger.go': 'package pricing\n\ntype Ledger struct{}\n\nfunc (l *Ledger) Total() int {\n\treturn 2\n}\n' },
    file: 'pricing/use.go',
    member: 'Total',
    text: 'package pricing\n\nfunc run() int {\n\tl := &Ledger{}\n\treturn l.Total(|)\n}\n',
    expect: ['return 2'],
    absent: ['return 1'],
  },
  {
    language: 'java',
    files: { 'src/main/java/com/shop/AOther.java': 'package com.shop;\n\npublic class AOther {\n    public int total() {\n        return 1;\n    }\n}\n', 'src/main/java/com/shop/Ledger.java': 'package com.shop;\n\npublic class Ledger {\n    public int total() {\n        return 2;\n    }\n}\n' },
    file: 'src/main/java/com/shop/Use.java',
    member: 'total',
    text: 'package com.shop;\n\npublic class Use {\n    int run(Ledger l) {\n        return l.total(|);\n    }\n}\n',
    expect: ['return 2;'],
    absent: ['return 1;'],
  },
  {
    language: 'rust',
    files: { 'src/a_other.rs': 'pub struct Other;\n\nimpl Other {\n    pub fn total(&self) -> i32 {\n        1\n    }\n}\n', 'src/ledger.rs': 'pub struct Ledger;\n\nimpl Ledger {\n    pub fn total(&self) -> i32 {\n        2\n    }\n}\n' },
    file: 'src/usage.rs',
    member: 'total',
    text: 'fn run() -> i32 {\n    let l = Ledger::new();\n    l.total(|)\n}\n',
    expect: ['2'],
    absent: ['1'],
  },
  {
    language: 'ruby',
    files: { 'lib/a_other.rb': "class Other\n  def total\n    'one'\n  end\nend\n", 'lib/ledger.rb': "class Ledger\n  def total\n    'two'\n  end\nend\n" },
    file: 'lib/use.rb',
    member: 'total',
    text: 'l = Ledger.new\nl.total(|)\n',
    expect: ["'two'"],
    absent: ["'one'"],
  },
  {
    language: 'php',
    files: { 'src/AOther.php': '<?php\nclass AOther\n{\n    public function total(): int\n    {\n        return 1;\n    }\n}\n', 'src/Ledger.php': '<?php\nclass Ledger\n{\n    public function total(): int\n    {\n        return 2;\n    }\n}\n' },
    file: 'src/Use.php',
    member: 'total',
    text: '<?php\n$l = new Ledger();\n$l->total(|);\n',
    expect: ['return 2;'],
    absent: ['return 1;'],
  },
  {
    language: 'csharp',
    files: { 'Shop/AOther.cs': 'namespace Shop;\n\npublic class AOther\n{\n    public int Total()\n    {\n        return 1;\n    }\n}\n', 'Shop/Ledger.cs': 'namespace Shop;\n\npublic class Ledger\n{\n    public int Total()\n    {\n        return 2;\n    }\n}\n' },
    file: 'Shop/Use.cs',
    member: 'Total',
    text: 'namespace Shop;\n\npublic class Use\n{\n    public int Run()\n    {\n        var l = new Ledger();\n        return l.Total(|);\n    }\n}\n',
    expect: ['return 2;'],
    absent: ['return 1;'],
  },
];

const FAN_OUT_CASES: (Case & { cause: string })[] = [
  {
    language: 'typescript',
    cause: 'a member call through five imports, receiver unknown: none guessed',
    files: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`src/b${i}.ts`, `export class B${i} {\n  build(): number {\n    return ${i}00;\n  }\n}\n`])),
    file: 'src/use.ts',
    member: 'build',
    text: Array.from({ length: 5 }, (_, i) => `import { B${i} } from './b${i}';`).join('\n') + '\nexport function run(x: any) {\n  return x.build(|);\n}\n',
    expect: [],
    absent: ['return 000;', 'return 100;', 'return 200;', 'return 300;', 'return 400;'],
  },
  {
    language: 'typescript',
    cause: 'the receiver narrows it',
    files: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`src/b${i}.ts`, `export class B${i} {\n  build(): number {\n    return ${i}00;\n  }\n}\n`])),
    file: 'src/use.ts',
    member: 'build',
    text: Array.from({ length: 5 }, (_, i) => `import { B${i} } from './b${i}';`).join('\n') + '\nexport function run() {\n  const x = new B3();\n  return x.build(|);\n}\n',
    expect: ['return 300;'],
    absent: ['return 000;', 'return 100;', 'return 200;', 'return 400;'],
  },
  {
    language: 'python',
    cause: 'an import that names it narrows it',
    files: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`shop/b${i}.py`, `class B${i}:\n    def build(self):\n        return ${i}00\n\n\ndef build():\n    return ${i}01\n`])),
    file: 'shop/use.py',
    member: 'build',
    text: ['from .b0 import B0', 'from .b1 import B1', 'from .b2 import build', 'from .b3 import B3', 'from .b4 import B4', '', 'def run():', '    return build(|)', ''].join('\n'),
    expect: ['return 201'],
    absent: ['return 000', 'return 101', 'return 301', 'return 400'],
  },
  {
    language: 'python',
    cause: 'many same-named methods in this file, receiver unknown: none guessed',
    files: {},
    file: 'shop/nodes.py',
    member: 'value',
    text: Array.from({ length: 6 }, (_, i) => `class N${i}:\n    def value(self):\n        return ${i}00\n`).join('') + '# note\n'.repeat(30) + 'def run(x):\n    return x.value(|)\n',
    expect: [],
    absent: ['return 000', 'return 100', 'return 200', 'return 300', 'return 400', 'return 500'],
  },
  {
    language: 'go',
    cause: "a method in five files of the package, receiver's type not in the workspace: none guessed",
    files: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`pricing/b${i}.go`, `package pricing\n\ntype B${i} struct{}\n\nfunc (b *B${i}) Build() int {\n\treturn ${i}00\n}\n`])),
    file: 'pricing/use.go',
    member: 'Build',
    text: 'package pricing\n\nfunc run(x Builder) int {\n\treturn x.Build(|)\n}\n',
    expect: [],
    absent: ['return 000', 'return 100', 'return 200', 'return 300', 'return 400'],
  },
  {
    language: 'go',
    cause: 'the receiver narrows it',
    files: Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`pricing/b${i}.go`, `package pricing\n\ntype B${i} struct{}\n\nfunc (b *B${i}) Build() int {\n\treturn ${i}00\n}\n`])),
    file: 'pricing/use.go',
    member: 'Build',
    text: 'package pricing\n\nfunc run() int {\n\tx := &B3{}\n\treturn x.Build(|)\n}\n',
    expect: ['return 300'],
    absent: ['return 000', 'return 100', 'return 200', 'return 400'],
  },
  {
    language: 'go',
    cause: "a method in five files of an imported package of the module (go.mod), receiver's type not in the workspace: none guessed",
    files: {
      'go.mod': 'module example.com/shop\n\ngo 1.21\n',
      ...Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`builders/b${i}.go`, `package builders\n\ntype B${i} struct{}\n\nfunc (b *B${i}) Build() int {\n\treturn ${i}00\n}\n`])),
    },
    file: 'cmd/use.go',
    member: 'Build',
    text: 'package main\n\nimport "example.com/shop/builders"\n\nfunc run(x builders.Builder) int {\n\treturn x.Build(|)\n}\n',
    expect: [],
    absent: ['return 000', 'return 100', 'return 200', 'return 300', 'return 400'],
  },
  {
    language: 'typescript',
    cause: "five overloads of one function are one definition, not five guesses",
    files: {
      'src/css.ts': Array.from({ length: 5 }, (_, i) => `export function css(name: string, v${i}: number): string;`).join('\n') + '\nexport function css(name: string, value?: number): string {\n  return name + String(value);\n}\n',
    },
    file: 'src/attributes.ts',
    member: 'css',
    text: 'export function style(this: any): string {\n  return this.css(|);\n}\n',
    expect: ['export function css(name: string, v0: number): string;'],
    absent: [],
  },
  {
    language: 'java',
    cause: 'overloads in a class are one definition',
    files: {
      'src/main/java/com/shop/Styles.java': 'package com.shop;\n\npublic class Styles {\n' + Array.from({ length: 5 }, (_, i) => `    public static String css(String name, int v${i}) {\n        return name;\n    }\n`).join('') + '}\n',
    },
    file: 'src/main/java/com/shop/Use.java',
    member: 'css',
    text: 'package com.shop;\n\npublic class Use {\n    String run(Object any) {\n        return any.css(|);\n    }\n}\n',
    expect: ['public static String css(String name, int v0) {'],
    absent: [],
  },
];

describe('member lookup', function () {
  this.timeout(60_000);
  const workspaces = new FixtureWorkspaces();
  after(() => workspaces.dispose());

  async function run(c: Case): Promise<void> {
    const isMember = (s: RetrievedSnippet) => s.kind === 'definition' && s.reason.startsWith(`definition of ${c.member} `);
    const { result, shown } = await retrieveAtCursor(workspaces, c, 2048, isMember);
    for (const line of c.expect) assert.ok(shown.has(line), `missing ${JSON.stringify(line)}: ${describeSnippets(result)}`);
    for (const line of c.absent) assert.ok(!shown.has(line), `${JSON.stringify(line)} should be left out: ${describeSnippets(result)}`);
  }

  describe("a member call takes the receiver type's method", () => {
    for (const c of RECEIVER_CASES) it(c.language, () => run(c));
  });

  describe('a name in many imported files is ambiguous unless narrowed', () => {
    for (const c of FAN_OUT_CASES) it(`${c.language}: ${c.cause}`, () => run(c));
  });

  it('twenty overloads in one class send at most three of them', async () => {
    const c: Case = {
      language: 'java',
      files: {
        'src/main/java/com/shop/Builder.java':
          // Far apart, so each would be a snippet of its own.
          'package com.shop;\n\npublic class Builder {\n' + Array.from({ length: 20 }, (_, i) => `    public Builder append(int v${i}) {\n        return this;\n    }\n${'    // note\n'.repeat(30)}`).join('') + '}\n',
      },
      file: 'src/main/java/com/shop/Use.java',
      member: 'append',
      text: 'package com.shop;\n\npublic class Use {\n    void run(Object any) {\n        any.append(|);\n    }\n}\n',
      expect: [],
      absent: [],
    };
    const { result } = await retrieveAtCursor(workspaces, c, 4096);
    const overloads = result.snippets.filter((s) => s.reason.includes('definition of append'));
    assert.equal(overloads.length, 3, describeSnippets(result));
    assert.ok(overloads.every((s) => /append\(int v[012]\)/.test(s.text)), 'the first three, in file order');
  });
});
