// Tests for attributeTypes.ts: the types a class's text gives its attributes (constructions,
// annotations, TypeScript fields and parameter properties, a parameter's annotation carried by
// `self.x = x`), what is not a type (`if self.x: return`), and the attributes a span uses.
import * as assert from 'node:assert/strict';
import { attributesUsed, attributeTypes } from '../../../src/core/context/attributeTypes';

describe('attributeTypes', () => {
  // [cause, class text, attribute, expected type]
  const TABLE: [string, string, string, string | undefined][] = [
    ['python construction', 'class Till:\n    def __init__(self):\n        self._drawer = Drawer(3)\n', '_drawer', 'Drawer'],
    ['python qualified construction', 'class Till:\n    def __init__(self):\n        self.log = logs.Journal()\n', 'log', 'Journal'],
    ['python annotation', 'class Till:\n    def __init__(self):\n        self.rates: Rates = load()\n', 'rates', 'Rates'],
    ['python annotated parameter', 'class Till:\n    def __init__(self, loop: events.Loop, n: int):\n        self._loop = loop\n', '_loop', 'Loop'],
    ['python wrapped signature', 'class Till:\n    def __init__(\n        self,\n        bank: Bank,\n    ):\n        self.bank = bank\n', 'bank', 'Bank'],
    ['python annotation beats construction', 'class Till:\n    def __init__(self):\n        self.x: Base = Derived()\n', 'x', 'Base'],
    ['python unannotated parameter', 'class Till:\n    def __init__(self, loop):\n        self._loop = loop\n', '_loop', undefined],
    ['python condition is not an annotation', 'class Till:\n    def close(self):\n        if self._closed: return\n', '_closed', undefined],
    ['python condition on its own line', 'class Till:\n    def close(self):\n        if self._closed:\n            return\n', '_closed', undefined],
    ['typescript new', 'class Till {\n  constructor() {\n    this.drawer = new Drawer<number>(3);\n  }\n}\n', 'drawer', 'Drawer'],
    ['typescript field', 'class Till {\n  private readonly drawer: Drawer;\n}\n', 'drawer', 'Drawer'],
    ['typescript parameter property', 'class Till {\n  constructor(private readonly bank: Bank) {}\n}\n', 'bank', 'Bank'],
    ['typescript annotated parameter', 'class Till {\n  constructor(bank: Bank) {\n    this.bank = bank;\n  }\n}\n', 'bank', 'Bank'],
    ['php construction', 'class Till {\n  function __construct() {\n    $this->drawer = new Drawer();\n  }\n}\n', 'drawer', 'Drawer'],
  ];
  for (const [cause, text, attribute, expected] of TABLE) {
    it(cause, () => {
      assert.equal(attributeTypes(text).get(attribute), expected);
    });
  }

  it('lists the attributes a span uses', () => {
    assert.deepEqual([...attributesUsed('def ring(self):\n    self._drawer.open()\n    this.bank = 1\n    other.x = 2\n')].sort(), ['_drawer', 'bank']);
  });
});
