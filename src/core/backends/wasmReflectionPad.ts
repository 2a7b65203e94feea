import type { KernelConfig, MirrorPadAttrs, TensorInfo } from '@tensorflow/tfjs';
import { REFLECTION_PAD_GRAD_KERNEL } from '../networks/layers/customLayers.js';
import { heapKernel, heapKernelOr, heapPointer, type WasmHeap } from './heapKernel';
import { chunksOf } from './simd/heapHelpers';
import { heapKernelsOf } from './simd/heapKernels';

/**
 * The gradient of reflection padding H and W by `pad` (NHWC): each source pixel collects the
 * gradient of every padded position that copies it. One SIMD pass (assembly/heapKernels.ts), in
 * chunks of source rows that threads share, where the composed version costs ~14 slices, pads and
 * adds per padding (see customLayers.js, foldReflected).
 */
function reflectionPadGrad(dyInfo: TensorInfo, backend: WasmHeap, pad: number): TensorInfo {
  const [n, hp, wp, c] = dyInfo.shape;
  const [h, w] = [hp - 2 * pad, wp - 2 * pad];
  const out = backend.makeOutput([n, h, w, c], 'float32');
  const [dyAt, dxAt] = [heapPointer(backend, dyInfo), heapPointer(backend, out)];
  // Each chunk sums onto its own rows of the unpadded images.
  const rows = chunksOf(n * h, (wp * hp * c) / h);
  heapKernelsOf(backend.wasm).runAll(rows.map(([from, to]) => ['reflectionPadGrad', dyAt, dxAt, n, h, w, c, pad, from, to]));
  return out;
}

export const wasmReflectionPadGradConfig = heapKernel<{ pad: number }>(REFLECTION_PAD_GRAD_KERNEL, (inputs, backend, { pad }) => reflectionPadGrad(inputs.dy, backend, pad));

/**
 * MirrorPad on wasm where it is the reflection padding of H and W alike (ReflectionPad2D's): one
 * pass of our kernel, a run per image row and a copy per padded pixel. tfjs-wasm's own computes
 * every element's source: 0.7 ms for [1,128,128,32] → [1,130,130,32] in Node. Other paddings,
 * modes and dtypes go to the original.
 */
export function wasmMirrorPadConfig(original: KernelConfig): KernelConfig {
  return heapKernelOr<MirrorPadAttrs>(original, (inputs, backend, attrs) => {
    const { x } = inputs as { x: TensorInfo };
    const { paddings, mode } = attrs;
    const pad = paddings[1]?.[0] ?? 0;
    const alike = x.shape.length === 4 && paddings.every(([before, after], i) => before === after && before === (i === 1 || i === 2 ? pad : 0));
    const [n, h, w, c] = x.shape;
    if (x.dtype !== 'float32' || mode !== 'reflect' || !alike || pad >= h || pad >= w) return null;
    const out = backend.makeOutput([n, h + 2 * pad, w + 2 * pad, c], 'float32');
    heapKernelsOf(backend.wasm).reflectionPad(heapPointer(backend, x), heapPointer(backend, out), n, h, w, c, pad);
    return out;
  });
}
