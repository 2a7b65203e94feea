/**
 * Speed and memory of the training step on the Node wasm backend (the same core the browser
 * worker runs). Prints ms/step at 32 and 64 px for the default config (its colour loss grading
 * windows of random images), CycleGAN and FastCUT, then
 * the tensor count before and after a long CycleGAN run once the image pools are full: the two
 * must be equal.
 *   npm run bench:core [-- --timed 10 --soak 200]
 */
import * as tf from '@tensorflow/tfjs';
import { selectWasmBackend } from '../src/core/backends/nodeWasm';
import { DEFAULT_CONFIG, makeConfig, type ModelKind } from '../src/core/config';
import { randomColourReference } from '../src/core/gan/colourReference';
import { createGan } from '../src/core/gan/createGan';
import { CycleGan } from '../src/core/gan/cycleGan';
import { median, numberArgs } from './args';

const args = numberArgs({ timed: 10, soak: 200, warmup: 3 });
await selectWasmBackend();

function randomBatch(side: number, seed: number) {
  return tf.randomUniform([DEFAULT_CONFIG.batchSize, side, side, 3], -1, 1, 'float32', seed) as tf.Tensor4D;
}

async function msPerStep(resolution: number, model: ModelKind = 'cyclegan'): Promise<number> {
  const gan = createGan(makeConfig({ model, resolution }));
  gan.useColourReference(randomColourReference(resolution));
  const a = randomBatch(resolution, 1);
  const b = randomBatch(resolution, 2);
  for (let i = 0; i < args.warmup; i++) await gan.step(a, b);
  const times: number[] = [];
  for (let i = 0; i < args.timed; i++) {
    const t0 = performance.now();
    await gan.step(a, b);
    times.push(performance.now() - t0);
  }
  gan.dispose();
  tf.dispose([a, b]);
  const ms = median(times);
  console.log(`model=${model} resolution=${resolution} median_ms_per_step=${ms.toFixed(1)} (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)}, ${args.timed} steps after ${args.warmup} warm-up)`);
  return ms;
}

console.log(`backend=${tf.getBackend()} config: genFilters=${DEFAULT_CONFIG.genFilters} resBlocks=${DEFAULT_CONFIG.genResBlocks} discFilters=${DEFAULT_CONFIG.discFilters} discLayers=${DEFAULT_CONFIG.discLayers} batch=${DEFAULT_CONFIG.batchSize}`);
const ms32 = await msPerStep(32);
const ms64 = await msPerStep(64);
const fast32 = await msPerStep(32, 'fastcut');
const fast64 = await msPerStep(64, 'fastcut');

// Soak at 32 px: fill the image pools first, since they legitimately grow to their capacity.
const gan = new CycleGan(makeConfig({ resolution: 32 }));
gan.useColourReference(randomColourReference(32));
const a = randomBatch(32, 3);
const b = randomBatch(32, 4);
for (let i = 0; i < DEFAULT_CONFIG.poolSize; i++) await gan.step(a, b);
const before = tf.memory();
const t0 = performance.now();
for (let i = 0; i < args.soak; i++) await gan.step(a, b);
const after = tf.memory();
console.log(
  `soak steps=${args.soak} seconds=${((performance.now() - t0) / 1000).toFixed(1)} bytes_before=${before.numBytes} bytes_after=${after.numBytes} rss_mb=${(process.memoryUsage().rss / 2 ** 20).toFixed(0)}`,
);
gan.dispose();
tf.dispose([a, b]);
console.log(`core ms_per_step_32=${ms32.toFixed(1)} ms_per_step_64=${ms64.toFixed(1)} fastcut_ms_per_step_32=${fast32.toFixed(1)} fastcut_ms_per_step_64=${fast64.toFixed(1)} tensors_before=${before.numTensors} tensors_after=${after.numTensors}`);
if (after.numTensors !== before.numTensors) process.exitCode = 1;
