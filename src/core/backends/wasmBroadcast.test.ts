import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import type { WasmHeap } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';
import { relativeError, valuesOn } from '../testing/backends';

// Shapes that take the tiled route (short innermost runs, large outputs) and some that do not.
const pairs: [number[], number[]][] = [
  [[8, 64, 64, 3], [3]],
  [[8, 64, 64, 3], [8, 1, 1, 3]],
  [[2, 1, 40, 3], [2, 70, 40, 3]],
  [[4, 32, 32, 5], [1, 32, 1, 5]],
  [[2, 64, 64, 32], [32]],
  [[8, 64, 64, 3], [8, 64, 64, 1]],
  [[8, 64, 64, 3], []],
  [[3, 5, 3], [3]],
  // Elementwise (our kernel), odd lengths, and shapes of one size that still broadcast.
  [[7, 5, 3], [7, 5, 3]],
  [[1, 3], [3, 1]],
  [[1], [2, 9]],
];

describe('short-run broadcasts on wasm', () => {
  it.each(pairs)('%j with %j: Add, Sub, Multiply and RealDiv as on cpu, either order', async (aShape, bShape) => {
    const ops = () => {
      const a = tf.randomUniform(aShape, 0.5, 2, 'float32', 1);
      const b = tf.randomUniform(bShape, 0.5, 2, 'float32', 2);
      return [tf.add(a, b), tf.sub(a, b), tf.mul(a, b), tf.div(a, b), tf.sub(b, a), tf.div(b, a)];
    };
    const want = await valuesOn('cpu', ops);
    const got = await valuesOn('wasm', ops);
    for (let i = 0; i < want.length; i++) expect(relativeError(got[i], want[i])).toBeLessThan(1e-6);
  });

  it('leaves no tensors behind', async () => {
    await valuesOn('wasm', () => []);
    const a = tf.randomUniform([8, 64, 64, 3]);
    const b = tf.randomUniform([3]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.mul(a, b).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });

  it('runs elementwise and scalar operands through our kernel', async () => {
    await valuesOn('wasm', () => []);
    const binary = vi.spyOn(heapKernelsOf((tf.backend() as unknown as WasmHeap).wasm), 'binary');
    const [a, b, s] = [tf.ones([4, 9]), tf.ones([4, 9]), tf.scalar(2)];
    tf.tidy(() => [tf.add(a, b), tf.div(s, a), tf.mul(tf.ones([1, 9]), tf.ones([4, 1]))]).forEach((t) => t.dispose());
    // The last broadcasts both operands: XNNPACK's.
    expect(binary).toHaveBeenCalledTimes(2);
    binary.mockRestore();
    tf.dispose([a, b, s]);
  });

  it('tiles only where the innermost run is short', async () => {
    await valuesOn('wasm', () => []);
    const kernelsOf = async (aShape: number[], bShape: number[]) => {
      const [a, b] = [tf.ones(aShape), tf.ones(bShape)];
      const { kernels } = await tf.profile(() => tf.mul(a, b));
      tf.dispose([a, b]);
      return kernels.map((k) => k.name);
    };
    expect(await kernelsOf([8, 64, 64, 3], [3])).toContain('Tile');
    expect(await kernelsOf([2, 64, 64, 32], [32])).not.toContain('Tile');
    expect(await kernelsOf([3, 5, 3], [3])).not.toContain('Tile');
  });
});
