// The shared backend error type: codes survive, and it is recognised across module copies.

import * as assert from 'node:assert/strict';
import { BackendError, isBackendError } from '../../../src/core/kernel/backendError';

describe('BackendError', () => {
  it('is an Error with a code, a message and an optional cause', () => {
    const cause = new Error('inner');
    const error = new BackendError('unreachable', 'Nothing listens. Start it.', { cause });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'BackendError');
    assert.equal(error.code, 'unreachable');
    assert.equal(error.message, 'Nothing listens. Start it.');
    assert.equal(error.cause, cause);
  });

  it('isBackendError recognises instances, same-shaped copies and a wanted code', () => {
    const error = new BackendError('model-missing', 'a. b.');
    assert.ok(isBackendError(error));
    assert.ok(isBackendError(error, 'model-missing'));
    assert.ok(!isBackendError(error, 'http'));
    // As if thrown by another bundle's copy of the class.
    const copy = Object.assign(new Error('a. b.'), { name: 'BackendError', code: 'http' });
    assert.ok(isBackendError(copy, 'http'));
    assert.ok(!isBackendError(Object.assign(new Error('x'), { name: 'BackendError', code: 'nonsense' })));
    assert.ok(!isBackendError(new Error('plain')));
    assert.ok(!isBackendError(undefined));
  });
});
