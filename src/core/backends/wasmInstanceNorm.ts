import type { TensorInfo } from '@tensorflow/tfjs';
import { INSTANCE_NORM_KERNELS } from '../networks/layers/customLayers.js';
import { backwardKernelGradient, heapKernel, heapPointer, type WasmHeap } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';

interface Attrs {
  epsilon: number;
}

/** Float64 sums (4 runs of `channels`) then float32 coefficients (4 runs): see assembly/heapKernels.ts. */
const scratchBytes = (channels: number) => channels * 4 * 8 + channels * 4 * 4;

/**
 * Per image: the SIMD kernel sums Σx and Σx² per channel (and Σdy, Σdy·x for the gradient) in
 * float64, in one pass; `coefficients` turns them into (m, a, k, b) per channel; a second pass
 * writes out = (x − m)·a + k (+ dy·b). tfjs composes instance norm from Mean, SquaredDifference and
 * Rsqrt: 9 kernels forward, ~25 backward.
 */
function perImage(
  backend: WasmHeap,
  [out, x, dy]: [TensorInfo, TensorInfo, TensorInfo | null],
  coefficients: (sums: Float64Array[], pixels: number, image: number) => Float32Array[],
): void {
  const [n, h, w, channels] = x.shape;
  const kernels = heapKernelsOf(backend.wasm);
  const [outAt, xAt, dyAt] = [heapPointer(backend, out), heapPointer(backend, x), dy === null ? 0 : heapPointer(backend, dy)];
  const pixels = h * w;
  kernels.withScratch(scratchBytes(channels), (scratch) => {
    const coefficientsAt = scratch + channels * 32;
    for (let b = 0; b < n; b++) {
      const offset = b * pixels * channels * 4;
      kernels.instanceNormSums(xAt + offset, dy === null ? 0 : dyAt + offset, pixels, channels, scratch);
      // Views after the call: the heap's buffer may have been replaced since the last ones.
      const sums = [0, 1, 2, 3].map((i) => new Float64Array(kernels.memory.buffer, scratch + i * channels * 8, channels));
      const runs = coefficients(sums, pixels, b);
      runs.forEach((run, i) => new Float32Array(kernels.memory.buffer, coefficientsAt + i * channels * 4, channels).set(run));
      kernels.instanceNormAffine(outAt + offset, xAt + offset, dy === null ? 0 : dyAt + offset, pixels, channels, coefficientsAt);
    }
  });
}

/** Per channel, the mean and 1/√(variance + ε) from Σx and Σx² (float64 keeps E[x²] − E[x]² exact enough). */
function moments(sx: Float64Array, sxx: Float64Array, pixels: number, epsilon: number): { mean: Float64Array; rstd: Float64Array } {
  const mean = sx.map((s) => s / pixels);
  const rstd = sxx.map((s, c) => 1 / Math.sqrt(Math.max(0, s / pixels - mean[c] * mean[c]) + epsilon));
  return { mean, rstd };
}

/** y = γ·(x − μ)/√(σ² + ε) + β over each image's H×W, per channel. */
function forward(inputs: Record<string, TensorInfo>, backend: WasmHeap, { epsilon }: Attrs): TensorInfo {
  const out = backend.makeOutput([...inputs.x.shape], 'float32');
  const gamma = Float64Array.from(backend.typedArrayFromHeap(inputs.gamma));
  const beta = Float32Array.from(backend.typedArrayFromHeap(inputs.beta));
  perImage(backend, [out, inputs.x, null], ([sx, sxx], pixels) => {
    const { mean, rstd } = moments(sx, sxx, pixels, epsilon);
    return [Float32Array.from(mean), Float32Array.from(rstd, (r, c) => r * gamma[c]), beta, new Float32Array(beta.length)];
  });
  return out;
}

/**
 * dβ = Σ dy, dγ = Σ dy·x̂ (over images and pixels), and per image and channel
 * dx = γr·(dy − mean(dy) − x̂·mean(dy·x̂)) with x̂ = (x − μ)·r, r = 1/√(σ² + ε). With
 * Σdy·x̂ = r·(Σdy·x − μ·Σdy), dx = (x − μ)·slope + offset + dy·γr per channel: one pass gathers
 * every sum, one writes dx.
 */
function backward(inputs: Record<string, TensorInfo>, backend: WasmHeap, { epsilon }: Attrs): TensorInfo[] {
  const channels = inputs.x.shape[3];
  const outs = [backend.makeOutput([...inputs.x.shape], 'float32'), backend.makeOutput([channels], 'float32'), backend.makeOutput([channels], 'float32')];
  const gamma = Float64Array.from(backend.typedArrayFromHeap(inputs.gamma));
  const sumDy = new Float64Array(channels);
  const sumDyXhat = new Float64Array(channels);
  perImage(backend, [outs[0], inputs.x, inputs.dy], ([sx, sxx, sdy, sdyx], pixels) => {
    const { mean, rstd } = moments(sx, sxx, pixels, epsilon);
    const dyXhat = sdyx.map((s, c) => rstd[c] * (s - mean[c] * sdy[c]));
    const gr = rstd.map((r, c) => gamma[c] * r);
    for (let c = 0; c < channels; c++) {
      sumDy[c] += sdy[c];
      sumDyXhat[c] += dyXhat[c];
    }
    const slope = Float32Array.from(gr, (g, c) => (-g * rstd[c] * dyXhat[c]) / pixels);
    const offset = Float32Array.from(gr, (g, c) => (-g * sdy[c]) / pixels);
    return [Float32Array.from(mean), slope, offset, Float32Array.from(gr)];
  });
  // Views only now: the kernels above may have grown the heap.
  backend.typedArrayFromHeap(outs[1]).set(sumDyXhat);
  backend.typedArrayFromHeap(outs[2]).set(sumDy);
  return outs;
}

export const wasmInstanceNormConfig = heapKernel(INSTANCE_NORM_KERNELS.forward, forward);
export const wasmInstanceNormGradConfig = heapKernel(INSTANCE_NORM_KERNELS.backward, backward);
export const instanceNormGradient = backwardKernelGradient(INSTANCE_NORM_KERNELS.forward, INSTANCE_NORM_KERNELS.backward, ['x', 'gamma'], ['x', 'gamma', 'beta']);
