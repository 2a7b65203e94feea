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
 * From x in [batch, H, W, channels], the [kh·kw·channels, batch·outHeight·outWidth] matrix of its
 * patches, transposed: one row per filter tap and channel, so that its product with dy as
 * [positions, out channels] is the filter gradient. With channels a multiple of 4 straight from
 * x, 4 channels × 4 positions swapped in registers (patchRowsChannelsLast, in chunks of taps);
 * otherwise from x transposed to channels first in scratch space, each row then copying runs of
 * neighbouring pixels (patchRows, in chunks of rows). Both in assembly/heapKernels.ts. With
 * `images` [first, count], of those images only (read in place: a batch laid out a few images at a
 * time needs no slices).
 */
export const wasmPatchRowsConfig = heapKernel<PatchRowsAttrs & { images?: [number, number] }>(PATCH_ROWS, (inputs, backend, attrs) => {
  const [, height, width, channels] = inputs.x.shape;
  const { kh, kw, strideH, strideW, top, left, outHeight, outWidth } = attrs;
  const [first, batch] = attrs.images ?? [0, inputs.x.shape[0]];
  const positions = batch * outHeight * outWidth;
  const out = backend.makeOutput([kh * kw * channels, positions], 'float32');
  const imageFloats = height * width * channels;
  const [xAt, outAt] = [heapPointer(backend, inputs.x) + first * imageFloats * 4, heapPointer(backend, out)];
  const kernels = heapKernelsOf(backend.wasm);
  const convolution = [kh, kw, strideH, strideW, top, left, outHeight, outWidth] as const;
  if (channels % 4 === 0) {
    // Each chunk writes its own taps' rows.
    const taps = chunksOf(kh * kw, channels * positions);
    kernels.runAll(taps.map(([from, to]) => ['patchRowsChannelsLast', xAt, outAt, batch, channels, height, width, ...convolution, from, to]));
    return out;
  }
  kernels.withScratch(batch * imageFloats * 4, (channelsFirst) => {
    kernels.transpose(xAt, channelsFirst, batch, height * width, channels);
    // Each chunk writes its own rows.
    const rows = chunksOf(kh * kw * channels, positions);
    kernels.runAll(rows.map(([from, to]) => ['patchRows', channelsFirst, outAt, batch, channels, height, width, ...convolution, from, to]));
  });
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
