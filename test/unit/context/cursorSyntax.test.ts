// Tests for reading the syntax around the cursor: the enclosing definitions (innermost first) in
// each language, also while the code at the cursor is broken because the user is typing, and the
// names used near the cursor.
import * as assert from 'node:assert/strict';
import type { ContextLanguage } from '../../../src/core/context/contextTypes';
import { enclosingScopes, identifiersNear } from '../../../src/core/context/cursorSyntax';
import { DocumentTrees, type ParsedDocument } from '../../../src/core/context/documentTrees';
import { TreeSitterRuntime } from '../../../src/core/context/treeSitterRuntime';
import { withCursor } from '../../support/cursor';
import { grammarDir } from '../../support/repoRoot';

const lines = (...ls: string[]): string => ls.join('\n') + '\n';

describe('cursorSyntax', () => {
  let trees: DocumentTrees;
  before(async () => {
    trees = new DocumentTrees(await TreeSitterRuntime.create(grammarDir));
  });
  after(() => trees.dispose());

  async function parseAt(language: ContextLanguage, source: string): Promise<{ doc: ParsedDocument; offset: number }> {
    const { text, offset } = withCursor(source);
    return { doc: await trees.parse(`example.${language}`, language, text), offset };
  }

  describe('enclosingScopes', () => {
    /** Expected scopes as `kind name startLine-endLine`, innermost first. */
    const cases: { name: string; language: ContextLanguage; source: string; broken?: boolean; expected: string[] }[] = [
      {
        name: 'TypeScript method in a class',
        language: 'typescript',
        source: lines('export class Cart {', '  checkout(): number {', '    return computeTotal(this.items, █);', '  }', '}'),
        expected: ['method checkout 2-4', 'class Cart 1-5'],
      },
      {
        name: 'TypeScript arrow function bound to a const',
        language: 'typescript',
        source: lines('export const handler = async (req: Request) => {', '  const body = req.body;', '  █', '};'),
        expected: ['function handler 1-4'],
      },
      {
        name: 'TypeScript interface method signature',
        language: 'typescript',
        source: lines('interface Shape {', '  area(█): number;', '}'),
        expected: ['method area 2-2', 'interface Shape 1-3'],
      },
      {
        name: 'JavaScript method in an object literal',
        language: 'javascript',
        source: lines('const api = {', '  load() {', '    return fetch(█);', '  },', '};'),
        expected: ['method load 2-4'],
      },
      {
        name: 'outside every definition',
        language: 'javascript',
        source: lines('function a() {', '  return 1;', '}', '█'),
        expected: [],
      },
      {
        name: 'Python nested function in a method',
        language: 'python',
        source: lines('class Cart:', '    def checkout(self):', '        def inner():', '            return █'),
        expected: ['function inner 3-4', 'method checkout 2-4', 'class Cart 1-4'],
      },
      {
        name: 'Python: a blank line indented inside a method is inside it',
        language: 'python',
        source: lines('class Cart:', '    def checkout(self):', '        total = 1', '        █'),
        expected: ['method checkout 2-3', 'class Cart 1-3'],
      },
      {
        name: 'Python: back at column 0 after a function is outside it',
        language: 'python',
        source: lines('def top():', '    pass', '█'),
        expected: [],
      },
      {
        name: 'Go method',
        language: 'go',
        source: lines('package shop', 'func (c *Cart) Checkout() float64 {', '\ttotal := pricing.ComputeTotal(█)', '\treturn total', '}'),
        expected: ['method Checkout 2-5'],
      },
      {
        name: 'Rust method in a generic impl inside a module',
        language: 'rust',
        source: lines('mod shop {', '    impl<T> Cart<T> {', '        pub fn add(&mut self, item: T) {', '            self.items.push(█);', '        }', '    }', '}'),
        expected: ['method add 3-5', 'class Cart 2-6', 'module shop 1-7'],
      },
      {
        name: 'Java method',
        language: 'java',
        source: lines('public class Cart {', '    public double checkout() {', '        return Pricing.computeTotal(█);', '    }', '}'),
        expected: ['method checkout 2-4', 'class Cart 1-5'],
      },
      {
        name: 'C function',
        language: 'c',
        source: lines('int main(void) {', '    double total = compute_total(█items, 1);', '    return 0;', '}'),
        expected: ['function main 1-4'],
      },
      {
        name: 'C++ out-of-line member function in a namespace',
        language: 'cpp',
        source: lines('namespace shop {', 'double PriceCalculator::total(const Items &items) const {', '    return █;', '}', '}'),
        expected: ['method total 2-4', 'module shop 1-5'],
      },
      {
        name: 'C# method in a class in a namespace',
        language: 'csharp',
        source: lines('namespace Shop.Checkout', '{', '    public class Cart', '    {', '        public decimal Checkout()', '        {', '            return PriceCalculator.ComputeTotal(█);', '        }', '    }', '}'),
        expected: ['method Checkout 5-8', 'class Cart 3-9', 'module Shop.Checkout 1-10'],
      },
      {
        name: 'Ruby method in a class in a module',
        language: 'ruby',
        source: lines('module Shop', '  class Cart', '    def checkout', '      Pricing.compute_total(█)', '    end', '  end', 'end'),
        expected: ['method checkout 3-5', 'class Cart 2-6', 'module Shop 1-7'],
      },
      {
        name: 'PHP method',
        language: 'php',
        source: lines('<?php', 'namespace Shop;', 'class Cart {', '    public function checkout(): float {', '        return Pricing::computeTotal(█);', '    }', '}'),
        expected: ['method checkout 4-6', 'class Cart 3-7'],
      },
      // The user is typing: the code at the cursor does not parse.
      {
        name: 'TypeScript: unclosed call, rest of the file missing',
        language: 'typescript',
        source: lines('export class Cart {', '  checkout(): number {', '    const total = computeTotal(█'),
        broken: true,
        expected: ['method checkout 2-3', 'class Cart 1-3'],
      },
      {
        name: 'TypeScript: member access being typed',
        language: 'typescript',
        source: lines('export class Cart {', '  checkout(): number {', '    const total = computeTotal(this.█', '  }', '}'),
        broken: true,
        expected: ['method checkout 2-5', 'class Cart 1-5'],
      },
      {
        name: 'Python: unclosed call at the end of the file',
        language: 'python',
        source: lines('class Cart:', '    def checkout(self):', '        return 1', '', '    def add(self, item):', '        self.items.append(█'),
        broken: true,
        expected: ['method add 5-6', 'class Cart 1-6'],
      },
      {
        name: 'Go: selector being typed',
        language: 'go',
        source: lines('package shop', 'func (c *Cart) Checkout() float64 {', '\ttotal := pricing.█', '}'),
        broken: true,
        expected: ['method Checkout 2-4'],
      },
      {
        name: 'Java: unclosed call',
        language: 'java',
        source: lines('public class Cart {', '    public double checkout() {', '        double total = Pricing.computeTotal(█', '    }', '}'),
        broken: true,
        expected: ['method checkout 2-5', 'class Cart 1-5'],
      },
      {
        name: 'C: unclosed call',
        language: 'c',
        source: lines('int main(void) {', '    double total = compute_total(items, █', '    return 0;', '}'),
        broken: true,
        expected: ['function main 1-4'],
      },
      {
        name: 'Ruby: unclosed call',
        language: 'ruby',
        source: lines('module Shop', '  class Cart', '    def checkout', '      total = Pricing.compute_total(█', '    end', '  end', 'end'),
        broken: true,
        expected: ['method checkout 3-7', 'class Cart 2-7', 'module Shop 1-7'],
      },
      {
        name: 'PHP: unclosed call',
        language: 'php',
        source: lines('<?php', 'class Cart {', '    public function checkout(): float {', '        $total = Pricing::computeTotal(█', '    }', '}'),
        broken: true,
        expected: ['method checkout 3-5', 'class Cart 2-6'],
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const { doc, offset } = await parseAt(c.language, c.source);
        assert.equal(doc.tree.rootNode.hasError, c.broken === true, 'the case is (or is not) broken code as described');
        const scopes = enclosingScopes(doc, offset);
        assert.deepEqual(
          scopes.map((s) => `${s.kind} ${s.name} ${s.startLine}-${s.endLine}`),
          c.expected,
        );
      });
    }

    it('gives each scope its first line as signature', async () => {
      const { doc, offset } = await parseAt('python', lines('class Cart:', '    @property', '    def total(self) -> float:', '        return █'));
      assert.deepEqual(
        enclosingScopes(doc, offset).map((s) => s.signature),
        ['def total(self) -> float:', 'class Cart:'],
      );
    });
  });

  describe('identifiersNear', () => {
    const source = lines(
      'import os', // 1
      '', // 2
      'def compute(items, rate):', // 3
      '    subtotal = sum(items)', // 4
      '    # comment_word is not code', // 5
      '    label = "string_word"', // 6
      '    total = subtotal * rate + ta█', // 7
      '    return total', // 8
      '', // 9
      'far_away = os.getcwd()', // 10
    );

    it('keeps the nearest occurrence of each name, nearest first, with the word at the cursor', async () => {
      const { doc, offset } = await parseAt('python', source);
      assert.deepEqual(
        identifiersNear(doc, offset, { linesBefore: 1, linesAfter: 1 }).map((i) => `${i.name}@${i.line}/${i.distance}`),
        // Lines 6-8 are the window; the rest of compute()'s body adds items, sum, compute.
        ['rate@7/0', 'subtotal@7/0', 'ta@7/0', 'total@7/0', 'label@6/1', 'items@4/3', 'sum@4/3', 'compute@3/4'],
      );
    });

    it('reaches outside the function only through the line window', async () => {
      const { doc, offset } = await parseAt('python', source);
      const names = identifiersNear(doc, offset, { linesBefore: 0, linesAfter: 3 }).map((i) => i.name);
      assert.ok(names.includes('far_away'), names.join(','));
      assert.ok(names.includes('os'), names.join(','));
      assert.ok(!names.includes('comment_word'));
      assert.ok(!names.includes('string_word'));
    });

    it('works across languages: TypeScript member and type names count', async () => {
      const { doc, offset } = await parseAt(
        'typescript',
        lines('class Cart {', '  items: LineItem[] = [];', '  total(): number {', '    return computeTotal(this.items, █);', '  }', '}'),
      );
      assert.deepEqual(
        identifiersNear(doc, offset, { linesBefore: 2, linesAfter: 0 }).map((i) => i.name),
        ['computeTotal', 'items', 'total', 'LineItem'],
      );
    });
  });
});
