// Tests for symbol extraction over each language's fixture workspace: the exact definitions
// (kind, container, lines), imports and identifiers; import syntaxes per language; signatures;
// and that broken code still yields what can be read.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { ContextLanguage, FileSymbols } from '../../../src/core/context/contextTypes';
import { languageForPath } from '../../../src/core/context/languages/registry';
import { extractFileSymbols, MAX_IDENTIFIERS } from '../../../src/core/context/symbolExtractor';
import { TreeSitterRuntime } from '../../../src/core/context/treeSitterRuntime';
import { contextFixture, grammarDir } from '../../support/repoRoot';

interface FixtureFile {
  file: string;
  /** `kind container.name startLine-endLine`, in file order. */
  definitions: string[];
  /** `source [names] @line` (`source [] as alias @line`), in file order. */
  imports: string[];
}

const describeDefinitions = (symbols: FileSymbols): string[] =>
  symbols.definitions.map((d) => `${d.kind} ${d.container ? `${d.container}.` : ''}${d.name} ${d.startLine}-${d.endLine}`);
const describeImports = (symbols: FileSymbols): string[] =>
  symbols.imports.map((i) => `${i.source} [${i.names.join(', ')}]${i.alias === undefined ? '' : ` as ${i.alias}`} @${i.line}`);

