import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../data/pixels';
import { warmScene } from '../data/syntheticScenes';
import { datasetHealth } from './datasetHealth';

const scenes = (from: number, n: number) => Array.from({ length: n }, (_, i) => warmScene(from + i, 48));
const flat = (width: number, height: number, v: number): RgbaImage => ({ width, height, data: new Uint8ClampedArray(width * height * 4).fill(v) });
const ids = (sets: { name: string; images: RgbaImage[] }[]) => datasetHealth(sets).map((w) => w.id);

describe('datasetHealth', () => {
  it('says nothing about two varied, square sets of a healthy size', () => {
    expect(datasetHealth([{ name: 'content', images: scenes(0, 24) }, { name: 'style', images: scenes(500, 24) }])).toEqual([]);
  });

  it('warns about a set that is too small', () => {
    const warnings = datasetHealth([{ name: 'content', images: scenes(0, 4) }, { name: 'style', images: scenes(500, 24) }]);
    expect(warnings.map((w) => w.id)).toEqual(['few-images']);
    expect(warnings[0].text).toMatch(/The content set has only 4 images/);
  });

  it('warns about a set whose images all look alike', () => {
    const alike = Array.from({ length: 12 }, (_, i) => flat(32, 32, 100 + (i % 2)));
    expect(ids([{ name: 'content', images: scenes(0, 12) }, { name: 'style', images: alike }])).toEqual(['uniform']);
  });

  it('warns about very wide images and about sets of different shapes', () => {
    const wide = Array.from({ length: 12 }, (_, i) => flat(96, 40, 20 + i * 15));
    const warnings = datasetHealth([{ name: 'content', images: wide }, { name: 'style', images: scenes(500, 12) }]);
    expect(warnings.map((w) => w.id)).toEqual(['extreme-aspect', 'aspect-mismatch']);
    expect(warnings[1].text).toMatch(/content images are mostly landscape \(2\.40:1\) and the style images square/);
  });
});
