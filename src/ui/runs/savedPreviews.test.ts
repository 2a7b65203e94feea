import { describe, expect, it } from 'vitest';
import { previewsToSave } from './savedPreviews';

describe('previewsToSave', () => {
  it('keeps short strips whole', () => {
    expect(previewsToSave([1, 2, 3], 12)).toEqual([1, 2, 3]);
  });
  it('keeps the first, the latest and evenly spaced ones between', () => {
    const strip = Array.from({ length: 40 }, (_, i) => i);
    const kept = previewsToSave(strip, 5);
    expect(kept).toEqual([0, 10, 20, 29, 39]);
  });
});
