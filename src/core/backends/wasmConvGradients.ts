import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, Conv2DBackpropInputAttrs, KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { runOn } from './heapKernel';
import { PATCH_COLUMNS_ADD, PATCH_ROWS, type PatchRowsAttrs } from './wasmPatchRows';
import { THIN_FILTER_GRAD, THIN_OUTPUTS } from './wasmThinFilterGrad';

/**
 * Fits H and W so that they start with `top`/`left` extra entries (negative: drop entries) and
 * end up `height`/`width` long: additions become the convolution's explicit padding (XNNPACK
 * pads inside the convolution, so no padded copy is made), drops a slice first.
 */
function fitForConv(t: tf.Tensor4D, top: number, height: number, left: number, width: number): { input: tf.Tensor4D; pad: [[number, number], [number, number], [number, number], [number, number]] } {
  const bottom = height - (t.shape[1] + top);
  const right = width - (t.shape[2] + left);
  let input = t;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    input = tf.slice(t, [0, Math.max(0, -top), Math.max(0, -left), 0], [-1, t.shape[1] - Math.max(0, -top) - Math.max(0, -bottom), t.shape[2] - Math.max(0, -left) - Math.max(0, -right), -1]);
  }
  return { input, pad: [[0, 0], [Math.max(0, top), Math.max(0, bottom)], [Math.max(0, left), Math.max(0, right)], [0, 0]] };
}

/**
 * The largest patch matrix (floats) worth its memory: 32 MB; beyond it the dilated convolution
 * needs none. At 128 px, 32 rather than 16 MB moves the 3×3×32 layers to the products (~30 ms
 * less per CycleGAN step in Node, same peak memory); 64 MB would move the 7×7 ones too, for no
 * time and 16 MB more peak.
 */
const MAX_PATCH_FLOATS = 1 << 23;

/** Whether the patch kernels are registered (they need WebAssembly SIMD). */
const patchKernels = () => tf.getKernel(PATCH_ROWS, 'wasm') != null;

/**
 * The filter gradient of a convolution on wasm (tfjs-backend-wasm 4.22 lacks the kernel, so without
 * it no conv model can train there).
 *
 * With at most four outputs (the generator's last layer, the discriminator's) and input channels a
 * multiple of 4, summed straight from the input by our SIMD kernel (wasmThinFilterGrad.ts): the
 * product below would lay out kh·kw·in floats per position for at most four multiplications each.
 *
 * Otherwise usually as one matrix product: the input's patches as rows (our SIMD kernel,
 * wasmPatchRows.ts), [kh·kw·in, positions] × dy as [positions, out] = dW in tfjs's
 * layout. 1.1–2.5× faster than the convolution below on every layer of the 64 px step (each
 * measured in Node), except where dy has one channel (a matrix-vector product) or one image's
 * patches would take too much memory, or WebAssembly has no SIMD for the patch kernel. Batches
 * whose patches take too much go a few images at a time: at 128 px the generator's 3×3 layer
 * on two 128 px images of 32 channels took 36 ms as the convolution below, 25 ms as two products.
 * `maxPatchFloats` is that budget; tests lower it to reach every path on small layers.
 *
 * Otherwise dW[i,j,c,o] = Σ_{b,y,x} xPadded[b, y·s + i, x·s + j, c] · dy[b, y, x, o], itself a
 * *valid* convolution: treat the input channels c as the batch, the batch b as the channels, and
 * dy as the filter, with dilation equal to the forward stride s.
 */
