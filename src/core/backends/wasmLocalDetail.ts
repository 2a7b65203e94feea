import type { TensorInfo } from '@tensorflow/tfjs';
import { LOCAL_DETAIL_KERNELS } from '../networks/layers/customLayers.js';
import { backwardKernelGradient, heapKernel, heapPointer, type WasmHeap } from './heapKernel';
import { chunksOf } from './simd/heapHelpers';
import { heapKernelsOf } from './simd/heapKernels';

/**
 * GlobalGrade's detail term, x + k·(x − its 3×3 mean inside the image), as one pass of our SIMD
 * kernel over chunks of rows on every thread (localDetail in assembly/heapKernels.ts). Composed,
 * it is a box filter, a count and four elementwise ops forward, more back, on every image the
 * grade sees (the colour window too: eight images at the training size).
 */
function forward(inputs: Record<string, TensorInfo>, backend: WasmHeap): TensorInfo {
  const { x } = inputs;
  const [n, h, w] = x.shape;
  const out = backend.makeOutput([...x.shape], 'float32');
  const k = Float32Array.from(backend.typedArrayFromHeap(inputs.k));
  const kernels = heapKernelsOf(backend.wasm);
  const rowBytes = w * 12;
  const chunks = chunksOf(n * h, w * 3);
  kernels.withFloats([k], chunks.length * 4 * rowBytes, (kAt, scratch) => {
    const [xAt, outAt] = [heapPointer(backend, x), heapPointer(backend, out)];
    kernels.runAll(chunks.map(([from, to], p) => ['localDetail', xAt, outAt, kAt, n, h, w, from, to, scratch + p * 4 * rowBytes]));
  });
  return out;
}

/** dx, and dk = Σ dy·(x − its 3×3 mean) per channel, each chunk summing into its own float64s. */
function backward(inputs: Record<string, TensorInfo>, backend: WasmHeap): TensorInfo[] {
  const { x } = inputs;
  const [n, h, w] = x.shape;
  const outs = [backend.makeOutput([...x.shape], 'float32'), backend.makeOutput([3], 'float32')];
  const k = Float32Array.from(backend.typedArrayFromHeap(inputs.k));
  const kernels = heapKernelsOf(backend.wasm);
  const rowBytes = w * 12;
  const chunks = chunksOf(n * h, w * 3);
  // Each chunk's three float64 sums first (8-byte aligned), then its five rows.
  const perChunk = 24 + Math.ceil((5 * rowBytes) / 8) * 8;
  const dk = kernels.withFloats([k], chunks.length * perChunk, (kAt, scratch) => {
    const sumsAt = (p: number) => scratch + p * perChunk;
    const [xAt, dyAt, dxAt] = [heapPointer(backend, x), heapPointer(backend, inputs.dy), heapPointer(backend, outs[0])];
    kernels.runAll(chunks.map(([from, to], p) => ['localDetailGradient', xAt, dyAt, dxAt, kAt, n, h, w, from, to, sumsAt(p) + 24, sumsAt(p)]));
    return kernels.sumParts(scratch, perChunk, chunks.length, 3);
  });
  // A view only now: the scratch space may have grown the heap.
  backend.typedArrayFromHeap(outs[1]).set(dk);
  return outs;
}

export const wasmLocalDetailConfig = heapKernel(LOCAL_DETAIL_KERNELS.forward, forward);
export const wasmLocalDetailGradConfig = heapKernel(LOCAL_DETAIL_KERNELS.backward, backward);
export const localDetailGradient = backwardKernelGradient(LOCAL_DETAIL_KERNELS.forward, LOCAL_DETAIL_KERNELS.backward, ['x', 'k'], ['x', 'k']);