const FIXTURES: Record<ContextLanguage, FixtureFile[]> = {
  c: [
    {
      file: 'src/cart.c',
      definitions: [
        'function main 5-10',
      ],
      imports: [
        '<stdio.h> [] @2',
        'pricing.h [] @3',
      ],
    },
    {
      file: 'src/pricing.c',
      definitions: [
        'function subtotal 4-6',
        'function compute_total 8-14',
      ],
      imports: [
        'pricing.h [] @2',
      ],
    },
    {
      file: 'src/pricing.h',
      definitions: [
        'macro TAX_RATE 7-7',
        'type LineItem 9-13',
        'class line_item 9-13',
        'enum discount 15-15',
        'constant discount.DISCOUNT_NONE 15-15',
        'constant discount.DISCOUNT_MEMBER 15-15',
        'function compute_total 17-17',
      ],
      imports: [
        '<stddef.h> [] @5',
      ],
    },
  ],
  cpp: [
    {
      file: 'src/cart.cpp',
      definitions: [
        'function main 5-10',
      ],
      imports: [
        '<iostream> [] @2',
        'pricing.hpp [] @3',
      ],
    },
    {
      file: 'src/pricing.cpp',
      definitions: [
        'module shop 4-18',
        'method PriceCalculator.total 6-12',
        'function shop.compute_total 14-16',
      ],
      imports: [
        'pricing.hpp [] @2',
      ],
    },
    {
      file: 'src/pricing.hpp',
      definitions: [
        'module shop 7-28',
        'variable shop.kTaxRate 9-9',
        'class shop.LineItem 11-15',
        'class shop.PriceCalculator 17-24',
        'method PriceCalculator.PriceCalculator 19-19',
        'method PriceCalculator.total 20-20',
        'function shop.compute_total 26-26',
      ],
      imports: [
        '<string> [] @4',
        '<vector> [] @5',
      ],
    },
  ],
  csharp: [
    {
      file: 'Checkout/Cart.cs',
      definitions: [
        'module Shop.Checkout 5-5',
        'class Cart 7-21',
        'method Cart.Add 11-14',
        'method Cart.Checkout 16-20',
      ],
      imports: [
        'System.Collections.Generic [] @2',
        'Shop.Pricing [] @3',
      ],
    },
    {
      file: 'Pricing/PriceCalculator.cs',
      definitions: [
        'module Shop.Pricing 5-30',
        'class Shop.Pricing.LineItem 7-7',
        'enum Shop.Pricing.Discount 9-13',
        'interface Shop.Pricing.IPriced 15-18',
        'method IPriced.Subtotal 17-17',
        'class Shop.Pricing.PriceCalculator 20-29',
        'constant PriceCalculator.TaxRate 22-22',
        'method PriceCalculator.ComputeTotal 24-28',
      ],
      imports: [
        'System.Collections.Generic [] @2',
        'System.Linq [] @3',
      ],
    },
  ],
  go: [
    {
      file: 'main.go',
      definitions: [
        'function main 10-14',
      ],
      imports: [
        '. [] @2',
        'fmt [] @5',
        'example.com/shop/pricing [] @7',
      ],
    },
    {
      file: 'pricing/pricing.go',
      definitions: [
        'constant TaxRate 5-5',
        'class LineItem 8-12',
        'interface Priced 15-17',
        'method Priced.Subtotal 16-16',
        'method LineItem.Subtotal 20-22',
        'function ComputeTotal 25-31',
      ],
      imports: [
        '. [] @2',
      ],
    },
  ],
  java: [
    {
      file: 'src/main/java/com/shop/checkout/Cart.java',
      definitions: [
        'class Cart 7-18',
        'field Cart.items 8-8',
        'method Cart.add 10-12',
        'method Cart.checkout 14-17',
      ],
      imports: [
        'com.shop.pricing.Pricing [Pricing] @4',
        'java.util [] @5',
      ],
    },
    {
      file: 'src/main/java/com/shop/pricing/Pricing.java',
      definitions: [
        'class Pricing 6-28',
        'constant Pricing.TAX_RATE 7-7',
        'class Pricing.LineItem 9-13',
        'method LineItem.subtotal 10-12',
        'interface Pricing.Discount 15-17',
        'method Discount.apply 16-16',
        'method Pricing.computeTotal 21-27',
      ],
      imports: [
        'java.util.List [List] @4',
      ],
    },
  ],
  javascript: [
    {
      file: 'src/checkout/cart.js',
      definitions: [
        'class Cart 6-19',
        'method Cart.add 11-13',
        'method Cart.checkout 15-18',
      ],
      imports: [
        '../pricing [computeTotal, LineItem] @4',
      ],
    },
    {
      file: 'src/pricing.js',
      definitions: [
        'constant TAX_RATE 4-4',
        'class LineItem 6-16',
        'method LineItem.subtotal 13-15',
        'function computeTotal 18-21',
        'function roundPrice 23-23',
      ],
      imports: [
      ],
    },
  ],
  php: [
    {
      file: 'src/Checkout/Cart.php',
      definitions: [
        'module Shop\\Checkout 4-4',
        'class Cart 11-26',
        'field Cart.items 14-14',
        'method Cart.add 16-19',
        'method Cart.checkout 21-25',
      ],
      imports: [
        '../Pricing.php [] @6',
        'Shop\\LineItem [LineItem] @8',
        'Shop\\Pricing [Pricing] @9',
      ],
    },
    {
      file: 'src/Pricing.php',
      definitions: [
        'module Shop 4-4',
        'interface Priced 6-9',
        'method Priced.subtotal 8-8',
        'class LineItem 11-24',
        'method LineItem.__construct 13-18',
        'method LineItem.subtotal 20-23',
        'class Pricing 26-35',
        'constant Pricing.TAX_RATE 28-28',
        'method Pricing.computeTotal 30-34',
        'function format_price 37-40',
      ],
      imports: [
      ],
    },
  ],
  python: [
    {
      file: 'shop/cart.py',
      definitions: [
        'class Cart 6-15',
        'method Cart.__init__ 7-8',
        'method Cart.add 10-11',
        'method Cart.checkout 13-15',
      ],
      imports: [
        'os.path [] @2',
        '.pricing [compute_total, LineItem] @3',
      ],
    },
    {
      file: 'shop/pricing.py',
      definitions: [
        'constant TAX_RATE 4-4',
        'class LineItem 7-14',
        'method LineItem.subtotal 13-14',
        'function compute_total 17-19',
      ],
      imports: [
        'dataclasses [dataclass] @2',
      ],
    },
  ],
  ruby: [
    {
      file: 'lib/checkout/cart.rb',
      definitions: [
        'class Cart 5-18',
        'method Cart.initialize 6-8',
        'method Cart.add 10-12',
        'method Cart.checkout 14-17',
      ],
      imports: [
        'json [] @2',
        '../pricing [] @3',
      ],
    },
    {
      file: 'lib/pricing.rb',
      definitions: [
        'module Pricing 2-23',
        'constant Pricing.TAX_RATE 3-3',
        'class Pricing.LineItem 5-17',
        'method LineItem.initialize 8-12',
        'method LineItem.subtotal 14-16',
        'function Pricing.compute_total 19-22',
      ],
      imports: [
      ],
    },
  ],
  rust: [
    {
      file: 'src/main.rs',
      definitions: [
        'module pricing 2-2',
        'function main 7-13',
      ],
      imports: [
        'pricing [] @2',
        'crate::pricing [compute_total, LineItem] @4',
        'std::fmt::Write [Write] @5',
      ],
    },
    {
      file: 'src/pricing.rs',
      definitions: [
        'constant TAX_RATE 3-3',
        'class LineItem 5-9',
        'enum Discount 11-14',
        'interface Priced 16-18',
        'method Priced.subtotal 17-17',
        'method LineItem.subtotal 21-23',
        'method LineItem.new 27-29',
        'function compute_total 32-35',
      ],
      imports: [
      ],
    },
  ],
  tsx: [
    {
      file: 'src/components/Cart.tsx',
      definitions: [
        'interface CartProps 5-7',
        'function Cart 9-19',
      ],
      imports: [
        'react [React] @2',
        '../pricing [computeTotal, PriceTag, LineItem] @3',
      ],
    },
    {
      file: 'src/pricing.tsx',
      definitions: [
        'interface LineItem 4-8',
        'function computeTotal 10-12',
        'function PriceTag 14-14',
      ],
      imports: [
        'react [React] @2',
      ],
    },
  ],
  typescript: [
    {
      file: 'src/checkout/cart.ts',
      definitions: [
        'class Cart 4-16',
        'method Cart.add 7-9',
        'method Cart.checkout 11-15',
      ],
      imports: [
        '../pricing [computeTotal, Discount, LineItem] @2',
      ],
    },
    {
      file: 'src/pricing.ts',
      definitions: [
        'constant TAX_RATE 3-3',
        'type Currency 5-5',
        'enum Discount 7-10',
        'interface LineItem 12-16',
        'class PriceCalculator 18-28',
        'method PriceCalculator.subtotal 21-23',
        'method PriceCalculator.format 25-27',
        'function computeTotal 30-34',
        'function roundPrice 36-36',
      ],
      imports: [
      ],
    },
  ],
};

