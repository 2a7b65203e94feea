import * as tf from '@tensorflow/tfjs';
import { makeConfig } from '../../src/core/config';
import { createGan } from '../../src/core/gan/createGan';
import { randomColourReference } from '../../src/core/gan/colourReference';
import { CycleGan } from '../../src/core/gan/cycleGan';
import { trainingStepFlops } from '../../src/core/networks/flops';
import { configureBackends, describeWasm } from '../../src/worker/backends/backends';
import { startWasm } from '../../src/worker/backends/wasmThreads';
import { WARM_STEPS_MAX, type BareRequest, type BareResult, type BareSlice, type BareSliceResult } from './messages';
import type { GanModel } from '../../src/core/gan/ganModel';
import { errorMessage } from '../../src/shared/errorMessage';

/** A warm bare loop: the model and the two images it steps on. */
interface BareLoop {
  gan: GanModel;
  a: tf.Tensor4D;
  b: tf.Tensor4D;
}

/** Starts the backend and a model, and warms it up (see BareRequest.warmup, warmupMs). */
async function openLoop({ backend, model = 'cyclegan', resolution, warmup, warmupMs = 0, threads, wasmThreads }: BareRequest): Promise<BareLoop> {
  configureBackends({ threads });
  // As the app starts it.
  if (backend === 'wasm') await startWasm(threads ? (wasmThreads ?? Math.max(1, Math.floor(navigator.hardwareConcurrency / 2))) : 1);
  else if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  const config = makeConfig({ model, resolution });
  const gan = createGan(config);
  // The app's step grades a window of each image set for the colour loss: so does this one.
  if (config.lambdaColour > 0) gan.useColourReference(randomColourReference(resolution));
  const loop = { gan, a: tf.randomUniform([1, resolution, resolution, 3], -1, 1) as tf.Tensor4D, b: tf.randomUniform([1, resolution, resolution, 3], -1, 1) as tf.Tensor4D };
  try {
    const warming = performance.now();
    for (let i = 0; i < warmup || (i < WARM_STEPS_MAX && performance.now() - warming < warmupMs); i++) await gan.step(loop.a, loop.b);
  } catch (error) {
    closeLoop(loop);
    throw error;
  }
  return loop;
}

/** Wall time of up to `steps` steps, stopping once `budgetMs` is spent (after at least two). */
async function timeSteps({ gan, a, b }: BareLoop, steps: number, budgetMs: number): Promise<number[]> {
  const stepMs: number[] = [];
  const started = performance.now();
  for (let i = 0; i < steps && (i < 2 || performance.now() - started < budgetMs); i++) {
    const t0 = performance.now();
    await gan.step(a, b);
    stepMs.push(performance.now() - t0);
  }
  return stepMs;
}

function closeLoop({ gan, a, b }: BareLoop): void {
  gan.dispose();
  tf.dispose([a, b]);
}

/** The bare tfjs loop: the same training step (colour loss included), no protocol, no data pipeline, no previews. */
async function run(request: BareRequest): Promise<BareResult> {
  const { backend, resolution, steps, budgetMs } = request;
  const loop = await openLoop(request);
  const { gan, a, b } = loop;
  try {
    const stepMs = await timeSteps(loop, steps, budgetMs);
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
    closeLoop(loop);
  }
}

/** The loop a worker keeps between slices (see BareSlice). */
let held: BareLoop | null = null;

async function slice(message: BareSlice): Promise<BareSliceResult> {
  if (message.slice === 'open') {
    held = await openLoop(message.request);
    return { stepMs: [] };
  }
  if (!held) throw new Error('no bare loop is open');
  return { stepMs: await timeSteps(held, Number.MAX_SAFE_INTEGER, message.ms) };
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

onmessage = async (event: MessageEvent<BareRequest | BareSlice>) => {
  const message = event.data;
  if ('slice' in message) {
    postMessage(await slice(message).catch((error: unknown): BareSliceResult => ({ stepMs: [], error: errorMessage(error) })));
    return;
  }
  try {
    postMessage(await run(message));
  } catch (error) {
    const { backend, resolution } = message;
    postMessage({ backend, resolution, stepMs: [], stepFlops: 0, memory: { residentMb: 0, peakMb: 0 }, kernels: 0, kernelTimes: [], matmulGflops: 0, detail: '', error: errorMessage(error) } satisfies BareResult);
  }
};
