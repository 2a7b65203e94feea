import { errorMessage } from '../../shared/errorMessage';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerCpuKernelFixes } from '../../core/backends/cpuKernels';
import { registerWasmTrainingKernels } from '../../core/backends/wasmKernels';
import { validateConfig, type TrainingConfig } from '../../core/config';
import { CycleGan } from '../../core/gan/cycleGan';
import { createGan } from '../../core/gan/createGan';
import type { GanModel } from '../../core/gan/ganModel';
import { openGpuDevice, type GpuDevice } from '../../core/gpu/device';
import { EngineCycleGan } from '../../core/gpu/engineCycleGan';
import { engineSupport } from '../../core/gpu/support';
import { BACKEND_NAMES, type BackendName, type BackendReport } from './backendReport';
import { chooseBackend, fallbackOrder } from './chooseBackend';
import type { BackendControl, BackendSelection } from './backendControl';
import { describeThreadChoice, fastestThreads, restartWasm, startWasm, untimedThreads, wasmThreadCounts, wasmThreadsRunning, type ThreadTiming } from './wasmThreads';

let configured = false;

/**
 * Points the wasm backend at the .wasm files bundled with the app (no CDN), installs the
 * training kernels it lacks and mends a wrong cpu gradient (cpuKernels.ts). Threads need a
 * cross-origin isolated page (SharedArrayBuffer); without it, or when `threads` is false, wasm
 * runs one thread; with it the probe starts wasm on every core (tfjs alone would take half).
 * Must run before the wasm backend first initialises.
 */
export function configureBackends(options: { threads: boolean } = { threads: true }): void {
  if (configured) return;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
  });
  if (!options.threads || !globalThis.crossOriginIsolated) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  registerWasmTrainingKernels();
  registerCpuKernelFixes();
  configured = true;
}

/** How the wasm backend runs, for reports: SIMD and the number of threads it really uses. */
export function describeWasm(): string {
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'SIMD on' : 'no SIMD';
  const threads = wasmThreadsRunning();
  const isolation = (globalThis.crossOriginIsolated ? '' : ', not cross-origin isolated');
  return `${simd}, ${threads} thread${threads === 1 ? '' : 's'}${isolation}`;
}

interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|software|basic render/i;

async function describeWebGpu(): Promise<{ detail: string; software: boolean }> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { detail: 'navigator.gpu is missing: this browser has no WebGPU', software: false };
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { detail: 'no WebGPU adapter available', software: false };
  // adapter.info is newer than the @webgpu/types that tfjs 4.22 pulls in.
  const info = (adapter as GPUAdapter & { info?: AdapterInfo }).info ?? {};
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unknown adapter';
  const fallback = info.isFallbackAdapter === true || (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return { detail: `adapter: ${name}`, software: fallback || SOFTWARE.test(name) };
}

function describeWebGl(): { detail: string; software: boolean } {
  const canvas = new OffscreenCanvas(1, 1);
  const gl = canvas.getContext('webgl2');
  if (!gl) return { detail: 'no WebGL2 context', software: false };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { detail: `renderer: ${renderer}`, software: SOFTWARE.test(renderer) };
}

/** A real op with a known answer: a backend that initialises but computes garbage is not usable. */
async function checkOp(): Promise<void> {
  const product = tf.tidy(() => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])));
  const values = Array.from(await product.data());
  product.dispose();
  if (values.join(',') !== '19,22,43,50') throw new Error(`check op gave ${values.join(',')} instead of 19,22,43,50`);
}

async function probeOne(name: BackendName): Promise<BackendReport> {
  const started = performance.now();
  const report = (ok: boolean, detail: string, software = false): BackendReport => ({ name, ok, detail, software, ms: performance.now() - started });
  try {
    let about = { detail: '', software: false };
    if (name === 'webgpu') {
      about = await describeWebGpu();
      if (about.detail.startsWith('no') || about.detail.startsWith('navigator')) return report(false, about.detail);
    } else if (name === 'webgl') {
      about = describeWebGl();
      if (about.detail.startsWith('no')) return report(false, about.detail);
    }
    // wasm starts on every core: what it trains on at small sizes, so choosing threads needs no restart.
    if (name === 'wasm') await startWasm(Math.max(...(await wasmThreadCounts())));
    else if (!(await tf.setBackend(name))) return report(false, `tf.setBackend('${name}') failed to initialise`);
    await checkOp();
    if (name === 'wasm') about.detail = describeWasm();
    if (name === 'cpu') about.detail = 'plain JavaScript';
    return report(true, about.detail, about.software);
  } catch (error) {
    return report(false, errorMessage(error));
  }
}

