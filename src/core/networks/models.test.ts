import * as tf from '@tensorflow/tfjs';
import { saveLayersModel } from '../persist/saveLayersModel';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectWasmBackend } from '../backends/nodeWasm';
import { registerCustomLayers } from './layers';
import { makeRng } from '../data/random';
import { buildDiscriminator, receptiveField } from './discriminator';
import { forwardFlops } from './flops';
import { buildGenerator } from './generator';

beforeAll(async () => {
  await selectWasmBackend();
  registerCustomLayers();
});

describe('generator', () => {
  it.each([
    { filters: 8, resBlocks: 1, upsampling: 'transpose' as const, start: 'random' as const, h: 32, w: 32 },
    { filters: 16, resBlocks: 3, upsampling: 'resize-conv' as const, start: 'identity' as const, h: 64, w: 64 },
    { filters: 8, resBlocks: 2, upsampling: 'resize-conv' as const, start: 'random' as const, h: 48, w: 80 },
    { filters: 4, resBlocks: 9, upsampling: 'transpose' as const, start: 'identity' as const, h: 20, w: 36 },
  ])('maps $h×$w to $h×$w in [-1, 1] (k=$filters, $resBlocks blocks, $upsampling, $start start)', ({ h, w, ...opts }) => {
    const g = buildGenerator({ ...opts, name: 'G' }, makeRng(1));
    const y = tf.tidy(() => g.predict(tf.randomUniform([2, h, w, 3], -1, 1, 'float32', 3)) as tf.Tensor);
    expect(y.shape).toEqual([2, h, w, 3]);
    expect(y.max().dataSync()[0]).toBeLessThanOrEqual(1);
    expect(y.min().dataSync()[0]).toBeGreaterThanOrEqual(-1);
    tf.dispose([y]);
    g.dispose();
  });

  it('trained at one size runs at another multiple of 4', () => {
    const g = buildGenerator({ filters: 8, resBlocks: 1, upsampling: 'resize-conv', start: 'random', name: 'G' }, makeRng(2));
    for (const side of [32, 96, 132]) {
      const y = tf.tidy(() => g.predict(tf.zeros([1, side, side + 4, 3])) as tf.Tensor);
      expect(y.shape).toEqual([1, side, side + 4, 3]);
      y.dispose();
    }
    g.dispose();
  });

  it('has the expected parameter count for k=16 with 3 blocks', () => {
    const g = buildGenerator({ filters: 16, resBlocks: 3, upsampling: 'resize-conv', start: 'random', name: 'G' }, makeRng(3));
    // c7s1-16 2352 + d32 4608 + d64 18432 + 6 res convs of 36864 + u32 18432 + u16 4608
    // + c7s1-3 2352+3 + instance-norm scale/offset 2·(16+32+64+6·64+32+16).
    expect(g.countParams()).toBe(2352 + 4608 + 18432 + 6 * 36864 + 18432 + 4608 + 2355 + 2 * (16 + 32 + 64 + 6 * 64 + 32 + 16));
    g.dispose();
  });

  it('starting from the photo, gives back its input exactly until trained, and after a step no longer does', async () => {
    const g = buildGenerator({ filters: 8, resBlocks: 1, upsampling: 'resize-conv', start: 'identity', name: 'G' }, makeRng(6));
    const x = tf.randomUniform([2, 32, 28, 3], -1, 1, 'float32', 7);
    expect(tf.tidy(() => tf.sub(g.predict(x) as tf.Tensor, x).abs().max().dataSync()[0])).toBe(0);
    // The same network as the paper's, plus the grade's 48 numbers; the paper's tanh has no weights.
    const plain = buildGenerator({ filters: 8, resBlocks: 1, upsampling: 'resize-conv', start: 'random', name: 'P' }, makeRng(6));
    expect(g.countParams()).toBe(plain.countParams() + 3 + 3 * 8 + 3 + 3 + 9);
    const optimizer = tf.train.adam(1e-2);
    const target = tf.randomUniform(x.shape, -1, 1, 'float32', 8);
    optimizer.minimize(() => (g.apply(x) as tf.Tensor).sub(target).square().mean() as tf.Scalar);
    expect(tf.tidy(() => tf.sub(g.predict(x) as tf.Tensor, x).abs().max().dataSync()[0])).toBeGreaterThan(1e-3);
    g.dispose();
    plain.dispose();
    optimizer.dispose();
  });

  it('save/load round-trip through an IOHandler gives the same output', async () => {
    const g = buildGenerator({ filters: 8, resBlocks: 2, upsampling: 'transpose', start: 'random', name: 'G' }, makeRng(4));
    const saved = await saveLayersModel(g);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved));
    const x = tf.randomUniform([1, 36, 28, 3], -1, 1, 'float32', 5);
    const diff = tf.tidy(() => tf.sub(g.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor).abs().max().dataSync()[0]);
    expect(diff).toBeLessThan(1e-5);
    // Different weights would give a visibly different image: the check is not vacuous.
    const other = buildGenerator({ filters: 8, resBlocks: 2, upsampling: 'transpose', start: 'random', name: 'G' }, makeRng(5));
    const otherDiff = tf.tidy(() => tf.sub(g.predict(x) as tf.Tensor, other.predict(x) as tf.Tensor).abs().max().dataSync()[0]);
    expect(otherDiff).toBeGreaterThan(1e-3);
    g.dispose();
    loaded.dispose();
    other.dispose();
  });
});

