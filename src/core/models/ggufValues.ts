// The typed key/value metadata of a GGUF file, as the reader returns it and the test-model writer
// takes it, plus small accessors that read a value without caring which integer width a converter
// happened to choose (context_length is u32 in one file and u64 in another).

export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;
export type GgufValueType = (typeof GgufValueType)[keyof typeof GgufValueType];

type VT = typeof GgufValueType;
export type GgufNumberType =
  | VT['UINT8']
  | VT['INT8']
  | VT['UINT16']
  | VT['INT16']
  | VT['UINT32']
  | VT['INT32']
  | VT['FLOAT32']
  | VT['FLOAT64'];

/** Array items: a typed array for numbers (fast for 150k-entry token tables), plain arrays otherwise. */
export type GgufArrayItems =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigUint64Array
  | BigInt64Array
  | boolean[]
  | string[]
  | GgufArray[];

export interface GgufArray {
  type: VT['ARRAY'];
  /** The element type; for ARRAY each element is itself a GgufArray with its own item type. */
  itemType: GgufValueType;
  value: GgufArrayItems;
}

export type GgufValue =
  | { type: GgufNumberType; value: number }
  | { type: VT['UINT64'] | VT['INT64']; value: bigint }
  | { type: VT['BOOL']; value: boolean }
  | { type: VT['STRING']; value: string }
  | GgufArray;

export type GgufMetadata = ReadonlyMap<string, GgufValue>;

/** Bytes one element of this type takes at least, used to bound counts before trusting them. */
export function minValueBytes(type: GgufValueType): number {
  switch (type) {
    case GgufValueType.UINT8:
    case GgufValueType.INT8:
    case GgufValueType.BOOL:
      return 1;
    case GgufValueType.UINT16:
    case GgufValueType.INT16:
      return 2;
    case GgufValueType.UINT32:
    case GgufValueType.INT32:
    case GgufValueType.FLOAT32:
      return 4;
    case GgufValueType.UINT64:
    case GgufValueType.INT64:
    case GgufValueType.FLOAT64:
    case GgufValueType.STRING:
      return 8;
    case GgufValueType.ARRAY:
      return 12;
  }
}

export function isGgufValueType(n: number): n is GgufValueType {
  return Number.isInteger(n) && n >= 0 && n <= 12;
}

export function metaString(meta: GgufMetadata, key: string): string | undefined {
  const v = meta.get(key);
  return v?.type === GgufValueType.STRING ? v.value : undefined;
}

/** Any integer or float scalar as a number; 64-bit values outside the safe range give undefined. */
export function metaNumber(meta: GgufMetadata, key: string): number | undefined {
  const v = meta.get(key);
  if (v === undefined || v.type === GgufValueType.ARRAY) return undefined;
  if (typeof v.value === 'number') return v.value;
  if (typeof v.value === 'bigint') {
    const n = Number(v.value);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

export function metaBool(meta: GgufMetadata, key: string): boolean | undefined {
  const v = meta.get(key);
  return v?.type === GgufValueType.BOOL ? v.value : undefined;
}

export function metaStringArray(meta: GgufMetadata, key: string): readonly string[] | undefined {
  const v = meta.get(key);
  return v?.type === GgufValueType.ARRAY && v.itemType === GgufValueType.STRING ? (v.value as string[]) : undefined;
}

/** Length of an array value of any item type (e.g. the vocabulary size from tokenizer.ggml.tokens). */
export function metaArrayLength(meta: GgufMetadata, key: string): number | undefined {
  const v = meta.get(key);
  return v?.type === GgufValueType.ARRAY ? v.value.length : undefined;
}
