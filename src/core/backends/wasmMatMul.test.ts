import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { relativeError, valuesOn } from '../testing/backends';
import { registerWasmTrainingKernels } from './wasmKernels';

// Where WebAssembly has SIMD our gemm takes every product (wasmGemm.test.ts); this wrapper serves
// the rest. The first registration decides, so it comes first.
beforeAll(() => registerWasmTrainingKernels({ simd: false }));

/**
 * a·b (with the transposes asked), from seeded inputs, and its gradients for both sides where
 * neither side is broadcast (tfjs's BatchMatMul gradient does not sum over broadcast matrices).
 */
function products(aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean): () => tf.Tensor[] {
  return () => {
    const a = tf.randomNormal(aShape, 0, 1, 'float32', 1);
    const b = tf.randomNormal(bShape, 0, 1, 'float32', 2);
    const f = (p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q, transposeA, transposeB);
    const weights = tf.randomNormal(f(a, b).shape, 0, 1, 'float32', 3);
    if (!tf.util.arraysEqual(aShape.slice(0, -2), bShape.slice(0, -2))) return [f(a, b)];
    return [f(a, b), ...tf.grads((p: tf.Tensor, q: tf.Tensor) => f(p, q).mul(weights).sum())([a, b])];
  };
}

describe('BatchMatMul on wasm without SIMD', () => {
  it.each([
    ['one matrix each, b transposed', [37, 70], [45, 70], false, true],
    ['two matrices each', [2, 5, 7], [2, 7, 3], false, false],
    ['two matrices each, a transposed', [2, 7, 5], [2, 7, 3], true, false],
    ['one matrix against three', [1, 5, 7], [3, 4, 7], false, true],
    ['three against one', [3, 5, 7], [7, 4], false, false],
    ['rank 4, two by three matrices', [2, 3, 5, 7], [2, 3, 7, 4], false, false],
  ])('%s: the values (and gradients) of cpu, one XNNPACK product per matrix', async (_, aShape, bShape, transposeA, transposeB) => {
    const cpu = await valuesOn('cpu', products(aShape, bShape, transposeA, transposeB));
    const wasm = await valuesOn('wasm', products(aShape, bShape, transposeA, transposeB));
    cpu.forEach((expected, i) => expect(relativeError(wasm[i], expected), `output ${i}`).toBeLessThan(1e-5));
    const profile = await tf.profile(() => tf.tidy(() => products(aShape, bShape, transposeA, transposeB)()));
    tf.dispose(profile.result as tf.Tensor[]);
    // Every product that reaches tfjs-wasm's own kernel is one untransposed matrix times another:
    // the only kind it hands to XNNPACK.
    const inner = profile.kernels.filter((k) => k.name === 'BatchMatMul' && k.inputShapes.every((s) => s !== undefined && s.length <= 3 && (s.length < 3 || s[0] === 1)));
    expect(inner.length).toBeGreaterThan(0);
    const leftovers = profile.kernels.filter((k) => k.name === 'BatchMatMul' && !inner.includes(k));
    // A call the wrapper split or transposed has its parts nested inside it.
    expect(inner.length).toBeGreaterThanOrEqual(leftovers.length);
  });

  it('leaves no tensors behind', async () => {
    await valuesOn('wasm', () => []);
    const [a, b] = [tf.randomNormal([3, 5, 7]), tf.randomNormal([3, 6, 7])];
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) tf.matMul(a, b, false, true).dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });
});
