import { heapKernel, heapPointer } from './heapKernel';
import { chunksOf } from './simd/heapHelpers';
import { heapKernelsOf } from './simd/heapKernels';
import type { PatchRowsAttrs } from './wasmPatchRows';

/** The kernel that sums a convolution's filter gradient straight from its input, for up to four outputs. */
export const THIN_FILTER_GRAD = 'GanStudioThinFilterGrad';

/** The most output channels the kernel sums at once. */
export const THIN_OUTPUTS = 4;

/**
 * From x in NHWC and dy4 (dy with its outputs padded to four), the filter gradient [kh, kw,
 * channels, outs] (see thinFilterGrad in assembly/heapKernels.ts). x's channels must be a multiple of 4.
 */
export const wasmThinFilterGradConfig = heapKernel<PatchRowsAttrs & { outs: number }>(THIN_FILTER_GRAD, (inputs, backend, attrs) => {
  const [batch, height, width, channels] = inputs.x.shape;
  const { kh, kw, strideH, strideW, top, left, outHeight, outWidth, outs } = attrs;
  const out = backend.makeOutput([kh, kw, channels, outs], 'float32');
  const [xAt, dyAt, outAt] = [heapPointer(backend, inputs.x), heapPointer(backend, inputs.dy4), heapPointer(backend, out)];
  const kernels = heapKernelsOf(backend.wasm);
  // Each chunk sums its own taps.
  const taps = chunksOf(kh * kw, batch * outHeight * outWidth * channels);
  kernels.runAll(taps.map(([from, to]) => ['thinFilterGrad', xAt, dyAt, outAt, batch, channels, height, width, kh, kw, strideH, strideW, top, left, outHeight, outWidth, outs, from, to]));
  return out;
});
