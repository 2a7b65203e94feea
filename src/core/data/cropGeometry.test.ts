import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from './random';
import { randomCropFlip } from './augment';
import { loadSize, randomCropWindow } from './cropGeometry';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('randomCropWindow', () => {
  it('is exactly the crop the trainer cuts, so the page’s augmentation preview shows the real thing', () => {
    const stored = loadSize(32, true);
    const image = tf.randomUniform([stored, stored, 3], -1, 1, 'float32', 1) as tf.Tensor3D;
    for (let i = 0; i < 20; i++) {
      const crop = randomCropFlip(image, 32, makeRng(i));
      const { top, left, flip } = randomCropWindow(stored, stored, 32, makeRng(i));
      const expected = tf.tidy(() => {
        const window = tf.slice(image, [top, left, 0], [32, 32, 3]);
        return flip ? tf.reverse(window, 1) : window;
      });
      expect(tf.tidy(() => crop.sub(expected).abs().max().dataSync()[0])).toBe(0);
      tf.dispose([crop, expected]);
    }
    image.dispose();
  });

  it('stays inside the image and mirrors about half of the crops', () => {
    const rng = makeRng('bounds');
    const windows = Array.from({ length: 400 }, () => randomCropWindow(36, 36, 32, rng));
    expect(windows.every((w) => w.top >= 0 && w.left >= 0 && w.top <= 4 && w.left <= 4)).toBe(true);
    const flipped = windows.filter((w) => w.flip).length;
    expect(flipped).toBeGreaterThan(150);
    expect(flipped).toBeLessThan(250);
    expect(() => randomCropWindow(20, 40, 32, rng)).toThrow('Expected an image of at least 32×32, got 40×20');
  });
});
