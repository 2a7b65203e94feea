import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { relativeError, valuesOn } from '../testing/backends';
import type { WasmHeap } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';
import { RELU_GRADIENT } from './wasmRelu';

/** Inputs with exact zeros, where the gradient's convention (0 counts as negative) shows. */
function inputs(shape: number[]): { x: tf.Tensor; dy: tf.Tensor } {
  const x = tf.randomNormal(shape, 0, 1, 'float32', 11).mul(tf.randomUniform(shape, 0, 1, 'float32', 12).greater(0.1).toFloat());
  return { x, dy: tf.randomNormal(shape, 0, 1, 'float32', 13) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the (leaky) ReLU on wasm', () => {
  it.each([
    [[2, 33, 17, 16], 'relu'],
    [[2, 33, 17, 16], 'leaky'],
    [[7], 'relu'],
  ] as const)('of %j (%s): the same values as cpu, by our kernel', async (shape, kind) => {
    const forward = () => {
      const { x } = inputs([...shape]);
      return [kind === 'relu' ? tf.relu(x) : tf.leakyRelu(x, 0.2)];
    };
    const [cpu] = await valuesOn('cpu', forward);
    await valuesOn('wasm', () => []);
    const ours = vi.spyOn(heapKernelsOf((tf.backend() as unknown as WasmHeap).wasm), 'leakyRelu');
    const [wasm] = await valuesOn('wasm', forward);
    // ReLU exactly; the leaky slope is a float32 here (as in tfjs-wasm's kernel), cpu's a double.
    if (kind === 'relu') expect(Array.from(wasm)).toEqual(Array.from(cpu));
    else expect(relativeError(wasm, cpu)).toBeLessThan(1e-6);
    expect(ours).toHaveBeenCalledTimes(1);
  });
});

describe('the (leaky) ReLU gradient on wasm', () => {
  it.each([
    [[2, 33, 17, 16], 'relu'],
    [[2, 33, 17, 16], 'leaky'],
    [[7], 'leaky'],
  ] as const)('of %j (%s): the same as tfjs composes it on cpu, as one kernel', async (shape, kind) => {
    const grads = () => {
      const { x, dy } = inputs([...shape]);
      const f = (t: tf.Tensor) => (kind === 'relu' ? tf.relu(t) : tf.leakyRelu(t, 0.2)).mul(dy);
      return [tf.grad(f)(x)];
    };
    const [cpu] = await valuesOn('cpu', grads);
    const [wasm] = await valuesOn('wasm', grads);
    expect(Array.from(wasm)).toEqual(Array.from(cpu));
    const { x, dy } = inputs([...shape]);
    const profile = await tf.profile(() => tf.grad((t: tf.Tensor) => (kind === 'relu' ? tf.relu(t) : tf.leakyRelu(t, 0.2)).mul(dy))(x));
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain(RELU_GRADIENT);
    expect(names).not.toContain(kind === 'relu' ? 'Step' : 'Select');
    tf.dispose([x, dy, profile.result as tf.Tensor]);
  });

  it('leaves no tensors behind', async () => {
    await valuesOn('wasm', () => []);
    const { x, dy } = inputs([4, 8, 8, 3]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) tf.grad((t: tf.Tensor) => tf.leakyRelu(t, 0.2).mul(dy))(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, dy]);
  });
});
