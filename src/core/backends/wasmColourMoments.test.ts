import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { colourStats } from '../data/colourStats';
import { relativeError, valuesOn } from '../testing/backends';
import { HeapThreads, type HeapCall } from './simd/heapHelpers';

afterEach(() => {
  vi.restoreAllMocks();
});

/** colourStats of x and its gradient to x under random weights on the nine statistics. */
function statsAndGradient(shape: [number, number, number, number]): tf.Tensor[] {
  const x = tf.randomUniform(shape, -1.2, 1.2, 'float32', 3) as tf.Tensor4D;
  const weights = tf.randomNormal([9], 0, 1, 'float32', 4);
  return [colourStats(x), tf.grad((t: tf.Tensor) => colourStats(t as tf.Tensor4D).mul(weights).sum())(x)];
}

describe('the colour moments on wasm', () => {
  it.each([
    // The colour window at 64 px: eight images, rows in chunks.
    { shape: [8, 64, 64, 3], chunked: true },
    { shape: [2, 16, 16, 3], chunked: false },
    // Widths whose rows end past the last whole four pixels; one row; one column; windows that are the whole image.
    { shape: [2, 5, 7, 3], chunked: false },
    { shape: [1, 6, 5, 3], chunked: false },
    { shape: [1, 4, 2, 3], chunked: false },
    { shape: [1, 4, 1, 3], chunked: false },
    { shape: [1, 1, 6, 3], chunked: false },
    { shape: [3, 2, 2, 3], chunked: false },
  ] as const)('of $shape: the statistics and their gradient as cpu composes them', async ({ shape, chunked }) => {
    const [cpuStats, cpuGrad] = await valuesOn('cpu', () => statsAndGradient([...shape]));
    const runAll = vi.spyOn(HeapThreads.prototype, 'runAll');
    const [wasmStats, wasmGrad] = await valuesOn('wasm', () => statsAndGradient([...shape]));
    // The statistics, then again under tf.grad with the gradient's two passes.
    const ran = runAll.mock.calls.map(([calls]) => [(calls[0] as HeapCall)[0], calls.length] as const);
    expect(ran.map(([kernel]) => kernel).filter((k) => k.startsWith('colour'))).toEqual(['colourMoments', 'colourMoments', 'colourDetailGradient', 'colourInputGradient']);
    expect(ran.filter(([k]) => k.startsWith('colour')).every(([, chunks]) => chunks > 1)).toBe(chunked);
    // cpu sums in float32 over up to 4096 pixels, wasm per row then in float64.
    expect(relativeError(wasmStats, cpuStats)).toBeLessThan(1e-5);
    expect(relativeError(wasmGrad, cpuGrad)).toBeLessThan(1e-4);
  });

  it('other channel counts are composed from tfjs ops; no tensors are left behind', async () => {
    const [cpu] = await valuesOn('cpu', () => [colourStats(tf.randomUniform([2, 6, 6, 4], -1, 1, 'float32', 5))]);
    const [wasm] = await valuesOn('wasm', () => [colourStats(tf.randomUniform([2, 6, 6, 4], -1, 1, 'float32', 5))]);
    expect(relativeError(wasm, cpu)).toBeLessThan(1e-5);
    const x = tf.randomUniform([8, 32, 32, 3]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) tf.dispose(tf.grad((t: tf.Tensor) => colourStats(t as tf.Tensor4D).sum())(x));
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
