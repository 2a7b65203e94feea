import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { relativeError, valuesOn } from '../testing/backends';

type Shape = [number, number, number, number];

function weights(shape: number[]): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, 'float32', 7);
}

function resizeGrad(shape: Shape, size: [number, number], alignCorners: boolean, halfPixelCenters: boolean): tf.Tensor[] {
  const x = tf.randomNormal(shape, 0, 1, 'float32', 3) as tf.Tensor4D;
  const w = weights([shape[0], ...size, shape[3]]);
  const f = (t: tf.Tensor) => tf.image.resizeNearestNeighbor(t as tf.Tensor4D, size, alignCorners, halfPixelCenters).mul(w).sum();
  return [tf.grad(f)(x)];
}

function poolGrad(shape: Shape, filter: number | [number, number], stride: number, pad: 'same' | 'valid' | number): tf.Tensor[] {
  const x = tf.randomNormal(shape, 0, 1, 'float32', 5) as tf.Tensor4D;
  const y = tf.avgPool(x, filter, stride, pad);
  const w = weights(y.shape);
  return [y, tf.grad((t: tf.Tensor) => tf.avgPool(t as tf.Tensor4D, filter, stride, pad).mul(w).sum())(x)];
}

async function kernelsOnWasm(fn: () => tf.Tensor[]): Promise<string[]> {
  await valuesOn('wasm', () => []);
  const profile = await tf.profile(() => tf.tidy(fn));
  tf.dispose(profile.result as tf.Tensor[]);
  return profile.kernels.map((k) => k.name);
}

describe('the pooling-shaped gradients on wasm', () => {
  it.each([
    [[1, 4, 5, 3], [8, 10], false, false],
    [[2, 6, 4, 32], [12, 8], false, true],
    [[2, 3, 3, 5], [9, 6], false, false],
  ] as const)('nearest upsampling of %j to %j (halfPixelCenters %s/%s) by whole factors: as cpu, through average pooling', async (shape, size, align, half) => {
    const [ref] = await valuesOn('cpu', () => resizeGrad([...shape], [...size], align, half));
    const [got] = await valuesOn('wasm', () => resizeGrad([...shape], [...size], align, half));
    expect(relativeError(got, ref)).toBeLessThan(1e-6);
    const kernels = await kernelsOnWasm(() => resizeGrad([...shape], [...size], align, half));
    expect(kernels).toContain('AvgPool');
  });

  it.each([
    [[1, 4, 5, 3], [7, 9], false, false],
    [[1, 4, 4, 2], [8, 8], true, false],
  ] as const)('nearest resizing of %j to %j (alignCorners %s) that is no whole-factor upsampling: as cpu, through the original', async (shape, size, align, half) => {
    const [ref] = await valuesOn('cpu', () => resizeGrad([...shape], [...size], align, half));
    const [got] = await valuesOn('wasm', () => resizeGrad([...shape], [...size], align, half));
    expect(relativeError(got, ref)).toBeLessThan(1e-6);
    expect(await kernelsOnWasm(() => resizeGrad([...shape], [...size], align, half))).not.toContain('AvgPool');
  });

  it.each([
    [[8, 16, 16, 3], 3, 1, 'same'],
    [[2, 9, 7, 4], [3, 5], 1, 'valid'],
    [[1, 6, 6, 2], 2, 1, 'same'],
    [[1, 7, 5, 3], 3, 1, 1],
  ] as const)('average pool %j, filter %j, stride %i, pad %j: as cpu, through a depthwise convolution', async (shape, filter, stride, pad) => {
    const args = [[...shape] as Shape, (typeof filter === 'number' ? filter : [...filter]) as number | [number, number], stride, pad] as const;
    const [yRef, dxRef] = await valuesOn('cpu', () => poolGrad(...args));
    const [y, dx] = await valuesOn('wasm', () => poolGrad(...args));
    expect(relativeError(y, yRef)).toBeLessThan(1e-6);
    expect(relativeError(dx, dxRef)).toBeLessThan(1e-6);
    expect(await kernelsOnWasm(() => poolGrad(...args))).toContain('DepthwiseConv2dNative');
  });

  it('a strided average pool: as cpu, through the original', async () => {
    const [, dxRef] = await valuesOn('cpu', () => poolGrad([2, 8, 6, 3], 2, 2, 'valid'));
    const [, dx] = await valuesOn('wasm', () => poolGrad([2, 8, 6, 3], 2, 2, 'valid'));
    expect(relativeError(dx, dxRef)).toBeLessThan(1e-6);
    expect(await kernelsOnWasm(() => poolGrad([2, 8, 6, 3], 2, 2, 'valid'))).not.toContain('DepthwiseConv2dNative');
  });

  it('leaves no tensors behind', async () => {
    await valuesOn('wasm', () => []);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.dispose(tf.tidy(() => [...resizeGrad([2, 4, 4, 8], [8, 8], false, false), ...poolGrad([2, 8, 8, 3], 3, 1, 'same')]));
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
