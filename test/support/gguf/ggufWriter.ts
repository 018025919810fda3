// Writes GGUF v3 files for tests and benchmarks: header, typed metadata, tensor table, then tensor
// data streamed tensor by tensor, so a 500 MB model never sits in memory whole. Also able to write
// deliberately odd files (custom alignment, nested arrays) that the reader tests need.
import { promises as fs } from 'node:fs';
import { ggmlTypeInfo, tensorByteSize } from '../../../src/core/models/ggmlTypes';
import { GgufValueType, type GgufArray, type GgufArrayItems, type GgufValue } from '../../../src/core/models/ggufValues';

export interface GgufTensorSpec {
  name: string;
  /** ggml order: dims[0] is the row length. */
  dims: number[];
  /** ggml type id. */
  type: number;
  /** Produces the tensor's bytes, in as many chunks as convenient; the total must match the shape. */
  data: () => Iterable<Uint8Array>;
}

export interface GgufSpec {
  /** In file order. */
  metadata: ReadonlyArray<readonly [string, GgufValue]>;
  tensors: readonly GgufTensorSpec[];
}

/** Shorthands for typed metadata values. */
export const gv = {
  u8: (value: number): GgufValue => ({ type: GgufValueType.UINT8, value }),
  i8: (value: number): GgufValue => ({ type: GgufValueType.INT8, value }),
  u16: (value: number): GgufValue => ({ type: GgufValueType.UINT16, value }),
  i16: (value: number): GgufValue => ({ type: GgufValueType.INT16, value }),
  u32: (value: number): GgufValue => ({ type: GgufValueType.UINT32, value }),
  i32: (value: number): GgufValue => ({ type: GgufValueType.INT32, value }),
  f32: (value: number): GgufValue => ({ type: GgufValueType.FLOAT32, value }),
  f64: (value: number): GgufValue => ({ type: GgufValueType.FLOAT64, value }),
  u64: (value: bigint): GgufValue => ({ type: GgufValueType.UINT64, value }),
  i64: (value: bigint): GgufValue => ({ type: GgufValueType.INT64, value }),
  bool: (value: boolean): GgufValue => ({ type: GgufValueType.BOOL, value }),
  str: (value: string): GgufValue => ({ type: GgufValueType.STRING, value }),
  array: (itemType: GgufValueType, value: GgufArrayItems): GgufArray => ({ type: GgufValueType.ARRAY, itemType, value }),
  strings: (value: string[]): GgufArray => ({ type: GgufValueType.ARRAY, itemType: GgufValueType.STRING, value }),
  i32s: (value: Int32Array): GgufArray => ({ type: GgufValueType.ARRAY, itemType: GgufValueType.INT32, value }),
};

