// Tests for definitionLines / signatureSpan over real parses: heads and outlines start at the line
// that names the definition (past decorators, annotations, attributes), take a multi-line signature
// whole, list members by their signature lines, and keep decorators only when room is left.
import * as assert from 'node:assert/strict';
import type { ContextLanguage, SymbolDefinition } from '../../../src/core/context/contextTypes';
import { definitionLines, fileOutlineLines, signatureSpan } from '../../../src/core/context/definitionLines';
import { extractFileSymbols } from '../../../src/core/context/symbolExtractor';
import { TreeSitterRuntime } from '../../../src/core/context/treeSitterRuntime';
import { grammarDir } from '../../support/repoRoot';

/** [language, definition name, source lines, its signature lines as written]. */
const SIGNATURES: [ContextLanguage, string, string[], string[]][] = [
  ['python', 'Point', ['@dataclass(frozen=True)', 'class Point:', '    x: int', '    y: int'],
    ['class Point:']],
  ['python', 'list_items', ['@app.route(', '    "/items(",', '    methods=["GET"],', ')', '@login_required', 'def list_items(', '    page: int,', '    size: int = 20,', ') -> list:', '    return []'],
    ['def list_items(', '    page: int,', '    size: int = 20,', ') -> list:']],
  ['python', 'Order', ['@dataclass', '# frozen: orders never change', 'class Order:', '    id: int'],
    ['class Order:']],
  ['python', 'total', ['# Sums the items.', 'def total(items):', '    return 0'],
    ['def total(items):']],
  ['python', 'area', ['class Box:', '    @property', '    def area(self) -> float:', '        return 1.0'],
    ['    def area(self) -> float:']],
  ['typescript', 'CartComponent', ["@Component({", "  selector: 'app-cart',", '})', 'export class CartComponent {', '  total = 0;', '}'],
    ['export class CartComponent {']],
  ['typescript', 'onClick', ['class Button {', "  @HostListener('click', ['$event'])", '  onClick(event: Event): void {}', '}'],
    ['  onClick(event: Event): void {}']],
  ['tsx', 'Panel', ['@observer', 'export class Panel {', '  render() { return <div />; }', '}'],
    ['export class Panel {']],
  ['javascript', 'total', ['function total(', '  items,', '  rate,', ') {', '  return 0;', '}'],
    ['function total(', '  items,', '  rate,', ') {']],
  ['java', 'User', ['@Entity', '@Table(name = "users")', 'public class User {', '  private long id;', '}'],
    ['public class User {']],
  ['java', 'toString', ['class User {', '  @Override public String toString() {', '    return "";', '  }', '}'],
    ['  @Override public String toString() {']],
  ['csharp', 'Order', ['[Serializable]', '[Obsolete("use Order2")]', 'public class Order', '{', '    public int Id;', '}'],
    ['public class Order']],
  ['rust', 'scale', ['#[inline]', 'pub fn scale(', '    p: Point,', '    k: f64,', ') -> Point {', '    p', '}'],
    ['pub fn scale(', '    p: Point,', '    k: f64,', ') -> Point {']],
  ['php', 'index', ['<?php', 'class Shop {', "    #[Route('/shop')]", '    public function index(int $page): string {', "        return '';", '    }', '}'],
    ['    public function index(int $page): string {']],
  ['go', 'Total', ['package shop', '', 'func Total(', '\titems []Item,', '\trate float64,', ') float64 {', '\treturn 0', '}'],
    ['func Total(', '\titems []Item,', '\trate float64,', ') float64 {']],
  ['c', 'compute_total', ['double compute_total(', '    const Item *items,', '    int n)', '{', '    return 0;', '}'],
    ['double compute_total(', '    const Item *items,', '    int n)']],
  ['c', 'MAX_ITEMS', ['#define MAX_ITEMS 64'],
    ['#define MAX_ITEMS 64']],
  ['cpp', 'total', ['[[nodiscard]]', 'double total(const std::vector<int> &items) {', '    return 0;', '}'],
    ['double total(const std::vector<int> &items) {']],
  ['ruby', 'total', ['def total(items,', '          rate)', '  0', 'end'],
    ['def total(items,', '          rate)']],
];

interface OutlineCase {
  label: string;
  language: ContextLanguage;
  name: string;
  source: string;
  maxLines: number;
  /** The outline's lines, as written. */
  outline: string[];
}

/** `count` members with a decorator line each, in the language's syntax. */
function members(count: number, member: (i: number) => string[]): string[] {
  return Array.from({ length: count }, (_, i) => member(i)).flat();
}

