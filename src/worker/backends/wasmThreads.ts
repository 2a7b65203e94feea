import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { heapKernelThreads, heapKernelsSupported, splitHeapKernels, type EmscriptenHeap } from '../../core/backends/simd/heapKernels';

/** tfjs-backend-wasm starts a pool of 8 workers: more threads than that would wait on each other. */
const POOL_WORKERS = 8;

/**
 * Thread counts worth timing here: one, and every logical core the browser reports. Threads
 * need a cross-origin isolated page (SharedArrayBuffer); tfjs itself would use half the cores.
 */
export async function wasmThreadCounts(): Promise<number[]> {
  if (!globalThis.crossOriginIsolated || !(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))) return [1];
  const cores = Math.min(POOL_WORKERS, globalThis.navigator?.hardwareConcurrency ?? 1);
  return cores > 1 ? [1, cores] : [1];
}

/**
 * Starts the wasm backend on `threads` threads, or switches to it if it already runs (its
 * count is then unchanged). Where our kernels run (SIMD), their helpers take every thread but
 * this one and XNNPACK's pool gets none: its pool thread spin-waits after each of its few
 * operations left in a step, on the core a helper needs (Chromium, two threads, alternate turns:
 * CycleGAN 128 px 556 → 516 ms a step, 64 px 193 → 180, FastCUT 64 px 102 → 97). tfjs caps its
 * threads at half of navigator.hardwareConcurrency, read as the module starts (it assumes two
 * hyper-threads per core): it is shown twice the count wanted meanwhile.
 */
export async function startWasm(threads: number): Promise<void> {
  const pool = heapKernelsSupported() ? 1 : threads;
  setThreadsCount(pool);
  const navigatorType = globalThis.navigator ? Object.getPrototypeOf(globalThis.navigator) : null;
  const real = navigatorType ? Object.getOwnPropertyDescriptor(navigatorType, 'hardwareConcurrency') : undefined;
  if (real) Object.defineProperty(navigatorType, 'hardwareConcurrency', { configurable: true, get: () => 2 * pool });
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error(`the wasm backend failed to start on ${threads} thread${threads === 1 ? '' : 's'}`);
  } finally {
    if (real) Object.defineProperty(navigatorType, 'hardwareConcurrency', real);
  }
  await shareWasmThreads(threads);
}

/** How many threads the running wasm backend trains on: XNNPACK's, or this one and our helpers that have started. */
export function wasmThreadsRunning(): number {
  return heapKernelsSupported() ? heapKernelThreads(runningHeap()) : getThreadsCount();
}

const runningHeap = () => (tf.findBackend('wasm') as unknown as { wasm: EmscriptenHeap }).wasm;

/**
 * Splits our SIMD kernels' work over `threads` threads where the backend runs its threaded build
 * (shared memory): this one and threads − 1 helper workers on the same heap, started here.
 * Without SIMD, XNNPACK's own pool does the work on tfjs's threads.
 */
async function shareWasmThreads(threads: number): Promise<void> {
  if (!heapKernelsSupported()) return;
  let failed = () => {};
  const failure = new Promise<void>((resolve) => (failed = resolve));
  const split = splitHeapKernels(runningHeap(), threads, () => {
    const worker = new Worker(new URL('./heapHelper.worker.ts', import.meta.url), { type: 'module' });
    worker.addEventListener('error', () => failed());
    return worker;
  });
  if (split) await Promise.race([split.started(HELPERS_START_MS), failure]);
}

/** How long the backend waits for its helpers as it starts; one that starts later takes chunks from then on. */
const HELPERS_START_MS = 5000;

/**
 * Starts the wasm backend afresh on `threads` threads: XNNPACK sizes its thread pool when the
 * backend starts. Refuses while any tensor lives, since the old backend's memory goes with it.
 */
export async function restartWasm(threads: number): Promise<void> {
  const factory = tf.findBackendFactory('wasm');
  if (!factory) throw new Error('the wasm backend is not registered');
  const live = tf.memory().numTensors;
  if (live > 0) throw new Error(`the wasm backend cannot restart while ${live} tensors live`);
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', factory);
  await startWasm(threads);
}

export interface ThreadTiming {
  threads: number;
  msPerStep: number;
}

/** The fastest of the timed thread counts; fewer threads win ties within 5%, since they leave cores to the page. */
export function fastestThreads(timings: ThreadTiming[]): ThreadTiming {
  const sorted = [...timings].sort((a, b) => a.threads - b.threads);
  return sorted.reduce((best, t) => (t.msPerStep < best.msPerStep * 0.95 ? t : best));
}

/** The backends panel's words for a thread choice, timed before the run or (`whileTraining`) on it. */
export function describeThreadChoice(timings: ThreadTiming[], resolution: number, whileTraining = false): string {
  const chosen = fastestThreads(timings);
  const list = [...timings].sort((a, b) => a.threads - b.threads).map((t) => `${plural(t.threads)} ${t.msPerStep.toFixed(0)} ms`).join(', ');
  return `runs on ${plural(chosen.threads)}, timed ${whileTraining ? 'while training ' : ''}at ${resolution} px: ${list} per step`;
}

/** The backends panel's words for every core taken without timing (small images), until the run has timed the others. */
export function untimedThreads(threads: number, others: number[]): string {
  return `runs on ${plural(threads)}, every core, from the first step; the run times ${others.map(plural).join(' and ')} against it after a few steps`;
}

const plural = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;
