import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GlobalGrade } from '../networks/layers';
import { GRADE_KERNELS, LOCAL_DETAIL_KERNELS } from '../networks/layers/customLayers.js';
import { gradientKernelsOnWasm, relativeError, valuesOn } from '../testing/backends';
import { HeapThreads, type HeapCall } from './simd/heapHelpers';

const KNOTS = 8;

/** Pixels in [-1.2, 1.2], with some exactly on knots (where |x|′ and relu′ conventions matter). */
function photo(shape: [number, number, number, number] = [2, 6, 5, 3]): tf.Tensor4D {
  return tf.tidy(() => {
    const random = tf.randomUniform(shape, -1.2, 1.2, 'float32', 21);
    const onKnots = Array.from({ length: tf.util.sizeFromShape(shape) }, (_, i) => (i % 4 === 0 ? ((i / 4) % KNOTS) * (2 / (KNOTS - 1)) - 1 : NaN));
    const mask = tf.tensor4d(onKnots.map((v) => (Number.isNaN(v) ? 0 : 1)), shape);
    return random.mul(tf.sub(1, mask)).add(tf.tensor4d(onKnots.map((v) => (Number.isNaN(v) ? 0 : v)), shape).mul(mask)) as tf.Tensor4D;
  });
}

/** The grade with random weights (or none: the identity start): output and gradients to the input and all five weights. */
function gradeAndGrads(weighted: boolean, shape?: [number, number, number, number]): tf.Tensor[] {
  const layer = new GlobalGrade({ knots: KNOTS });
  const x = photo(shape);
  layer.build(x.shape);
  if (weighted) layer.setWeights(layer.weights.map((w, i) => tf.randomNormal(w.shape as number[], 0, 0.05, 'float32', 30 + i)));
  const upstream = tf.randomNormal(x.shape, 0, 1, 'float32', 40);
  const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = () => (layer.apply(x) as tf.Tensor).mul(upstream).sum() as tf.Scalar;
  const { grads } = tf.variableGrads(loss, variables);
  const dx = tf.grad((t: tf.Tensor) => (layer.apply(t) as tf.Tensor).mul(upstream).sum())(x);
  const y = layer.apply(x) as tf.Tensor;
  const out = [y, dx, ...variables.map((v) => grads[v.name])];
  layer.weights.forEach((w) => w.dispose());
  return out;
}

describe('the fused GlobalGrade kernels on wasm', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([true, false])('weights %s: output and gradients to the input and every weight match the composed ops on cpu', async (weighted) => {
    const reference = await valuesOn('cpu', () => gradeAndGrads(weighted));
    const fused = await valuesOn('wasm', () => gradeAndGrads(weighted));
    expect(fused.length).toBe(7);
    reference.forEach((r, i) => expect(relativeError(fused[i], r), `output ${i}`).toBeLessThan(1e-5));
  });

  // The colour window at 64 px, the detail term's rows in chunks; one row; one column.
  it.each([
    [[8, 64, 64, 3], true],
    [[1, 1, 7, 3], false],
    [[2, 5, 1, 3], false],
  ] as const)('on %j: the detail term, its chunks (%s) and the gradients match cpu', async (shape, chunked) => {
    const reference = await valuesOn('cpu', () => gradeAndGrads(true, [...shape]));
    const runAll = vi.spyOn(HeapThreads.prototype, 'runAll');
    const fused = await valuesOn('wasm', () => gradeAndGrads(true, [...shape]));
    const detail = runAll.mock.calls.map(([calls]) => calls).filter((calls) => (calls[0] as HeapCall)[0].startsWith('localDetail'));
    // Forward twice (for dx, and the output), gradients twice (for the weights, for dx).
    expect(detail.map((calls) => (calls[0] as HeapCall)[0]).sort()).toEqual(['localDetail', 'localDetail', 'localDetail', 'localDetailGradient', 'localDetailGradient']);
    expect(detail.every((calls) => calls.length > 1)).toBe(chunked);
    // The weights' gradients sum over every pixel: cpu in float32, wasm per chunk in float64.
    reference.forEach((r, i) => expect(relativeError(fused[i], r), `output ${i}`).toBeLessThan(1e-4));
  });

  it('runs one kernel each way instead of the knot loop', async () => {
    const names = await gradientKernelsOnWasm(new GlobalGrade({ knots: KNOTS }), photo());
    expect(names.filter((n) => n === GRADE_KERNELS.forward).length).toBe(1);
    expect(names.filter((n) => n === GRADE_KERNELS.backward).length).toBe(1);
    expect(names.filter((n) => n === LOCAL_DETAIL_KERNELS.forward).length).toBe(1);
    expect(names.filter((n) => n === LOCAL_DETAIL_KERNELS.backward).length).toBe(1);
    expect(names).not.toContain('Abs');
    expect(names).not.toContain('AvgPool');
  });
});
