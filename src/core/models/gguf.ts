// Reads a GGUF model file's header, metadata and tensor table (GGUF v2 and v3) through a file
// handle, never the tensor data: a model can be 10 GB and Bantam only needs to know what it is and
// whether it is whole. Every count in the file is checked against sanity caps and the bytes left
// before it is trusted, so a corrupt length gives a ModelFileError instead of an OOM or a hang.
import { constants, promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { ggmlTypeInfo, tensorByteSize } from './ggmlTypes';
import {
  GgufValueType,
  isGgufValueType,
  minValueBytes,
  type GgufArray,
  type GgufArrayItems,
  type GgufValue,
} from './ggufValues';
import {
  bigEndianError,
  corruptError,
  directoryError,
  emptyFileError,
  ModelFileError,
  notFoundError,
  notGgufError,
  notRegularFileError,
  truncatedHeaderError,
  unreadableError,
  unsupportedVersionError,
} from './modelFileError';

export interface GgufTensorInfo {
  name: string;
  /** ggml order: dims[0] is the innermost (row) dimension. */
  dims: number[];
  /** ggml type id (see ggmlTypes.ts). */
  type: number;
  /** Byte offset of the tensor's data, relative to the start of the data section. */
  offset: number;
  /** Bytes of tensor data, or undefined when the type is unknown to Bantam. */
  byteSize: number | undefined;
}

export interface GgufFile {
  version: number;
  metadata: Map<string, GgufValue>;
  tensors: GgufTensorInfo[];
  /** `general.alignment`, 32 when absent. */
  alignment: number;
  /** Absolute file offset where tensor data starts. */
  dataOffset: number;
  /** Bytes needed to hold every tensor (end of the furthest tensor); undefined if a type is unknown. */
  minFileBytes: number | undefined;
  /** Size a GGUF writer produces: minFileBytes with the last tensor padded to the alignment. */
  expectedFileBytes: number | undefined;
  /** The file's size on disk when it was read. */
  fileBytes: number;
}

export interface GgufReadOptions {
  /**
   * Keys whose values are walked over but not decoded (e.g. `tokenizer.ggml.merges`, 150k strings
   * nobody needs to inspect a model). Skipped keys are absent from `metadata`.
   */
  skipValue?: (key: string) => boolean;
  /**
   * For string arrays under a key, which elements to decode, judged by their first UTF-8 byte (-1
   * for an empty string) and byte length; the others stay holes in the array, which keeps its
   * length. Finding a few special tokens among 150k vocabulary entries then costs no decoding.
   */
  decodeStringIf?: (key: string) => StringFilter | undefined;
}

export type StringFilter = (firstByte: number, byteLength: number) => boolean;

const MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const DEFAULT_ALIGNMENT = 32;
const MAX_DIMS = 4; // GGML_MAX_DIMS
// Caps far above any real model (the largest vocabularies are ~260k entries, MoE models have
// tens of thousands of tensors) that stop a corrupt count before it is used to allocate or loop.
const MAX_KV = 1 << 20;
const MAX_TENSORS = 1 << 20;
const MAX_ARRAY_ITEMS = 1 << 24;
const MAX_STRING_BYTES = 1 << 28;
const MAX_KEY_BYTES = 65_535;
const MAX_NESTING = 8;
const CHUNK_BYTES = 1 << 20;

/**
 * Reads the GGUF file at `path`. Throws ModelFileError for a missing path, a folder or device, a file
 * that is not GGUF, an unsupported version, a file cut short inside its header, or corrupt counts.
 * Does not check that the tensor data is all there: compare `fileBytes` with `minFileBytes`.
 */
export async function readGgufFile(path: string, options: GgufReadOptions = {}): Promise<GgufFile> {
  let stat;
  try {
    stat = await fs.stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw notFoundError(path);
    throw unreadableError(path, code ?? String(error));
  }
  if (stat.isDirectory()) throw directoryError(path);
  // Opening a FIFO blocks until a writer appears and a device may never end: refuse before opening.
  if (!stat.isFile()) throw notRegularFileError(path);
  let handle: FileHandle;
  try {
    handle = await fs.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw notFoundError(path);
    throw unreadableError(path, code ?? String(error));
  }
  try {
    const size = (await handle.stat()).size;
    return await readGguf(new FileCursor(handle, size, path), options);
  } finally {
    await handle.close();
  }
}

async function readGguf(c: FileCursor, options: GgufReadOptions): Promise<GgufFile> {
  if (c.fileSize === 0) throw emptyFileError(c.path);
  await c.needOr(Math.min(8, c.fileSize), () => notGgufError(c.path));
  if (c.fileSize < 4 || c.u32() !== MAGIC) {
    const head = c.bufferedBytes(0, Math.min(4, c.fileSize));
    if (c.fileSize < 4 && Buffer.from('GGUF').subarray(0, head.length).equals(head)) {
      throw truncatedHeaderError(c.path, c.fileSize);
    }
    throw notGgufError(c.path);
  }
  await c.need(4);
  const version = c.u32();
  if (version !== 2 && version !== 3) {
    const swapped = ((version & 0xff) << 24) | ((version & 0xff00) << 8) | ((version >>> 8) & 0xff00) | (version >>> 24);
    if (swapped >= 1 && swapped <= 3) throw bigEndianError(c.path);
    throw unsupportedVersionError(c.path, version);
  }

  await c.need(16);
  // Smallest possible entries: a tensor info is name length + dims count + type + offset; a key/value
  // is key length + value type + a one-byte value.
  const tensorCount = c.count(MAX_TENSORS, 24, 'tensor count');
  const kvCount = c.count(MAX_KV, 13, 'metadata count');

  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = await c.string(MAX_KEY_BYTES, 'metadata key');
    await c.need(4);
    const type = c.u32();
    if (!isGgufValueType(type)) throw corruptError(c.path, `metadata '${key}' has unknown value type ${type}`);
    if (metadata.has(key)) throw corruptError(c.path, `metadata '${key}' appears twice`);
    const skip = key !== 'general.alignment' && (options.skipValue?.(key) ?? false);
    const value = await readValue(c, type, key, skip, options.decodeStringIf?.(key), 0);
    if (value !== undefined) metadata.set(key, value);
  }

  const alignValue = metadata.get('general.alignment');
  let alignment = DEFAULT_ALIGNMENT;
  if (alignValue !== undefined) {
    const a = alignValue.type === GgufValueType.UINT32 ? alignValue.value : 0;
    if (a === 0 || (a & (a - 1)) !== 0) throw corruptError(c.path, 'general.alignment is not a power of two');
    alignment = a;
  }

  const tensors: GgufTensorInfo[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    const name = await c.string(MAX_KEY_BYTES, 'tensor name');
    if (names.has(name)) throw corruptError(c.path, `tensor '${name}' appears twice`);
    names.add(name);
    await c.need(4);
    const nDims = c.u32();
    if (nDims > MAX_DIMS) throw corruptError(c.path, `tensor '${name}' has ${nDims} dimensions`);
    await c.need(nDims * 8 + 12);
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) {
      const n = c.u64Number();
      if (!Number.isSafeInteger(n)) throw corruptError(c.path, `tensor '${name}' has an impossible shape`);
      dims.push(n);
    }
    const type = c.u32();
    const offset = c.u64Number();
    if (!Number.isSafeInteger(offset) || offset % alignment !== 0) {
      throw corruptError(c.path, `tensor '${name}' has a misaligned data offset`);
    }
    const info = ggmlTypeInfo(type);
    let byteSize: number | undefined;
    if (info) {
      byteSize = tensorByteSize(info, dims);
      if (byteSize === undefined) throw corruptError(c.path, `tensor '${name}' has an impossible shape for ${info.name}`);
    }
    tensors.push({ name, dims, type, offset, byteSize });
  }

  const dataOffset = alignUp(c.offset, alignment);
  let end = 0;
  let known = true;
  for (const t of tensors) {
    if (t.byteSize === undefined) known = false;
    else end = Math.max(end, t.offset + t.byteSize);
  }
  return {
    version,
    metadata,
    tensors,
    alignment,
    dataOffset,
    minFileBytes: known ? dataOffset + end : undefined,
    expectedFileBytes: known ? dataOffset + alignUp(end, alignment) : undefined,
    fileBytes: c.fileSize,
  };
}

