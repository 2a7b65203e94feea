// What the app uses of @tensorflow/tfjs, without the graph-model converter and tf.data: the
// build aliases '@tensorflow/tfjs' to this module (vite.config.ts), which keeps them out of every
// worker's bundle.
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
export * from '@tensorflow/tfjs-backend-cpu';
export * from '@tensorflow/tfjs-backend-webgl';
