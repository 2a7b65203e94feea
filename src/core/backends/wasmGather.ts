import { util, type GatherV2Attrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import { heapKernelOr, heapPointer } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';

/**
 * GatherV2 on wasm as one row copy per index (gatherRows in assembly/heapKernels.ts): tfjs-wasm's
 * own computes every element's source index, ~0.6 ms for PatchNCE's 256 rows of 64 floats, ~30×
 * the copy, and with batchDims > 0 it gathers wrong rows (4.22). Other dtypes than float32 and
 * int32 (4-byte elements) go to the original.
 */
export function wasmGatherConfig(original: KernelConfig): KernelConfig {
  return heapKernelOr<GatherV2Attrs>(original, (inputs, backend, attrs) => {
    const { axis, batchDims = 0 } = attrs;
    const { x, indices } = inputs as { x: TensorInfo; indices: TensorInfo };
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || indices.dtype !== 'int32') return null;
    const along = axis < 0 ? axis + x.shape.length : axis;
    const batches = batchDims < 0 ? batchDims + indices.shape.length : batchDims;
    // Per batch entry: x as [outer, axisSize, inner], `count` indices.
    const batch = util.sizeFromShape(x.shape.slice(0, batches));
    const [outer, axisSize, inner] = [util.sizeFromShape(x.shape.slice(batches, along)), x.shape[along], util.sizeFromShape(x.shape.slice(along + 1))];
    const count = util.sizeFromShape(indices.shape.slice(batches));
    const out = backend.makeOutput([...x.shape.slice(0, along), ...indices.shape.slice(batches), ...x.shape.slice(along + 1)], x.dtype as 'float32');
    const [xAt, indicesAt, outAt] = [heapPointer(backend, x), heapPointer(backend, indices), heapPointer(backend, out)];
    const kernels = heapKernelsOf(backend.wasm);
    for (let b = 0; b < batch; b++) {
      const bad = kernels.gatherRows(xAt + b * outer * axisSize * inner * 4, indicesAt + b * count * 4, outAt + b * outer * count * inner * 4, outer, axisSize, count, inner);
      if (bad >= 0) {
        const index = backend.typedArrayFromHeap(indices)[b * count + bad];
        (backend as unknown as { disposeData(dataId: object): void }).disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${index} is not in [0, ${axisSize - 1}]`);
      }
    }
    return out;
  });
}