/** Tries every backend in turn, leaving none selected in particular. */
export async function probeBackends(): Promise<BackendReport[]> {
  configureBackends();
  const reports: BackendReport[] = [];
  for (const name of BACKEND_NAMES) reports.push(await probeOne(name));
  return reports;
}

/**
 * A model's warm step time (a first step compiles shaders, then the mean of `timed` more), at
 * most 64 px by default: enough to rank backends without waiting long on slow ones.
 */
async function timeWarmSteps(config: TrainingConfig, make: (probe: TrainingConfig) => GanModel, timed: number, maxResolution = 64): Promise<number> {
  const small = { ...config, resolution: Math.min(config.resolution, maxResolution), poolSize: 0 };
  const probe = validateConfig(small).length === 0 ? small : { ...config, poolSize: 0 };
  const gan = make(probe);
  const shape: [number, number, number, number] = [probe.batchSize, probe.resolution, probe.resolution, 3];
  const a = tf.randomUniform(shape, -1, 1) as tf.Tensor4D;
  const b = tf.randomUniform(shape, -1, 1) as tf.Tensor4D;
  try {
    await gan.queueStep(a, b);
    const t0 = performance.now();
    for (let i = 0; i < timed; i++) await gan.queueStep(a, b);
    return (performance.now() - t0) / timed;
  } finally {
    gan.dispose();
    tf.dispose([a, b]);
  }
}

/** tfjs's CycleGAN step on `name`. */
async function timeTfjsStep(name: BackendName, config: TrainingConfig): Promise<number> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  return timeWarmSteps(config, (probe) => new CycleGan(probe), 2);
}

/**
 * Runs wasm on every core, and above 64 px times one thread against every core on the model that
 * will train at its resolution (at most 128 px) and keeps the faster: threads pay off on large
 * convolutions and cost on small ops. At 64 px and below the run starts on every core untimed
 * (a probe would cost seconds before the first step a student waits for) and times the other
 * counts on itself while training (`threadsToTime`, ThreadTrial). A worker keeps each model and
 * size's timed choice for its later runs.
 */
async function chooseWasmThreads(selection: BackendSelection, config: TrainingConfig): Promise<void> {
  const counts = await wasmThreadCounts();
  if (counts.length < 2) return;
  const every = counts[counts.length - 1];
  const resolution = Math.min(config.resolution, 128);
  const key = choiceKey(config);
  const wasm = selection.candidates.find((c) => c.name === 'wasm');
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
    let running = wasmThreadsRunning();
    const known = threadChoices.get(key);
    if (known) {
      if (running !== known.threads) await restartWasm(known.threads);
    } else if (resolution <= 64) {
      if (running !== every) await restartWasm(every);
      running = wasmThreadsRunning();
      threadChoices.set(key, { threads: running, verdict: untimedThreads(running, counts.filter((c) => c !== running)), timed: false, counts });
    } else {
      // The running backend is timed as it is; restarts happen only for the other count.
      const order = [...counts].sort((a, b) => Number(b === running) - Number(a === running));
      const timings: ThreadTiming[] = [];
      for (const threads of order) {
        if (threads !== running) await restartWasm(threads);
        // What tfjs really runs on, which is what the panel should show.
        running = wasmThreadsRunning();
        timings.push({ threads: running, msPerStep: await timeWarmSteps(config, (probe) => createGan(probe), 1, resolution) });
      }
      const chosen = fastestThreads(timings);
      if (chosen.threads !== running) await restartWasm(chosen.threads);
      threadChoices.set(key, { threads: chosen.threads, verdict: describeThreadChoice(timings, resolution), timed: true, counts });
    }
  } catch (error) {
    if (wasm) wasm.verdict += `; threads not chosen: ${errorMessage(error)}`;
    return;
  }
  if (wasm) {
    wasmVerdict = wasm.verdict;
    wasm.verdict += `; ${threadChoices.get(key)?.verdict}`;
    wasm.detail = describeWasm();
  }
}

/** Thread choices per model and size (at most 128 px), for the worker's later runs. */
const threadChoices = new Map<string, { threads: number; verdict: string; timed: boolean; counts: number[] }>();
const choiceKey = (config: TrainingConfig) => `${config.model} ${Math.min(config.resolution, 128)} px`;
/** The wasm candidate's verdict before its thread choice, which a run's own timing replaces. */
let wasmVerdict = '';