describe('a generator that starts from the photo, once trained', () => {
  it('round-trips through save and load with its grade and clip', async () => {
    const g = buildGenerator({ filters: 4, resBlocks: 1, upsampling: 'resize-conv', start: 'identity', name: 'G' }, makeRng(10));
    // As if trained: every weight moved, the grade's included.
    g.setWeights(g.getWeights().map((w, i) => tf.randomNormal(w.shape, 0, 0.05, 'float32', 100 + i)));
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(await saveLayersModel(g)));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(expect.arrayContaining(['GlobalGrade', 'ClipRange']));
    const x = tf.randomUniform([1, 24, 20, 3], -1, 1, 'float32', 11);
    const diff = tf.tidy(() => tf.sub(g.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor).abs().max().dataSync()[0]);
    expect(diff).toBeLessThan(1e-5);
    expect(tf.tidy(() => tf.sub(g.predict(x) as tf.Tensor, x).abs().max().dataSync()[0])).toBeGreaterThan(1e-2);
    g.dispose();
    loaded.dispose();
  });
});

describe('PatchGAN discriminator', () => {
  it('has the classic 70×70 receptive field with 3 layers, growing with depth', () => {
    expect(receptiveField(3)).toBe(70);
    expect(receptiveField(1)).toBe(16);
    expect(receptiveField(2)).toBe(34);
    expect(receptiveField(4)).toBe(142);
  });

  it.each([
    { layers: 3, side: 256, patches: 30 },
    { layers: 3, side: 64, patches: 6 },
    { layers: 2, side: 32, patches: 6 },
  ])('scores a $side px image with $patches×$patches patch logits ($layers layers)', ({ layers, side, patches }) => {
    const d = buildDiscriminator({ filters: 8, layers, name: 'D' }, makeRng(6));
    const y = tf.tidy(() => d.predict(tf.zeros([2, side, side, 3])) as tf.Tensor);
    expect(y.shape).toEqual([2, patches, patches, 1]);
    y.dispose();
    d.dispose();
  });
});

describe('forwardFlops', () => {
  it('counts 2 FLOPs per multiply-add of every convolution at the given size', () => {
    const g = buildGenerator({ filters: 16, resBlocks: 3, upsampling: 'resize-conv', start: 'random', name: 'G' }, makeRng(8));
    // Per output pixel MACs: c7s1-16 at 64², d32 at 32², d64 at 16², 6 res convs at 16²,
    // resize-convs at 32² and 64², c7s1-3 at 64².
    const macs = 64 * 64 * 49 * 3 * 16 + 32 * 32 * 9 * 16 * 32 + 16 * 16 * 9 * 32 * 64 + 6 * 16 * 16 * 9 * 64 * 64 + 32 * 32 * 9 * 64 * 32 + 64 * 64 * 9 * 32 * 16 + 64 * 64 * 49 * 16 * 3;
    expect(forwardFlops(g, 64, 64)).toBe(2 * macs);
    expect(forwardFlops(g, 128, 128, 2)).toBe(2 * 4 * 2 * macs);
    g.dispose();
  });

  it('counts transposed convolutions per input pixel', () => {
    const t = buildGenerator({ filters: 8, resBlocks: 1, upsampling: 'transpose', start: 'random', name: 'T' }, makeRng(9));
    const r = buildGenerator({ filters: 8, resBlocks: 1, upsampling: 'resize-conv', start: 'random', name: 'R' }, makeRng(9));
    // Each upsampling step: transpose does k²·cin·cout MACs per input pixel, resize-conv per output pixel (4×).
    const upT = 8 * 8 * 9 * 32 * 16 + 16 * 16 * 9 * 16 * 8;
    expect(forwardFlops(r, 32, 32) - forwardFlops(t, 32, 32)).toBe(2 * 3 * upT);
    t.dispose();
    r.dispose();
  });
});
