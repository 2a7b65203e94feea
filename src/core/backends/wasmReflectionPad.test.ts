import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { reflectionPad } from '../networks/layers';
import { REFLECTION_PAD_GRAD_KERNEL } from '../networks/layers/customLayers.js';
import { relativeError, valuesOn } from '../testing/backends';
import type { WasmHeap } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';

function padGrad(shape: [number, number, number, number], pad: number): tf.Tensor[] {
  const x = tf.randomNormal(shape, 0, 1, 'float32', 1) as tf.Tensor4D;
  const weights = tf.randomNormal([shape[0], shape[1] + 2 * pad, shape[2] + 2 * pad, shape[3]], 0, 1, 'float32', 2);
  return [reflectionPad(x, pad), tf.grad((t: tf.Tensor) => reflectionPad(t as tf.Tensor4D, pad).mul(weights).sum())(x)];
}

describe('reflection padding on wasm', () => {
  it.each([
    [[2, 5, 4, 3], [[0, 0], [1, 1], [1, 1], [0, 0]], 1],
    [[1, 9, 7, 2], [[0, 0], [3, 3], [3, 3], [0, 0]], 1],
    [[1, 4, 4, 16], [[0, 0], [2, 2], [2, 2], [0, 0]], 1],
    // Not ReflectionPad2D's: tfjs's kernel.
    [[1, 4, 5, 2], [[0, 0], [1, 2], [1, 1], [0, 0]], 0],
    [[2, 4, 5, 2], [[1, 1], [1, 1], [1, 1], [0, 0]], 0],
  ] as const)('of %j by %j: the same values as cpu (our kernel runs %i times)', async (shape, paddings, calls) => {
    const pads = () => [tf.mirrorPad(tf.randomNormal([...shape], 0, 1, 'float32', 4), paddings.map(([a, b]) => [a, b] as [number, number]), 'reflect')];
    const [ref] = await valuesOn('cpu', pads);
    await valuesOn('wasm', () => []);
    const ours = vi.spyOn(heapKernelsOf((tf.backend() as unknown as WasmHeap).wasm), 'reflectionPad');
    const [got] = await valuesOn('wasm', pads);
    expect(Array.from(got)).toEqual(Array.from(ref));
    expect(ours).toHaveBeenCalledTimes(calls);
    ours.mockRestore();
  });
});

describe('the fused reflection-padding gradient on wasm', () => {
  it.each([
    [[2, 5, 4, 3], 1],
    [[1, 9, 7, 2], 3],
    [[1, 4, 4, 16], 2],
    [[2, 6, 5, 12], 1],
  ] as const)('shape %j, pad %i: matches the composed gradient on cpu, in one kernel', async (shape, pad) => {
    const [yRef, dxRef] = await valuesOn('cpu', () => padGrad([...shape], pad));
    const [y, dx] = await valuesOn('wasm', () => padGrad([...shape], pad));
    expect(relativeError(y, yRef)).toBe(0);
    expect(relativeError(dx, dxRef)).toBeLessThan(1e-6);
    const x = tf.randomNormal([...shape]) as tf.Tensor4D;
    const profile = await tf.profile(() => tf.grad((t: tf.Tensor) => reflectionPad(t as tf.Tensor4D, pad).sum())(x));
    expect(profile.kernels.filter((k) => k.name === REFLECTION_PAD_GRAD_KERNEL).length).toBe(1);
    expect(profile.kernels.map((k) => k.name)).not.toContain('Slice');
    tf.dispose([x, profile.result as tf.Tensor]);
  });
});
