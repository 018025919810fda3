// The ggml tensor types a GGUF file can hold and how many bytes each takes, so a model file's
// expected size can be computed from its tensor table without reading the tensor data.
// Sizes match ggml's type traits (checked against node-llama-cpp 3.22.1's native
// getBlockSizeForGgmlType/getTypeSizeForGgmlType); ids 4, 5, 31-33 and 36-38 were removed from ggml.

export interface GgmlTypeInfo {
  readonly id: number;
  readonly name: string;
  /** Elements per block; a row's element count must be a multiple of it. */
  readonly blockSize: number;
  /** Bytes one block takes on disk. */
  readonly bytesPerBlock: number;
}

/** Ids of the types Bantam's own code writes or names (the generator, tests). */
export const GgmlType = {
  F32: 0,
  F16: 1,
  Q4_0: 2,
  Q4_1: 3,
  Q5_0: 6,
  Q5_1: 7,
  Q8_0: 8,
  Q8_1: 9,
  Q2_K: 10,
  Q3_K: 11,
  Q4_K: 12,
  Q5_K: 13,
  Q6_K: 14,
  Q8_K: 15,
  IQ2_XXS: 16,
  IQ2_XS: 17,
  IQ3_XXS: 18,
  IQ1_S: 19,
  IQ4_NL: 20,
  IQ3_S: 21,
  IQ2_S: 22,
  IQ4_XS: 23,
  I8: 24,
  I16: 25,
  I32: 26,
  I64: 27,
  F64: 28,
  IQ1_M: 29,
  BF16: 30,
  TQ1_0: 34,
  TQ2_0: 35,
  MXFP4: 39,
  NVFP4: 40,
  Q1_0: 41,
  Q2_0: 42,
} as const;

const table: readonly (readonly [keyof typeof GgmlType, number, number])[] = [
  ['F32', 1, 4],
  ['F16', 1, 2],
  ['Q4_0', 32, 18],
  ['Q4_1', 32, 20],
  ['Q5_0', 32, 22],
  ['Q5_1', 32, 24],
  ['Q8_0', 32, 34],
  ['Q8_1', 32, 36],
  ['Q2_K', 256, 84],
  ['Q3_K', 256, 110],
  ['Q4_K', 256, 144],
  ['Q5_K', 256, 176],
  ['Q6_K', 256, 210],
  ['Q8_K', 256, 292],
  ['IQ2_XXS', 256, 66],
  ['IQ2_XS', 256, 74],
  ['IQ3_XXS', 256, 98],
  ['IQ1_S', 256, 50],
  ['IQ4_NL', 32, 18],
  ['IQ3_S', 256, 110],
  ['IQ2_S', 256, 82],
  ['IQ4_XS', 256, 136],
  ['I8', 1, 1],
  ['I16', 1, 2],
  ['I32', 1, 4],
  ['I64', 1, 8],
  ['F64', 1, 8],
  ['IQ1_M', 256, 56],
  ['BF16', 1, 2],
  ['TQ1_0', 256, 54],
  ['TQ2_0', 256, 66],
  ['MXFP4', 32, 17],
  ['NVFP4', 64, 36],
  ['Q1_0', 128, 18],
  ['Q2_0', 64, 18],
];

const byId = new Map<number, GgmlTypeInfo>(
  table.map(([name, blockSize, bytesPerBlock]) => {
    const id = GgmlType[name];
    return [id, { id, name, blockSize, bytesPerBlock }];
  }),
);

/** The type's block layout, or undefined for an id this table does not know. */
export function ggmlTypeInfo(id: number): GgmlTypeInfo | undefined {
  return byId.get(id);
}

/** Every known type, for tests and diagnostics. */
export function allGgmlTypes(): GgmlTypeInfo[] {
  return [...byId.values()];
}

/**
 * Bytes a tensor of this type and shape takes (ggml_nbytes for a contiguous tensor), or undefined
 * when the first dimension is not a whole number of blocks or the size is not a safe integer.
 */
export function tensorByteSize(info: GgmlTypeInfo, dims: readonly number[]): number | undefined {
  const ne0 = dims.length > 0 ? dims[0]! : 1;
  if (ne0 % info.blockSize !== 0) return undefined;
  let bytes = (ne0 / info.blockSize) * info.bytesPerBlock;
  for (let i = 1; i < dims.length; i++) bytes *= dims[i]!;
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}
