import type { TensorInfo } from '@tensorflow/tfjs';
import { GRADE_KERNELS } from '../networks/layers/customLayers.js';
import { backwardKernelGradient, heapKernel, type WasmHeap } from './heapKernel';

interface Attrs {
  rate: number;
}

const f = Math.fround;

/**
 * GlobalGrade's per-pixel part, as customLayers.js composes it: for each channel c of each pixel,
 * t = (x + 1)·(K − 1)/2, curved = x + Σₖ relu(1 − |t − k|)·curves[c, k],
 * g = curved·(1 + rate·gain[c]) + rate·offset[c], and out = g + g·mix (a 3×3 matrix on the right).
 * The forward rounds to float32 where tfjs's ops would.
 */
function forward(inputs: Record<string, TensorInfo>, backend: WasmHeap, { rate }: Attrs): TensorInfo {
  const out = backend.makeOutput([...inputs.x.shape], 'float32');
  const [x, curves, gain, offset, mix, y] = [inputs.x, inputs.curves, inputs.gain, inputs.offset, inputs.mix, out].map((t) => backend.typedArrayFromHeap(t));
  const knots = inputs.curves.shape[1];
  const half = f((knots - 1) / 2);
  const scale = [0, 1, 2].map((c) => f(f(gain[c] * f(rate)) + 1));
  const shift = [0, 1, 2].map((c) => f(offset[c] * f(rate)));
  const g = [0, 0, 0];
  for (let p = 0; p < x.length; p += 3) {
    for (let c = 0; c < 3; c++) {
      const v = x[p + c];
      const t = f(f(v + 1) * half);
      let curved = v;
      // Only the knots either side of t have a hat above zero: the others add nothing.
      const first = Math.max(0, Math.floor(t));
      for (let k = first; k <= first + 1 && k < knots; k++) {
        const hat = f(1 - Math.abs(f(t - k)));
        if (hat > 0) curved = f(curved + f(hat * curves[c * knots + k]));
      }
      g[c] = f(f(curved * scale[c]) + shift[c]);
    }
    for (let c = 0; c < 3; c++) y[p + c] = g[c] + (g[0] * mix[c] + g[1] * mix[3 + c] + g[2] * mix[6 + c]);
  }
  return out;
}

/** Gradients of `forward` to x, curves, gain, offset and mix, with tfjs's |x|′ = −1 at 0 and relu′(0) = 0. */
function backward(inputs: Record<string, TensorInfo>, backend: WasmHeap, { rate }: Attrs): TensorInfo[] {
  const knots = inputs.curves.shape[1];
  const outs = [
    backend.makeOutput([...inputs.x.shape], 'float32'),
    backend.makeOutput([3, knots], 'float32'),
    backend.makeOutput([3], 'float32'),
    backend.makeOutput([3], 'float32'),
    backend.makeOutput([3, 3], 'float32'),
  ];
  const [x, curves, gain, offset, mix, dy, dx, dCurves, dGain, dOffset, dMix] = [inputs.x, inputs.curves, inputs.gain, inputs.offset, inputs.mix, inputs.dy, ...outs].map((t) =>
    backend.typedArrayFromHeap(t),
  );
  const half = (knots - 1) / 2;
  const scale = [0, 1, 2].map((c) => gain[c] * rate + 1);
  const sums = { curves: new Float64Array(3 * knots), gain: new Float64Array(3), offset: new Float64Array(3), mix: new Float64Array(9) };
  const curvedOf = [0, 0, 0];
  const slopeOf = [0, 0, 0];
  for (let p = 0; p < x.length; p += 3) {
    for (let c = 0; c < 3; c++) {
      const v = x[p + c];
      const t = (v + 1) * half;
      let curved = v;
      let slope = 1;
      const first = Math.max(0, Math.floor(t));
      for (let k = first; k <= first + 1 && k < knots; k++) {
        const d = t - k;
        if (1 - Math.abs(d) > 0) {
          curved += (1 - Math.abs(d)) * curves[c * knots + k];
          slope -= (d > 0 ? 1 : -1) * half * curves[c * knots + k];
        }
      }
      curvedOf[c] = curved;
      slopeOf[c] = slope;
    }
    for (let c = 0; c < 3; c++) {
      const g = curvedOf[c] * scale[c] + rate * offset[c];
      const dOut = dy[p + c];
      // out_j = g_j + Σ_i g_i·mix[i, j]: g_c reaches every output through row c of mix.
      const dg = dOut + mix[3 * c] * dy[p] + mix[3 * c + 1] * dy[p + 1] + mix[3 * c + 2] * dy[p + 2];
      for (let j = 0; j < 3; j++) sums.mix[3 * c + j] += g * dy[p + j];
      sums.offset[c] += rate * dg;
      sums.gain[c] += rate * curvedOf[c] * dg;
      const dCurved = dg * scale[c];
      const t = (x[p + c] + 1) * half;
      const first = Math.max(0, Math.floor(t));
      for (let k = first; k <= first + 1 && k < knots; k++) {
        const hat = 1 - Math.abs(t - k);
        if (hat > 0) sums.curves[c * knots + k] += hat * dCurved;
      }
      dx[p + c] = dCurved * slopeOf[c];
    }
  }
  dCurves.set(sums.curves);
  dGain.set(sums.gain);
  dOffset.set(sums.offset);
  dMix.set(sums.mix);
  return outs;
}

export const wasmGradeConfig = heapKernel(GRADE_KERNELS.forward, forward);
export const wasmGradeGradConfig = heapKernel(GRADE_KERNELS.backward, backward);
export const gradeGradient = backwardKernelGradient(GRADE_KERNELS.forward, GRADE_KERNELS.backward, ['x', 'curves', 'gain', 'offset', 'mix'], ['x', 'curves', 'gain', 'offset', 'mix']);