export function conv2dBackpropFilter(x: TensorInfo, dy: TensorInfo, attrs: Conv2DBackpropFilterAttrs, maxPatchFloats = MAX_PATCH_FLOATS): tf.Tensor4D {
  if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports NHWC only');
  const inShape = x.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(inShape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { top, left } = info.padInfo;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight, outWidth, inChannels, outChannels, batchSize } = info;
  const positions = batchSize * outHeight * outWidth;
  // The inputs are the engine's TensorInfos, not Tensors: they are read through runKernel and
  // never wrapped, since disposing a wrapper would free data the caller still owns.
  if (outChannels <= THIN_OUTPUTS && inChannels % 4 === 0 && tf.getKernel(THIN_FILTER_GRAD, 'wasm') != null) {
    return tf.tidy(() => {
      const dy4 = outChannels === THIN_OUTPUTS ? dy : runOn('PadV2', { x: dy }, { paddings: [[0, 0], [0, 0], [0, 0], [0, THIN_OUTPUTS - outChannels]], constantValue: 0 });
      return runOn(THIN_FILTER_GRAD, { x, dy4 }, { kh, kw, strideH: sh, strideW: sw, top, left, outHeight, outWidth, outs: outChannels }) as tf.Tensor4D;
    });
  }
  const imagePatchFloats = kh * kw * inChannels * outHeight * outWidth;
  if (outChannels > 1 && imagePatchFloats <= maxPatchFloats && patchKernels()) {
    // As many images at a time as fit the patch budget; their products are summed.
    const group = Math.min(batchSize, Math.floor(maxPatchFloats / imagePatchFloats));
    const imagePositions = outHeight * outWidth;
    return tf.tidy(() => {
      const dyRows = runOn('Reshape', { x: dy }, { shape: [positions, outChannels] }) as tf.Tensor2D;
      const patchAttrs: PatchRowsAttrs = { kh, kw, strideH: sh, strideW: sw, top, left, outHeight, outWidth };
      const products: tf.Tensor2D[] = [];
      for (let b = 0; b < batchSize; b += group) {
        const n = Math.min(group, batchSize - b);
        // Each group's patches are freed before the next group's are laid out.
        products.push(
          tf.tidy(() => {
            const rows = runOn(PATCH_ROWS, { x }, { ...patchAttrs, images: [b, n] }) as tf.Tensor2D;
            return tf.matMul(rows, n === batchSize ? dyRows : tf.slice(dyRows, [b * imagePositions, 0], [n * imagePositions, -1]));
          }),
        );
      }
      return (products.length === 1 ? products[0] : tf.addN(products)).reshape([kh, kw, inChannels, outChannels]);
    });
  }
  return tf.tidy(() => {
    const input = runOn('Transpose', { x }, { perm: [3, 1, 2, 0] }) as tf.Tensor4D;
    const filter = runOn('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }) as tf.Tensor4D;
    // Rows/columns past the last window contribute nothing: pad only up to what the windows use.
    const usedH = (outHeight - 1) * sh + kh;
    const usedW = (outWidth - 1) * sw + kw;
    const fitted = fitForConv(input, top, usedH, left, usedW);
    const grad = tf.conv2d(fitted.input, filter, 1, fitted.pad, 'NHWC', [sh, sw]);
    return tf.transpose(grad, [1, 2, 0, 3]);
  });
}

export const wasmConv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs }) =>
    conv2dBackpropFilter(inputs.x as TensorInfo, inputs.dy as TensorInfo, attrs as NamedAttrMap as unknown as Conv2DBackpropFilterAttrs),
};

/**
 * Rotates a [kh, kw, in, out] filter by 180° in space. Flipping both spatial axes reverses the
 * flattened kh·kw index, i.e. a product with the anti-identity; on wasm that matmul is ~15× faster
 * than the Reverse kernel, which cost more than the convolutions it served.
 */
function flipSpatially(filter: TensorInfo): tf.Tensor4D {
  const [kh, kw, cin, cout] = filter.shape;
  const taps = kh * kw;
  const anti = new Float32Array(taps * taps);
  for (let i = 0; i < taps; i++) anti[i * taps + (taps - 1 - i)] = 1;
  const flat = runOn('Reshape', { x: filter }, { shape: [taps, cin * cout] }) as tf.Tensor2D;
  return tf.matMul(tf.tensor2d(anti, [taps, taps]), flat).reshape([kh, kw, cin, cout]);
}

