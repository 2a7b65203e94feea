import { describe, expect, it } from 'vitest';
import { mergeImages, type ImageItem } from './mergeImages';

const item = (id: number, shade: number): ImageItem => ({ id, name: `img${id}.png`, image: { width: 2, height: 2, data: new Uint8ClampedArray(16).fill(shade) } });
const empty = { items: [], problems: [] };

describe('mergeImages', () => {
  it('keeps the first images up to the cap, skips duplicates, notes images in the other set, and keeps what was there', () => {
    const current = { items: [item(1, 10)], problems: [{ name: 'old.txt', reason: 'is a text file, not an image' }] };
    const other = { items: [item(9, 30)], problems: [] };
    const merged = mergeImages(current, other, 'style', [item(2, 10), item(3, 20), item(4, 30), item(5, 40), item(6, 50)], [{ name: 'bad.jpg', reason: 'is empty (0 bytes)' }], 3);
    expect(merged.items.map((i) => i.id)).toEqual([1, 3, 4]);
    expect(merged.problems.map((p) => `${p.name} ${p.reason}`)).toEqual([
      'old.txt is a text file, not an image',
      'bad.jpg is empty (0 bytes)',
      'img2.png is a duplicate of img1.png (skipped)',
      'img4.png is also in the style set as img9.png (kept)',
      'img5.png is beyond the limit of 3 images per set (skipped)',
      'img6.png is beyond the limit of 3 images per set (skipped)',
    ]);
  });
  it('adds nothing to an empty set when every file is bad', () => {
    expect(mergeImages(empty, empty, 'style', [], [{ name: 'x', reason: 'y' }], 10)).toEqual({ items: [], problems: [{ name: 'x', reason: 'y' }] });
  });
});
