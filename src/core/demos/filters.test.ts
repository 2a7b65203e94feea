import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../data/pixels';
import { warmScene } from '../data/syntheticScenes';
import { fadedFilm, kuwahara, pencilSketch, popArt, unsharpMask, warmGrade } from './filters';

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

describe('photo filters for the quality benchmark', () => {
  const mean = (image: RgbaImage, channel: number) => {
    let sum = 0;
    for (let i = channel; i < image.data.length; i += 4) sum += image.data[i];
    return sum / (image.data.length / 4);
  };

  it('the colour grade maps each colour the same way wherever it is, keeps order and warms', () => {
    const image = noisy(16);
    image.data.set(image.data.slice(0, 4), 200 * 4); // pixel 200 has pixel 0's colour
    const graded = warmGrade(image);
    expect(Array.from(graded.data.slice(200 * 4, 200 * 4 + 4))).toEqual(Array.from(graded.data.slice(0, 4)));
    const ramp: RgbaImage = { width: 256, height: 1, data: new Uint8ClampedArray(256 * 4) };
    for (let v = 0; v < 256; v++) ramp.data.set([v, v, v, 255], v * 4);
    const out = warmGrade(ramp);
    for (let v = 1; v < 256; v++) for (let c = 0; c < 3; c++) expect(out.data[v * 4 + c]).toBeGreaterThanOrEqual(out.data[(v - 1) * 4 + c]);
    expect(mean(out, 0)).toBeGreaterThan(mean(ramp, 0));
    expect(mean(out, 2)).toBeLessThan(mean(ramp, 2));
  });

  it('the unsharp mask leaves flat areas and mean colour alone and steepens an edge', () => {
    const flat: RgbaImage = { width: 8, height: 8, data: new Uint8ClampedArray(8 * 8 * 4).fill(90) };
    expect(Array.from(unsharpMask(flat).data.slice(0, 3))).toEqual([90, 90, 90]);
    const edge: RgbaImage = { width: 16, height: 4, data: new Uint8ClampedArray(16 * 4 * 4) };
    for (let i = 0; i < 64; i++) edge.data.set(i % 16 < 8 ? [60, 60, 60, 255] : [180, 180, 180, 255], i * 4);
    const out = unsharpMask(edge, 1);
    // Just either side of the edge it overshoots: darker than the dark side, brighter than the bright.
    expect(out.data[(16 + 7) * 4]).toBeLessThan(60);
    expect(out.data[(16 + 8) * 4]).toBeGreaterThan(180);
    const texture = noisy(32);
    expect(Math.abs(mean(unsharpMask(texture), 1) - mean(texture, 1))).toBeLessThan(2);
  });

  it('faded film lifts the blacks, softens texture and splits the tones', () => {
    const black: RgbaImage = { width: 4, height: 4, data: new Uint8ClampedArray(4 * 4 * 4).fill(0) };
    const lifted = fadedFilm(black);
    expect(lifted.data[0]).toBeGreaterThanOrEqual(10);
    expect(lifted.data[2]).toBeGreaterThan(lifted.data[0]); // shadows lean teal
    const white: RgbaImage = { width: 4, height: 4, data: new Uint8ClampedArray(4 * 4 * 4).fill(255) };
    const high = fadedFilm(white);
    expect(high.data[0]).toBeGreaterThan(high.data[2]); // highlights lean orange
    const texture = noisy(32);
    expect(variance(fadedFilm(texture), 1)).toBeLessThan(variance(texture, 1) / 2);
  });
});
