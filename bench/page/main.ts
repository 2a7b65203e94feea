import { makeConfig } from '../../src/core/config';
import { knownMappingTask } from '../../src/core/data/syntheticScenes';
import type { BackendName } from '../../src/worker/backends/backendReport';
import { TrainerClient } from '../../src/worker/training/trainerClient';
import type { ProgressReport } from '../../src/core/training/reports';
import type { BareRequest, BareResult, BareSlice, BareSliceResult } from './messages';

export interface AppStarted {
  backend: string;
  /** Threads the page's wasm backend runs on (its own timed choice); 0 on other backends. */
  threads: number;
  /** The backends panel's words for that choice. */
  threadVerdict: string;
}

export interface AppSlice {
  /** Milliseconds per step between the slice's first progress event and its last. */
  msPerStep: number;
  steps: number;
  /** Main-thread tasks over 50 ms while the slice trained. */
  longTasks: number[];
}

const bareWorker = () => new Worker(new URL('./bare.worker.ts', import.meta.url), { type: 'module' });

/** Posts one message to a bare loop's worker and resolves with its reply. */
function ask<Reply>(worker: Worker, message: BareRequest | BareSlice): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<Reply>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(message);
  });
}

function bare(request: BareRequest): Promise<BareResult> {
  const worker = bareWorker();
  return ask<BareResult>(worker, request).finally(() => worker.terminate());
}

/** Bare loops kept between slices (BareSlice) by name, so that they can take turns with each other or the app's loop. */
const bareWorkers = new Map<string, Worker>();

async function bareSlice(name: string, message: BareSlice): Promise<number[]> {
  const worker = bareWorkers.get(name) ?? bareWorker();
  bareWorkers.set(name, worker);
  const reply = await ask<BareSliceResult>(worker, message);
  if (reply.error) throw new Error(`the bare loop failed: ${reply.error}`);
  return reply.stepMs;
}

/** The app's run, trained in slices: its worker, the progress marks of the slice under way, and how to wait for a pause. */
let appRun: {
  client: TrainerClient;
  onProgress: (report: ProgressReport) => void;
} | null = null;

/**
 * Starts the app's loop (worker, protocol, data pipeline, async readback, previews every 50
 * steps) and trains it past `warmupSteps` — at 64 px past the trial in which the run times wasm's
 * thread counts on itself — then pauses it.
 */
async function appStart(backend: BackendName, resolution: number, warmupSteps: number): Promise<AppStarted> {
  appRun?.client.dispose();
  const client = new TrainerClient();
  const run = { client, onProgress: (() => undefined) as (report: ProgressReport) => void };
  appRun = run;
  let trialPending = false;
  let threadsTimed = null as { threads: number; verdict: string } | null;
  client.onEvent((event) => {
    if (event.type === 'threadsTimed') {
      trialPending = false;
      threadsTimed = { threads: event.threads, verdict: event.verdict };
    }
    if (event.type === 'progress') run.onProgress(event.report);
  });
  const config = makeConfig({ resolution });
  const task = knownMappingTask({ train: 16, test: 0 }, Math.round(resolution * 1.25));
  const ready = await client.init({ config, backend, content: task.content, style: task.style, previewEvery: 50, previewCount: 3 });
  trialPending = ready.timesThreads;
  await new Promise<void>((resolve) => {
    run.onProgress = (report) => {
      if (!trialPending && report.step >= warmupSteps) resolve();
    };
    client.start();
  });
  await pauseApp(run);
  const wasm = ready.selection.candidates.find((c) => c.name === 'wasm');
  const threads = ready.backend === 'wasm' ? (threadsTimed?.threads ?? Number(/(\d+) threads?/.exec(wasm?.detail ?? '')?.[1] ?? 0)) : 0;
  return { backend: ready.backend, threads, threadVerdict: threadsTimed?.verdict ?? wasm?.verdict ?? '' };
}

/** Pauses the app's loop; resolves once it reports itself paused. */
function pauseApp(run: NonNullable<typeof appRun>): Promise<void> {
  return new Promise<void>((resolve) => {
    run.onProgress = (report) => {
      if (report.state === 'paused') resolve();
    };
    run.client.pause();
  });
}

/** Resumes the app's loop for about `seconds`, timed between its progress events, then pauses it. */
async function appSlice(seconds: number): Promise<AppSlice> {
  const run = appRun;
  if (!run) throw new Error('the app loop has not started');
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push(e.duration)));
  observer.observe({ type: 'longtask', buffered: false });
  const marks: { t: number; step: number }[] = [];
  await new Promise<void>((resolve) => {
    run.onProgress = (report) => {
      if (report.state !== 'running') return;
      marks.push({ t: performance.now(), step: report.step });
      if (marks.length > 1 && marks[marks.length - 1].t - marks[0].t >= seconds * 1000) resolve();
    };
    run.client.resume();
  });
  await pauseApp(run);
  observer.disconnect();
  const [first, last] = [marks[0], marks[marks.length - 1]];
  return { msPerStep: (last.t - first.t) / (last.step - first.step), steps: last.step - first.step, longTasks };
}

/** Ends the app's worker and the bare loops'. */
function closeLoops(): void {
  appRun?.client.dispose();
  appRun = null;
  bareWorkers.forEach((worker) => worker.terminate());
  bareWorkers.clear();
}

declare global {
  interface Window {
    bench: { bare: typeof bare; bareSlice: typeof bareSlice; appStart: typeof appStart; appSlice: typeof appSlice; closeLoops: typeof closeLoops };
  }
}
window.bench = { bare, bareSlice, appStart, appSlice, closeLoops };
