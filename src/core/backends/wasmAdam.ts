import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { heapKernel, heapPointer, type WasmHeap } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';

/** The kernel that updates every variable of one Adam optimiser at once (see `adamStep`). */
const FUSED_ADAM = 'GanStudioFusedAdam';

export interface FusedAdamAttrs {
  count: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
}

/**
 * Adam for a whole network as one kernel: tfjs's AdamOptimizer spends 14 kernels per variable
 * (1124 for the default generators, ~37 ms on wasm); this is one SIMD pass over each variable
 * (assembly/heapKernels.ts). Every operation is rounded to float32 in tfjs's order, so the
 * result is tfjs's to the last bit wherever its kernels round correctly.
 *
 * Inputs `value{i}`, `m{i}`, `v{i}`, `grad{i}` for i < count, and the scalars `accBeta1`,
 * `accBeta2` (β^t); outputs the new values, first moments and second moments (count each), then
 * β1^(t+1) and β2^(t+1).
 */
function fusedAdam(inputs: Record<string, TensorInfo>, backend: WasmHeap, attrs: FusedAdamAttrs): TensorInfo[] {
  const { count } = attrs;
  const at = (name: string, i: number) => inputs[`${name}${i}`];
  const outputs: TensorInfo[] = [];
  for (const name of ['value', 'm', 'v']) for (let i = 0; i < count; i++) outputs.push(backend.makeOutput([...at(name, i).shape], 'float32'));
  outputs.push(backend.makeOutput([], 'float32'), backend.makeOutput([], 'float32'));
  const acc1 = backend.typedArrayFromHeap(inputs.accBeta1)[0];
  const acc2 = backend.typedArrayFromHeap(inputs.accBeta2)[0];
  const f = Math.fround;
  const constants = [attrs.beta1, attrs.beta2, f(1 - attrs.beta1), f(1 - attrs.beta2), f(1 - acc1), f(1 - acc2), attrs.epsilon, -attrs.learningRate];
  const kernels = heapKernelsOf(backend.wasm);
  kernels.withFloats([constants], 0, (scratch) => {
    for (let i = 0; i < count; i++) {
      kernels.adam(heapPointer(backend, at('value', i)), heapPointer(backend, at('m', i)), heapPointer(backend, at('v', i)), heapPointer(backend, at('grad', i)), heapPointer(backend, outputs[i]), heapPointer(backend, outputs[count + i]), heapPointer(backend, outputs[2 * count + i]), tf.util.sizeFromShape(at('value', i).shape), scratch);
    }
  });
  // Views only now: the scratch allocation may have grown the heap.
  backend.typedArrayFromHeap(outputs[3 * count])[0] = f(acc1 * f(attrs.beta1));
  backend.typedArrayFromHeap(outputs[3 * count + 1])[0] = f(acc2 * f(attrs.beta2));
  return outputs;
}

export const wasmFusedAdamConfig = heapKernel(FUSED_ADAM, fusedAdam);

/** tfjs's AdamOptimizer state, which it keeps private; the fused step reads and replaces it. */
interface AdamInternals {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  incrementIterations(): void;
}

/**
 * One Adam update of `optimizer` through the fused kernel, when the active backend has it; false
 * when it has not (the caller then uses tfjs's own). The optimiser's state stays tfjs's, so its
 * getWeights/setWeights and every saved run read the same either way.
 */
export function fusedAdamStep(optimizer: tf.AdamOptimizer, gradients: { name: string; tensor: tf.Tensor }[]): boolean {
  if (tf.getKernel(FUSED_ADAM, tf.getBackend()) == null || gradients.length === 0) return false;
  const adam = optimizer as unknown as AdamInternals;
  const inputs: Record<string, tf.Tensor> = { accBeta1: adam.accBeta1, accBeta2: adam.accBeta2 };
  const variables = gradients.map(({ name, tensor }, i) => {
    const value = tf.engine().registeredVariables[name];
    adam.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    adam.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    const m = adam.accumulatedFirstMoment[i].variable;
    const v = adam.accumulatedSecondMoment[i].variable;
    Object.assign(inputs, { [`value${i}`]: value, [`m${i}`]: m, [`v${i}`]: v, [`grad${i}`]: tensor });
    return { value, m, v };
  });
  const count = variables.length;
  const attrs: FusedAdamAttrs = { count, beta1: adam.beta1, beta2: adam.beta2, epsilon: adam.epsilon, learningRate: adam.learningRate };
  const out = tf.engine().runKernel(FUSED_ADAM, inputs, attrs as unknown as NamedAttrMap) as unknown as tf.Tensor[];
  variables.forEach(({ value, m, v }, i) => {
    value.assign(out[i]);
    m.assign(out[count + i]);
    v.assign(out[2 * count + i]);
  });
  adam.accBeta1.assign(out[3 * count]);
  adam.accBeta2.assign(out[3 * count + 1]);
  tf.dispose(out);
  adam.incrementIterations();
  return true;
}
