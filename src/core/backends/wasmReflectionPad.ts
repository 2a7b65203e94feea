import type { TensorInfo } from '@tensorflow/tfjs';
import { REFLECTION_PAD_GRAD_KERNEL } from '../networks/layers/customLayers.js';
import { heapKernel, type WasmHeap } from './heapKernel';

/** Where padded coordinate `u` of an axis padded by `pad` reads from in a source of `n` entries. */
function source(u: number, pad: number, n: number): number {
  const v = u - pad;
  if (v < 0) return -v;
  if (v >= n) return 2 * n - 2 - v;
  return v;
}

/**
 * The gradient of reflection padding H and W by `pad` (NHWC): each source pixel collects the
 * gradient of every padded position that copies it. One pass, where the composed version costs
 * ~14 slices, pads and adds per padding (see customLayers.js, foldReflected).
 */
function reflectionPadGrad(dyInfo: TensorInfo, backend: WasmHeap, pad: number): TensorInfo {
  const [n, hp, wp, c] = dyInfo.shape;
  const [h, w] = [hp - 2 * pad, wp - 2 * pad];
  const out = backend.makeOutput([n, h, w, c], 'float32');
  const dy = backend.typedArrayFromHeap(dyInfo);
  const dx = backend.typedArrayFromHeap(out);
  dx.fill(0);
  const columns = Int32Array.from({ length: wp }, (_, u) => source(u, pad, w));
  for (let b = 0; b < n; b++) {
    for (let u = 0; u < hp; u++) {
      const row = (b * h + source(u, pad, h)) * w;
      const from = (b * hp + u) * wp;
      for (let x = 0; x < wp; x++) {
        const target = (row + columns[x]) * c;
        const origin = (from + x) * c;
        for (let k = 0; k < c; k++) dx[target + k] += dy[origin + k];
      }
    }
  }
  return out;
}

export const wasmReflectionPadGradConfig = heapKernel<{ pad: number }>(REFLECTION_PAD_GRAD_KERNEL, (inputs, backend, { pad }) => reflectionPadGrad(inputs.dy, backend, pad));
