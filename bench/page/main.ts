import { makeConfig } from '../../src/core/config';
import { knownMappingTask } from '../../src/core/data/syntheticScenes';
import type { BackendName } from '../../src/worker/backends/backendReport';
import { TrainerClient } from '../../src/worker/training/trainerClient';
import type { BareRequest, BareResult } from './messages';

export interface AppResult {
  backend: string;
  /** Milliseconds per step between the first progress event after warm-up and the last. */
  msPerStep: number;
  steps: number;
  /** Main-thread tasks over 50 ms while training ran. */
  longTasks: number[];
  /** Threads the page's wasm backend runs on (its own timed choice); 0 on other backends. */
  threads: number;
  /** The backends panel's words for that choice. */
  threadVerdict: string;
}

function bare(request: BareRequest): Promise<BareResult> {
  const worker = new Worker(new URL('./bare.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<BareResult>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<BareResult>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}

/**
 * The app's worker, kept across calls as the studio keeps it across runs: a later run at the same
 * model and size reuses the thread count the first one timed.
 */
let appClient: TrainerClient | null = null;

/** The app's loop: worker, protocol, data pipeline, async readback, previews every 50 steps. */
async function app(backend: BackendName, resolution: number, warmupSteps: number, seconds: number): Promise<AppResult> {
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
  const client = (appClient ??= new TrainerClient());
  const config = makeConfig({ resolution });
  const task = knownMappingTask({ train: 16, test: 0 }, Math.round(resolution * 1.25));
  const marks: { t: number; step: number }[] = [];
  let warm = false;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  // At 64 px the first run times wasm's thread counts on itself first: the loop is measured after that.
  let trialPending = false;
  let threadsTimed = null as { threads: number; verdict: string } | null;
  const stopListening = client.onEvent((event) => {
    if (event.type === 'stopped') resolveStopped();
    if (event.type === 'threadsTimed') {
      trialPending = false;
      threadsTimed = { threads: event.threads, verdict: event.verdict };
    }
    if (event.type !== 'progress') return;
    const { step } = event.report;
    if (!warm && !trialPending && step >= warmupSteps) {
      warm = true;
      observer.observe({ type: 'longtask', buffered: false });
    }
    if (warm) marks.push({ t: performance.now(), step });
    if (warm && marks.length > 1 && marks[marks.length - 1].t - marks[0].t >= seconds * 1000) resolveDone();
  });
  let started = false;
  try {
    const ready = await client.init({ config, backend, content: task.content, style: task.style, previewEvery: 50, previewCount: 3 });
    trialPending = ready.timesThreads;
    client.start();
    started = true;
    await done;
    const first = marks[0];
    const last = marks[marks.length - 1];
    const wasmDetail = ready.selection.candidates.find((c) => c.name === 'wasm')?.detail ?? '';
    const wasmVerdict = ready.selection.candidates.find((c) => c.name === 'wasm')?.verdict ?? '';
    const threads = ready.backend === 'wasm' ? (threadsTimed?.threads ?? Number(/(\d+) threads?/.exec(wasmDetail)?.[1] ?? 0)) : 0;
    return { backend: ready.backend, msPerStep: (last.t - first.t) / (last.step - first.step), steps: last.step - first.step, longTasks, threads, threadVerdict: threadsTimed?.verdict ?? wasmVerdict };
  } catch (error) {
    closeApp();
    throw error;
  } finally {
    observer.disconnect();
    // Training ends before the next measurement starts; the worker stays for the next run.
    if (started && appClient) {
      client.stop();
      await stopped;
    }
    stopListening();
  }
}

/** Ends the app's worker. */
function closeApp(): void {
  appClient?.dispose();
  appClient = null;
}

declare global {
  interface Window {
    bench: { bare: typeof bare; app: typeof app; closeApp: typeof closeApp };
  }
}
window.bench = { bare, app, closeApp };