describe('symbolExtractor', () => {
  let runtime: TreeSitterRuntime;
  before(async () => {
    runtime = await TreeSitterRuntime.create(grammarDir);
  });

  const extract = (language: ContextLanguage, text: string): Promise<FileSymbols> =>
    extractFileSymbols(runtime, language, text);

  describe('fixture workspaces', () => {
    for (const [language, files] of Object.entries(FIXTURES) as [ContextLanguage, FixtureFile[]][]) {
      for (const expected of files) {
        it(`${language}: ${expected.file}`, async () => {
          assert.equal(languageForPath(expected.file), language);
          const symbols = await extract(language, readFileSync(contextFixture(language, expected.file), 'utf8'));
          assert.equal(symbols.language, language);
          assert.equal(symbols.hasErrors, false);
          assert.deepEqual(describeDefinitions(symbols), expected.definitions);
          assert.deepEqual(describeImports(symbols), expected.imports);
        });
      }
    }
  });

  describe('identifiers', () => {
    it('lists each name used once, in order, and nothing from comments or strings', async () => {
      const symbols = await extract(
        'typescript',
        [
          '// helperInComment should not count',
          'const label = "wordInString";',
          'function total(items: Item[]) { return items.length + total(items); }',
        ].join('\n'),
      );
      assert.deepEqual(symbols.identifiers, ['label', 'total', 'items', 'Item', 'length']);
    });

    it(`stops at ${MAX_IDENTIFIERS} names`, async () => {
      const text = Array.from({ length: MAX_IDENTIFIERS + 50 }, (_, i) => `name${i} = ${i}`).join('\n');
      const symbols = await extract('python', text);
      assert.equal(symbols.identifiers.length, MAX_IDENTIFIERS);
      assert.equal(symbols.identifiers[0], 'name0');
    });

    const kinds: [ContextLanguage, string, string[]][] = [
      ['go', 'package a\nfunc (c *Cart) Add(item pricing.Item) { c.items = append(c.items, item) }', ['a', 'c', 'Cart', 'Add', 'item', 'pricing', 'Item', 'items', 'append']],
      ['ruby', 'class Cart < Base\n  def add(item)\n    @items << Pricing::LineItem.new(item)\n  end\nend', ['Cart', 'Base', 'add', 'item', 'Pricing', 'LineItem', 'new']],
      ['php', '<?php\nfunction add(Item $item) { return Pricing::total($item); }', ['add', 'Item', 'item', 'Pricing', 'total']],
    ];
    for (const [language, text, expected] of kinds) {
      it(`${language}: types, fields, constants and variable names all count`, async () => {
        assert.deepEqual((await extract(language, text)).identifiers, expected);
      });
    }
  });

  describe('import syntaxes', () => {
    const cases: [ContextLanguage, string, string[]][] = [
      [
        'typescript',
        [
          "import def, { a, b as c, type D } from './x';",
          "import * as ns from 'y';",
          "import './side-effect';",
          "export { q } from './z';",
          "export { a as b } from './ab';",
          "export * from './w';",
          "const { r, u: v } = require('./r');",
          "const s = require('s');",
          "const lazy = import('./dyn');",
          "import t = require('./t');",
        ].join('\n'),
        [
          './x [def, a, b, D] @1',
          'y [] as ns @2',
          './side-effect [] @3',
          './z [q] @4',
          './ab [a, b] @5',
          './w [] @6',
          './r [r, u] @7',
          's [] @8',
          './dyn [] @9',
          './t [t] @10',
        ],
      ],
      ['javascript', "const { a } = require('../a');\nimport b from './b.js';", ['../a [a] @1', './b.js [b] @2']],
      ['tsx', "import React from 'react';\nimport { Button } from './Button';", ['react [React] @1', './Button [Button] @2']],
      [
        'python',
        'import os.path, sys as system\nfrom .pricing import compute_total, LineItem as Item\nfrom . import models\nfrom ..a.b import (x,\n    y)\nfrom m import *',
        ['os.path [] @1', 'sys [] as system @1', '.pricing [compute_total, LineItem] @2', '. [models] @3', '..a.b [x, y] @4', 'm [] @6'],
      ],
      [
        'go',
        'package main\nimport "fmt"\nimport (\n\tf "example.com/shop/format"\n\t. "example.com/shop/pricing"\n)',
        ['. [] @1', 'fmt [] @2', 'example.com/shop/format [] as f @4', 'example.com/shop/pricing [] @5'],
      ],
      [
        'rust',
        'mod pricing;\nmod inline { }\nuse crate::pricing::{compute_total, LineItem as Item};\nuse std::fmt::Write;\nuse super::*;\nuse serde;',
        ['pricing [] @1', 'crate::pricing [compute_total, LineItem] @3', 'std::fmt::Write [Write] @4', 'super [] @5', 'serde [serde] @6'],
      ],
      [
        'java',
        'import com.shop.pricing.Pricing;\nimport java.util.*;\nimport static com.shop.Util.round;',
        ['com.shop.pricing.Pricing [Pricing] @1', 'java.util [] @2', 'com.shop.Util.round [round] @3'],
      ],
      ['c', '#include <stdio.h>\n#include "pricing.h"\n#include "../lib/util.h"', ['<stdio.h> [] @1', 'pricing.h [] @2', '../lib/util.h [] @3']],
      ['cpp', '#include <vector>\n#include "pricing.hpp"', ['<vector> [] @1', 'pricing.hpp [] @2']],
      [
        'csharp',
        'using System.Linq;\nusing Shop.Pricing;\nusing Calc = Shop.Pricing.PriceCalculator;\nusing static System.Math;',
        ['System.Linq [] @1', 'Shop.Pricing [] @2', 'Shop.Pricing.PriceCalculator [] @3', 'System.Math [] @4'],
      ],
      [
        'ruby',
        "require 'json'\nrequire_relative '../pricing'\nrequire_relative 'lib/helper'\nputs 'not an import'",
        ['json [] @1', '../pricing [] @2', './lib/helper [] @3'],
      ],
      [
        'php',
        [
          '<?php',
          "require_once __DIR__ . '/../Pricing.php';",
          "require 'vendor/autoload.php';",
          "include_once __DIR__ . '/helpers.php';",
          'use App\\Models\\User;',
          'use Shop\\Pricing as Prices;',
          'use Shop\\Models\\{Order, Invoice as Bill};',
        ].join('\n'),
        [
          '../Pricing.php [] @2',
          'vendor/autoload.php [] @3',
          './helpers.php [] @4',
          'App\\Models\\User [User] @5',
          'Shop\\Pricing [Pricing] @6',
          'Shop\\Models [Order, Invoice] @7',
        ],
      ],
    ];
    for (const [language, text, expected] of cases) {
      it(language, async () => assert.deepEqual(describeImports(await extract(language, text)), expected));
    }
  });

  describe('interface methods are methods of their interface', () => {
    const cases: [ContextLanguage, string, string[]][] = [
      [
        'go',
        'package store\ntype Store interface {\n\tGet(id string) (*Item, error)\n\tio.Closer\n\tPut(item *Item) error\n}',
        ['interface Store 2-6', 'method Store.Get 3-3', 'method Store.Put 5-5'],
      ],
      ['typescript', 'interface Store {\n  get(id: string): Item;\n  put(item: Item): void;\n}', ['interface Store 1-4', 'method Store.get 2-2', 'method Store.put 3-3']],
      ['java', 'interface Store {\n  Item get(String id);\n  void put(Item item);\n}', ['interface Store 1-4', 'method Store.get 2-2', 'method Store.put 3-3']],
      ['csharp', 'interface IStore {\n  Item Get(string id);\n  void Put(Item item);\n}', ['interface IStore 1-4', 'method IStore.Get 2-2', 'method IStore.Put 3-3']],
      ['php', '<?php\ninterface Store {\n  public function get(string $id): Item;\n  public function put(Item $item): void;\n}', ['interface Store 2-5', 'method Store.get 3-3', 'method Store.put 4-4']],
      ['rust', 'trait Store {\n    fn get(&self, id: &str) -> Item;\n    fn put(&mut self, item: Item);\n}', ['interface Store 1-4', 'method Store.get 2-2', 'method Store.put 3-3']],
    ];
    for (const [language, text, expected] of cases) {
      it(language, async () => assert.deepEqual(describeDefinitions(await extract(language, text)), expected));
    }
  });

  describe('definitions', () => {
    it('gives the first line of the definition itself as its signature (not a decorator)', async () => {
      const symbols = await extract('python', '@dataclass\nclass Item:\n    @property\n    def price(self) -> float:\n        return 1.0\n');
      assert.deepEqual(
        symbols.definitions.map((d) => [d.name, d.kind, d.startLine, d.endLine, d.signature, d.container]),
        [
          ['Item', 'class', 1, 5, 'class Item:', undefined],
          ['price', 'method', 3, 5, 'def price(self) -> float:', 'Item'],
        ],
      );
    });

    it('caps signatures at 200 characters', async () => {
      const params = Array.from({ length: 60 }, (_, i) => `p${i}`).join(', ');
      const symbols = await extract('javascript', `function wide(${params}) {}`);
      assert.equal(symbols.definitions[0].signature.length, 200);
      assert.ok(symbols.definitions[0].signature.startsWith('function wide(p0, p1'));
    });

    it('keeps a function nested in a function a function, with its container', async () => {
      const symbols = await extract('python', 'class A:\n    def run(self):\n        def step():\n            pass\n');
      assert.deepEqual(describeDefinitions(symbols), ['class A 1-4', 'method A.run 2-4', 'function run.step 3-4']);
    });

    it('still extracts definitions from a file with syntax errors', async () => {
      const symbols = await extract(
        'typescript',
        ['export function good(a: number) {', '  return a;', '}', 'const broken = (;', 'export class Later {', '  run() {}', '}'].join('\n'),
      );
      assert.equal(symbols.hasErrors, true);
      const names = symbols.definitions.map((d) => d.name);
      assert.ok(names.includes('good'), names.join(','));
      assert.ok(names.includes('Later'), names.join(','));
    });

    it('returns empty symbols for an empty file', async () => {
      assert.deepEqual(await extract('rust', ''), {
        language: 'rust',
        definitions: [],
        imports: [],
        identifiers: [],
        hasErrors: false,
      });
    });
  });
});
