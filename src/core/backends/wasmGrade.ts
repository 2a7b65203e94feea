import { util, type TensorInfo } from '@tensorflow/tfjs';
import { GRADE_KERNELS } from '../networks/layers/customLayers.js';
import { backwardKernelGradient, heapKernel, heapPointer, type WasmHeap } from './heapKernel';
import { chunksOf } from './simd/heapHelpers';
import { heapKernelsOf } from './simd/heapKernels';

interface Attrs {
  rate: number;
}

const f = Math.fround;
const pixelsOf = (info: TensorInfo) => util.sizeFromShape(info.shape) / 3;

/**
 * GlobalGrade's per-pixel part, as customLayers.js composes it: for each channel c of each pixel,
 * t = (x + 1)·(K − 1)/2, curved = x + Σₖ relu(1 − |t − k|)·curves[c, k],
 * g = curved·(1 + rate·gain[c]) + rate·offset[c], and out = g + g·mix (a 3×3 matrix on the right).
 * The loop is gradeForward in assembly/heapKernels.ts; it rounds to float32 where tfjs's ops would.
 */
function forward(inputs: Record<string, TensorInfo>, backend: WasmHeap, { rate }: Attrs): TensorInfo {
  const out = backend.makeOutput([...inputs.x.shape], 'float32');
  const [curves, gain, offset, mix] = [inputs.curves, inputs.gain, inputs.offset, inputs.mix].map((t) => Float32Array.from(backend.typedArrayFromHeap(t)));
  const scale = [0, 1, 2].map((c) => f(f(gain[c] * f(rate)) + 1));
  const shift = [0, 1, 2].map((c) => f(offset[c] * f(rate)));
  const [xAt, outAt] = [heapPointer(backend, inputs.x), heapPointer(backend, out)];
  const kernels = heapKernelsOf(backend.wasm);
  // Each chunk grades its own pixels.
  const chunks = chunksOf(pixelsOf(inputs.x), 3);
  kernels.withFloats([curves, scale, shift, mix], 0, (params) =>
    kernels.runAll(chunks.map(([from, to]) => ['gradeForward', xAt + from * 12, outAt + from * 12, to - from, inputs.curves.shape[1], params])),
  );
  return out;
}

/** Gradients of `forward` to x, curves, gain, offset and mix (gradeBackward in assembly/heapKernels.ts). */
function backward(inputs: Record<string, TensorInfo>, backend: WasmHeap, { rate }: Attrs): TensorInfo[] {
  const knots = inputs.curves.shape[1];
  const outs = [
    backend.makeOutput([...inputs.x.shape], 'float32'),
    backend.makeOutput([3, knots], 'float32'),
    backend.makeOutput([3], 'float32'),
    backend.makeOutput([3], 'float32'),
    backend.makeOutput([3, 3], 'float32'),
  ];
  const [curves, gain, offset, mix] = [inputs.curves, inputs.gain, inputs.offset, inputs.mix].map((t) => Float32Array.from(backend.typedArrayFromHeap(t)));
  const [xAt, dyAt, dxAt] = [heapPointer(backend, inputs.x), heapPointer(backend, inputs.dy), heapPointer(backend, outs[0])];
  const kernels = heapKernelsOf(backend.wasm);
  // Each chunk takes its own pixels and sums the weights' gradients into its own scratch.
  const chunks = chunksOf(pixelsOf(inputs.x), 9);
  const count = 3 * knots + 15;
  const sums = kernels.withFloats([curves, gain, offset, mix], chunks.length * count * 8, (params, sumsAt) => {
    kernels.runAll(chunks.map(([from, to], p) => ['gradeBackward', xAt + from * 12, dyAt + from * 12, dxAt + from * 12, to - from, knots, rate, params, sumsAt + p * count * 8]));
    return kernels.sumParts(sumsAt, count * 8, chunks.length, count);
  });
  // Views only now: the scratch space may have grown the heap.
  const [, dCurves, dGain, dOffset, dMix] = outs.map((t) => backend.typedArrayFromHeap(t));
  dCurves.set(sums.subarray(0, 3 * knots));
  dGain.set(sums.subarray(3 * knots, 3 * knots + 3));
  dOffset.set(sums.subarray(3 * knots + 3, 3 * knots + 6));
  dMix.set(sums.subarray(3 * knots + 6));
  return outs;
}

export const wasmGradeConfig = heapKernel(GRADE_KERNELS.forward, forward);
export const wasmGradeGradConfig = heapKernel(GRADE_KERNELS.backward, backward);
export const gradeGradient = backwardKernelGradient(GRADE_KERNELS.forward, GRADE_KERNELS.backward, ['x', 'curves', 'gain', 'offset', 'mix'], ['x', 'curves', 'gain', 'offset', 'mix']);
