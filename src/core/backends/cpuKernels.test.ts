import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerCpuKernelFixes } from './cpuKernels';

describe('the cpu kernel fixes', () => {
  it('nearest-neighbour upsampling passes each image of a batch its own gradient', async () => {
    await tf.setBackend('cpu');
    registerCpuKernelFixes();
    const x = tf.randomNormal([3, 4, 5, 2], 0, 1, 'float32', 1);
    const upstream = tf.randomNormal([3, 8, 10, 2], 0, 1, 'float32', 2);
    const grad = tf.grad((t: tf.Tensor) => tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [8, 10]).mul(upstream).sum())(x);
    // Each input pixel feeds a 2×2 block of the output, so it collects that block's gradient.
    const expected = upstream.reshape([3, 4, 2, 5, 2, 2]).sum([2, 4]);
    expect(tf.max(tf.abs(grad.sub(expected))).dataSync()[0]).toBeLessThan(1e-5);
    const before = tf.memory().numTensors;
    tf.dispose(tf.grad((t: tf.Tensor) => tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [8, 10]).mul(upstream).sum())(x));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, upstream, grad, expected]);
  });
});
