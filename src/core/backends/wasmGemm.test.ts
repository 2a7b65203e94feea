import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { relativeError, valuesOn } from '../testing/backends';
import { compileHeapKernels } from './simd/compileHeapKernels';
import { heapKernelsOf, type HeapKernelExports } from './simd/heapKernels';
import type { WasmHeap } from './heapKernel';

const seeded = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
const seeded4 = (shape: number[], seed: number) => seeded(shape, seed) as tf.Tensor4D;

/** The activations tfjs's fused kernels take that our gemm applies, with leaky ReLU's slope. */
const FUSED_ACTIVATIONS = [
  ['linear', undefined],
  ['relu', undefined],
  ['leakyrelu', 0.2],
] as const;

/** The heap kernels one run of `fn` on wasm calls, by name, once per job. */
async function heapCallsOnWasm(fn: () => tf.Tensor[]): Promise<string[]> {
  await valuesOn('wasm', () => []);
  const kernels = heapKernelsOf((tf.backend() as unknown as WasmHeap).wasm);
  const runAll = kernels.runAll;
  const names: string[] = [];
  kernels.runAll = (calls) => {
    names.push(calls[0][0]);
    runAll(calls);
  };
  try {
    tf.dispose(tf.tidy(fn));
  } finally {
    kernels.runAll = runAll;
  }
  return names;
}

/** fn's values (and the gradients of Σ fn·w for its inputs) on wasm against cpu. */
async function expectCpuValues(fn: () => tf.Tensor[], tolerance = 1e-5): Promise<void> {
  const cpu = await valuesOn('cpu', fn);
  const wasm = await valuesOn('wasm', fn);
  expect(wasm.length).toBe(cpu.length);
  cpu.forEach((expected, i) => expect(relativeError(wasm[i], expected), `output ${i}`).toBeLessThan(tolerance));
}

describe('matrix products on wasm by our gemm', () => {
  it.each([
    ['rows and columns that fill no block', [13, 9], [9, 11], false, false],
    ['one row, one column', [1, 70], [70, 1], false, false],
    ['b transposed', [37, 70], [45, 70], false, true],
    ['a transposed', [70, 37], [70, 45], true, false],
    ['both transposed', [70, 37], [45, 70], true, true],
    ['two matrices each', [2, 5, 7], [2, 7, 3], false, false],
    ['one matrix against three', [1, 5, 7], [3, 4, 7], false, true],
    ['three against one', [3, 25, 7], [7, 20], false, false],
    ['rank 4, two by three matrices', [2, 3, 5, 7], [2, 3, 7, 4], false, false],
    ['a long sum', [30, 2050], [2050, 17], false, false],
  ])('%s: the values and gradients of cpu', async (_, aShape, bShape, transposeA, transposeB) => {
    await expectCpuValues(() => {
      const [a, b] = [seeded(aShape, 1), seeded(bShape, 2)];
      const f = (p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q, transposeA, transposeB);
      const weights = seeded(f(a, b).shape, 3);
      if (!tf.util.arraysEqual(aShape.slice(0, -2), bShape.slice(0, -2))) return [f(a, b)];
      return [f(a, b), ...tf.grads((p: tf.Tensor, q: tf.Tensor) => f(p, q).mul(weights).sum())([a, b])];
    });
  });

  it('runs every product as gemm jobs, one per matrix of B', async () => {
    const names = await heapCallsOnWasm(() => [tf.matMul(seeded([2, 5, 7], 1), seeded([2, 9, 7], 2), false, true), tf.matMul(seeded([7, 5], 1), seeded([7, 9], 2))]);
    expect(names.filter((n) => n === 'gemm')).toHaveLength(3);
    // Three matrices against one B: one taller product.
    const shared = await heapCallsOnWasm(() => [tf.matMul(seeded([3, 25, 7], 1), seeded([7, 20], 2))]);
    expect(shared.filter((n) => n === 'gemm')).toHaveLength(1);
  });

  it.each(FUSED_ACTIVATIONS)('dense layers with a bias and %s: the values and gradients of cpu', async (activation, leakyreluAlpha) => {
    await expectCpuValues(() => {
      const [a, b, bias] = [seeded([19, 21], 1), seeded([21, 10], 2), seeded([10], 3)];
      const f = (p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => tf.fused.matMul({ a: p as tf.Tensor2D, b: q as tf.Tensor2D, bias: r, activation, leakyreluAlpha });
      const weights = seeded([19, 10], 4);
      return [f(a, b, bias), ...tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => f(p, q, r).mul(weights).sum())([a, b, bias])];
    });
  });

  it('leaves no tensors behind', async () => {
    await valuesOn('wasm', () => []);
    const [a, b, x, w] = [seeded([3, 5, 7], 1), seeded([3, 6, 7], 2), seeded4([1, 9, 9, 4], 3), seeded4([3, 3, 4, 5], 4)];
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      tf.matMul(a, b, true, true).dispose();
      tf.conv2d(x, w, 2, 'same').dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b, x, w]);
  });
});

