import * as tf from '@tensorflow/tfjs';
import { selectWasmBackend } from '../../core/backends/nodeWasm';
import type { BackendControl } from '../backends/backendControl';
import type { BackendName } from '../backends/backendReport';

/** wasm first, cpu as the fallback: the two backends Node has. */
export const nodeBackendControl: BackendControl = {
  select: async (choice) => {
    const chosen: BackendName = choice === 'cpu' ? 'cpu' : 'wasm';
    return { chosen, forced: choice !== 'auto', reason: 'test', candidates: [] };
  },
  activate: async (name) => {
    if (name === 'wasm') await selectWasmBackend();
    else if (!(await tf.setBackend(name))) throw new Error(`${name} unavailable`);
  },
  fallbacks: (failed) => (failed === 'wasm' ? ['cpu'] : []),
  lostReason: () => null,
  engineDevice: () => null,
  // Freeing a weight's memory makes the next step fail, as a lost device would.
  loseDevice: (gan) => gan.generator('AtoB')?.weights[0].read().dispose(),
};
