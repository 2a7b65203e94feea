import * as tf from '@tensorflow/tfjs';
import type { AvgPoolGradAttrs, KernelConfig, ResizeNearestNeighborGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import { heapKernelOr, runOn } from './heapKernel';

/**
 * The gradient of nearest-neighbour upsampling by whole factors (the generator's 2× upsampling)
 * as XNNPACK's average pooling: each input pixel's gradient is the sum over the f×f block it was
 * copied to, i.e. the block's mean × f² (exact: f² is a power of two here, and the sum is the same
 * four terms). tfjs-wasm's own kernel, a generic loop, took 7.1 ms for [2,128,128,32] in Node;
 * this takes 0.44 ms. Corner-aligned or fractional scales go to the original.
 */
export function wasmResizeNearestNeighborGradConfig(original: KernelConfig): KernelConfig {
  return heapKernelOr<ResizeNearestNeighborGradAttrs>(original, (inputs, _backend, attrs) => {
    const { alignCorners } = attrs;
    const { images, dy } = inputs as { images: TensorInfo; dy: TensorInfo };
    const [, height, width] = images.shape;
    const [, outHeight, outWidth] = dy.shape;
    const [fy, fx] = [outHeight / height, outWidth / width];
    if (alignCorners || dy.dtype !== 'float32' || !Number.isInteger(fy) || !Number.isInteger(fx)) return null;
    return tf.tidy(() => {
      const mean = runOn('AvgPool', { x: dy }, { filterSize: [fy, fx], strides: [fy, fx], pad: 'valid' });
      return fy * fx === 1 ? mean : tf.mul(mean, tf.scalar(fy * fx));
    });
  });
}

/**
 * The gradient of a stride-1 average pool (the composed 3×3 local mean, localMean in
 * customLayers.js, where our SIMD kernels are not) as a depthwise convolution of dy with a box of
 * 1/(fh·fw) — what tfjs's own gradient computes, border windows included — on XNNPACK: 0.9 ms
 * instead of 8.4 for [8,128,128,3] in Node. Strided pools go to the original.
 */
export function wasmAvgPoolGradConfig(original: KernelConfig): KernelConfig {
  return heapKernelOr<AvgPoolGradAttrs>(original, (inputs, _backend, attrs) => {
    const { filterSize, strides, pad } = attrs;
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad);
    const { strideHeight, strideWidth, filterHeight: fh, filterWidth: fw, inHeight, inWidth, outHeight, outWidth, inChannels, padInfo } = info;
    // dx[i] = Σₖ dy[i + top − k] / (fh·fw): a correlation of dy padded by fh − 1 − top before.
    const [before, left] = [fh - 1 - padInfo.top, fw - 1 - padInfo.left];
    const [after, right] = [inHeight - outHeight - before + fh - 1, inWidth - outWidth - left + fw - 1];
    if (strideHeight !== 1 || strideWidth !== 1 || dy.dtype !== 'float32' || Math.min(before, left, after, right) < 0) return null;
    return tf.tidy(() => {
      const box = tf.fill([fh, fw, inChannels, 1], 1 / (fh * fw));
      return runOn('DepthwiseConv2dNative', { x: dy, filter: box }, { strides: [1, 1], pad: [[0, 0], [before, after], [left, right], [0, 0]], dilations: [1, 1], dataFormat: 'NHWC' });
    });
  });
}