function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

async function readValue(
  c: FileCursor,
  type: GgufValueType,
  key: string,
  skip: boolean,
  filter: StringFilter | undefined,
  depth: number,
): Promise<GgufValue | undefined> {
  switch (type) {
    case GgufValueType.STRING: {
      if (skip) {
        await c.skipStrings(1, key);
        return undefined;
      }
      return { type, value: await c.string(MAX_STRING_BYTES, `metadata '${key}'`) };
    }
    case GgufValueType.ARRAY:
      return readArray(c, key, skip, filter, depth);
    default: {
      const bytes = minValueBytes(type);
      await c.need(bytes);
      if (skip) {
        c.skip(bytes);
        return undefined;
      }
      return c.scalar(type);
    }
  }
}

async function readArray(
  c: FileCursor,
  key: string,
  skip: boolean,
  filter: StringFilter | undefined,
  depth: number,
): Promise<GgufArray | undefined> {
  if (depth >= MAX_NESTING) throw corruptError(c.path, `metadata '${key}' nests arrays ${MAX_NESTING} deep`);
  await c.need(12);
  const itemType = c.u32();
  if (!isGgufValueType(itemType)) throw corruptError(c.path, `metadata '${key}' has arrays of unknown type ${itemType}`);
  const n = c.count(MAX_ARRAY_ITEMS, minValueBytes(itemType), `metadata '${key}' array length`);
  if (itemType === GgufValueType.STRING) {
    if (skip) {
      await c.skipStrings(n, key);
      return undefined;
    }
    return { type: GgufValueType.ARRAY, itemType, value: await c.strings(n, key, filter) };
  }
  if (itemType === GgufValueType.ARRAY) {
    const items: GgufArray[] = [];
    for (let i = 0; i < n; i++) {
      const item = await readArray(c, key, skip, filter, depth + 1);
      if (item) items.push(item);
    }
    return skip ? undefined : { type: GgufValueType.ARRAY, itemType, value: items };
  }
  const bytes = n * minValueBytes(itemType);
  if (skip) {
    await c.skipBytes(bytes);
    return undefined;
  }
  return { type: GgufValueType.ARRAY, itemType, value: await c.numberArray(itemType, n) };
}

