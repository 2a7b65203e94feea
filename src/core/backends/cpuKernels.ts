import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { runOn } from './heapKernel';

/**
 * tfjs-backend-cpu 4.22's ResizeNearestNeighborGrad reads dy at the *images'* batch offset, so
 * every image after the first gets the gradient of the wrong place: nearest-neighbour
 * upsampling (the generator's resize-conv, the default) trained wrongly on cpu whenever a batch
 * held more than one image. The original is right for one image, so each image goes through it
 * alone.
 */
function perImage(original: KernelConfig): KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { images, dy } = args.inputs as { images: TensorInfo; dy: TensorInfo };
      const batch = images.shape[0];
      if (batch <= 1) return original.kernelFunc(args);
      return tf.tidy(() => {
        const slice = (t: TensorInfo, b: number) => runOn('Slice', { x: t }, { begin: [b, 0, 0, 0], size: [1, ...t.shape.slice(1)] });
        const grads = Array.from({ length: batch }, (_, b) => original.kernelFunc({ ...args, inputs: { images: slice(images, b), dy: slice(dy, b) } }) as TensorInfo);
        return tf.concat(grads.map((g) => tf.engine().makeTensorFromTensorInfo(g)), 0);
      });
    },
  };
}

let registered = false;

/** Replaces the cpu kernels that compute wrong gradients (see {@link perImage}). Idempotent. */
export function registerCpuKernelFixes(): void {
  if (registered) return;
  const original = tf.getKernel('ResizeNearestNeighborGrad', 'cpu');
  if (original) {
    tf.unregisterKernel('ResizeNearestNeighborGrad', 'cpu');
    tf.registerKernel(perImage(original));
  }
  registered = true;
}
