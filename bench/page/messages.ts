import type { ModelKind } from '../../src/core/config';
import type { BackendName } from '../../src/worker/backends/backendReport';

/** Most untimed steps a bare run takes (see BareRequest.warmupMs). */
export const WARM_STEPS_MAX = 30;

export interface BareRequest {
  backend: BackendName;
  /** Which model trains; CycleGAN when absent. */
  model?: ModelKind;
  resolution: number;
  /** Untimed steps first: at least this many, then more up to {@link WARM_STEPS_MAX} while within `warmupMs`. */
  warmup: number;
  /**
   * How long to keep warming up. Chromium runs a fresh worker's WebAssembly and JavaScript
   * unoptimised at first: a 64 px FastCUT step took ~25% longer after 2 steps than after 25–40.
   */
  warmupMs?: number;
  steps: number;
  /** Stop timing once this much time is spent (after at least two steps): software GPUs take minutes per step. */
  budgetMs: number;
  /** Let the wasm backend use threads (the page must be cross-origin isolated). */
  threads: boolean;
  /**
   * The wasm threads wanted (with `threads`). Without it the bare loop follows tfjs's own rule,
   * half of navigator.hardwareConcurrency (it assumes two hyper-threads per core), which on a
   * 2-vCPU machine is always one thread.
   */
  wasmThreads?: number;
}

export interface BareResult {
  backend: BackendName;
  resolution: number;
  /** Wall time of each timed step, each ending with its losses read back. */
  stepMs: number[];
  /** FLOPs of a CycleGAN step (see trainingStepFlops); 0 for the one-sided models. */
  stepFlops: number;
  /** Tensor memory after warm-up (weights, optimiser moments, pools) and the peak during one more step, in MB. */
  memory: { residentMb: number; peakMb: number };
  /** Kernels tfjs ran in one profiled step. */
  kernels: number;
  /** That profiled step per kernel name: count and milliseconds, slowest first. */
  kernelTimes: { name: string; count: number; ms: number }[];
  /** The backend's own ceiling: a large float32 matmul. */
  matmulGflops: number;
  /** What the backend reported about itself, e.g. wasm's thread count. */
  detail: string;
  error?: string;
}

/**
 * A bare loop a worker keeps between slices, so that it can take turns with the app's loop: open
 * it (warm-up included), then run it for `ms` at a time. Ending the worker ends it.
 */
export type BareSlice = { slice: 'open'; request: BareRequest } | { slice: 'run'; ms: number };

export interface BareSliceResult {
  /** Wall time of each step of the slice (none for open). */
  stepMs: number[];
  error?: string;
}
