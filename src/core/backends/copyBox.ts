import { util, type TensorInfo } from '@tensorflow/tfjs';
import { heapPointer, type WasmHeap } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';

/**
 * Where a box copy between two row-major tensors runs contiguously: from `axis`, the last axis
 * that the box, its source and its target do not all hold whole, on; `run` floats at a time.
 */
export function boxRun(extent: readonly number[], fromShape: readonly number[], toShape: readonly number[]): { axis: number; run: number } {
  let axis = extent.length - 1;
  while (axis > 0 && extent[axis] === fromShape[axis] && extent[axis] === toShape[axis]) axis--;
  return { axis, run: util.sizeFromShape(extent.slice(axis)) };
}

const stridesOf = (shape: readonly number[]) => shape.map((_, d) => util.sizeFromShape(shape.slice(d + 1)));

/** The most axes before the run that our copy kernel walks (copyRuns in assembly/heapKernels.ts). */
const KERNEL_AXES = 6;

/** Whether copyBox takes this box: at most six axes before its run. */
export function copyBoxFits(extent: readonly number[], fromShape: readonly number[], toShape: readonly number[]): boolean {
  return boxRun(extent, fromShape, toShape).axis <= KERNEL_AXES;
}

/**
 * Copies the box of `extent` at `fromStart` in `from` to `toStart` in `to` (4-byte elements), one
 * contiguous run at a time (see boxRun), walking the axes before the run like an odometer:
 * Slice's and PadV2's copy on wasm. [1,130,130,3] → [1,128,128,3] is 128 runs of 384 floats, not
 * 16384 of 3. Our kernel copies (memory.copy is as fast on the threaded build's shared memory as
 * on plain memory; a typed array's set is not); it walks at most six axes before the run.
 */
export function copyBox(backend: WasmHeap, from: TensorInfo, fromStart: readonly number[], to: TensorInfo, toStart: readonly number[], extent: readonly number[]): void {
  const [fromShape, toShape] = [from.shape, to.shape];
  const { axis, run } = boxRun(extent, fromShape, toShape);
  if (run === 0) return;
  const [fromStrides, toStrides] = [stridesOf(fromShape), stridesOf(toShape)];
  // The axes after `axis` are whole on both sides, so they start at 0 and add nothing.
  const offset = (start: readonly number[], strides: number[]) => start.slice(0, axis + 1).reduce((sum, at, d) => sum + at * strides[d], 0);
  const [fromAt, toAt] = [offset(fromStart, fromStrides), offset(toStart, toStrides)];
  const kernels = heapKernelsOf(backend.wasm);
  // The axes before the run, led by axes of one run that move nothing.
  const lead = KERNEL_AXES - axis;
  const outer = [...new Array<number>(lead).fill(1), ...extent.slice(0, axis)];
  const bytes = (strides: number[]) => [...new Array<number>(lead).fill(0), ...strides.slice(0, axis).map((s) => 4 * s)];
  kernels.withScratch(3 * KERNEL_AXES * 4, (dims) => {
    new Int32Array(kernels.memory.buffer, dims, 3 * KERNEL_AXES).set([...outer, ...bytes(fromStrides), ...bytes(toStrides)]);
    kernels.copyRuns(heapPointer(backend, from) + 4 * fromAt, heapPointer(backend, to) + 4 * toAt, 4 * run, dims);
  });
}

/** Every element of a 4-byte tensor set to `value` by our kernel. */
export function fillTensor(backend: WasmHeap, out: TensorInfo, value: number): void {
  const count = util.sizeFromShape(out.shape);
  const bits = out.dtype === 'int32' ? value | 0 : new Int32Array(Float32Array.of(value).buffer)[0];
  heapKernelsOf(backend.wasm).fillWords(heapPointer(backend, out), count, bits);
}
