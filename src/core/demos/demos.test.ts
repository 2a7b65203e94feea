import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDemos, sourceOf, type SampleManifest } from './demos';

const manifest = JSON.parse(readFileSync(new URL('../../../public/samples/manifest.json', import.meta.url), 'utf8')) as SampleManifest;

describe('demo tasks from the bundled photos', () => {
  it('groups crops by their original', () => {
    expect(sourceOf('bridge-w.jpg')).toBe('bridge');
    expect(sourceOf('onestandsout-z.jpg')).toBe('onestandsout');
  });

  it('gives six demos whose content, style and held-out photos never share a source', () => {
    const demos = buildDemos(manifest);
    expect(demos.map((d) => d.id)).toEqual(['oil', 'sketch', 'popart', 'grade', 'sharpen', 'film']);
    for (const demo of demos) {
      const sets = [demo.content, demo.style, demo.heldOut].map((files) => new Set(files.map(sourceOf)));
      expect(sets[0].size).toBeGreaterThan(10);
      expect(sets[1].size).toBeGreaterThan(10);
      expect(sets[2].size).toBeGreaterThan(2);
      for (const s of sets[0]) expect(sets[1].has(s) || sets[2].has(s)).toBe(false);
      for (const s of sets[1]) expect(sets[2].has(s)).toBe(false);
      expect(demo.content.length + demo.style.length + demo.heldOut.length).toBe(manifest.photos.length);
    }
    // Each demo splits differently, and the split is stable.
    expect(demos[0].content).not.toEqual(demos[1].content);
    expect(buildDemos(manifest)).toEqual(demos);
  });
});

describe('balanced demo splits', () => {
  const meanOf = (files: string[]) => manifest.colour[files[0]].map((_, i) => files.reduce((s, f) => s + manifest.colour[f][i], 0) / files.length);
  const imbalance = (x: string[], y: string[]) => meanOf(x).reduce((s, v, i) => s + (v - meanOf(y)[i]) ** 2, 0);

  it('keeps content and style photos of the same colour statistics, closer than a plain random split', () => {
    const plain = buildDemos({ ...manifest, colour: Object.fromEntries(manifest.photos.map((f) => [f, manifest.colour[f].map(() => 0)])) });
    for (const [i, demo] of buildDemos(manifest).entries()) {
      expect(imbalance(demo.content, demo.style)).toBeLessThan(imbalance(plain[i].content, plain[i].style) / 2);
    }
  });

  it('refuses a manifest without the statistics, naming the photo', () => {
    const { [manifest.photos[3]]: _, ...colour } = manifest.colour;
    expect(() => buildDemos({ ...manifest, colour })).toThrow(manifest.photos[3]);
  });
});
