import * as tf from '@tensorflow/tfjs';
import type { BatchMatMulAttrs, KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { heapKernelOr, runOn } from './heapKernel';

/** Swaps the last two axes of a tensor of any rank ≥ 2. */
function transposeLastTwo(x: TensorInfo): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  perm.splice(-2, 2, perm.length - 1, perm.length - 2);
  return runOn('Transpose', { x }, { perm });
}

/**
 * wasm's BatchMatMul is fast (XNNPACK) only for one matrix times one matrix with neither side
 * transposed; otherwise it runs a scalar loop, ~15× slower (25 ms instead of 1.8 ms for
 * 256×256×256). Backpropagation through a matmul always asks for transposes, so explicit (cheap)
 * Transposes are put in front instead, and a batch of products (CUT's PatchNCE over two images)
 * goes one pair of matrices at a time.
 */
export function wasmMatMulConfig(original: KernelConfig): KernelConfig {
  return heapKernelOr<BatchMatMulAttrs>(original, (inputs, _backend, attrs) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const [outerA, outerB] = [a.shape.slice(0, -2), b.shape.slice(0, -2)];
    const [batchA, batchB] = [tf.util.sizeFromShape(outerA), tf.util.sizeFromShape(outerB)];
    const batch = Math.max(batchA, batchB);
    const perMatrix = batch > 1 && (batchA === 1 || batchB === 1 || tf.util.arraysEqual(outerA, outerB));
    if (!attrs.transposeA && !attrs.transposeB && !perMatrix) return null;
    return tf.tidy(() => {
      const left = attrs.transposeA ? transposeLastTwo(a) : (a as tf.Tensor);
      const right = attrs.transposeB ? transposeLastTwo(b) : (b as tf.Tensor);
      if (!perMatrix) return runOn('BatchMatMul', { a: left, b: right }, { transposeA: false, transposeB: false });
      // Matrix i of a side with `count` matrices (one: the same matrix for every i).
      const matrices = (x: tf.Tensor, count: number) => {
        const [rows, cols] = x.shape.slice(-2);
        const all = runOn('Reshape', { x }, { shape: [count, rows, cols] });
        return (i: number) => (count === 1 ? all : runOn('Slice', { x: all }, { begin: [i, 0, 0], size: [1, rows, cols] }));
      };
      const [leftAt, rightAt] = [matrices(left, batchA), matrices(right, batchB)];
      const products = Array.from({ length: batch }, (_, i) => runOn('BatchMatMul', { a: leftAt(i), b: rightAt(i) }, { transposeA: false, transposeB: false }));
      const joined = runOn('Concat', products as unknown as Record<string, TensorInfo>, { axis: 0 });
      const outer = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
      return runOn('Reshape', { x: joined }, { shape: [...outer, left.shape[left.shape.length - 2], right.shape[right.shape.length - 1]] });
    });
  });
}
