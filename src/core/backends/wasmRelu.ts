import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig, LeakyReluAttrs, TensorInfo } from '@tensorflow/tfjs';
import { heapKernel, heapKernelOr, heapPointer } from './heapKernel';
import { heapKernelsOf } from './simd/heapKernels';

/** The gradient of a (leaky) ReLU as one kernel: x, dy and attr alpha → dx. */
export const RELU_GRADIENT = 'GanStudioReluGrad';

/**
 * One pass of our SIMD kernel (reluGradient in assembly/heapKernels.ts), on one thread: it streams
 * at ~50 GB/s, and two threads gained nothing below 2 MB in Node (262144 floats: 60 µs on one,
 * 75 µs in chunks on two).
 */
export const wasmReluGradientConfig = heapKernel<{ alpha: number }>(RELU_GRADIENT, (inputs, backend, { alpha }) => {
  const out = backend.makeOutput([...inputs.x.shape], 'float32');
  const [xAt, dyAt, dxAt] = [heapPointer(backend, inputs.x), heapPointer(backend, inputs.dy), heapPointer(backend, out)];
  heapKernelsOf(backend.wasm).reluGradient(xAt, dyAt, dxAt, tf.util.sizeFromShape(inputs.x.shape), alpha);
  return out;
});

/** A (leaky) ReLU's slope below zero: LeakyRelu's alpha, Relu's 0. */
const slopeOf = (kernelName: string, attrs: unknown) => (kernelName === 'LeakyRelu' ? (attrs as LeakyReluAttrs).alpha : 0);

/**
 * Relu's and LeakyRelu's gradients through that kernel where the backend has it. tfjs composes
 * them from three kernels each (Step, Cast, Multiply; Greater, Multiply, Select), and a CycleGAN
 * step has 40 such layers. Elsewhere, tfjs's own composition: gradients are not per backend.
 */
function reluGradient(kernelName: 'Relu' | 'LeakyRelu'): GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const alpha = slopeOf(kernelName, attrs);
      const grad = dy as tf.Tensor;
      if (x.dtype === 'float32' && tf.getKernel(RELU_GRADIENT, tf.getBackend())) {
        return { x: () => tf.engine().runKernel(RELU_GRADIENT, { x, dy: grad } as unknown as Record<string, TensorInfo> as never, { alpha }) as tf.Tensor };
      }
      if (kernelName === 'Relu') return { x: () => tf.mul(grad, tf.cast(tf.step(x), 'float32')) };
      return { x: () => tf.where(tf.greater(x, 0), grad, tf.mul(grad, alpha)) };
    },
  };
}

export const reluGradients = [reluGradient('Relu'), reluGradient('LeakyRelu')];

/**
 * Relu and LeakyRelu on wasm as one pass of our SIMD kernel (leakyRelu in assembly/heapKernels.ts):
 * the 16 leaky ReLUs of a 128 px CycleGAN step took 5.8 ms in tfjs-wasm's loop, 0.9 ms here, in
 * Node (its Relu was as fast as ours). Other dtypes go to the original.
 */
export function wasmReluConfig(original: KernelConfig): KernelConfig {
  return heapKernelOr<unknown>(original, (inputs, backend, attrs) => {
    const { x } = inputs as { x: TensorInfo };
    if (x.dtype !== 'float32') return null;
    const alpha = slopeOf(original.kernelName, attrs);
    const out = backend.makeOutput([...x.shape], 'float32');
    heapKernelsOf(backend.wasm).leakyRelu(heapPointer(backend, x), heapPointer(backend, out), tf.util.sizeFromShape(x.shape), alpha);
    return out;
  });
}
