import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { valuesOn } from '../testing/backends';
import { withSharedSaves } from './sharedSaves';

/** A small network's loss and its gradients: every kernel in it saves tensors for backprop. */
function lossAndGrads(weights: tf.Variable[], x: tf.Tensor4D): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const [filter, dense] = weights;
  return tf.variableGrads(() => {
    const y = tf.conv2d(x, filter as tf.Tensor4D, 1, 'same').relu();
    return tf.matMul(y.reshape([x.shape[0], -1]), dense as tf.Tensor2D).square().mean() as tf.Scalar;
  }, weights);
}

async function setUp(): Promise<{ weights: tf.Variable[]; x: tf.Tensor4D }> {
  await valuesOn('wasm', () => []);
  const weights = [tf.variable(tf.randomNormal([3, 3, 2, 4], 0, 0.5, 'float32', 1)), tf.variable(tf.randomNormal([6 * 6 * 4, 3], 0, 0.5, 'float32', 2))];
  return { weights, x: tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 3) as tf.Tensor4D };
}

async function identities(run: () => void): Promise<number> {
  const profile = await tf.profile(() => tf.tidy(run));
  return profile.kernels.filter((k) => k.name === 'Identity').length;
}

describe('withSharedSaves', () => {
  it('gives the same loss and gradients on wasm without an Identity kernel per saved tensor', async () => {
    const { weights, x } = await setUp();
    const own = lossAndGrads(weights, x);
    const shared = withSharedSaves(() => lossAndGrads(weights, x));
    expect(await shared.value.data()).toEqual(await own.value.data());
    for (const name of Object.keys(own.grads)) expect(await shared.grads[name].data()).toEqual(await own.grads[name].data());
    expect(await identities(() => lossAndGrads(weights, x))).toBeGreaterThan(5);
    expect(await identities(() => withSharedSaves(() => lossAndGrads(weights, x)))).toBe(0);
    tf.dispose([own.value, shared.value, ...Object.values(own.grads), ...Object.values(shared.grads), x, ...weights]);
  });

  it('leaves the tensor count flat over many steps, and tfjs its own clone after a throw', async () => {
    const { weights, x } = await setUp();
    const optimizer = tf.train.adam(0.01);
    const step = () => {
      const { value, grads } = lossAndGrads(weights, x);
      optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      tf.dispose([value, ...Object.values(grads)]);
    };
    withSharedSaves(step);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) withSharedSaves(() => withSharedSaves(step));
    expect(tf.memory().numTensors).toBe(before);
    expect(() =>
      withSharedSaves(() => {
        throw new Error('a failed step');
      }),
    ).toThrow('a failed step');
    expect(await identities(() => lossAndGrads(weights, x))).toBeGreaterThan(5);
    optimizer.dispose();
    tf.dispose([x, ...weights]);
  });
});
