import type { TensorInfo } from '@tensorflow/tfjs';
import { NCE_CROSS_ENTROPY_KERNELS, UNIT_ROWS_KERNELS } from '../gan/patchNce';
import { backwardKernelGradient, heapKernel, heapPointer } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';

/**
 * PatchNCE's row normalisation and cross-entropy as one pass of our SIMD kernels each way
 * (unitRows, nceExpSums, and their gradients unitRowsGrad and nceCrossEntropyGrad in
 * assembly/heapKernels.ts), on one thread: a layer's [256, 256] logits are ~0.1–0.2 ms of work.
 * tfjs composes them from ~50 kernels a layer, forward and back, and its Exp is a scalar loop
 * (~12 ns a float in Node; the SIMD exp here is a polynomial).
 */
export const wasmUnitRowsConfig = heapKernel<{ epsilon: number }>(UNIT_ROWS_KERNELS.forward, ({ x }, backend, { epsilon }) => {
  const [rows, width] = x.shape;
  const out = backend.makeOutput([...x.shape], 'float32');
  heapKernelsOf(backend.wasm).unitRows(heapPointer(backend, x), heapPointer(backend, out), rows, width, epsilon);
  return out;
});

export const wasmUnitRowsGradConfig = heapKernel<{ epsilon: number }>(UNIT_ROWS_KERNELS.backward, ({ x, dy }, backend, { epsilon }) => {
  const [rows, width] = x.shape;
  const dx = backend.makeOutput([...x.shape], 'float32');
  heapKernelsOf(backend.wasm).unitRowsGrad(heapPointer(backend, x), heapPointer(backend, dy), heapPointer(backend, dx), rows, width, epsilon);
  // A list, as backwardKernelGradient takes one gradient per input.
  return [dx];
});

function squareLogits(logits: TensorInfo): [number, number] {
  const [batch, rows, cols] = logits.shape;
  if (rows !== cols) throw new Error(`PatchNCE's logits must pair every query with its own key: got ${rows} queries and ${cols} keys`);
  return [batch, rows];
}

/** Each image's mean over rows i of log Σ_j e^(l_ij/τ) − l_ii/τ: the sums by our kernel, the rest here (a log per row). */
export const wasmNceCrossEntropyConfig = heapKernel<{ temperature: number }>(NCE_CROSS_ENTROPY_KERNELS.forward, ({ logits }, backend, { temperature }) => {
  const [batch, patches] = squareLogits(logits);
  const losses = backend.makeOutput([batch], 'float32');
  const kernels = heapKernelsOf(backend.wasm);
  const rows = batch * patches;
  const perImage = kernels.withScratch(rows * 8 + patches * 4, (sumsAt) => {
    kernels.nceExpSums(heapPointer(backend, logits), sumsAt, batch, patches, temperature, sumsAt + rows * 8);
    // Views after the call: the heap's buffer may have been replaced by the scratch space.
    const sums = new Float64Array(kernels.memory.buffer, sumsAt, rows);
    const l = backend.typedArrayFromHeap(logits);
    const scale = Math.fround(1 / temperature);
    return Array.from({ length: batch }, (_, b) => {
      let total = 0;
      for (let i = b * patches; i < (b + 1) * patches; i++) total += Math.log(sums[i]) - Math.fround(l[i * patches + (i % patches)] * scale);
      return total / patches;
    });
  });
  backend.typedArrayFromHeap(losses).set(perImage);
  return losses;
});

export const wasmNceCrossEntropyGradConfig = heapKernel<{ temperature: number }>(NCE_CROSS_ENTROPY_KERNELS.backward, ({ logits, dy }, backend, { temperature }) => {
  const [batch, patches] = squareLogits(logits);
  const dx = backend.makeOutput([...logits.shape], 'float32');
  heapKernelsOf(backend.wasm).nceCrossEntropyGrad(heapPointer(backend, logits), heapPointer(backend, dy), heapPointer(backend, dx), batch, patches, temperature);
  return [dx];
});

export const unitRowsGradient = backwardKernelGradient(UNIT_ROWS_KERNELS.forward, UNIT_ROWS_KERNELS.backward, ['x'], ['x']);
export const nceCrossEntropyGradient = backwardKernelGradient(NCE_CROSS_ENTROPY_KERNELS.forward, NCE_CROSS_ENTROPY_KERNELS.backward, ['logits'], ['logits']);
