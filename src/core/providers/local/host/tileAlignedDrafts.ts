// Prompt-lookup drafts cut so a verify batch (the last accepted token plus the drafts) spans whole
// column tiles of llama.cpp's CPU mat-mul. For quantized weights and two or more columns, llama.cpp
// (llamafile's tinyBLAS) walks all the weights once per run of whole tiles (4 columns with AVX-512,
// 2 with AVX2) and once more for the columns left over. That pass, not the columns, is most of a small
// batch's cost: measured on the 0.5B model, one thread, k drafts verified after a 1,000-token prompt,
// k=7 (8 columns) took 180 ms and k=8 (9 columns) 223 ms, more than a whole one-token step (34 ms);
// k=3 took 115 ms and k=4 159 ms. Dropping the draft's last one to three tokens is then cheaper than
// verifying them. The generated text is the same either way: drafts only decide how many tokens are
// checked per batch.

import type { InputLookupTokenPredictor, Token } from 'node-llama-cpp' with { 'resolution-mode': 'import' };

type NodeLlamaCpp = typeof import('node-llama-cpp', { with: { 'resolution-mode': 'import' } });
type InputLookupOptions = ConstructorParameters<NodeLlamaCpp['InputLookupTokenPredictor']>[0];

/** Columns of one tile of the CPU mat-mul for quantized weights (AVX-512's 4; a multiple of AVX2's 2). */
export const MATMUL_TILE_COLUMNS = 4;

/**
 * The longest cut of a draft of `drafts` tokens whose verify batch (drafts + 1 tokens) fits in one
 * tile or fills whole tiles: 0-3 drafts stay as they are, 4-6 become 3, 7-10 become 7, 11-14 become 11.
 */
export function tileAlignedDraftLength(drafts: number): number {
  const batch = drafts + 1;
  if (batch <= MATMUL_TILE_COLUMNS) return drafts;
  return batch - (batch % MATMUL_TILE_COLUMNS) - 1;
}

/** node-llama-cpp's InputLookupTokenPredictor whose drafts are cut to tileAlignedDraftLength. */
export function tileAlignedInputLookup(
  nlc: Pick<NodeLlamaCpp, 'InputLookupTokenPredictor'>,
  options: InputLookupOptions,
): InputLookupTokenPredictor {
  class TileAlignedInputLookup extends nlc.InputLookupTokenPredictor {
    override predictTokens(): Token[] {
      const drafts = super.predictTokens();
      return drafts.slice(0, tileAlignedDraftLength(drafts.length));
    }
  }
  return new TileAlignedInputLookup(options);
}
