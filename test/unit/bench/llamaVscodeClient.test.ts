// Baseline (c)'s payload: the /infill fields computed the way llama.vscode computes them.
import * as assert from 'node:assert/strict';
import { LLAMA_VSCODE_SHIPPED, LLAMA_VSCODE_SIZED, payloadAt } from '../../../bench/llamaVscodeClient';
import { requestAt } from '../../support/cursor';

describe('llama.vscode payload (baseline c)', () => {
  const lines = Array.from({ length: 300 }, (_, i) => `line${i}`);
  const doc = `${lines.slice(0, 280).join('\n')}\n  const total = █price;\n${lines.slice(280).join('\n')}\n`;

  it('as shipped: 256 whole lines above, the cursor line up to the cursor as prompt, its rest and 64 lines below', () => {
    const p = payloadAt(requestAt(doc), LLAMA_VSCODE_SHIPPED);
    assert.equal(p.inputPrefix, `${lines.slice(24, 280).join('\n')}\n`);
    assert.equal(p.prompt, '  const total = ');
    assert.equal(p.lineSuffix, 'price;');
    assert.equal(p.inputSuffix, `price;\n${lines.slice(280, 300).join('\n')}\n\n`);
    assert.equal(p.line, 280);
  });

  it('sized: 12 lines above and 4 below', () => {
    const p = payloadAt(requestAt(doc), LLAMA_VSCODE_SIZED);
    assert.equal(p.inputPrefix, `${lines.slice(268, 280).join('\n')}\n`);
    assert.equal(p.inputSuffix, `price;\n${lines.slice(280, 284).join('\n')}\n`);
  });

  it('an indentation-only line sends an empty prompt', () => {
    const p = payloadAt(requestAt('def f():\n    █\n'), LLAMA_VSCODE_SHIPPED);
    assert.equal(p.prompt, '');
    assert.equal(p.inputPrefix, 'def f():\n');
  });
});
