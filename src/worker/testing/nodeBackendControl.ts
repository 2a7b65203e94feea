import * as tf from '@tensorflow/tfjs';
import { selectWasmBackend } from '../../core/backends/nodeWasm';
import type { BackendControl } from '../backends/backendControl';
import type { BackendName } from '../backends/backendReport';
import { restartWasm } from '../backends/wasmThreads';

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
  // Node's wasm runs one thread: nothing to time.
  threadsToTime: () => [],
  restartThreads: (threads) => restartWasm(threads),
  threadsTimed: (timings, _, refused) => ({ verdict: `timed ${timings.map((t) => `${t.threads}: ${t.msPerStep.toFixed(0)} ms`).join(', ')}${refused ? `; ${refused}` : ''}`, detail: '' }),
  engineDevice: () => null,
  // Freeing a weight's memory makes the next step fail, as a lost device would.
  loseDevice: (gan) => gan.generator('AtoB')?.weights[0].read().dispose(),
};
