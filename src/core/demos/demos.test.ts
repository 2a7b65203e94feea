import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDemos, sourceOf } from './demos';

const manifest = JSON.parse(readFileSync(new URL('../../../public/samples/manifest.json', import.meta.url), 'utf8')) as { photos: string[] };

describe('demo tasks from the bundled photos', () => {
  it('groups crops by their original', () => {
    expect(sourceOf('bridge-w.jpg')).toBe('bridge');
    expect(sourceOf('onestandsout-z.jpg')).toBe('onestandsout');
  });

  it('gives six demos whose content, style and held-out photos never share a source', () => {
    const demos = buildDemos(manifest.photos);
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
    expect(buildDemos(manifest.photos)).toEqual(demos);
  });
});
