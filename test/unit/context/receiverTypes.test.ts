// Tests for receiverTypes.ts: the type of a member call's receiver as each language declares it
// (annotations, constructions, C-family declarations, Go parameters and NewX), the nearest
// declaration winning, `this`/`self` as the enclosing class; and the member accesses of a span.
import * as assert from 'node:assert/strict';
import type { ContextLanguage } from '../../../src/core/context/contextTypes';
import { memberReceivers, receiverTypeOf } from '../../../src/core/context/receiverTypes';

describe('receiverTypes', () => {
  // [language, text up to the cursor, receiver, expected type]
  const TABLE: [ContextLanguage, string, string, string | undefined][] = [
    ['typescript', 'const l = new Ledger();\n', 'l', 'Ledger'],
    ['typescript', 'function f(l: Ledger, n: number) {\n', 'l', 'Ledger'],
    ['typescript', 'const l = new pricing.Ledger<Item>("a");\n', 'l', 'Ledger'],
    ['tsx', 'const l: Ledger | undefined = undefined;\n', 'l', 'Ledger'],
    ['javascript', 'const l = new Ledger();\n', 'l', 'Ledger'],
    ['python', 'l = Ledger("a")\n', 'l', 'Ledger'],
    ['python', 'def f(l: Ledger) -> None:\n', 'l', 'Ledger'],
    ['go', 'l := NewLedger()\n', 'l', 'Ledger'],
    ['go', 'l := &pricing.Ledger{Owner: "a"}\n', 'l', 'Ledger'],
    ['go', 'func (l *Ledger) Close(n int) {\n', 'l', 'Ledger'],
    ['go', 'func f(n int, l *pricing.Ledger) {\n', 'l', 'Ledger'],
    ['go', 'var l Ledger\n', 'l', 'Ledger'],
    ['rust', 'let l = Ledger::new();\n', 'l', 'Ledger'],
    ['rust', 'fn f(l: &mut Ledger) {\n', 'l', 'Ledger'],
    ['java', 'Ledger l = new Ledger();\n', 'l', 'Ledger'],
    ['java', 'void f(Ledger l) {\n', 'l', 'Ledger'],
    ['csharp', 'var l = new Ledger();\n', 'l', 'Ledger'],
    ['csharp', 'List<Item> l = new();\n', 'l', 'List'],
    ['c', 'Ledger *l = make();\n', 'l', 'Ledger'],
    ['cpp', 'shop::Ledger l;\n', 'l', 'Ledger'],
    ['ruby', 'l = Ledger.new\n', 'l', 'Ledger'],
    ['php', '$l = new Ledger();\n', 'l', 'Ledger'],
    ['php', 'function f(Ledger $l) {\n', 'l', 'Ledger'],
    // The nearest declaration above the cursor wins.
    ['typescript', 'let l = new Old();\nl = new Ledger();\n', 'l', 'Ledger'],
    // Nothing declares it.
    ['typescript', 'l.post();\n', 'l', undefined],
    ['python', 'return l\n', 'l', undefined],
  ];
  for (const [language, text, receiver, expected] of TABLE) {
    it(`${language}: ${JSON.stringify(text.trim())} -> ${expected}`, () => {
      assert.equal(receiverTypeOf(text, receiver, text.length, language, undefined), expected);
    });
  }

  it('this and self are the enclosing class', () => {
    for (const self of ['this', 'self', 'Self']) assert.equal(receiverTypeOf('', self, 0, 'python', 'Till'), 'Till');
  });

  it('a declaration after the cursor does not count', () => {
    const text = 'l.post();\nconst l = new Ledger();\n';
    assert.equal(receiverTypeOf(text, 'l', text.indexOf('\n'), 'typescript', undefined), undefined);
  });

  it('lists member accesses by member', () => {
    const found = memberReceivers('this.items.push(x); $repo->save(); Pricing::total(); a?.b; @cart.add(1)');
    const pairs = [...found].flatMap(([member, receivers]) => [...receivers].map((r) => `${r}.${member}`)).sort();
    assert.deepEqual(pairs, ['Pricing.total', 'a.b', 'cart.add', 'items.push', 'repo.save', 'this.items'].sort());
  });
});
