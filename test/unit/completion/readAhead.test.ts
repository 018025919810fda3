// The document a read-ahead prepares for: typing over a selection removes it first.
import * as assert from 'node:assert/strict';
import { typedOver } from '../../../src/core/completion/readAhead';
import { requestAt } from '../../support/cursor';

describe('typedOver', () => {
  const request = requestAt('const total = █price * count;\n', { selectionEmpty: false, explicit: true });
  const from = request.offset;
  const to = from + 'price * count'.length;

  it('removes the selection and puts the cursor where it started', () => {
    const over = typedOver(request, from, to);
    assert.equal(over.text, 'const total = ;\n');
    assert.equal(over.offset, from);
    assert.equal(over.selectionEmpty, true);
    assert.equal(over.explicit, false, 'what typing asks for, not an explicit request');
  });

  it('takes the ends in either order (a selection made backwards)', () => {
    assert.deepEqual(typedOver(request, to, from), typedOver(request, from, to));
  });

  it('keeps within the text', () => {
    const over = typedOver(request, from, request.text.length + 50);
    assert.equal(over.text, 'const total = ');
    assert.equal(typedOver(request, -5, 0).text, request.text);
  });

  it('an empty selection changes nothing but the flags', () => {
    const over = typedOver(request, from, from);
    assert.equal(over.text, request.text);
    assert.equal(over.offset, from);
  });
});
