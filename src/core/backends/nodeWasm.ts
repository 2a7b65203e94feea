import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './wasmKernels';

/**
 * Selects the wasm backend outside the browser (Vitest, bench): in Node it finds its .wasm files
 * on its own, with SIMD on and threads off.
 */
export async function selectWasmBackend(): Promise<void> {
  registerWasmTrainingKernels();
  if (!(await tf.setBackend('wasm'))) throw new Error('The wasm backend failed to initialise');
  await tf.ready();
}
