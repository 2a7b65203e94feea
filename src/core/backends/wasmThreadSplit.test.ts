import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GlobalGrade, InstanceNorm, reflectionPad } from '../networks/layers';
import { relativeError, valuesOn } from '../testing/backends';
import { HeapThreads, type HeapCall } from './simd/heapHelpers';

// The heap kernels split large work into chunks, which threads share (Node's wasm backend has no
// threads, so here this thread runs them in turn; the helper threads: heapHelpers.test.ts).

/** `fn`'s values on cpu and on wasm, and the heap kernels that ran in more than one chunk on wasm. */
async function onBoth(fn: () => tf.Tensor[]): Promise<{ cpu: Float32Array[]; wasm: Float32Array[]; chunked: string[] }> {
  const cpu = await valuesOn('cpu', fn);
  const runAll = vi.spyOn(HeapThreads.prototype, 'runAll');
  const wasm = await valuesOn('wasm', fn);
  const chunked = new Set(runAll.mock.calls.filter(([calls]) => calls.length > 1).map(([calls]) => (calls[0] as HeapCall)[0]));
  return { cpu, wasm, chunked: [...chunked].sort() };
}

afterEach(() => {
  vi.restoreAllMocks();
});

function convGrads(x: [number, number, number, number], w: [number, number, number, number], stride: number): tf.Tensor[] {
  const xs = tf.randomNormal(x, 0, 1, 'float32', 1);
  const ws = tf.randomNormal(w, 0, 1, 'float32', 2);
  return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, 'same').square().sum())([xs, ws]);
}

/** A layer's output and its gradients to the input and every weight, under a random upstream gradient. */
function layerAndGrads(layer: tf.layers.Layer, x: tf.Tensor, weights?: (shape: number[], i: number) => tf.Tensor): tf.Tensor[] {
  layer.build(x.shape);
  if (weights) layer.setWeights(layer.weights.map((v, i) => weights(v.shape as number[], i)));
  const upstream = tf.randomNormal(x.shape, 0, 1, 'float32', 6);
  const variables = layer.trainableWeights.map((v) => v.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => (layer.apply(x) as tf.Tensor).mul(upstream).sum() as tf.Scalar, variables);
  const dx = tf.grad((t: tf.Tensor) => (layer.apply(t) as tf.Tensor).mul(upstream).sum())(x);
  const out = [layer.apply(x) as tf.Tensor, dx, ...variables.map((v) => grads[v.name])];
  layer.weights.forEach((v) => v.dispose());
  return out;
}

describe('heap kernels in chunks', () => {
  it.each([
    // Filter gradient from patch rows straight from NHWC, by taps; input gradient as a convolution.
    { x: [1, 48, 48, 16], w: [3, 3, 16, 24], stride: 1, kernels: ['gemm', 'patchRowsChannelsLast'] },
    // Both from patches: patch rows, and col2im by rows of the input.
    { x: [1, 64, 64, 8], w: [4, 4, 8, 32], stride: 2, kernels: ['gemm', 'patchColumnsAdd', 'patchRowsChannelsLast'] },
    // Six channels: patch rows from the input transposed to channels first, by rows.
    { x: [1, 64, 64, 6], w: [3, 3, 6, 24], stride: 1, kernels: ['gemm', 'patchColumnsAdd', 'patchRows'] },
    // Three outputs: the thin filter gradient, by taps.
    { x: [1, 48, 48, 16], w: [7, 7, 16, 3], stride: 1, kernels: ['gemm', 'thinFilterGrad'] },
  ] as const)('conv2d $x * $w stride $stride: $kernels in chunks give cpu’s gradients', async ({ x, w, stride, kernels }) => {
    const { cpu, wasm, chunked } = await onBoth(() => convGrads([...x], [...w], stride));
    expect(chunked).toEqual(kernels);
    wasm.forEach((values, i) => expect(relativeError(values, cpu[i]), `gradient ${i}`).toBeLessThan(1e-4));
  });

  // cpu sums 32768 pixels' weight gradients in float32, wasm in float64: they part at ~10⁻⁵.
  it('GlobalGrade: each chunk grades (and sharpens) its own pixels and sums its own weight gradients; all match cpu', async () => {
    const weights = (shape: number[], i: number) => tf.randomNormal(shape, 0, 0.05, 'float32', 30 + i);
    const { cpu, wasm, chunked } = await onBoth(() => layerAndGrads(new GlobalGrade({ knots: 8 }), tf.randomUniform([2, 128, 128, 3], -1.2, 1.2, 'float32', 5), weights));
    expect(chunked).toEqual(['gradeBackward', 'gradeForward', 'localDetail', 'localDetailGradient']);
    wasm.forEach((values, i) => expect(relativeError(values, cpu[i]), `output ${i}`).toBeLessThan(1e-4));
  });

  it('instance norm: each chunk sums its own pixels (forward and back) and normalises them; all match cpu', async () => {
    const weights = (shape: number[], i: number) => tf.randomNormal(shape, 1 - i, 0.5, 'float32', 40 + i);
    const { cpu, wasm, chunked } = await onBoth(() => layerAndGrads(new InstanceNorm(), tf.randomNormal([2, 64, 64, 8], 0.5, 2, 'float32', 7), weights));
    expect(chunked).toEqual(['instanceNormAffine', 'instanceNormSums']);
    wasm.forEach((values, i) => expect(relativeError(values, cpu[i]), `output ${i}`).toBeLessThan(1e-4));
  });

  it('reflection padding’s gradient: each chunk sums onto its own rows; all match cpu', async () => {
    const padGrad = () => {
      const x = tf.randomNormal([2, 48, 48, 16], 0, 1, 'float32', 8) as tf.Tensor4D;
      const upstream = tf.randomNormal([2, 50, 50, 16], 0, 1, 'float32', 9);
      return [tf.grad((t: tf.Tensor) => reflectionPad(t as tf.Tensor4D, 1).mul(upstream).sum())(x)];
    };
    const { cpu, wasm, chunked } = await onBoth(padGrad);
    expect(chunked).toEqual(['reflectionPadGrad']);
    expect(relativeError(wasm[0], cpu[0])).toBeLessThan(1e-6);
  });

  it('small work runs as one call', async () => {
    const { chunked } = await onBoth(() => convGrads([1, 8, 8, 4], [3, 3, 4, 8], 1));
    expect(chunked).toEqual([]);
  });
});
