import * as tf from '@tensorflow/tfjs';
import type { BatchMatMulAttrs, Conv2DAttrs, FusedConv2DAttrs, KernelConfig, TensorInfo, _FusedMatMulAttrs } from '@tensorflow/tfjs';
import { heapKernelOr, heapPointer, runOn, type WasmHeap } from './heapKernel';
import { chunksOf } from './simd/heapHelpers';
import { heapKernelsOf } from './simd/heapKernels';

/**
 * How gemm finds row i of its left operand (see gemm in assembly/heapKernels.ts): `segments`
 * runs of `run` floats, `segmentBytes` apart, from a + image·imageBytes + y·rowBytes + x·pixelBytes
 * where i = (image·outHeight + y)·outWidth + x and perImage = outHeight·outWidth.
 */
interface GemmRows {
  rows: number;
  segments: number;
  run: number;
  segmentBytes: number;
  outWidth: number;
  perImage: number;
  pixelBytes: number;
  rowBytes: number;
  imageBytes: number;
}

/** The rows of a row-major [rows, k] matrix. */
function matrixRows(rows: number, k: number): GemmRows {
  return { rows, segments: 1, run: k, segmentBytes: 0, outWidth: rows, perImage: rows, pixelBytes: k * 4, rowBytes: 0, imageBytes: 0 };
}

/** The activations gemm applies after the bias, by its code. */
const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, leakyrelu: 2 };

/** Rows a chunk takes whole: a multiple of both block heights (6 with relaxed SIMD, 4 without). */
const BLOCK_ROWS = 12;

interface GemmCall {
  /** The left operand's tensor, and the byte offset of its first row's start within it. */
  a: TensorInfo;
  aOffset?: number;
  rows: GemmRows;
  /** The right operand, [k, n] (or [n, k] when transposed), from a byte offset within its tensor. */
  b: TensorInfo;
  bOffset?: number;
  transposeB?: boolean;
  n: number;
  bias?: TensorInfo | null;
  activation?: string;
  alpha?: number;
  /** The output and the byte offset of its first row within it. */
  out: TensorInfo;
  outOffset?: number;
}

/**
 * out rows = activation(A·B + bias) by our SIMD gemm, its rows in chunks on every thread. B (and
 * the bias) are packed into panels of 8 columns first, here; every output is summed over k in
 * order, so the result does not depend on the threads.
 */
function runGemm(backend: WasmHeap, call: GemmCall): void {
  const { rows, n } = call;
  const k = rows.segments * rows.run;
  const kernels = heapKernelsOf(backend.wasm);
  const panelBytes = Math.ceil(n / 8) * (k + 1) * 32;
  const [a, b, out] = [heapPointer(backend, call.a), heapPointer(backend, call.b), heapPointer(backend, call.out)];
  const bias = call.bias ? heapPointer(backend, call.bias) : 0;
  kernels.withScratch(panelBytes, (panels) => {
    kernels.packPanels(b + (call.bOffset ?? 0), bias, panels, k, n, call.transposeB ? 1 : 0);
    const blocks = Math.ceil(rows.rows / BLOCK_ROWS);
    // A multiply-add costs about a sixteenth of a float copied, the unit chunksOf counts in.
    const chunks = chunksOf(blocks, Math.ceil((BLOCK_ROWS * k * n) / 16));
    const at = a + (call.aOffset ?? 0);
    const to = out + (call.outOffset ?? 0);
    const activation = ACTIVATIONS[call.activation ?? 'linear'];
    kernels.runAll(
      chunks.map(([from, until]) => [
        'gemm', at, panels, to, n, from * BLOCK_ROWS, Math.min(rows.rows, until * BLOCK_ROWS),
        rows.segments, rows.run, rows.segmentBytes, rows.outWidth, rows.perImage, rows.pixelBytes, rows.rowBytes, rows.imageBytes,
        activation, call.alpha ?? 0,
      ]),
    );
  });
}

/** Whether gemm applies this activation (tfjs's fused kernels name theirs). */
function gemmActivation(activation: string | undefined): boolean {
  return ACTIVATIONS[activation ?? 'linear'] !== undefined;
}

/**
 * A·B for one pair of matrices or a batch of them (either side one matrix for all), either side
 * transposed, with a bias over the columns and an activation: the product behind BatchMatMul and
 * _FusedMatMul. A transposed A is transposed first (our Transpose); a transposed B is read
 * transposed as it is packed.
 */
