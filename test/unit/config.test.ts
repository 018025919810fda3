// Settings: configFrom's defaults, enums and ranges must match package.json
// `contributes.configuration` (declared once there, validated here), and anything malformed falls
// back to the default instead of reaching the pipeline.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configFrom, type BantamConfig, type RawSettings } from '../../src/core/config';

interface SettingSchema {
  type: 'number' | 'integer' | 'boolean' | 'string' | 'array' | 'object';
  default: unknown;
  enum?: string[];
  minimum?: number;
  maximum?: number;
}

const packageJson = JSON.parse(readFileSync(resolve(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
};
const declared = packageJson.contributes.configuration.properties;

/** Where each setting lands in the config object (keys without the `bantam.` prefix). */
const ACCESSORS: Record<string, (c: BantamConfig) => unknown> = {
  'completion.enabled': (c) => c.completion.enabled,
  'completion.backend': (c) => c.completion.backend,
  'completion.model': (c) => c.completion.model,
  'completion.modelEndpoint': (c) => c.completion.modelEndpoint,
  'completion.disabledLanguages': (c) => c.completion.disabledLanguages,
  'completion.multiline': (c) => c.completion.multiline,
  'completion.maxTokens': (c) => c.completion.maxTokens,
  'completion.maxLineTokens': (c) => c.completion.maxLineTokens,
  'completion.timeoutMs': (c) => c.completion.timeoutMs,
  'completion.debounceMinMs': (c) => c.completion.debounceMinMs,
  'completion.debounceMaxMs': (c) => c.completion.debounceMaxMs,
  'completion.temperature': (c) => c.completion.temperature,
  'completion.prefixTokens': (c) => c.completion.budgets.prefixTokens,
  'completion.suffixTokens': (c) => c.completion.budgets.suffixTokens,
  'completion.farSuffixTokens': (c) => c.completion.budgets.farSuffixTokens,
  'completion.contextTokens': (c) => c.completion.budgets.contextTokens,
  'completion.coldPromptMs': (c) => c.completion.coldPromptMs,
  'nextEdit.backend': (c) => c.nextEdit.backend,
  'nextEdit.model': (c) => c.nextEdit.model,
  'completion.readAhead': (c) => c.completion.readAhead,
  'nextEdit.eagerness': (c) => c.nextEdit.eagerness,
  'context.enabled': (c) => c.context.enabled,
  'context.exclude': (c) => c.context.exclude,
  'context.maxFileBytes': (c) => c.context.maxFileBytes,
  'context.maxFiles': (c) => c.context.maxFiles,
  'embedded.gpu': (c) => c.embedded.gpu,
  'embedded.threads': (c) => c.embedded.threads,
  'embedded.flashAttention': (c) => c.embedded.flashAttention,
  'embedded.contextSize': (c) => c.embedded.contextSize,
  'ollama.host': (c) => c.ollama.host,
  'ollama.model': (c) => c.ollama.model,
  'ollama.keepAlive': (c) => c.ollama.keepAlive,
  'ollama.chatModel': (c) => c.ollama.chatModel,
  'ollama.chatContextSize': (c) => c.ollama.chatContextSize,
  'openai.baseUrl': (c) => c.openai.baseUrl,
  'openai.model': (c) => c.openai.model,
  'openai.completionModel': (c) => c.openai.completionModel,
  'openai.completionFamily': (c) => c.openai.completionFamily,
  'nextEdit.promptFormat': (c) => c.nextEdit.promptFormat,
  'openai.contextWindow': (c) => c.openai.contextWindow,
  'anthropic.baseUrl': (c) => c.anthropic.baseUrl,
  'anthropic.model': (c) => c.anthropic.model,
  'anthropic.contextWindow': (c) => c.anthropic.contextWindow,
  'vscodeLm.vendor': (c) => c.vscodeLm.vendor,
  'vscodeLm.family': (c) => c.vscodeLm.family,
  'routing.frontierEnabled': (c) => c.routing.frontierEnabled,
  'routing.frontierProvider': (c) => c.routing.frontierProvider,
  'routing.localProvider': (c) => c.routing.localProvider,
  'routing.tier': (c) => c.routing.tier,
  'routing.tasks': (c) => c.routing.tasks,
  'routing.timeoutMs': (c) => c.routing.timeoutMs,
  'routing.maxRetries': (c) => c.routing.maxRetries,
  'routing.maxAnswerTokens': (c) => c.routing.maxAnswerTokens,
  'routing.pricing': (c) => c.routing.pricing,
  'nextEdit.enabled': (c) => c.nextEdit.enabled,
};

const settings = Object.entries(declared).map(([name, schema]) => ({ key: name.replace(/^bantam\./, ''), name, schema }));

function read(key: string, raw: RawSettings): unknown {
  const accessor = ACCESSORS[key];
  assert.ok(accessor, `no accessor for ${key}`);
  return accessor(configFrom(raw));
}

/** A value of the wrong type (or outside the enum) for a setting. */
function malformed(schema: SettingSchema): unknown[] {
  switch (schema.type) {
    case 'number':
    case 'integer':
      return ['fast', Number.NaN, Number.POSITIVE_INFINITY, null, true, [1]];
    case 'boolean':
      return ['true', 1, null, {}];
    case 'array':
      return ['plaintext', 3, null, { 0: 'plaintext' }];
    case 'object':
      return ['fast', 3, null, ['a']];
    case 'string':
      return schema.enum ? ['nope', 42, null, schema.enum[0]!.toUpperCase()] : [42, null, ['a'], {}];
  }
}

describe('configFrom', () => {
  it('package.json declares every setting configFrom reads, and nothing else', () => {
    assert.deepEqual(
      settings.map((s) => s.key).sort(),
      Object.keys(ACCESSORS).sort(),
    );
    for (const { name } of settings) assert.ok(name.startsWith('bantam.'), name);
  });

  describe('defaults equal package.json', () => {
    const defaults = configFrom();
    for (const { key, schema } of settings) {
      it(`${key} = ${JSON.stringify(schema.default)}`, () => {
        assert.deepEqual(ACCESSORS[key]?.(defaults), schema.default);
      });
    }
  });

  describe('malformed values fall back to the default', () => {
    for (const { key, schema } of settings) {
      for (const value of malformed(schema)) {
        it(`${key}: ${JSON.stringify(value) ?? String(value)}`, () => {
          assert.deepEqual(read(key, { [key]: value }), schema.default);
        });
      }
    }
  });

  describe('every enum value of package.json is accepted', () => {
    for (const { key, schema } of settings.filter((s) => s.schema.enum)) {
      for (const value of schema.enum!) {
        it(`${key}: ${value}`, () => {
          assert.equal(read(key, { [key]: value }), value);
        });
      }
    }
  });

  describe('numbers are clamped to the range package.json declares', () => {
    for (const { key, schema } of settings.filter((s) => s.schema.type === 'number' || s.schema.type === 'integer')) {
      it(`${key} in [${schema.minimum}, ${schema.maximum}]`, () => {
        assert.ok(schema.minimum !== undefined && schema.maximum !== undefined, `${key} declares no range`);
        // debounceMaxMs also stays >= debounceMinMs; put the minimum at its lowest to see the clamp.
        const floor = key === 'completion.debounceMaxMs' ? { 'completion.debounceMinMs': 0 } : {};
        assert.equal(read(key, { ...floor, [key]: schema.minimum - 1 }), schema.minimum);
        assert.equal(read(key, { ...floor, [key]: -1e9 }), schema.minimum);
        assert.equal(read(key, { [key]: schema.maximum + 1 }), schema.maximum);
        assert.equal(read(key, { [key]: 1e12 }), schema.maximum);
        const inside = schema.minimum + (schema.maximum - schema.minimum) / 2;
        const expected = schema.type === 'integer' ? Math.round(inside) : inside;
        assert.equal(read(key, { ...floor, [key]: inside }), expected);
      });
    }
  });

  it('integer settings are whole numbers even when settings.json holds a fraction', () => {
    assert.equal(read('completion.maxTokens', { 'completion.maxTokens': 12.6 }), 13);
    assert.equal(read('embedded.threads', { 'embedded.threads': 1.2 }), 1);
    assert.equal(read('completion.temperature', { 'completion.temperature': 0.25 }), 0.25);
  });

  describe('debounceMaxMs is never below debounceMinMs', () => {
    const cases: Array<{ min: unknown; max: unknown; expected: [number, number] }> = [
      { min: 50, max: 100, expected: [50, 100] },
      { min: 200, max: 100, expected: [200, 200] },
      { min: 100, max: 100, expected: [100, 100] },
      { min: 3000, max: 10, expected: [2000, 2000] }, // min clamped to its maximum first
      { min: 400, max: 'slow', expected: [400, 400] }, // malformed max: the default 150, raised to min
      { min: 'x', max: 5, expected: [15, 15] }, // malformed min: the default 15
    ];
    for (const c of cases) {
      it(`min ${JSON.stringify(c.min)}, max ${JSON.stringify(c.max)} -> [${c.expected.join(', ')}]`, () => {
        const { completion } = configFrom({ 'completion.debounceMinMs': c.min, 'completion.debounceMaxMs': c.max });
        assert.deepEqual([completion.debounceMinMs, completion.debounceMaxMs], c.expected);
      });
    }
  });

  describe('strings and lists', () => {
    it('strings are trimmed', () => {
      const c = configFrom({ 'completion.model': '  ~/models/a.gguf \n', 'ollama.model': ' qwen2.5-coder:0.5b-base ' });
      assert.equal(c.completion.model, '~/models/a.gguf');
      assert.equal(c.ollama.model, 'qwen2.5-coder:0.5b-base');
    });

    for (const key of ['ollama.host', 'completion.modelEndpoint', 'openai.baseUrl', 'anthropic.baseUrl', 'openai.model']) {
      it(`an empty ${key} means the default`, () => {
        assert.equal(read(key, { [key]: '   ' }), declared[`bantam.${key}`]!.default);
      });
    }

    it('non-strings are dropped from disabledLanguages; an empty list is kept', () => {
      assert.deepEqual(configFrom({ 'completion.disabledLanguages': ['python', 3, null, 'go'] }).completion.disabledLanguages, [
        'python',
        'go',
      ]);
      assert.deepEqual(configFrom({ 'completion.disabledLanguages': [] }).completion.disabledLanguages, []);
    });

    it('base URLs lose their trailing slashes', () => {
      assert.equal(configFrom({ 'openai.baseUrl': 'http://127.0.0.1:8080/v1/' }).openai.baseUrl, 'http://127.0.0.1:8080/v1');
      assert.equal(configFrom({ 'anthropic.baseUrl': 'https://gw.example//' }).anthropic.baseUrl, 'https://gw.example');
    });

    it('routing.tasks keeps known tasks with valid tiers only', () => {
      const { routing } = configFrom({
        'routing.tasks': { explain: 'frontier', refactor: 'local', chat: 'cloud', unknown: 'local', document: 3 },
      });
      assert.deepEqual(routing.tasks, { explain: 'frontier', refactor: 'local' });
    });

    it('routing.pricing keeps entries with two non-negative numbers', () => {
      const { routing } = configFrom({
        'routing.pricing': { a: { input: 1, output: 4 }, b: { input: -1, output: 2 }, c: { input: 1 }, d: 'cheap' },
      });
      assert.deepEqual(routing.pricing, { a: { input: 1, output: 4 } });
    });

    it('settings of other extensions or unknown keys change nothing', () => {
      assert.deepEqual(configFrom({ 'editor.tabSize': 8, 'completion.unknown': 1, maxTokens: 5 }), configFrom());
    });
  });
});