/** A growable little-endian byte buffer. */
class ByteSink {
  buf = Buffer.alloc(1 << 16);
  len = 0;

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const bigger = Buffer.alloc(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(bigger, 0, 0, this.len);
    this.buf = bigger;
  }
  u8(v: number): void {
    this.reserve(1);
    this.buf.writeUInt8(v, this.len);
    this.len += 1;
  }
  u32(v: number): void {
    this.reserve(4);
    this.buf.writeUInt32LE(v, this.len);
    this.len += 4;
  }
  u64(v: number | bigint): void {
    this.reserve(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.len);
    this.len += 8;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  str(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.u64(n);
    this.reserve(n);
    this.buf.write(s, this.len, n, 'utf8');
    this.len += n;
  }
  zeros(n: number): void {
    this.reserve(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
  }
}

const typedArrayFor: Partial<Record<GgufValueType, Function>> = {
  [GgufValueType.UINT8]: Uint8Array,
  [GgufValueType.INT8]: Int8Array,
  [GgufValueType.UINT16]: Uint16Array,
  [GgufValueType.INT16]: Int16Array,
  [GgufValueType.UINT32]: Uint32Array,
  [GgufValueType.INT32]: Int32Array,
  [GgufValueType.FLOAT32]: Float32Array,
  [GgufValueType.FLOAT64]: Float64Array,
  [GgufValueType.UINT64]: BigUint64Array,
  [GgufValueType.INT64]: BigInt64Array,
};

function writeScalar(sink: ByteSink, v: GgufValue): void {
  const b = Buffer.alloc(8);
  switch (v.type) {
    case GgufValueType.UINT8:
      return sink.bytes(b.subarray(0, b.writeUInt8(v.value)));
    case GgufValueType.INT8:
      return sink.bytes(b.subarray(0, b.writeInt8(v.value)));
    case GgufValueType.UINT16:
      return sink.bytes(b.subarray(0, b.writeUInt16LE(v.value)));
    case GgufValueType.INT16:
      return sink.bytes(b.subarray(0, b.writeInt16LE(v.value)));
    case GgufValueType.UINT32:
      return sink.bytes(b.subarray(0, b.writeUInt32LE(v.value)));
    case GgufValueType.INT32:
      return sink.bytes(b.subarray(0, b.writeInt32LE(v.value)));
    case GgufValueType.FLOAT32:
      return sink.bytes(b.subarray(0, b.writeFloatLE(v.value)));
    case GgufValueType.FLOAT64:
      return sink.bytes(b.subarray(0, b.writeDoubleLE(v.value)));
    case GgufValueType.UINT64:
      return sink.bytes(b.subarray(0, b.writeBigUInt64LE(v.value)));
    case GgufValueType.INT64:
      return sink.bytes(b.subarray(0, b.writeBigInt64LE(v.value)));
    case GgufValueType.BOOL:
      return sink.u8(v.value ? 1 : 0);
    case GgufValueType.STRING:
      return sink.str(v.value);
    case GgufValueType.ARRAY:
      return writeArrayBody(sink, v);
  }
}

function writeArrayBody(sink: ByteSink, a: GgufArray): void {
  sink.u32(a.itemType);
  sink.u64(a.value.length);
  const items = a.value;
  if (a.itemType === GgufValueType.STRING) {
    for (const s of items as string[]) sink.str(s);
  } else if (a.itemType === GgufValueType.BOOL) {
    for (const x of items as boolean[]) sink.u8(x ? 1 : 0);
  } else if (a.itemType === GgufValueType.ARRAY) {
    for (const inner of items as GgufArray[]) writeArrayBody(sink, inner);
  } else {
    const ctor = typedArrayFor[a.itemType];
    if (!ctor || !(items instanceof ctor)) throw new Error(`array of type ${a.itemType} needs a ${ctor?.name} of items`);
    const t = items as Exclude<GgufArrayItems, boolean[] | string[] | GgufArray[]>;
    // GGUF is little-endian, as is every host this runs on.
    sink.bytes(new Uint8Array(t.buffer, t.byteOffset, t.byteLength));
  }
}

export interface GgufLayout {
  /** Header, metadata, tensor table and the padding up to the data section. */
  header: Buffer;
  alignment: number;
  /** Offsets relative to the data section, and byte sizes, per tensor. */
  tensors: { offset: number; bytes: number }[];
  totalBytes: number;
}

export function layoutGguf(spec: GgufSpec): GgufLayout {
  const alignEntry = spec.metadata.find(([k]) => k === 'general.alignment');
  const alignment = alignEntry ? Number(alignEntry[1].value) : 32;
  const sink = new ByteSink();
  sink.bytes(Buffer.from('GGUF', 'ascii'));
  sink.u32(3);
  sink.u64(spec.tensors.length);
  sink.u64(spec.metadata.length);
  for (const [key, value] of spec.metadata) {
    sink.str(key);
    sink.u32(value.type);
    writeScalar(sink, value);
  }
  const tensors: { offset: number; bytes: number }[] = [];
  let offset = 0;
  for (const t of spec.tensors) {
    const info = ggmlTypeInfo(t.type);
    const bytes = info && tensorByteSize(info, t.dims);
    if (bytes === undefined) throw new Error(`tensor ${t.name}: bad type ${t.type} or shape ${t.dims.join('x')}`);
    sink.str(t.name);
    sink.u32(t.dims.length);
    for (const d of t.dims) sink.u64(d);
    sink.u32(t.type);
    sink.u64(offset);
    tensors.push({ offset, bytes });
    offset = alignUp(offset + bytes, alignment);
  }
  sink.zeros(alignUp(sink.len, alignment) - sink.len);
  const header = sink.buf.subarray(0, sink.len);
  return { header, alignment, tensors, totalBytes: header.length + offset };
}

/** Writes the file and returns its size. Checks each tensor's data against its shape as it streams. */
export async function writeGguf(path: string, spec: GgufSpec): Promise<number> {
  const layout = layoutGguf(spec);
  const handle = await fs.open(path, 'w');
  try {
    let position = 0;
    const write = async (chunk: Uint8Array): Promise<void> => {
      let done = 0;
      while (done < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, done, chunk.length - done, position);
        done += bytesWritten;
        position += bytesWritten;
      }
    };
    await write(layout.header);
    const padding = Buffer.alloc(layout.alignment);
    for (let i = 0; i < spec.tensors.length; i++) {
      const t = spec.tensors[i]!;
      const { bytes } = layout.tensors[i]!;
      let written = 0;
      for (const chunk of t.data()) {
        written += chunk.length;
        if (written > bytes) break;
        await write(chunk);
      }
      if (written !== bytes) throw new Error(`tensor ${t.name}: data is ${written} bytes, its shape needs ${bytes}`);
      await write(padding.subarray(0, alignUp(bytes, layout.alignment) - bytes));
    }
    if (position !== layout.totalBytes) throw new Error(`wrote ${position} bytes, planned ${layout.totalBytes}`);
  } finally {
    await handle.close();
  }
  return layout.totalBytes;
}

function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}
