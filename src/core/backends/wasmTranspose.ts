import type { KernelConfig, TensorInfo, TransposeAttrs } from '@tensorflow/tfjs';
import { heapKernelOr, heapPointer } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';

/**
 * A permutation as the swap of the last two axes of [batch, rows, cols]: the leading axes stay,
 * and the rest move as two blocks, the later first (NHWC → NCHW is [0, 3, 1, 2]: rows H·W, cols C).
 * Axes of size 1 are dropped first. Null when the permutation is not such a swap, or moves nothing.
 */
export function asBlockSwap(shape: readonly number[], perm: readonly number[]): { batch: number; rows: number; cols: number } | null {
  const kept = perm.filter((axis) => shape[axis] !== 1);
  const rank = (axis: number) => kept.filter((other) => other < axis).length;
  const order = kept.map(rank);
  const sizes = [...shape].filter((size) => size !== 1);
  let lead = 0;
  while (lead < order.length && order[lead] === lead) lead++;
  if (lead === order.length) return null;
  const split = order[lead];
  const moved = order.length - split;
  for (let k = 0; k < order.length - lead; k++) {
    if (order[lead + k] !== (k < moved ? split + k : lead + k - moved)) return null;
  }
  const product = (from: number, to: number) => sizes.slice(from, to).reduce((n, size) => n * size, 1);
  return { batch: product(0, lead), rows: product(lead, split), cols: product(split, sizes.length) };
}

/**
 * Transpose on wasm, where it swaps two blocks of axes (see asBlockSwap), by our SIMD kernel in
 * 4×4 register blocks (transpose in assembly/heapKernels.ts). tfjs-wasm's own
 * walks the output element by element: 1.5 ms for NHWC → NCHW of [1,130,130,32] in Node, which
 * the convolution gradients do before every patch layout, and 0.5 ms for [1024,128] → [128,1024],
 * which transposed matmuls do. Other permutations and dtypes than float32 and int32 go to the original.
 */
export function wasmTransposeConfig(original: KernelConfig): KernelConfig {
  return heapKernelOr<TransposeAttrs>(original, (inputs, backend, attrs) => {
    const { x } = inputs as { x: TensorInfo };
    const { perm } = attrs;
    const swap = x.dtype === 'float32' || x.dtype === 'int32' ? asBlockSwap(x.shape, perm) : null;
    if (swap === null) return null;
    const out = backend.makeOutput(
      perm.map((axis) => x.shape[axis]),
      x.dtype as 'float32',
    );
    const { batch, rows, cols } = swap;
    heapKernelsOf(backend.wasm).transpose(heapPointer(backend, x), heapPointer(backend, out), batch, rows, cols);
    return out;
  });
}
