// Which prompt format a next-edit model gets: from its GGUF names or file, or the setting's word.
import * as assert from 'node:assert/strict';
import { nextEditFamilySpec, nextEditFormatFromName, nextEditFormatOf } from '../../../src/core/nextEdit/nextEditFamilies';

describe('nextEditFamilies', () => {
  const cases: [string, ReturnType<typeof nextEditFormatFromName>][] = [
    ['sweep-next-edit-1.5b.q8_0.v2.gguf', 'sweep'],
    ['Sweep Next Edit 0.5B', 'sweep'],
    ['sweepai/sweep-next-edit-v2-7B', 'sweep'],
    ['sweep_next_edit', 'sweep'],
    ['zeta.Q8_0.gguf', 'zeta'],
    ['Zeta', 'zeta'],
    ['zed-industries_zeta-Q4_K_M.gguf', 'zeta'],
    ['zetaforge-7b.gguf', undefined],
    ['qwen2.5-coder-0.5b-q8_0.gguf', undefined],
  ];
  for (const [name, format] of cases) {
    it(`${name} -> ${format ?? 'unknown'}`, () => assert.equal(nextEditFormatFromName(name), format));
  }

  it('general.name first, then general.basename, then the file name (its last path segment)', () => {
    assert.equal(nextEditFormatOf({ name: 'Zeta', file: '/m/sweep-next-edit.gguf' }), 'zeta');
    assert.equal(nextEditFormatOf({ name: 'Model', basename: 'sweep-next-edit', file: '/m/zeta.gguf' }), 'sweep');
    assert.equal(nextEditFormatOf({ file: '/home/zeta/models/sweep-next-edit-0.5b.gguf' }), 'sweep');
    assert.equal(nextEditFormatOf({ file: 'hf:zed-industries/zeta-GGUF/zeta.Q8_0.gguf' }), 'zeta');
  });

  it("an unknown model gets Sweep's format; a setting's word wins over the names", () => {
    assert.equal(nextEditFormatOf({ name: 'my-finetune' }), 'sweep');
    assert.equal(nextEditFormatOf({ name: 'Zeta' }, 'sweep'), 'sweep');
    assert.equal(nextEditFormatOf({ name: 'served-model' }, 'zeta'), 'zeta');
    assert.equal(nextEditFamilySpec('zeta').format, 'zeta');
    assert.equal(nextEditFamilySpec('sweep').window('a\nb', 0).endLine, 2);
  });
});
