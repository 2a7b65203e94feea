import type { TensorInfo } from '@tensorflow/tfjs';
import { INSTANCE_NORM_KERNELS } from '../networks/layers/customLayers.js';
import { backwardKernelGradient, heapKernel, type WasmHeap } from './heapKernel';

interface Attrs {
  epsilon: number;
}

/**
 * Per image and channel of an NHWC tensor: the mean and 1/√(variance + ε), in float64 (tfjs
 * composes these from Mean, SquaredDifference and Rsqrt: 9 kernels forward, ~25 backward).
 */
function statistics(x: ArrayLike<number>, n: number, pixels: number, channels: number, epsilon: number): { mean: Float64Array; rstd: Float64Array } {
  const mean = new Float64Array(n * channels);
  const rstd = new Float64Array(n * channels);
  for (let b = 0; b < n; b++) {
    const base = b * pixels * channels;
    const row = b * channels;
    for (let p = 0; p < pixels; p++) for (let c = 0; c < channels; c++) mean[row + c] += x[base + p * channels + c];
    for (let c = 0; c < channels; c++) mean[row + c] /= pixels;
    for (let p = 0; p < pixels; p++) {
      for (let c = 0; c < channels; c++) {
        const d = x[base + p * channels + c] - mean[row + c];
        rstd[row + c] += d * d;
      }
    }
    for (let c = 0; c < channels; c++) rstd[row + c] = 1 / Math.sqrt(rstd[row + c] / pixels + epsilon);
  }
  return { mean, rstd };
}

/** y = γ·(x − μ)/√(σ² + ε) + β over each image's H×W, per channel. */
function forward(inputs: Record<string, TensorInfo>, backend: WasmHeap, { epsilon }: Attrs): TensorInfo {
  const [n, h, w, channels] = inputs.x.shape;
  const out = backend.makeOutput([...inputs.x.shape], 'float32');
  const [x, gamma, beta, y] = [inputs.x, inputs.gamma, inputs.beta, out].map((t) => backend.typedArrayFromHeap(t));
  const pixels = h * w;
  const { mean, rstd } = statistics(x, n, pixels, channels, epsilon);
  for (let b = 0; b < n; b++) {
    const base = b * pixels * channels;
    const row = b * channels;
    for (let p = 0; p < pixels; p++) {
      for (let c = 0; c < channels; c++) {
        const i = base + p * channels + c;
        y[i] = (x[i] - mean[row + c]) * rstd[row + c] * gamma[c] + beta[c];
      }
    }
  }
  return out;
}

/**
 * dβ = Σ dy, dγ = Σ dy·x̂ (over images and pixels), and per image and channel
 * dx = r·(g − mean(g) − x̂·mean(g·x̂)) with g = γ·dy, x̂ the normalised input, r = 1/√(σ² + ε).
 */
function backward(inputs: Record<string, TensorInfo>, backend: WasmHeap, { epsilon }: Attrs): TensorInfo[] {
  const [n, h, w, channels] = inputs.x.shape;
  const outs = [backend.makeOutput([...inputs.x.shape], 'float32'), backend.makeOutput([channels], 'float32'), backend.makeOutput([channels], 'float32')];
  const [x, gamma, dy, dx, dGamma, dBeta] = [inputs.x, inputs.gamma, inputs.dy, ...outs].map((t) => backend.typedArrayFromHeap(t));
  const pixels = h * w;
  const { mean, rstd } = statistics(x, n, pixels, channels, epsilon);
  const sumDy = new Float64Array(channels);
  const sumDyXhat = new Float64Array(channels);
  for (let b = 0; b < n; b++) {
    const base = b * pixels * channels;
    const row = b * channels;
    const s = new Float64Array(channels);
    const sx = new Float64Array(channels);
    for (let p = 0; p < pixels; p++) {
      for (let c = 0; c < channels; c++) {
        const i = base + p * channels + c;
        const xhat = (x[i] - mean[row + c]) * rstd[row + c];
        s[c] += dy[i];
        sx[c] += dy[i] * xhat;
      }
    }
    for (let c = 0; c < channels; c++) {
      sumDy[c] += s[c];
      sumDyXhat[c] += sx[c];
    }
    for (let p = 0; p < pixels; p++) {
      for (let c = 0; c < channels; c++) {
        const i = base + p * channels + c;
        const r = rstd[row + c];
        const xhat = (x[i] - mean[row + c]) * r;
        dx[i] = gamma[c] * r * (dy[i] - s[c] / pixels - (xhat * sx[c]) / pixels);
      }
    }
  }
  for (let c = 0; c < channels; c++) {
    dGamma[c] = sumDyXhat[c];
    dBeta[c] = sumDy[c];
  }
  return outs;
}

export const wasmInstanceNormConfig = heapKernel(INSTANCE_NORM_KERNELS.forward, forward);
export const wasmInstanceNormGradConfig = heapKernel(INSTANCE_NORM_KERNELS.backward, backward);
export const instanceNormGradient = backwardKernelGradient(INSTANCE_NORM_KERNELS.forward, INSTANCE_NORM_KERNELS.backward, ['x', 'gamma'], ['x', 'gamma', 'beta']);
