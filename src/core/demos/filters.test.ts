import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../data/pixels';
import { warmScene } from '../data/syntheticScenes';
import { kuwahara, pencilSketch, popArt } from './filters';

function noisy(size: number): RgbaImage {
  const data = new Uint8ClampedArray(size * size * 4);
  let seed = 1;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < data.length; i += 4) data.set([100 + 60 * rand(), 120 + 60 * rand(), 90 + 60 * rand(), 255], i);
  return { width: size, height: size, data };
}

const variance = (image: RgbaImage, channel = 0) => {
  const v: number[] = [];
  for (let i = channel; i < image.data.length; i += 4) v.push(image.data[i]);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
};

describe('NPR filters', () => {
  it('kuwahara keeps flat areas flat, smooths texture and keeps a hard edge hard', () => {
    const flat: RgbaImage = { width: 8, height: 8, data: new Uint8ClampedArray(8 * 8 * 4).fill(77) };
    expect(Array.from(kuwahara(flat).data.slice(0, 3))).toEqual([77, 77, 77]);
    const texture = noisy(32);
    expect(variance(kuwahara(texture))).toBeLessThan(variance(texture) / 3);
    // Left half black, right half white: the edge survives (no grey ramp).
    const edge: RgbaImage = { width: 16, height: 4, data: new Uint8ClampedArray(16 * 4 * 4) };
    for (let i = 0; i < 64; i++) edge.data.set(i % 16 < 8 ? [0, 0, 0, 255] : [255, 255, 255, 255], i * 4);
    const row = Array.from({ length: 16 }, (_, x) => kuwahara(edge, 2).data[(16 + x) * 4]);
    expect(row).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255]);
  });

  it('pencil sketch is grey, mostly white paper, with dark strokes at edges', () => {
    const sketch = pencilSketch(warmScene(3, 48));
    for (let i = 0; i < sketch.data.length; i += 4) {
      expect(sketch.data[i]).toBe(sketch.data[i + 1]);
      expect(sketch.data[i + 1]).toBe(sketch.data[i + 2]);
    }
    const values = Array.from({ length: 48 * 48 }, (_, i) => sketch.data[i * 4]);
    expect(values.filter((v) => v > 230).length).toBeGreaterThan(values.length / 2);
    expect(Math.min(...values)).toBeLessThan(150);
  });

  it('pop-art uses at most 4 tones per channel', () => {
    const poster = popArt(warmScene(4, 32));
    for (let c = 0; c < 3; c++) {
      const tones = new Set<number>();
      for (let i = c; i < poster.data.length; i += 4) tones.add(poster.data[i]);
      expect(tones.size).toBeLessThanOrEqual(4);
      for (const t of tones) expect([0, 85, 170, 255]).toContain(t);
    }
  });
});