const OUTLINES: OutlineCase[] = [
  {
    label: 'a multi-line class signature and @property members fill the room: the decorator yields',
    language: 'python',
    name: 'Cart',
    source: [
      '@dataclass',
      'class Cart(',
      '    Base,',
      '):',
      ...members(4, (i) => [`    @property`, `    def item${i}(self) -> int:`, `        return ${i}`, '']),
    ].join('\n'),
    maxLines: 8,
    // The whole signature and every member's def line; no room left for the class's decorator.
    outline: ['class Cart(', '    Base,', '):', '    def item0(self) -> int:', '    def item1(self) -> int:', '    def item2(self) -> int:', '    def item3(self) -> int:', '        return 3'],
  },
  {
    label: 'room to spare keeps the class decorator',
    language: 'python',
    name: 'Cart',
    source: ['@dataclass', 'class Cart:', ...members(3, (i) => [`    def item${i}(self):`, `        return ${i}`, ''])].join('\n'),
    maxLines: 8,
    // Room to spare: the decorator comes along, above the class line.
    outline: ['@dataclass', 'class Cart:', '    def item0(self):', '    def item1(self):', '    def item2(self):', '        return 2'],
  },
  {
    label: 'class and method decorators stay out',
    language: 'typescript',
    name: 'CartService',
    source: [
      "@Injectable({ providedIn: 'root' })",
      'export class CartService {',
      ...members(4, (i) => [`  @Memo()`, `  item${i}(): number {`, `    return ${i};`, '  }']),
      '}',
    ].join('\n'),
    maxLines: 6,
    outline: ['export class CartService {', '  item0(): number {', '  item1(): number {', '  item2(): number {', '  item3(): number {', '}'],
  },
  {
    label: 'annotations stay out',
    language: 'java',
    name: 'CartController',
    source: [
      '@RestController',
      '@RequestMapping("/cart")',
      'public class CartController {',
      ...members(4, (i) => [`  @GetMapping("/${i}")`, `  public int item${i}() {`, `    return ${i};`, '  }']),
      '}',
    ].join('\n'),
    maxLines: 6,
    outline: ['public class CartController {', '  public int item0() {', '  public int item1() {', '  public int item2() {', '  public int item3() {', '}'],
  },
  {
    label: 'attributes stay out, the brace on its own line too',
    language: 'csharp',
    name: 'CartController',
    source: [
      '[ApiController]',
      'public class CartController',
      '{',
      ...members(4, (i) => [`    [HttpGet("${i}")]`, `    public int Item${i}()`, '    {', `        return ${i};`, '    }']),
      '}',
    ].join('\n'),
    maxLines: 6,
    outline: ['public class CartController', '    public int Item0()', '    public int Item1()', '    public int Item2()', '    public int Item3()', '}'],
  },
  {
    label: 'PHP 8 attributes stay out',
    language: 'php',
    name: 'Cart',
    source: [
      '<?php',
      "#[Entity('cart')]",
      'class Cart {',
      ...members(4, (i) => [`    #[Pure]`, `    public function item${i}(): int {`, `        return ${i};`, '    }']),
      '}',
    ].join('\n'),
    maxLines: 6,
    outline: ['class Cart {', '    public function item0(): int {', '    public function item1(): int {', '    public function item2(): int {', '    public function item3(): int {', '}'],
  },
];

describe('definitionLines', () => {
  let runtime: TreeSitterRuntime;
  before(async () => {
    runtime = await TreeSitterRuntime.create(grammarDir);
  });

  async function definition(language: ContextLanguage, source: string, name: string): Promise<{ def: SymbolDefinition; all: SymbolDefinition[] }> {
    const symbols = await extractFileSymbols(runtime, language, source);
    const def = symbols.definitions.find((d) => d.name === name);
    assert.ok(def, `no definition of ${name} in ${symbols.definitions.map((d) => d.name).join(', ')}`);
    return { def, all: symbols.definitions };
  }

  describe('signatureSpan starts at the line that names the definition and takes the whole signature', () => {
    for (const [language, name, lines, signature] of SIGNATURES) {
      it(`${language}: ${name}`, async () => {
        const { def } = await definition(language, lines.join('\n'), name);
        const span = signatureSpan(def, lines);
        assert.deepEqual(lines.slice(span.start - 1, span.end), signature);
      });
    }
  });

  describe('a long container is outlined from its signature, members by their signature lines', () => {
    for (const c of OUTLINES) {
      it(`${c.language}: ${c.label}`, async () => {
        const lines = c.source.split('\n');
        const { def, all } = await definition(c.language, c.source, c.name);
        const shape = definitionLines(def, lines, all, c.maxLines);
        assert.equal(shape.outline, true);
        assert.deepEqual(shape.lines.map((l) => lines[l - 1]), c.outline);
        assert.ok(shape.lines.length <= c.maxLines);
        assert.equal(shape.leadLines, c.outline.findIndex((l) => !/^\s*[@#[]/.test(l)));
      });
    }
  });

  it('a short decorated definition comes whole, its decorators counted as lead lines', async () => {
    const source = ['@dataclass', '@total_ordering', 'class Point:', '    x: int'].join('\n');
    const lines = source.split('\n');
    const { def, all } = await definition('python', source, 'Point');
    assert.deepEqual(definitionLines(def, lines, all, 30), { lines: [1, 2, 3, 4], outline: false, leadLines: 2 });
  });

  it("a file's outline lists definitions by their signature lines, not their decorators", async () => {
    const source = ['@dataclass', 'class Point:', '    x: int', '', '@cache', 'def area(p):', '    return 0'].join('\n');
    const lines = source.split('\n');
    const symbols = await extractFileSymbols(runtime, 'python', source);
    assert.deepEqual(fileOutlineLines(symbols.definitions, lines, 10), [2, 6]);
  });
});
