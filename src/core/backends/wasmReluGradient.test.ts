import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { valuesOn } from '../testing/backends';
import { RELU_GRADIENT } from './wasmReluGradient';

/** Inputs with exact zeros, where the gradient's convention (0 counts as negative) shows. */
function inputs(shape: number[]): { x: tf.Tensor; dy: tf.Tensor } {
  const x = tf.randomNormal(shape, 0, 1, 'float32', 11).mul(tf.randomUniform(shape, 0, 1, 'float32', 12).greater(0.1).toFloat());
  return { x, dy: tf.randomNormal(shape, 0, 1, 'float32', 13) };
}

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