/** The engine's step, shown in the backends panel beside tfjs-webgpu's. */
function timeEngineStep(config: TrainingConfig, gpu: GpuDevice): Promise<number> {
  return timeWarmSteps(config, (probe) => new EngineCycleGan(probe, gpu), 3);
}

interface GpuBackendInternals {
  device?: GPUDevice;
  gpgpu?: { gl: WebGL2RenderingContext };
}

/** The tfjs backends of this browser, as the training session drives them. */
export function createBrowserBackendControl(): BackendControl {
  let reports: BackendReport[] = [];
  let deviceLost: string | null = null;
  let engine: GpuDevice | null = null;
  const openEngine = async (): Promise<GpuDevice | null> => {
    if (engine) return engine;
    const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
    if (!gpu) return null;
    try {
      const opened = await openGpuDevice(gpu);
      void opened.device.lost.then((info) => {
        if (engine !== opened) return;
        deviceLost = `the WebGPU engine's device was lost (${info.message || info.reason || 'no reason given'})`;
        engine = null;
      });
      engine = opened;
    } catch {
      engine = null;
    }
    return engine;
  };
  const internals = () => tf.backend() as unknown as GpuBackendInternals;
  return {
    async select(choice, config) {
      reports = await probeBackends();
      let engineMs: number | null = null;
      let tfjsMs: number | null = null;
      const support = engineSupport(config);
      const selection = await chooseBackend(choice, reports, async (name) => {
        const ms = await timeTfjsStep(name, config);
        if (name !== 'webgpu' || !support.ok) return ms;
        // What trains on webgpu is the engine: rank it by the engine's time.
        const gpu = await openEngine();
        if (!gpu) return ms;
        tfjsMs = ms;
        engineMs = await timeEngineStep(config, gpu);
        return engineMs;
      });
      const webgpu = selection.candidates.find((c) => c.name === 'webgpu');
      if (webgpu && engineMs !== null && tfjsMs !== null) webgpu.verdict += ` (WebGPU engine ${(engineMs as number).toFixed(0)} ms per step; tfjs-webgpu ${(tfjsMs as number).toFixed(0)} ms)`;
      else if (webgpu?.msPerStep !== undefined && !support.ok) webgpu.verdict += ` (tfjs-webgpu: ${support.reason})`;
      if (selection.chosen === 'wasm') await chooseWasmThreads(selection, config);
      return selection;
    },
    async activate(name) {
      configureBackends();
      if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
      deviceLost = null;
      if (name === 'webgpu') await openEngine();
      else if (engine) {
        // Leaving webgpu (its device lost, or a fault): the engine's device goes too, and its loss no longer concerns the run.
        const closing = engine;
        engine = null;
        closing.device.destroy();
      }
      const device = internals().device;
      if (name === 'webgpu' && device) {
        void device.lost.then((info) => {
          deviceLost = `the WebGPU device was lost (${info.message || info.reason || 'no reason given'})`;
        });
      }
    },
    fallbacks: (failed) => fallbackOrder(failed, reports),
    threadsToTime(config) {
      const choice = threadChoices.get(choiceKey(config));
      if (tf.getBackend() !== 'wasm' || !choice || choice.timed) return [];
      const running = wasmThreadsRunning();
      return [running, ...choice.counts.filter((c) => c !== running)];
    },
    restartThreads: (threads) => restartWasm(threads),
    threadsTimed(timings, config, refused) {
      const timed = describeThreadChoice(timings, Math.min(config.resolution, 128), true);
      const verdict = refused ? `${timed}; no other count timed: ${refused}` : timed;
      threadChoices.set(choiceKey(config), { threads: fastestThreads(timings).threads, verdict, timed: true, counts: timings.map((t) => t.threads) });
      return { verdict: `${wasmVerdict}; ${verdict}`, detail: describeWasm() };
    },
    engineDevice: () => (tf.getBackend() === 'webgpu' ? engine : null),
    lostReason() {
      if (deviceLost) return deviceLost;
      const gl = tf.getBackend() === 'webgl' ? internals().gpgpu?.gl : undefined;
      return gl?.isContextLost() ? 'the WebGL context was lost' : null;
    },
    loseDevice() {
      const { device, gpgpu } = internals();
      if (tf.getBackend() === 'webgpu' && device) {
        device.destroy();
        engine?.device.destroy();
      }
      else if (tf.getBackend() === 'webgl' && gpgpu) gpgpu.gl.getExtension('WEBGL_lose_context')?.loseContext();
      else throw new Error(`Device loss can only be simulated on webgpu or webgl, not ${tf.getBackend()}`);
    },
  };
}
