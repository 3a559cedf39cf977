// The safetensors writer: float32 -> binary16 rounding (every half round-trips; ties to even; overflow, subnormals,
// NaN) and files that the models/ reader accepts with 8-byte aligned data.
import { describe, expect, it } from 'vitest';
import { f16BitsToNumber, parseSafetensorsHeader, toFloat32 } from '../models';
import { encodeSafetensors, float32ToF16Bits } from './safetensors-write';

describe('float32ToF16Bits', () => {
  it('every binary16 value converts back to itself', () => {
    const wrong: number[] = [];
    for (let h = 0; h < 0x10000; h++) {
      const value = f16BitsToNumber(h);
      const bits = float32ToF16Bits(value);
      if (Number.isNaN(value) ? (bits & 0x7c00) !== 0x7c00 || (bits & 0x3ff) === 0 : bits !== h) wrong.push(h);
    }
    expect(wrong).toEqual([]);
  });

  it('rounds to nearest even, overflows to infinity, underflows to signed zero', () => {
    expect(float32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie -> even (down)
    expect(float32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie -> even (up)
    expect(float32ToF16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    expect(float32ToF16Bits(65504)).toBe(0x7bff);
    expect(float32ToF16Bits(65520)).toBe(0x7c00); // rounds past the largest half
    expect(float32ToF16Bits(-1e9)).toBe(0xfc00);
    expect(float32ToF16Bits(2 ** -25)).toBe(0); // half of the smallest subnormal: tie to even zero
    expect(float32ToF16Bits(1.5 * 2 ** -25)).toBe(1);
    expect(float32ToF16Bits(-(2 ** -30))).toBe(0x8000);
    expect(float32ToF16Bits(0.1)).toBe(0x2e66);
    expect(float32ToF16Bits(NaN)).toBe(0x7e00);
  });
});

describe('encodeSafetensors', () => {
  it('writes a header the reader accepts, metadata, sorted names, 8-byte aligned data', () => {
    const bytes = encodeSafetensors(
      [
        { name: 'b', shape: [3], data: Float32Array.of(1, 2, 3) },
        { name: 'a', shape: [1, 2], data: Float32Array.of(-1, 0.5) },
      ],
      'F16',
    );
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(length % 8).toBe(0);
    const file = parseSafetensorsHeader('x.safetensors', bytes.subarray(8, 8 + length), bytes.length);
    expect(file.metadata).toEqual({ format: 'pt' });
    expect(file.tensors.map((t) => [t.name, t.dtype, t.shape, t.offset - 8 - length])).toEqual([
      ['a', 'F16', [1, 2], 0],
      ['b', 'F16', [3], 4],
    ]);
    const b = file.tensors[1] as { offset: number; length: number };
    expect([...toFloat32('F16', bytes.subarray(b.offset, b.offset + b.length))]).toEqual([1, 2, 3]);
  });
});
