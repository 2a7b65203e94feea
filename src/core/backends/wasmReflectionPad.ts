import type { TensorInfo } from '@tensorflow/tfjs';
import { REFLECTION_PAD_GRAD_KERNEL } from '../networks/layers/customLayers.js';
import { heapKernel, heapPointer, type WasmHeap } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';

/**
 * The gradient of reflection padding H and W by `pad` (NHWC): each source pixel collects the
 * gradient of every padded position that copies it. One SIMD pass (assembly/heapKernels.ts),
 * where the composed version costs ~14 slices, pads and adds per padding (see customLayers.js,
 * foldReflected).
 */
function reflectionPadGrad(dyInfo: TensorInfo, backend: WasmHeap, pad: number): TensorInfo {
  const [n, hp, wp, c] = dyInfo.shape;
  const [h, w] = [hp - 2 * pad, wp - 2 * pad];
  const out = backend.makeOutput([n, h, w, c], 'float32');
  heapKernelsOf(backend.wasm).reflectionPadGrad(heapPointer(backend, dyInfo), heapPointer(backend, out), n, h, w, c, pad);
  return out;
}

export const wasmReflectionPadGradConfig = heapKernel<{ pad: number }>(REFLECTION_PAD_GRAD_KERNEL, (inputs, backend, { pad }) => reflectionPadGrad(inputs.dy, backend, pad));
