// Tests for which settings changes reach which service: the workspace index stops when codebase
// context is turned off, restarts when a context setting changes and is left alone otherwise (a
// completion or routing setting must not cost a re-index); files.exclude is the VS Code setting
// that restarts it too; an API key restarts completion only when completion uses that key.
import * as assert from 'node:assert/strict';
import { configFrom, type RawSettings } from '../../src/core/config';
import { indexEffect, INDEX_SETTINGS_OUTSIDE_BANTAM, keyRestartsCompletion, type IndexEffect } from '../../src/core/settingsEffects';

describe('settingsEffects', () => {
  describe('indexEffect', () => {
    const cases: { name: string; before: RawSettings; after: RawSettings; effect: IndexEffect }[] = [
      { name: 'nothing changed', before: {}, after: {}, effect: 'keep' },
      { name: 'a completion setting changed', before: {}, after: { 'completion.maxTokens': 99 }, effect: 'keep' },
      { name: 'a routing setting changed', before: {}, after: { 'routing.maxAnswerTokens': 1000 }, effect: 'keep' },
      { name: 'context turned off', before: {}, after: { 'context.enabled': false }, effect: 'stop' },
      { name: 'context off, something else changed', before: { 'context.enabled': false }, after: { 'context.enabled': false, 'completion.maxTokens': 99 }, effect: 'stop' },
      { name: 'context turned on', before: { 'context.enabled': false }, after: {}, effect: 'restart' },
      { name: 'an exclude glob added', before: {}, after: { 'context.exclude': ['**/gen/**'] }, effect: 'restart' },
      { name: 'the file cap changed', before: {}, after: { 'context.maxFiles': 10 }, effect: 'restart' },
      { name: 'the file size cap changed', before: {}, after: { 'context.maxFileBytes': 5000 }, effect: 'restart' },
    ];
    for (const c of cases) {
      it(`${c.name}: ${c.effect}`, () => {
        assert.equal(indexEffect(configFrom(c.before), configFrom(c.after)), c.effect);
      });
    }
  });

  it('files.exclude is the one VS Code setting outside bantam.* the index follows', () => {
    assert.deepEqual(INDEX_SETTINGS_OUTSIDE_BANTAM, ['files.exclude']);
  });

  describe('keyRestartsCompletion', () => {
    const cases = [
      { provider: 'openai', backend: 'openai', restarts: true },
      { provider: 'openai', backend: 'embedded', restarts: false },
      { provider: 'openai', backend: 'ollama', restarts: false },
      { provider: 'anthropic', backend: 'openai', restarts: false },
    ];
    for (const c of cases) {
      it(`a ${c.provider} key with completion.backend ${c.backend}: ${c.restarts ? 'restarts' : 'leaves'} completion`, () => {
        assert.equal(keyRestartsCompletion(c.provider, configFrom({ 'completion.backend': c.backend })), c.restarts);
      });
    }
  });
});
