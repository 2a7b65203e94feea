import type { KernelConfig, TileAttrs, TensorInfo } from '@tensorflow/tfjs';
import { heapKernelOr, heapPointer } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';

const RANK = 6;

/**
 * Tile on wasm as one pass of our SIMD kernel (tile in assembly/heapKernels.ts), runs of the last
 * axis at a time. tfjs-wasm's own computes each element's source index: 8 ms to spread [8,1,1,3]
 * over [8,64,64,3] in Node. broadcastTo is a Tile, and so are the Sum and Mean gradients
 * (reductionGradients.ts). Ranks above 6 and other dtypes than float32 and int32 go to the original.
 */
export function wasmTileConfig(original: KernelConfig): KernelConfig {
  return heapKernelOr<TileAttrs>(original, (inputs, backend, attrs) => {
    const { x } = inputs as { x: TensorInfo };
    const { reps } = attrs;
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || x.shape.length > RANK || x.shape.length === 0) return null;
    const out = backend.makeOutput(
      x.shape.map((size, i) => size * reps[i]),
      x.dtype as 'float32',
    );
    const pad = new Array<number>(RANK - x.shape.length).fill(1);
    const kernels = heapKernelsOf(backend.wasm);
    kernels.withScratch(2 * RANK * 4, (dims) => {
      new Int32Array(kernels.memory.buffer, dims, 2 * RANK).set([...pad, ...x.shape, ...pad, ...reps]);
      kernels.tile(heapPointer(backend, x), heapPointer(backend, out), dims);
    });
    return out;
  });
}
