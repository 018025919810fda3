// The generated tiny models in the real llama.cpp (node-llama-cpp): the FIM model loads, reports
// infill support and answers with its planned text; the no-FIM twin loads but offers no infill.
// This is what integration tests rely on, so it is checked on every unit run (about a second).
import assert from 'node:assert/strict';
import { probeInfill } from '../../support/gguf/llamaProbe';
import { ensureNoFimModel, ensureTinyModel, TINY_MODEL_TEXT } from '../../support/gguf/testModels';

describe('generated tiny models in node-llama-cpp', function () {
  this.timeout(60_000);

  it('the FIM model infills with its planned text', async () => {
    const p = await probeInfill(await ensureTinyModel(), 'function add(a, b) {\n  return ', ';\n}\n', 32);
    assert.equal(p.infillSupported, true);
    assert.equal(p.text, TINY_MODEL_TEXT);
  });

  it('the FIM model answers the same after any prefix, including empty ones and unicode', async () => {
    for (const [prefix, suffix] of [
      ['', ''],
      ['const s = "héllo 🐓";\n', '\n'],
      ['<|fim_prefix|> is only text here ', ''],
    ] as const) {
      const p = await probeInfill(await ensureTinyModel(), prefix, suffix, 32);
      assert.equal(p.text, TINY_MODEL_TEXT, JSON.stringify(prefix));
    }
  });

  it('the no-FIM model loads but does not support infill', async () => {
    const p = await probeInfill(await ensureNoFimModel(), 'a', 'b');
    assert.equal(p.infillSupported, false);
    assert.equal(p.text, undefined);
  });
});
