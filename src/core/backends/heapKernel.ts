import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { EmscriptenHeap } from './simd/heapKernels';

/** What this project's own kernels need of the wasm backend: outputs, views of its heap, and its module. */
export interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  /** A view of a tensor's memory, typed by its dtype; take views only after every makeOutput, which may grow the heap. */
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array;
  wasm: EmscriptenHeap;
}

/** A tensor's address in the wasm heap, as a byte offset: what our SIMD kernels take. */
export function heapPointer(backend: WasmHeap, info: TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset;
}

/** Runs a kernel on raw TensorInfos (the engine accepts them; its types ask for Tensors). */
export function runOn(kernel: string, inputs: Record<string, TensorInfo>, attrs: object): tf.Tensor {
  return tf.engine().runKernel(kernel, inputs as unknown as tf.NamedTensorMap, attrs as NamedAttrMap) as tf.Tensor;
}

/** A wasm kernel written in JavaScript over the backend's heap. */
export function heapKernel<Attrs>(kernelName: string, run: (inputs: Record<string, TensorInfo>, backend: WasmHeap, attrs: Attrs) => TensorInfo | TensorInfo[]): KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => run(inputs as Record<string, TensorInfo>, backend as unknown as WasmHeap, attrs as NamedAttrMap as unknown as Attrs),
  };
}

/**
 * One of tfjs-wasm's own kernels, replaced: `run` computes the inputs it suits over the heap and
 * returns null for the rest, which the original takes. The original's setupFunc (which binds its
 * wasm function when the backend starts) is kept.
 */
export function heapKernelOr<Attrs>(original: KernelConfig, run: (inputs: Record<string, TensorInfo>, backend: WasmHeap, attrs: Attrs) => TensorInfo | TensorInfo[] | null): KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => run(args.inputs as Record<string, TensorInfo>, args.backend as unknown as WasmHeap, args.attrs as NamedAttrMap as unknown as Attrs) ?? original.kernelFunc(args),
  };
}

/**
 * The gradient of a fused forward kernel: its backward kernel takes the saved inputs and dy and
 * returns one gradient per input, in `inputs` order (those it does not need, tidy frees).
 */
export function backwardKernelGradient(forward: string, backward: string, saved: string[], inputs: string[]): GradConfig {
  return {
    kernelName: forward,
    inputsToSave: saved,
    gradFunc: (dy, savedTensors, attrs) => {
      const given = Object.fromEntries(saved.map((name, i) => [name, savedTensors[i]]));
      const grads = tf.engine().runKernel(backward, { ...given, dy: dy as tf.Tensor }, attrs) as unknown as tf.Tensor[];
      return Object.fromEntries(inputs.map((name, i) => [name, () => grads[i]]));
    },
  };
}
