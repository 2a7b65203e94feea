import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRng } from './random';
import { loadSize, randomCropFlip } from './augment';
import { ImageSet } from './imageSet';
import { imageToTensor, tensorToRgba, type RgbaImage } from './pixels';
import { swapRedBlue, warmScene } from './syntheticScenes';
import { UnpairedSampler } from './unpairedSampler';

/** A width×height image whose red channel encodes the column and green the row. */
function ramp(width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([x, y, 200, 255], (y * width + x) * 4);
  }
  return { width, height, data };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('imageToTensor', () => {
  it('centre-crops a landscape image to a square and maps bytes to [-1, 1]', () => {
    const t = imageToTensor(ramp(30, 10), 10);
    expect(t.shape).toEqual([10, 10, 3]);
    // Columns 10..19 survive the centre crop: red at the left edge is 10.
    expect(t.slice([0, 0, 0], [1, 1, 3]).dataSync()[0]).toBeCloseTo(10 / 127.5 - 1, 5);
    expect(t.slice([0, 9, 0], [1, 1, 1]).dataSync()[0]).toBeCloseTo(19 / 127.5 - 1, 5);
    expect(t.slice([0, 0, 2], [1, 1, 1]).dataSync()[0]).toBeCloseTo(200 / 127.5 - 1, 5);
  });

  it('downscales large images by averaging, keeping the mean colour', () => {
    const big = ramp(200, 120);
    const t = imageToTensor(big, 16);
    expect(t.shape).toEqual([16, 16, 3]);
    // Centre square spans columns 40..159: mean red 99.5, mean green 59.5.
    const means = t.mean([0, 1]).add(1).mul(127.5).dataSync();
    expect(means[0]).toBeCloseTo(99.5, 0);
    expect(means[1]).toBeCloseTo(59.5, 0);
  });

  it('rejects a buffer that does not match its dimensions', () => {
    expect(() => imageToTensor({ width: 4, height: 4, data: new Uint8ClampedArray(10) }, 4)).toThrow(
      'Expected 4×4×4 = 64 RGBA bytes, got 10',
    );
  });

  it('tensorToRgba inverts it', async () => {
    const scene = warmScene(1, 24);
    const back = await tensorToRgba(imageToTensor(scene, 24));
    expect(back.width).toBe(24);
    let worst = 0;
    for (let i = 0; i < scene.data.length; i++) worst = Math.max(worst, Math.abs(back.data[i] - scene.data[i]));
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe('augmentation', () => {
  it('loads ≈1.12× larger (CycleGAN 286 → 256) only when augmenting', () => {
    expect(loadSize(256, true)).toBe(286);
    expect(loadSize(64, true)).toBe(72);
    expect(loadSize(64, false)).toBe(64);
  });

  it('random crops differ, stay inside the image and sometimes flip', () => {
    const image = imageToTensor(ramp(72, 72), 72);
    const rng = makeRng(3);
    const corners = new Set<string>();
    let flips = 0;
    for (let i = 0; i < 40; i++) {
      const crop = randomCropFlip(image, 64, rng);
      expect(crop.shape).toEqual([64, 64, 3]);
      const red = crop.slice([0, 0, 0], [1, 64, 1]).dataSync();
      if (red[0] > red[63]) flips++;
      corners.add(`${Math.min(red[0], red[63]).toFixed(3)},${crop.slice([0, 0, 1], [1, 1, 1]).dataSync()[0].toFixed(3)}`);
    }
    expect(corners.size).toBeGreaterThan(10);
    expect(flips).toBeGreaterThan(5);
    expect(flips).toBeLessThan(35);
  });
});

describe('UnpairedSampler', () => {
  it('visits every A image once per epoch and draws B independently', () => {
    const a = ImageSet.fromPixels([0, 1, 2, 3, 4].map((i) => warmScene(i, 36)), 32, true);
    const b = ImageSet.fromPixels([5, 6, 7].map((i) => swapRedBlue(warmScene(i, 36))), 32, true);
    const sampler = new UnpairedSampler(a, b, 1, makeRng(1), true);
    const seen: number[] = [];
    const meanOf = (t: tf.Tensor) => t.mean().dataSync()[0];
    const aMeans = [0, 1, 2, 3, 4].map((i) => meanOf(a.batch([i], null)));
    for (let i = 0; i < 5; i++) {
      const batch = sampler.next();
      expect(batch.a.shape).toEqual([1, 32, 32, 3]);
      expect(batch.b.shape).toEqual([1, 32, 32, 3]);
      const m = meanOf(batch.a);
      // Crops move the mean a little; the nearest stored image is the one that was drawn.
      seen.push(aMeans.reduce((best, v, j) => (Math.abs(v - m) < Math.abs(aMeans[best] - m) ? j : best), 0));
    }
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(sampler.epoch).toBe(1);
  });

  it('refuses an empty set with a clear message', () => {
    expect(() => ImageSet.fromPixels([], 32, false)).toThrow('Expected at least one image in the set, got none');
  });
});
