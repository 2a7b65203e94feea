import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs } from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { relativeError, valuesOn } from '../testing/backends';
import { HeapThreads, type HeapCall } from './simd/heapHelpers';
import { conv2dBackpropFilter } from './wasmConvGradients';

interface Case {
  kernel: number;
  stride: number;
  pad: 'same' | 'valid';
  size: number;
  /** Width when not `size`. */
  width?: number;
  /** Output channels: 5 unless given (one makes the filter gradient a convolution rather than a product of patches). */
  out?: number;
  /** Input channels: 3 unless given. */
  in?: number;
}

const cases: Case[] = [
  { kernel: 3, stride: 1, pad: 'same', size: 9 },
  { kernel: 3, stride: 2, pad: 'same', size: 10 },
  { kernel: 4, stride: 2, pad: 'valid', size: 12 },
  { kernel: 4, stride: 1, pad: 'valid', size: 9 },
  { kernel: 7, stride: 1, pad: 'valid', size: 13 },
  { kernel: 7, stride: 2, pad: 'same', size: 15 },
  { kernel: 3, stride: 2, pad: 'valid', size: 11 },
  { kernel: 5, stride: 2, pad: 'same', size: 9, width: 14 },
  { kernel: 4, stride: 1, pad: 'valid', size: 9, out: 1 },
  // Stride 1, 16+ input channels and at most 32 output channels: the input gradient is a convolution
  // (the generator's last layer, 16 → 3, and an upsampling layer); with more outputs a product.
  { kernel: 7, stride: 1, pad: 'valid', size: 13, in: 16, out: 3 },
  { kernel: 3, stride: 1, pad: 'same', size: 9, width: 11, in: 32, out: 16 },
  { kernel: 3, stride: 1, pad: 'valid', size: 8, in: 16, out: 40 },
  // At most four outputs and channels a multiple of 4: the filter gradient is summed straight from
  // the input (thinFilterGrad): eight channels at a time, then four; one to four outputs.
  { kernel: 3, stride: 1, pad: 'same', size: 9, in: 12, out: 4 },
  { kernel: 4, stride: 2, pad: 'same', size: 10, width: 13, in: 8, out: 1 },
  { kernel: 4, stride: 2, pad: 'valid', size: 11, in: 4, out: 2 },
  // Patches of 7×7×32 at 2×64×64 positions would take 51 MB: both gradients are convolutions here.
  { kernel: 7, stride: 1, pad: 'same', size: 64, in: 32, out: 2 },
];

function fixedInputs(c: Case) {
  const x = tf.randomNormal([2, c.size, c.width ?? c.size, c.in ?? 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const w = tf.randomNormal([c.kernel, c.kernel, c.in ?? 3, c.out ?? 5], 0, 1, 'float32', 2) as tf.Tensor4D;
  return { x, w };
}

describe('wasm convolution gradients match the cpu backend', () => {
  it.each(cases)('conv2d k=$kernel s=$stride $pad, size $size (width $width), out $out', async (c) => {
    const grads = () => {
      const { x, w } = fixedInputs(c);
      // A non-uniform upstream gradient, so every position of dy matters.
      const loss = (xx: tf.Tensor, ww: tf.Tensor) => tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.stride, c.pad).square().sum();
      return tf.grads(loss)([x, w]);
    };
    const [cpuDx, cpuDw] = await valuesOn('cpu', grads);
    const [wasmDx, wasmDw] = await valuesOn('wasm', grads);
    expect(relativeError(wasmDw, cpuDw)).toBeLessThan(1e-4);
    expect(relativeError(wasmDx, cpuDx)).toBeLessThan(1e-4);
  });

  it.each([
    { kernel: 3, stride: 2, pad: 'same' as const },
    { kernel: 4, stride: 2, pad: 'same' as const },
    { kernel: 3, stride: 1, pad: 'valid' as const },
  ])('conv2dTranspose k=$kernel s=$stride $pad (forward and both gradients)', async (c) => {
    const run = () => {
      const x = tf.randomNormal([2, 5, 6, 4], 0, 1, 'float32', 3) as tf.Tensor4D;
      const w = tf.randomNormal([c.kernel, c.kernel, 3, 4], 0, 1, 'float32', 4) as tf.Tensor4D;
      const outSize = c.pad === 'same' ? [5 * c.stride, 6 * c.stride] : [(5 - 1) * c.stride + c.kernel, (6 - 1) * c.stride + c.kernel];
      const f = (xx: tf.Tensor, ww: tf.Tensor) =>
        tf.conv2dTranspose(xx as tf.Tensor4D, ww as tf.Tensor4D, [2, outSize[0], outSize[1], 3], c.stride, c.pad);
      const y = f(x, w);
      const [dx, dw] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => f(xx, ww).square().sum())([x, w]);
      return [y, dx, dw];
    };
    const cpu = await valuesOn('cpu', run);
    const wasm = await valuesOn('wasm', run);
    cpu.forEach((expected, i) => expect(relativeError(wasm[i], expected)).toBeLessThan(1e-4));
  });
});

describe('the filter gradient under a patch budget', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  // Three 10×10 images, 3×3 filter, 8 → 6 channels: one image's patches are 72·100 = 7200 floats.
  const attrs: Conv2DBackpropFilterAttrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [3, 3, 8, 6] };
  const inputs = () => ({ x: tf.randomNormal([3, 10, 10, 8], 0, 1, 'float32', 7) as tf.Tensor4D, dy: tf.randomNormal([3, 10, 10, 6], 0, 1, 'float32', 8) as tf.Tensor4D });

  it.each([
    { budget: 3 * 7200, patchLayouts: 1, how: 'all three images at once' },
    { budget: 2 * 7200, patchLayouts: 2, how: 'two images, then one, their products summed' },
    { budget: 7200, patchLayouts: 3, how: 'one image at a time' },
    { budget: 7199, patchLayouts: 0, how: 'a dilated convolution (one image is over budget)' },
  ])('with $budget floats: $how, the same as cpu', async ({ budget, patchLayouts }) => {
    const [expected] = await valuesOn('cpu', () => {
      const { x, dy } = inputs();
      // The filter gradient under the upstream gradient dy, which does not depend on the filter.
      return [tf.grad((w: tf.Tensor) => tf.conv2d(x, w as tf.Tensor4D, 1, 'same').mul(dy).sum())(tf.zeros(attrs.filterShape))];
    });
    const runAll = vi.spyOn(HeapThreads.prototype, 'runAll');
    const [got] = await valuesOn('wasm', () => {
      const { x, dy } = inputs();
      return [conv2dBackpropFilter(x, dy, attrs, budget)];
    });
    expect(runAll.mock.calls.filter(([calls]) => (calls[0] as HeapCall)[0].startsWith('patchRows'))).toHaveLength(patchLayouts);
    expect(relativeError(got, expected)).toBeLessThan(1e-5);
  });

  it('frees each group’s patches and leaves no tensors behind', async () => {
    await valuesOn('wasm', () => []);
    const { x, dy } = inputs();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) conv2dBackpropFilter(x, dy, attrs, 7200).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, dy]);
  });
});
