import type { TensorInfo } from '@tensorflow/tfjs';
import { INSTANCE_NORM_KERNELS } from '../networks/layers/customLayers.js';
import { backwardKernelGradient, heapKernel, heapPointer, type WasmHeap } from './heapKernel';
import { chunksOf } from './simd/heapHelpers';
import { heapKernelsOf } from './simd/heapKernels';

interface Attrs {
  epsilon: number;
}

/** Float64 sums: 4 runs of `channels` per chunk. */
const sumBytes = (channels: number) => channels * 4 * 8;

/**
 * Per image: the SIMD kernel sums Σx and Σx² per channel (and Σdy, Σdy·x for the gradient) in
 * float64, in one pass; `coefficients` turns them into (m, a, k, b) per channel, written in place
 * over the heap; a second pass writes out = (x − m)·a + k (+ dy·b). Both passes go in chunks of
 * pixels, which threads share; each chunk sums into its own scratch, added up here in chunk order.
 * tfjs composes instance norm from Mean, SquaredDifference and Rsqrt: 9 kernels forward, ~25
 * backward. The per-channel arithmetic is plain loops: typed-array map/from callbacks cost ~60 µs
 * a call, a tenth of the forward kernel at 64 px.
 */
function perImage(
  backend: WasmHeap,
  [out, x, dy]: [TensorInfo, TensorInfo, TensorInfo | null],
  coefficients: (sums: Float64Array, into: Float32Array, pixels: number) => void,
): void {
  const [n, h, w, channels] = x.shape;
  const kernels = heapKernelsOf(backend.wasm);
  const [outAt, xAt, dyAt] = [heapPointer(backend, out), heapPointer(backend, x), dy === null ? 0 : heapPointer(backend, dy)];
  const pixels = h * w;
  const pixelBytes = channels * 4;
  const chunks = chunksOf(pixels, dy === null ? channels : 2 * channels);
  kernels.withScratch(chunks.length * sumBytes(channels) + channels * 4 * 4, (scratch) => {
    const coefficientsAt = scratch + chunks.length * sumBytes(channels);
    for (let b = 0; b < n; b++) {
      const image = b * pixels * pixelBytes;
      const at = (pointer: number, from: number) => (pointer === 0 ? 0 : pointer + image + from * pixelBytes);
      kernels.runAll(chunks.map(([from, to], c) => ['instanceNormSums', at(xAt, from), at(dyAt, from), to - from, channels, scratch + c * sumBytes(channels)]));
      // A view after the calls: the heap's buffer may have been replaced since the last one.
      coefficients(kernels.sumParts(scratch, sumBytes(channels), chunks.length, channels * 4), new Float32Array(kernels.memory.buffer, coefficientsAt, channels * 4), pixels);
      kernels.runAll(chunks.map(([from, to]) => ['instanceNormAffine', at(outAt, from), at(xAt, from), at(dyAt, from), to - from, channels, coefficientsAt]));
    }
  });
}

/** 1/√(variance + ε) from a channel's mean and Σx² (float64 keeps E[x²] − E[x]² exact enough). */
function rstdOf(mean: number, sumOfSquares: number, pixels: number, epsilon: number): number {
  return 1 / Math.sqrt(Math.max(0, sumOfSquares / pixels - mean * mean) + epsilon);
}

/** y = γ·(x − μ)/√(σ² + ε) + β over each image's H×W, per channel. */
function forward(inputs: Record<string, TensorInfo>, backend: WasmHeap, { epsilon }: Attrs): TensorInfo {
  const out = backend.makeOutput([...inputs.x.shape], 'float32');
  const channels = inputs.x.shape[3];
  const gamma = Float64Array.from(backend.typedArrayFromHeap(inputs.gamma));
  const beta = Float32Array.from(backend.typedArrayFromHeap(inputs.beta));
  perImage(backend, [out, inputs.x, null], (sums, into, pixels) => {
    for (let c = 0; c < channels; c++) {
      const mean = sums[c] / pixels;
      into[c] = mean;
      into[channels + c] = rstdOf(mean, sums[channels + c], pixels, epsilon) * gamma[c];
      into[2 * channels + c] = beta[c];
      into[3 * channels + c] = 0;
    }
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
  perImage(backend, [outs[0], inputs.x, inputs.dy], (sums, into, pixels) => {
    for (let c = 0; c < channels; c++) {
      const mean = sums[c] / pixels;
      const rstd = rstdOf(mean, sums[channels + c], pixels, epsilon);
      const sdy = sums[2 * channels + c];
      const dyXhat = rstd * (sums[3 * channels + c] - mean * sdy);
      const gr = gamma[c] * rstd;
      sumDy[c] += sdy;
      sumDyXhat[c] += dyXhat;
      into[c] = mean;
      into[channels + c] = (-gr * rstd * dyXhat) / pixels;
      into[2 * channels + c] = (-gr * sdy) / pixels;
      into[3 * channels + c] = gr;
    }
  });
  // Views only now: the kernels above may have grown the heap.
  backend.typedArrayFromHeap(outs[1]).set(sumDyXhat);
  backend.typedArrayFromHeap(outs[2]).set(sumDy);
  return outs;
}

export const wasmInstanceNormConfig = heapKernel(INSTANCE_NORM_KERNELS.forward, forward);
export const wasmInstanceNormGradConfig = heapKernel(INSTANCE_NORM_KERNELS.backward, backward);
export const instanceNormGradient = backwardKernelGradient(INSTANCE_NORM_KERNELS.forward, INSTANCE_NORM_KERNELS.backward, ['x', 'gamma'], ['x', 'gamma', 'beta']);
