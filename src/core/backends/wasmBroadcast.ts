import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { heapPointer, runOn, type WasmHeap } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';

/** Outputs smaller than this are left to the original: the extra Tile would cost more than it saves. */
const MIN_OUTPUT = 1 << 14;
/**
 * The innermost run of elements both operands share from which XNNPACK's broadcast is fast:
 * [2,64,64,32] × [32] took 0.72 ms in Node, the same-shape product 0.64.
 */
const MIN_RUN = 32;

/**
 * A broadcasting binary op on wasm (Add, Sub, Multiply, RealDiv) whose innermost shared run is
 * short, with the smaller operand tiled along its innermost broadcast axes first. XNNPACK walks
 * a broadcast one innermost run at a time, a call per run: [8,128,128,3] × [3] took 9.4 ms in
 * Node (runs of 3), tiled to [1,1,128,3] first (runs of 384) 1.2 ms; the same-shape product
 * takes ~1 ms. The grade's detail gain and the colour statistics' per-image means broadcast so.
 * Returns undefined where the original is as fast: small outputs, long runs, scalars, both
 * operands broadcast, or other dtypes than float32.
 */
function widened(a: TensorInfo, b: TensorInfo): { a: TensorInfo; b: TensorInfo; tiled: tf.Tensor } | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const size = tf.util.sizeFromShape(outShape);
  const aFull = tf.util.sizeFromShape(a.shape) === size;
  const bFull = tf.util.sizeFromShape(b.shape) === size;
  if (size < MIN_OUTPUT || aFull === bFull) return undefined;
  const small = aFull ? b : a;
  if (tf.util.sizeFromShape(small.shape) === 1) return undefined;
  const padded = [...new Array<number>(outShape.length - small.shape.length).fill(1), ...small.shape];
  const reps = padded.map(() => 1);
  let run = 1;
  for (let axis = outShape.length - 1; axis >= 0 && run < MIN_RUN; axis--) {
    if (padded[axis] !== outShape[axis]) {
      // Broadcast along the innermost axis itself: tiling would copy the whole output.
      if (axis === outShape.length - 1) return undefined;
      reps[axis] = outShape[axis];
    }
    run *= outShape[axis];
  }
  if (reps.every((r) => r === 1)) return undefined;
  const reshaped = runOn('Reshape', { x: small }, { shape: padded });
  const tiled = runOn('Tile', { x: reshaped }, { reps });
  reshaped.dispose();
  return aFull ? { a, b: tiled, tiled } : { a: tiled, b, tiled };
}

/** Our binary kernel's code for each op (binary in assembly/heapKernels.ts). */
const OPS: Record<string, number> = { Add: 0, Sub: 1, Multiply: 2, RealDiv: 3 };

/**
 * a op b by our kernel where both are float32 and of one size, or one is a single float; null
 * otherwise. XNNPACK's own runs on its thread pool, whose thread then polls for the next
 * operation on the core our helpers need: in a 128 px step on two threads its Adds took 1.8×
 * their one-thread time.
 */
function elementwise(op: number, a: TensorInfo, b: TensorInfo, backend: WasmHeap): TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const [sizeA, sizeB, size] = [a.shape, b.shape, outShape].map((shape) => tf.util.sizeFromShape(shape));
  // Both whole ([1, 3] and [3, 1] are each of size 3, their sum is not), or one a single float.
  const scalar = sizeA === size && sizeB === size ? 0 : sizeA === 1 && sizeB === size ? 1 : sizeB === 1 && sizeA === size ? 2 : -1;
  if (scalar < 0) return null;
  const out = backend.makeOutput(outShape, 'float32');
  heapKernelsOf(backend.wasm).binary(op, heapPointer(backend, a), heapPointer(backend, b), heapPointer(backend, out), size, scalar);
  return out;
}

/**
 * Wraps a binary kernel so that short-run broadcasts go through {@link widened}, and what is then
 * elementwise (or by a scalar) through our kernel.
 */
export function wasmBroadcastConfig(original: KernelConfig): KernelConfig {
  const op = OPS[original.kernelName];
  return {
    ...original,
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
      const backend = args.backend as unknown as WasmHeap;
      const wide = widened(a, b);
      const inputs = wide ?? { a, b };
      const out = elementwise(op, inputs.a, inputs.b, backend) ?? original.kernelFunc({ ...args, inputs });
      wide?.tiled.dispose();
      return out;
    },
  };
}
