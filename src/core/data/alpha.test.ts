import { describe, expect, it } from 'vitest';
import { flattenAlpha } from './alpha';

describe('flattenAlpha', () => {
  it('puts transparent pixels on grey, blends half-transparent ones and leaves opaque ones alone', () => {
    const data = new Uint8ClampedArray([255, 0, 0, 0, 255, 0, 0, 255, 0, 0, 255, 128]);
    expect(flattenAlpha(data)).toBe(true);
    expect(Array.from(data)).toEqual([128, 128, 128, 255, 255, 0, 0, 255, 64, 64, 192, 255]);
    expect(flattenAlpha(new Uint8ClampedArray([1, 2, 3, 255]))).toBe(false);
  });
});
