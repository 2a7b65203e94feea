import type { TensorInfo } from '@tensorflow/tfjs';
import { heapKernel, type WasmHeap } from './heapKernel';

/**
 * UnsortedSegmentSum, which tfjs-backend-wasm 4.22 lacks: row i of x is added to output row
 * segmentIds[i] (ids outside [0, numSegments) are dropped, as tfjs's other backends do). It is
 * the gradient of gather, so with it a gather trains on wasm (PatchNCE's patch sampling).
 */
function unsortedSegmentSum(x: TensorInfo, ids: TensorInfo, numSegments: number, backend: WasmHeap): TensorInfo {
  if (ids.shape.length !== 1 || ids.shape[0] !== x.shape[0]) {
    throw new Error(`UnsortedSegmentSum on wasm takes one segment id per row of x, got ids of shape [${ids.shape}] for x of shape [${x.shape}]`);
  }
  if (x.dtype !== 'float32') throw new Error(`UnsortedSegmentSum on wasm sums float32, got ${x.dtype}`);
  const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], 'float32');
  const [values, segments, sums] = [x, ids, out].map((t) => backend.typedArrayFromHeap(t));
  const row = x.shape.slice(1).reduce((a, b) => a * b, 1);
  sums.fill(0);
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s < 0 || s >= numSegments) continue;
    for (let j = 0; j < row; j++) sums[s * row + j] += values[i * row + j];
  }
  return out;
}

export const wasmUnsortedSegmentSumConfig = heapKernel<{ numSegments: number }>('UnsortedSegmentSum', (inputs, backend, { numSegments }) =>
  unsortedSegmentSum(inputs.x, inputs.segmentIds, numSegments, backend),
);
