// Encodes float weights into the on-disk layouts the test models use: F32, F16 and Q8_0 blocks.
// Node 20 has no Float16Array, hence the hand-rolled half conversion.
import { Prng } from './prng';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 half-precision bits of `value`, rounded to nearest even. */
export function toHalfBits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const rawExp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (rawExp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const exp = rawExp - 127 + 15;
  if (exp >= 0x1f) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - exp;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (exp << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

export function halfBitsToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

export function f32Bytes(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

export function f16Bytes(values: Float32Array): Uint8Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toHalfBits(values[i]!);
  return new Uint8Array(out.buffer);
}

export const Q8_0_BLOCK = 32;
export const Q8_0_BLOCK_BYTES = 34;

/** Q8_0 blocks (f16 scale + 32 signed bytes) of random weights uniform in [-halfWidth, halfWidth]. */
export function randomQ8_0Blocks(prng: Prng, blocks: number, halfWidth: number): Buffer {
  const out = Buffer.alloc(blocks * Q8_0_BLOCK_BYTES);
  const scaleBits = toHalfBits(halfWidth / 127);
  for (let b = 0; b < blocks; b++) {
    const p = b * Q8_0_BLOCK_BYTES;
    out.writeUInt16LE(scaleBits, p);
    for (let i = 0; i < Q8_0_BLOCK; i += 4) {
      const r = prng.nextU32();
      // Four signed bytes per draw, each mapped from [0, 255) into [-127, 127].
      out.writeInt8(((r & 0xff) % 255) - 127, p + 2 + i);
      out.writeInt8((((r >>> 8) & 0xff) % 255) - 127, p + 3 + i);
      out.writeInt8((((r >>> 16) & 0xff) % 255) - 127, p + 4 + i);
      out.writeInt8(((r >>> 24) % 255) - 127, p + 5 + i);
    }
  }
  return out;
}
