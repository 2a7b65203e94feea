import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerCpuKernelFixes } from './cpuKernels';
import { registerWasmTrainingKernels } from './wasmKernels';

/**
 * Selects the wasm backend outside the browser (Vitest, bench): in Node it finds its .wasm files
 * on its own, with SIMD on and threads off. Mends the cpu backend too, the tests' reference.
 */
export async function selectWasmBackend(): Promise<void> {
  registerWasmTrainingKernels();
  registerCpuKernelFixes();
  if (!(await tf.setBackend('wasm'))) throw new Error('The wasm backend failed to initialise');
  await tf.ready();
}
