import * as tf from '@tensorflow/tfjs';
import { registerCpuKernelFixes } from '../backends/cpuKernels';
import { selectWasmBackend } from '../backends/nodeWasm';

/** Runs `fn` on the named backend and returns its tensors' values as plain arrays. */
export async function valuesOn(backend: 'cpu' | 'wasm', fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  if (backend === 'wasm') await selectWasmBackend();
  else {
    registerCpuKernelFixes();
    await tf.setBackend('cpu');
  }
  const out = tf.tidy(fn);
  const values = await Promise.all(out.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose(out);
  return values;
}

/** Largest |a − b| relative to the largest |b|, so the scale of a gradient does not matter. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-12;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/**
 * The kernels a layer's forward pass and its input gradient run on wasm (names, in order),
 * for tests that a fused kernel replaced the composed ops. Builds the layer on `x`, then frees both.
 */
export async function gradientKernelsOnWasm(layer: tf.layers.Layer, x: tf.Tensor): Promise<string[]> {
  await valuesOn('wasm', () => []);
  layer.build(x.shape);
  const profile = await tf.profile(() => tf.grad((t: tf.Tensor) => (layer.apply(t) as tf.Tensor).sum())(x));
  tf.dispose([x, profile.result as tf.Tensor]);
  layer.weights.forEach((w) => w.dispose());
  return profile.kernels.map((k) => k.name);
}