/**
 * Whether a stride-1 input gradient is faster as a convolution than as the product and col2im.
 * The product's inner dimension is the output channels: with 32 or fewer it writes kh·kw·in floats
 * per position for that few multiplications each, and col2im reads them all back. The convolution
 * reads dy in place and is XNNPACK's (all threads), but wants 16 or more outputs (the input
 * channels) to fill its tiles. Per layer, in Node on one thread: the generator's last 7×7 layer
 * (16 → 3) 3.1 → 1.7 ms at 64 px, 7.7 → 3.0 ms for two images; its upsampling layers (64 → 32,
 * 32 → 16) 12.4 → 8.1 and 26.9 → 16.6 ms at 128 px. Its first layer (3 → 16) and the residual
 * blocks (64 → 64) stay faster, or no slower, as products.
 */
const asConvolution = (strideH: number, strideW: number, inChannels: number, outChannels: number) =>
  strideH === 1 && strideW === 1 && outChannels <= 32 && inChannels >= 16;

/**
 * The input gradient of a convolution (also the forward pass of a transposed convolution).
 *
 * Usually as one matrix product and a sum: dy as [positions, out] × the filter as [out, kh·kw·in]
 * gives each position's patch gradient, which our SIMD kernel adds onto the pixels that patch
 * read (col2im). No zeros are multiplied for strided convolutions, and no flipped filter is made.
 *
 * Otherwise (stride 1 with few output channels, see asConvolution; patches over 32 MB; or no
 * SIMD) as an ordinary stride-1 convolution: spread dy apart by the stride with zeros, pad by
 * (kernel − 1 − forward padding), and correlate with the filter flipped in space and with its
 * in/out channels swapped. wasm's own Conv2DBackpropInput is a plain loop about 5× slower than its
 * XNNPACK Conv2D, and dominated the training step.
 */
function conv2dBackpropInput(dy: TensorInfo, filter: TensorInfo, attrs: Conv2DBackpropInputAttrs): tf.Tensor4D {
  if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropInput on wasm supports NHWC only');
  const [kh, kw] = filter.shape;
  const info = tf.backend_util.computeConv2DInfo(attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { strideHeight: sh, strideWidth: sw, inHeight, inWidth, padInfo, inChannels, outChannels, outHeight, outWidth } = info;
  const [b, h, w, c] = dy.shape;
  const positions = b * h * w;
  if (!asConvolution(sh, sw, inChannels, outChannels) && kh * kw * inChannels * positions <= MAX_PATCH_FLOATS && patchKernels()) {
    return tf.tidy(() => {
      const taps = runOn('Reshape', { x: filter }, { shape: [kh * kw * inChannels, outChannels] }) as tf.Tensor2D;
      const columns = tf.matMul(runOn('Reshape', { x: dy }, { shape: [positions, outChannels] }) as tf.Tensor2D, taps, false, true);
      const attrsOfPatches: PatchRowsAttrs & { inputShape: number[] } = { kh, kw, strideH: sh, strideW: sw, top: padInfo.top, left: padInfo.left, outHeight, outWidth, inputShape: [...attrs.inputShape] };
      return runOn(PATCH_COLUMNS_ADD, { x: columns }, attrsOfPatches) as tf.Tensor4D;
    });
  }
  return tf.tidy(() => {
    let spread = runOn('Reshape', { x: dy }, { shape: [b, h, 1, w, 1, c] });
    if (sh > 1 || sw > 1) {
      spread = tf.pad(spread, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
    }
    const grid = spread.reshape([b, h * sh, w * sw, c]) as tf.Tensor4D;
    const fitted = fitForConv(grid, kh - 1 - padInfo.top, inHeight + kh - 1, kw - 1 - padInfo.left, inWidth + kw - 1);
    return tf.conv2d(fitted.input, flipSpatially(filter).transpose<tf.Tensor4D>([0, 1, 3, 2]), 1, fitted.pad);
  });
}

export const wasmConv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, attrs }) =>
    conv2dBackpropInput(inputs.dy as TensorInfo, inputs.filter as TensorInfo, attrs as NamedAttrMap as unknown as Conv2DBackpropInputAttrs),
};
