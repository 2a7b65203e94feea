import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InstanceNorm } from '../networks/layers';
import { INSTANCE_NORM_KERNELS } from '../networks/layers/customLayers.js';
import { gradientKernelsOnWasm, relativeError, valuesOn } from '../testing/backends';

/** An affine instance norm with non-trivial γ and β, its output and its gradients to x, γ and β. */
function normAndGrads(shape: [number, number, number, number], epsilon: number, offset: number, spread: number): tf.Tensor[] {
  const channels = shape[3];
  const layer = new InstanceNorm({ epsilon });
  const x = tf.randomNormal(shape, offset, spread, 'float32', 3);
  layer.build(x.shape);
  const gamma = tf.randomNormal([channels], 1, 0.5, 'float32', 4);
  const beta = tf.randomNormal([channels], 0, 0.5, 'float32', 5);
  layer.setWeights([gamma, beta]);
  // A non-uniform upstream gradient, and a square so dy depends on the output.
  const upstream = tf.randomNormal(shape, 0, 1, 'float32', 6);
  const [g, b] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => (layer.apply(x) as tf.Tensor).mul(upstream).add((layer.apply(x) as tf.Tensor).square().mul(0.1)).sum() as tf.Scalar, [g, b]);
  const dx = tf.grad((xx: tf.Tensor) => (layer.apply(xx) as tf.Tensor).mul(upstream).sum())(x);
  const y = layer.apply(x) as tf.Tensor;
  // Its weights are variables, which tidy keeps.
  layer.weights.forEach((w) => w.dispose());
  return [y, dx, grads[g.name], grads[b.name], value];
}

describe('the fused instance norm kernels on wasm', () => {
  // The last case has a mean 200 times its spread: a variance from E[x²] − E[x]² in float32 fails it (10⁻³ off), in float64 it passes.
  it.each([
    [[2, 7, 5, 3], 1e-5, 0.5, 2],
    [[1, 16, 16, 32], 1e-5, 0.5, 2],
    [[1, 4, 4, 8], 1e-3, 0.5, 2],
    [[2, 8, 8, 16], 1e-5, 200, 1],
  ] as const)('shape %j, ε %f, inputs around %f ± %f: output and gradients to x, γ and β match the composed ops on cpu', async (shape, epsilon, offset, spread) => {
    const reference = await valuesOn('cpu', () => normAndGrads([...shape], epsilon, offset, spread));
    const fused = await valuesOn('wasm', () => normAndGrads([...shape], epsilon, offset, spread));
    expect(tf.getKernel(INSTANCE_NORM_KERNELS.forward, 'wasm')).toBeDefined();
    reference.forEach((r, i) => expect(relativeError(fused[i], r), `output ${i}`).toBeLessThan(1e-4));
  });

  it('runs one kernel forward and one backward on wasm', async () => {
    const names = await gradientKernelsOnWasm(new InstanceNorm(), tf.randomNormal([1, 8, 8, 4]));
    expect(names.filter((n) => n === INSTANCE_NORM_KERNELS.forward).length).toBe(1);
    expect(names.filter((n) => n === INSTANCE_NORM_KERNELS.backward).length).toBe(1);
    expect(names).not.toContain('Rsqrt');
  });
});