describe('convolutions on wasm by our gemm', () => {
  it.each([
    ['3×3 valid, 16 channels', [2, 11, 13, 16], [3, 3, 16, 12], 1, 'valid'],
    ['3×3 stride 2 same (padded on the bottom right)', [1, 12, 12, 8], [3, 3, 8, 16], 2, 'same'],
    ['3×3 stride 2 same on odd sizes', [1, 11, 9, 5], [3, 3, 5, 7], 2, 'same'],
    ['7×7 from three channels', [1, 14, 14, 3], [7, 7, 3, 8], 1, 'valid'],
    ['7×7 to three channels', [1, 14, 14, 8], [7, 7, 8, 3], 1, 'valid'],
    ['4×4 stride 2 to one channel', [2, 10, 10, 6], [4, 4, 6, 1], 2, 'valid'],
    ['1×1', [1, 5, 6, 9], [1, 1, 9, 10], 1, 'valid'],
  ] as const)('%s: the values and gradients of cpu', async (_, xShape, wShape, stride, pad) => {
    await expectCpuValues(() => {
      const [x, w] = [seeded4([...xShape], 1), seeded4([...wShape], 2)];
      const f = (p: tf.Tensor, q: tf.Tensor) => tf.conv2d(p as tf.Tensor4D, q as tf.Tensor4D, stride, pad);
      const weights = seeded(f(x, w).shape, 3);
      return [f(x, w), ...tf.grads((p: tf.Tensor, q: tf.Tensor) => f(p, q).mul(weights).sum())([x, w])];
    }, 1e-4);
  });

  it.each(FUSED_ACTIVATIONS)('with a bias and %s: the values and gradients of cpu', async (activation, leakyreluAlpha) => {
    await expectCpuValues(() => {
      const [x, w, bias] = [seeded([2, 9, 9, 4], 1), seeded([4, 4, 4, 6], 2), seeded([6], 3)];
      const f = (p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => tf.fused.conv2d({ x: p as tf.Tensor4D, filter: q as tf.Tensor4D, strides: 2, pad: 'valid', bias: r, activation, leakyreluAlpha });
      const weights = seeded(f(x, w, bias).shape, 4);
      return [f(x, w, bias), ...tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => f(p, q, r).mul(weights).sum())([x, w, bias])];
    }, 1e-4);
  });

  it('runs forward as gemm jobs, dilated ones excepted', async () => {
    const [x, w] = [seeded4([1, 8, 8, 4], 1), seeded4([3, 3, 4, 4], 2)];
    const names = await heapCallsOnWasm(() => [tf.conv2d(x, w, 1, 'valid'), tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'same', bias: seeded([4], 3) }), tf.conv2d(x, w, 1, 'valid', 'NHWC', 2)]);
    tf.dispose([x, w]);
    expect(names.filter((n) => n === 'gemm')).toHaveLength(2);
  });

  it('dilated convolutions stay tfjs-wasm’s, with its values', async () => {
    await expectCpuValues(() => [tf.conv2d(seeded4([1, 12, 12, 4], 1), seeded4([3, 3, 4, 5], 2), 1, 'valid', 'NHWC', 2)], 1e-4);
  });
});

describe('the gemm kernel of both builds', () => {
  /**
   * Each build (with and without relaxed SIMD, where this engine has it) on a heap of its own: a
   * convolution's rows read straight from an image, against the sum in float64.
   */
  it('sums each output of a strided convolution’s rows in any chunking, within float32 rounding', async () => {
    const builds = await compileHeapKernels();
    const available = [builds.plain, ...(WebAssembly.validate(builds.plainRelaxed) ? [builds.plainRelaxed] : [])];
    const [n, h, w, c, kh, kw, s, outs] = [2, 9, 11, 5, 3, 4, 2, 11];
    const [oh, ow] = [Math.floor((h - kh) / s) + 1, Math.floor((w - kw) / s) + 1];
    const rows = n * oh * ow;
    const k = kh * kw * c;
    const random = (count: number, seed: number) => Float32Array.from({ length: count }, (_, i) => Math.sin(seed * 1000 + i * 12.9898) * 2);
    const [x, filter, bias] = [random(n * h * w * c, 1), random(k * outs, 2), random(outs, 3)];
    const expected = new Float64Array(rows * outs);
    for (let r = 0; r < rows; r++) {
      const [image, y, xo] = [Math.floor(r / (oh * ow)), Math.floor((r % (oh * ow)) / ow), r % ow];
      for (let o = 0; o < outs; o++) {
        let sum = bias[o];
        for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) for (let ch = 0; ch < c; ch++) sum += x[((image * h + y * s + i) * w + xo * s + j) * c + ch] * filter[((i * kw + j) * c + ch) * outs + o];
        expected[r * outs + o] = Math.max(0, sum);
      }
    }
    for (const bytes of available) {
      const memory = new WebAssembly.Memory({ initial: 4 });
      const kernels = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as HeapKernelExports;
      const heap = new Float32Array(memory.buffer);
      const [xAt, filterAt, biasAt, panelsAt] = [0, x.length, x.length + filter.length, x.length + filter.length + 16].map((f) => f * 4);
      const outAt = panelsAt + Math.ceil(outs / 8) * (k + 1) * 32;
      heap.set(x, xAt / 4);
      heap.set(filter, filterAt / 4);
      heap.set(bias, biasAt / 4);
      kernels.packPanels(filterAt, biasAt, panelsAt, k, outs, 0);
      // Uneven chunks: blocks of 6 and 4 rows and single rows all take a part.
      for (const [from, to] of [[0, 7], [7, 8], [8, 21], [21, rows]]) kernels.gemm(xAt, panelsAt, outAt, outs, from, to, kh, kw * c, w * c * 4, ow, oh * ow, s * c * 4, s * w * c * 4, h * w * c * 4, 1, 0);
      const got = heap.subarray(outAt / 4, outAt / 4 + rows * outs);
      expect(relativeError(got, expected)).toBeLessThan(1e-6);
    }
  }, 60_000);
});
