import { util } from '@tensorflow/tfjs';
import { heapKernel, heapPointer } from './heapKernel';
import { chunksOf } from './simd/heapHelpers';
import { heapKernelsOf } from './simd/heapKernels';

/** The kernel that lays out a convolution's input patches, one row per filter tap and channel. */
export const PATCH_ROWS = 'GanStudioPatchRows';
/** The kernel that sums per-position patch gradients back onto the input (col2im). */
export const PATCH_COLUMNS_ADD = 'GanStudioPatchColumnsAdd';

/** The convolution both kernels serve: its filter, strides, leading padding and output size. */
export interface PatchRowsAttrs {
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  /** Padding before the first row and column (the rest follows from outHeight and outWidth). */
  top: number;
  left: number;
  outHeight: number;
  outWidth: number;
}

/**
 * From x in [batch, channels, H, W], the [kh·kw·channels, batch·outHeight·outWidth] matrix of
 * its patches, transposed (see patchRows in assembly/heapKernels.ts): channels first, so that
 * each row copies runs of neighbouring pixels. With `images` [first, count], of those images only
 * (read in place: a batch laid out a few images at a time needs no slices).
 */
export const wasmPatchRowsConfig = heapKernel<PatchRowsAttrs & { images?: [number, number] }>(PATCH_ROWS, (inputs, backend, attrs) => {
  const [, channels, height, width] = inputs.x.shape;
  const { kh, kw, strideH, strideW, top, left, outHeight, outWidth } = attrs;
  const [first, batch] = attrs.images ?? [0, inputs.x.shape[0]];
  const out = backend.makeOutput([kh * kw * channels, batch * outHeight * outWidth], 'float32');
  const [xAt, outAt] = [heapPointer(backend, inputs.x) + first * channels * height * width * 4, heapPointer(backend, out)];
  const kernels = heapKernelsOf(backend.wasm);
  // Each chunk writes its own rows.
  const rows = chunksOf(kh * kw * channels, batch * outHeight * outWidth);
  kernels.runAll(rows.map(([from, to]) => ['patchRows', xAt, outAt, batch, channels, height, width, kh, kw, strideH, strideW, top, left, outHeight, outWidth, from, to]));
  return out;
});

/**
 * From cols in [batch·outHeight·outWidth, kh·kw·channels], the input gradient [batch, H, W,
 * channels] (`inputShape`): each output position's patch gradient summed onto the pixels it read
 * (see patchColumnsAdd in assembly/heapKernels.ts).
 */
export const wasmPatchColumnsAddConfig = heapKernel<PatchRowsAttrs & { inputShape: number[] }>(PATCH_COLUMNS_ADD, (inputs, backend, attrs) => {
  const [batch, height, width, channels] = attrs.inputShape;
  const { kh, kw, strideH, strideW, top, left, outHeight, outWidth } = attrs;
  const out = backend.makeOutput([batch, height, width, channels], 'float32');
  const [colsAt, outAt] = [heapPointer(backend, inputs.x), heapPointer(backend, out)];
  const kernels = heapKernelsOf(backend.wasm);
  // Each chunk sums onto its own rows of every image: no two write one pixel.
  const rows = chunksOf(height, util.sizeFromShape(inputs.x.shape) / height);
  kernels.runAll(rows.map(([from, to]) => ['patchColumnsAdd', colsAt, outAt, batch, channels, height, width, kh, kw, strideH, strideW, top, left, outHeight, outWidth, from, to]));
  return out;
});
