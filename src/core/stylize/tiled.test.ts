import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCustomLayers } from '../networks/layers';
import { buildGenerator } from '../networks/generator';
import { makeRng } from '../data/random';
import { stylizeTiled, tileStarts } from './tiled';

function noiseImage(width: number, height: number, seed: number) {
  const rng = makeRng(String(seed));
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = i % 4 === 3 ? 255 : rng.int(256);
  return { width, height, data };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  registerCustomLayers();
});

describe('tileStarts', () => {
  it('covers the whole axis with the overlap and ends flush', () => {
    expect(tileStarts(200, 256, 32)).toEqual([0]);
    expect(tileStarts(1024, 256, 32)).toEqual([0, 224, 448, 672, 768]);
    expect(tileStarts(768, 256, 32)).toEqual([0, 224, 448, 512]);
  });
});

describe('stylizeTiled', () => {
  it('gives a per-pixel network the same result as one pass, seams included', async () => {
    // A per-pixel colour change: any tiling must reproduce it exactly (up to rounding).
    const perPixel = (x: tf.Tensor4D) => x.mul(-0.5).add(0.1) as tf.Tensor4D;
    const image = noiseImage(150, 97, 1);
    const tiled = await stylizeTiled(perPixel, image, { tile: 64, overlap: 16 });
    expect([tiled.width, tiled.height]).toEqual([150, 97]);
    for (let i = 0; i < image.data.length; i += 4) {
      const expected = Math.round((((image.data[i] / 127.5 - 1) * -0.5 + 0.1 + 1) * 127.5));
      expect(Math.abs(tiled.data[i] - expected)).toBeLessThanOrEqual(1);
    }
  });

  it.each(['random', 'identity'] as const)('runs a generator (%s start) over a large odd-sized image in tiles, with the input size kept and no tensors left', async (start) => {
    const generator = buildGenerator({ filters: 4, resBlocks: 1, upsampling: 'resize-conv', start, name: 'g' }, makeRng('tiles'));
    // One that starts from the photo, as if trained: its grade and change no longer zero.
    if (start === 'identity') tf.tidy(() => generator.setWeights(generator.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.05, 'float32', 200 + i))));
    const image = noiseImage(203, 130, 2);
    const before = tf.memory().numTensors;
    const out = await stylizeTiled((x) => generator.apply(x) as tf.Tensor4D, image, { tile: 64, overlap: 16 });
    expect(tf.memory().numTensors).toBe(before);
    expect([out.width, out.height]).toEqual([203, 130]);
    expect(out.data.some((v, i) => i % 4 !== 3 && v !== image.data[i])).toBe(true);

    // An image no bigger than one tile is a single pass, identical to calling the network.
    const small = noiseImage(64, 48, 3);
    const single = await stylizeTiled((x) => generator.apply(x) as tf.Tensor4D, small, { tile: 64, overlap: 16 });
    const direct = tf.tidy(() => {
      const x = tf.tensor3d(Int32Array.from(small.data), [48, 64, 4], 'int32').slice([0, 0, 0], [48, 64, 3]).toFloat().div(127.5).sub(1).expandDims(0);
      return (generator.apply(x) as tf.Tensor).add(1).mul(127.5).round().squeeze();
    });
    const expected = await direct.data();
    direct.dispose();
    for (let p = 0; p < 48 * 64; p++) expect(Math.abs(single.data[p * 4] - expected[p * 3])).toBeLessThanOrEqual(1);
    generator.dispose();
  });
});
