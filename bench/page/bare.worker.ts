import * as tf from '@tensorflow/tfjs';
import { makeConfig } from '../../src/core/config';
import { createGan } from '../../src/core/gan/createGan';
import { randomColourReference } from '../../src/core/gan/colourReference';
import { CycleGan } from '../../src/core/gan/cycleGan';
import { trainingStepFlops } from '../../src/core/networks/flops';
import { configureBackends, describeWasm } from '../../src/worker/backends/backends';
import { shareWasmThreads } from '../../src/worker/backends/wasmThreads';
import { WARM_STEPS_MAX, type BareRequest, type BareResult } from './messages';
import { errorMessage } from '../../src/shared/errorMessage';

/** The bare tfjs loop: the same training step (colour loss included), no protocol, no data pipeline, no previews. */
async function run({ backend, model = 'cyclegan', resolution, warmup, warmupMs = 0, steps, budgetMs, threads, logicalCores }: BareRequest): Promise<BareResult> {
  if (logicalCores) Object.defineProperty(Object.getPrototypeOf(navigator), 'hardwareConcurrency', { get: () => logicalCores });
  configureBackends({ threads });
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  if (backend === 'wasm') await shareWasmThreads();
  const config = makeConfig({ model, resolution });
  const gan = createGan(config);
  // The app's step grades a window of each image set for the colour loss: so does this one.
  if (config.lambdaColour > 0) gan.useColourReference(randomColourReference(resolution));
  const a = tf.randomUniform([1, resolution, resolution, 3], -1, 1) as tf.Tensor4D;
  const b = tf.randomUniform([1, resolution, resolution, 3], -1, 1) as tf.Tensor4D;
  const stepMs: number[] = [];
  try {
    const warming = performance.now();
    for (let i = 0; i < warmup || (i < WARM_STEPS_MAX && performance.now() - warming < warmupMs); i++) await gan.step(a, b);
    const started = performance.now();
    for (let i = 0; i < steps && (i < 2 || performance.now() - started < budgetMs); i++) {
      const t0 = performance.now();
      await gan.step(a, b);
      stepMs.push(performance.now() - t0);
    }
    const residentMb = tf.memory().numBytes / 1e6;
    // tfjs tracks every allocation of every backend, so its profile's peak compares models fairly.
    const profile = await tf.profile(async () => {
      await gan.step(a, b);
    });
    const memory = { residentMb, peakMb: profile.peakBytes / 1e6 };
    const detail = backend === 'wasm' ? describeWasm() : '';
    const stepFlops = gan instanceof CycleGan ? trainingStepFlops(gan, resolution, 1) : 0;
    return { backend, resolution, stepMs, stepFlops, memory, kernels: profile.kernels.length, kernelTimes: kernelTimes(profile.kernels), matmulGflops: await matmulGflops(backend), detail };
  } finally {
    gan.dispose();
    tf.dispose([a, b]);
  }
}

/** tf.profile's kernels per name; their times are resolved once tf.profile returns. */
function kernelTimes(kernels: { name: string; kernelTimeMs: unknown }[]): BareResult['kernelTimes'] {
  const byName = new Map<string, { name: string; count: number; ms: number }>();
  for (const k of kernels) {
    const row = byName.get(k.name) ?? { name: k.name, count: 0, ms: 0 };
    row.count++;
    row.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    byName.set(k.name, row);
  }
  return [...byName.values()].sort((a, b) => b.ms - a.ms);
}

async function matmulGflops(backend: string): Promise<number> {
  const n = backend === 'cpu' ? 384 : 1024;
  const x = tf.randomUniform([n, n]);
  const y = tf.randomUniform([n, n]);
  const once = async () => {
    const t0 = performance.now();
    const z = tf.matMul(x, y);
    await z.data();
    z.dispose();
    return performance.now() - t0;
  };
  await once();
  const times = [await once(), await once(), await once()];
  tf.dispose([x, y]);
  return (2 * n ** 3) / (Math.min(...times) / 1000) / 1e9;
}

onmessage = async (event: MessageEvent<BareRequest>) => {
  try {
    postMessage(await run(event.data));
  } catch (error) {
    const { backend, resolution } = event.data;
    postMessage({ backend, resolution, stepMs: [], stepFlops: 0, memory: { residentMb: 0, peakMb: 0 }, kernels: 0, kernelTimes: [], matmulGflops: 0, detail: '', error: errorMessage(error) } satisfies BareResult);
  }
};
