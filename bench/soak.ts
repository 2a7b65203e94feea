/**
 * Soak: the real training loop (previews, snapshots, checkpoints, loss history) for thousands of
 * steps at a small config on the Node wasm backend. Prints tensors, tf bytes, wasm heap, JS heap
 * and chart points every few hundred steps, then one summary line. After warm-up the tensor
 * count must not move, and the memory figures must level off.
 *   npm run bench:soak [-- --steps 2000 --every 250]
 */
import * as tf from '@tensorflow/tfjs';
import { selectWasmBackend } from '../src/core/backends/nodeWasm';
import { makeConfig } from '../src/core/config';
import { knownMappingTask } from '../src/core/data/syntheticScenes';
import { registerCustomLayers } from '../src/core/networks/layers';
import { LossHistory } from '../src/core/training/lossHistory';
import { Trainer } from '../src/core/training/trainer';
import { numberArgs } from './args';

const args = numberArgs({ steps: 2000, every: 250, resolution: 32 });
await selectWasmBackend();
registerCustomLayers();

const config = makeConfig({ resolution: args.resolution, genFilters: 8, genResBlocks: 2, discFilters: 8, discLayers: 2, poolSize: 50, totalSteps: args.steps, decayStartStep: args.steps / 2 });
const task = knownMappingTask({ train: 16, test: 4 }, args.resolution + 8);
const history = new LossHistory();
let step = 0;
const trainer = new Trainer(
  { config, content: task.content, style: task.style, previewEvery: 50, previewCount: 3, progressIntervalMs: 100, snapshotEveryMs: 2000, evaluation: { inputs: task.heldOut, targets: task.target }, yieldToEvents: () => new Promise((r) => setImmediate(r)) },
  {
    progress: (report) => {
      history.append(report.rows);
      step = report.step;
    },
    preview: () => undefined,
    fault: (error) => {
      throw error;
    },
    diverged: (row) => {
      throw new Error(`diverged at step ${row.step}`);
    },
    snapshot: () => undefined,
  },
);

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const wasmHeap = () => ((tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm?.HEAPU8.length ?? 0);
interface Sample {
  step: number;
  tensors: number;
  tfBytes: number;
  wasm: number;
  heap: number;
  points: number;
}
const samples: Sample[] = [];
const started = performance.now();
for (let target = args.every; target <= args.steps; target += args.every) {
  trainer.stepOnce(args.every);
  await trainer.idle();
  // A checkpoint as autosave takes one, every round.
  await trainer.captureState();
  global.gc?.();
  const memory = tf.memory();
  const sample = { step, tensors: memory.numTensors, tfBytes: memory.numBytes, wasm: wasmHeap(), heap: process.memoryUsage().heapUsed, points: history.size };
  samples.push(sample);
  console.log(`step=${sample.step} tensors=${sample.tensors} tf_mb=${mb(sample.tfBytes)} wasm_heap_mb=${mb(sample.wasm)} js_heap_mb=${mb(sample.heap)} chart_points=${sample.points}`);
}
trainer.dispose();
const warm = samples[0];
const end = samples[samples.length - 1];
console.log(
  `soak steps=${end.step} tensors_after_warmup=${warm.tensors} tensors_end=${end.tensors} tf_mb=${mb(warm.tfBytes)}->${mb(end.tfBytes)} wasm_heap_mb=${mb(warm.wasm)}->${mb(end.wasm)} js_heap_mb=${mb(warm.heap)}->${mb(end.heap)} chart_points_max=${Math.max(...samples.map((s) => s.points))} seconds=${((performance.now() - started) / 1000).toFixed(0)}`,
);
