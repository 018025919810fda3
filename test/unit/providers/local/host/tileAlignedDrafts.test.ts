// Prompt-lookup drafts on the CPU are cut so each verify batch (drafts + 1) fills whole mat-mul tiles.
import * as assert from 'node:assert/strict';
import { sequenceOptions } from '../../../../../src/core/providers/local/host/llamaModelLoader';
import { MATMUL_TILE_COLUMNS, tileAlignedDraftLength } from '../../../../../src/core/providers/local/host/tileAlignedDrafts';

describe('tile-aligned prompt-lookup drafts', () => {
  it('keeps drafts whose batch fits one tile and cuts the rest down to whole tiles', () => {
    assert.equal(MATMUL_TILE_COLUMNS, 4);
    const cut = Array.from({ length: 17 }, (_, drafts) => tileAlignedDraftLength(drafts));
    assert.deepEqual(cut, [0, 1, 2, 3, 3, 3, 3, 7, 7, 7, 7, 11, 11, 11, 11, 15, 15]);
  });

  it("on the CPU the sequence's predictor drafts whole tiles; elsewhere it drafts everything it finds", async () => {
    const nlc = await import('node-llama-cpp');
    const input = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as never;
    const drafted = (cpuOnly: boolean): number[] => {
      const { tokenPredictor } = sequenceOptions(nlc, { maxDraftTokens: 8 }, cpuOnly);
      assert.ok(tokenPredictor instanceof nlc.InputLookupTokenPredictor);
      tokenPredictor.updateInputTokens(input);
      tokenPredictor.reset({ stateTokens: [9, 1, 2] as never });
      const tokens = tokenPredictor.predictTokens();
      tokenPredictor.dispose();
      return tokens as number[];
    };
    // After "1 2" the input holds 10 more tokens; the cap is 8; 7 drafts + the last token fill two tiles.
    assert.deepEqual(drafted(false), [3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(drafted(true), [3, 4, 5, 6, 7, 8, 9]);
  });
});