function batchProduct(backend: WasmHeap, inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo }, transposeA: boolean, transposeB: boolean, activation?: string, alpha?: number): TensorInfo | null {
  const { a, b } = inputs;
  const [outerA, outerB] = [a.shape.slice(0, -2), b.shape.slice(0, -2)];
  const [batchA, batchB] = [tf.util.sizeFromShape(outerA), tf.util.sizeFromShape(outerB)];
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  if (batchA > 1 && batchB > 1 && !tf.util.arraysEqual(outerA, outerB)) return null;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const bias = inputs.bias;
  const [m, k] = transposeA ? [a.shape[a.shape.length - 1], a.shape[a.shape.length - 2]] : a.shape.slice(-2);
  const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
  if (bias && (bias.dtype !== 'float32' || bias.shape.length !== 1 || bias.shape[0] !== n)) return null;
  const left = transposeA ? runOn('Transpose', { x: a }, { perm: [...outerA.map((_, i) => i), outerA.length + 1, outerA.length] }) : null;
  const out = backend.makeOutput([...tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB), m, n], 'float32');
  if (batchB === 1) {
    // One B for every matrix of A: the batch is one taller matrix, B packed once.
    runGemm(backend, { a: left ?? a, rows: matrixRows(batchA * m, k), b, transposeB, n, bias, activation, alpha, out });
  } else {
    for (let i = 0; i < batchB; i++) {
      runGemm(backend, {
        a: left ?? a, aOffset: batchA > 1 ? i * m * k * 4 : 0, rows: matrixRows(m, k),
        b, bOffset: i * k * n * 4, transposeB, n,
        bias, activation, alpha, out, outOffset: i * m * n * 4,
      });
    }
  }
  left?.dispose();
  return out;
}

/**
 * BatchMatMul by our gemm, split over our helpers rather than XNNPACK's pool: 38–45 GFLOP/s on
 * one thread in Chromium with relaxed SIMD's fused multiply-add, 29–33 without, where tfjs's
 * matmul reached 32 (see README).
 */
export function wasmGemmMatMulConfig(original: KernelConfig): KernelConfig {
  return heapKernelOr<BatchMatMulAttrs>(original, (inputs, backend, attrs) => batchProduct(backend, inputs as { a: TensorInfo; b: TensorInfo }, attrs.transposeA, attrs.transposeB));
}

/** _FusedMatMul (dense layers) by our gemm, with its bias and ReLU or leaky ReLU. */
export function wasmGemmFusedMatMulConfig(original: KernelConfig): KernelConfig {
  return heapKernelOr<_FusedMatMulAttrs>(original, (inputs, backend, attrs) => {
    if (inputs.preluActivationWeights || !gemmActivation(attrs.activation)) return null;
    return batchProduct(backend, inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo }, attrs.transposeA, attrs.transposeB, attrs.activation, attrs.leakyreluAlpha);
  });
}

/**
 * A convolution by our gemm, straight from the NHWC input (no patch matrix): each output pixel's
 * row is the filter's kh rows of kw·channels floats, which lie contiguous in x. Padded
 * convolutions pad first (our PadV2); dilated ones are left to XNNPACK.
 */
function convolve(backend: WasmHeap, x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, bias?: TensorInfo, activation?: string, alpha?: number): TensorInfo | null {
  if (attrs.dataFormat !== 'NHWC' || x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode);
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  if (bias && (bias.dtype !== 'float32' || tf.util.sizeFromShape(bias.shape) !== info.outChannels)) return null;
  const { top, bottom, left, right } = info.padInfo;
  const padded = top || bottom || left || right ? runOn('PadV2', { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 }) : null;
  const input = padded ?? x;
  const [, height, width, channels] = input.shape;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight, outWidth, outChannels } = info;
  const out = backend.makeOutput(info.outShape, 'float32');
  const pixel = channels * 4;
  runGemm(backend, {
    a: input,
    rows: {
      rows: info.batchSize * outHeight * outWidth, segments: kh, run: kw * channels, segmentBytes: width * pixel,
      outWidth, perImage: outHeight * outWidth, pixelBytes: sw * pixel, rowBytes: sh * width * pixel, imageBytes: height * width * pixel,
    },
    b: filter, n: outChannels, bias, activation, alpha, out,
  });
  padded?.dispose();
  return out;
}

export function wasmGemmConv2DConfig(original: KernelConfig): KernelConfig {
  return heapKernelOr<Conv2DAttrs>(original, (inputs, backend, attrs) => convolve(backend, inputs.x, inputs.filter, attrs));
}

/** FusedConv2D (convolution layers with a bias) by our gemm, with its bias and ReLU or leaky ReLU. */
export function wasmGemmFusedConv2DConfig(original: KernelConfig): KernelConfig {
  return heapKernelOr<FusedConv2DAttrs>(original, (inputs, backend, attrs) => {
    if (inputs.preluActivationWeights || !gemmActivation(attrs.activation)) return null;
    return convolve(backend, inputs.x, inputs.filter, attrs, inputs.bias, attrs.activation, attrs.leakyreluAlpha);
  });
}