/**
 * A read window over the file. Parsing runs synchronously on the window and awaits only when it
 * needs bytes beyond it, which keeps 150k-entry string arrays fast.
 */
class FileCursor {
  private buf = Buffer.allocUnsafe(CHUNK_BYTES);
  /** File offset of buf[0]. */
  private base = 0;
  private pos = 0;
  private end = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly fileSize: number,
    readonly path: string,
  ) {}

  get offset(): number {
    return this.base + this.pos;
  }

  /** Makes at least n bytes available at the cursor or throws a truncation error. */
  async need(n: number): Promise<void> {
    if (this.end - this.pos >= n) return;
    await this.needOr(n, () => truncatedHeaderError(this.path, this.fileSize));
  }

  async needOr(n: number, error: () => ModelFileError): Promise<void> {
    if (this.end - this.pos >= n) return;
    if (n > this.fileSize - this.offset) throw error();
    this.buf.copy(this.buf, 0, this.pos, this.end);
    this.base += this.pos;
    this.end -= this.pos;
    this.pos = 0;
    if (n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(n, this.buf.length * 2));
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    const want = Math.min(this.buf.length, this.fileSize - this.base);
    while (this.end < want) {
      const { bytesRead } = await this.handle.read(this.buf, this.end, want - this.end, this.base + this.end);
      if (bytesRead === 0) break; // the file shrank under us
      this.end += bytesRead;
    }
    if (this.end < n) throw error();
  }

  /** Bytes already read, by absolute file offset (only for the first window). */
  bufferedBytes(from: number, to: number): Buffer {
    return this.buf.subarray(from - this.base, to - this.base);
  }

  skip(n: number): void {
    this.pos += n;
  }

  async skipBytes(n: number): Promise<void> {
    if (n > this.fileSize - this.offset) throw truncatedHeaderError(this.path, this.fileSize);
    const inWindow = Math.min(n, this.end - this.pos);
    this.pos += inWindow;
    if (inWindow < n) {
      // Jump past the rest without reading it.
      this.base = this.offset + (n - inWindow);
      this.pos = 0;
      this.end = 0;
    }
  }

  u32(): number {
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** A u64 as a number; values beyond 2^53 come back as Infinity so callers reject them. */
  u64Number(): number {
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return hi > 0x1fffff ? Infinity : hi * 0x1_0000_0000 + lo;
  }

  /**
   * A u64 count of items of at least `itemBytes` each: above `cap` it is corrupt; beyond the end of
   * the file it means the file was cut short.
   */
  count(cap: number, itemBytes: number, what: string): number {
    const n = this.u64Number();
    if (n > cap) throw corruptError(this.path, `${what} is ${n === Infinity ? 'over 2^53' : n}`);
    if (n * itemBytes > this.fileSize - this.offset) throw truncatedHeaderError(this.path, this.fileSize);
    return n;
  }

  async string(cap: number, what: string): Promise<string> {
    await this.need(8);
    const len = this.count(cap, 1, `${what} length`);
    await this.need(len);
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  async strings(n: number, key: string, filter: StringFilter | undefined): Promise<string[]> {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      if (this.end - this.pos < 8) await this.need(8);
      const len = this.count(MAX_STRING_BYTES, 1, `metadata '${key}' string length`);
      if (filter !== undefined) {
        if (this.end - this.pos < 1 && len > 0) await this.need(1);
        if (!filter(len > 0 ? this.buf[this.pos]! : -1, len)) {
          if (this.end - this.pos >= len) this.pos += len;
          else await this.skipBytes(len);
          continue;
        }
      }
      if (this.end - this.pos < len) await this.need(len);
      out[i] = this.buf.toString('utf8', this.pos, this.pos + len);
      this.pos += len;
    }
    return out;
  }

  async skipStrings(n: number, key: string): Promise<void> {
    for (let i = 0; i < n; i++) {
      if (this.end - this.pos < 8) await this.need(8);
      const len = this.count(MAX_STRING_BYTES, 1, `metadata '${key}' string length`);
      if (this.end - this.pos >= len) this.pos += len;
      else await this.skipBytes(len);
    }
  }

  scalar(type: GgufValueType): GgufValue {
    const b = this.buf;
    const p = this.pos;
    this.pos += minValueBytes(type);
    switch (type) {
      case GgufValueType.UINT8:
        return { type, value: b.readUInt8(p) };
      case GgufValueType.INT8:
        return { type, value: b.readInt8(p) };
      case GgufValueType.UINT16:
        return { type, value: b.readUInt16LE(p) };
      case GgufValueType.INT16:
        return { type, value: b.readInt16LE(p) };
      case GgufValueType.UINT32:
        return { type, value: b.readUInt32LE(p) };
      case GgufValueType.INT32:
        return { type, value: b.readInt32LE(p) };
      case GgufValueType.FLOAT32:
        return { type, value: b.readFloatLE(p) };
      case GgufValueType.FLOAT64:
        return { type, value: b.readDoubleLE(p) };
      case GgufValueType.BOOL:
        return { type, value: b.readUInt8(p) !== 0 };
      case GgufValueType.UINT64:
        return { type, value: b.readBigUInt64LE(p) };
      case GgufValueType.INT64:
        return { type, value: b.readBigInt64LE(p) };
      default:
        throw new Error(`not a scalar GGUF type: ${type}`);
    }
  }

  async numberArray(type: GgufValueType, n: number): Promise<GgufArrayItems> {
    if (type === GgufValueType.BOOL) {
      await this.need(n);
      const out = new Array<boolean>(n);
      for (let i = 0; i < n; i++) out[i] = this.buf[this.pos + i] !== 0;
      this.pos += n;
      return out;
    }
    const width = minValueBytes(type);
    await this.need(n * width);
    // Copy into a fresh, aligned buffer: typed arrays need their byte offset to be a multiple of
    // the element size, and the window is reused. GGUF and every host Node runs on are little-endian.
    const bytes = new Uint8Array(n * width);
    bytes.set(this.buf.subarray(this.pos, this.pos + n * width));
    this.pos += n * width;
    const ab = bytes.buffer;
    switch (type) {
      case GgufValueType.UINT8:
        return bytes;
      case GgufValueType.INT8:
        return new Int8Array(ab);
      case GgufValueType.UINT16:
        return new Uint16Array(ab);
      case GgufValueType.INT16:
        return new Int16Array(ab);
      case GgufValueType.UINT32:
        return new Uint32Array(ab);
      case GgufValueType.INT32:
        return new Int32Array(ab);
      case GgufValueType.FLOAT32:
        return new Float32Array(ab);
      case GgufValueType.FLOAT64:
        return new Float64Array(ab);
      case GgufValueType.UINT64:
        return new BigUint64Array(ab);
      case GgufValueType.INT64:
        return new BigInt64Array(ab);
      default:
        throw new Error(`not a numeric GGUF type: ${type}`);
    }
  }
}
