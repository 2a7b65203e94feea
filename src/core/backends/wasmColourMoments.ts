import * as tf from '@tensorflow/tfjs';
import type { GradConfig, TensorInfo } from '@tensorflow/tfjs';
import { COLOUR_MOMENTS_KERNELS } from '../data/colourStats';
import { heapKernel, heapPointer, type WasmHeap } from './heapKernel';
import { chunksOf } from './simd/heapHelpers';
import { heapKernelsOf } from './simd/heapKernels';

/** Per image: Σ, Σ² of x then of its detail, 3 channels each (float64, as the kernel writes them). */
const SUMS = 12;

/**
 * The colour loss's moments of RGB images x [n, h, w, 3] as [n, 3, 4]: per image and channel the
 * mean and variance of x, then of its detail (x minus its 3×3 mean inside the image). tfjs
 * composes them from ~40 kernels forward and back over the colour window (eight images at the
 * training size), ~30 ms a 128 px CycleGAN step in Node; here one pass of our SIMD kernel
 * (colourMoments in assembly/heapKernels.ts), each chunk of rows summing into its own float64s.
 */
function forward(inputs: Record<string, TensorInfo>, backend: WasmHeap): TensorInfo {
  const { x } = inputs;
  const [n, h, w] = x.shape;
  const out = backend.makeOutput([n, 3, 4], 'float32');
  const kernels = heapKernelsOf(backend.wasm);
  const rowBytes = w * 12;
  const chunks = chunksOf(n * h, w * 3);
  // Each chunk's four rows, then its sums (4·rowBytes is a multiple of 8).
  const perChunk = 4 * rowBytes + n * SUMS * 8;
  const sums = kernels.withScratch(chunks.length * perChunk, (scratch) => {
    const xAt = heapPointer(backend, x);
    kernels.runAll(chunks.map(([from, to], p) => ['colourMoments', xAt, n, h, w, from, to, scratch + p * perChunk, scratch + p * perChunk + 4 * rowBytes]));
    return kernels.sumParts(scratch + 4 * rowBytes, perChunk, chunks.length, n * SUMS);
  });
  const pixels = h * w;
  const moments = backend.typedArrayFromHeap(out);
  for (let b = 0; b < n; b++) {
    for (let c = 0; c < 3; c++) {
      const [sx, sxx, sd, sdd] = [0, 1, 2, 3].map((s) => sums[b * SUMS + s * 3 + c]);
      const mean = sx / pixels;
      const detailMean = sd / pixels;
      moments.set([mean, Math.max(0, sxx / pixels - mean * mean), detailMean, Math.max(0, sdd / pixels - detailMean * detailMean)], (b * 3 + c) * 4);
    }
  }
  return out;
}

/**
 * dx from dy [n, 3, 4] (to each mean and variance): per channel, x's own terms Aₓ + Bₓ·x, and
 * the detail's A_d + B_d·d, which also flows back through each pixel's 3×3 mean. Two passes
 * (colourDetailGradient, then colourInputGradient), since the second reads the first's
 * neighbours.
 */
function backward(inputs: Record<string, TensorInfo>, backend: WasmHeap): TensorInfo {
  const { x } = inputs;
  const [n, h, w] = x.shape;
  const out = backend.makeOutput([...x.shape], 'float32');
  const moments = Float64Array.from(backend.typedArrayFromHeap(inputs.moments));
  const dy = Float64Array.from(backend.typedArrayFromHeap(inputs.dy));
  const pixels = h * w;
  const coefficients = new Float32Array(n * 12);
  for (let b = 0; b < n; b++) {
    for (let c = 0; c < 3; c++) {
      const j = (b * 3 + c) * 4;
      const slope = (2 * dy[j + 1]) / pixels;
      const detailSlope = (2 * dy[j + 3]) / pixels;
      coefficients[b * 12 + c] = dy[j] / pixels - slope * moments[j];
      coefficients[b * 12 + 3 + c] = slope;
      coefficients[b * 12 + 6 + c] = dy[j + 2] / pixels - detailSlope * moments[j + 2];
      coefficients[b * 12 + 9 + c] = detailSlope;
    }
  }
  const kernels = heapKernelsOf(backend.wasm);
  const rowBytes = w * 12;
  const chunks = chunksOf(n * h, w * 3);
  const imageBytes = n * h * rowBytes;
  kernels.withFloats([coefficients], imageBytes + chunks.length * 4 * rowBytes, (coefficientsAt, g) => {
    const rowScratch = (p: number) => g + imageBytes + p * 4 * rowBytes;
    const [xAt, dxAt] = [heapPointer(backend, x), heapPointer(backend, out)];
    kernels.runAll(chunks.map(([from, to], p) => ['colourDetailGradient', xAt, g, n, h, w, from, to, coefficientsAt, rowScratch(p)]));
    kernels.runAll(chunks.map(([from, to], p) => ['colourInputGradient', xAt, g, dxAt, n, h, w, from, to, coefficientsAt, rowScratch(p)]));
  });
  return out;
}

export const wasmColourMomentsConfig = heapKernel(COLOUR_MOMENTS_KERNELS.forward, forward);
export const wasmColourMomentsGradConfig = heapKernel(COLOUR_MOMENTS_KERNELS.backward, backward);

/** The gradient reads the forward's moments (its output) rather than summing them again. */
export const colourMomentsGradient: GradConfig = {
  kernelName: COLOUR_MOMENTS_KERNELS.forward,
  inputsToSave: ['x'],
  outputsToSave: [true],
  gradFunc: (dy, [x, moments]) => ({ x: () => tf.engine().runKernel(COLOUR_MOMENTS_KERNELS.backward, { x, moments, dy: dy as tf.Tensor }, {}) as tf.Tensor }),
};
