import type { TrainingConfig } from '../../core/config';
import type { GanModel } from '../../core/gan/ganModel';
import type { GpuDevice } from '../../core/gpu/device';
import type { BackendName, BackendReport } from './backendReport';
import type { ThreadTiming } from './wasmThreads';

export type BackendChoice = 'auto' | BackendName;

/** One backend as `auto` judged it. */
export interface BackendCandidate extends BackendReport {
  /** Warm training-step time, when it was measured. */
  msPerStep?: number;
  /** Why it was or was not chosen, in plain words. */
  verdict: string;
}

export interface BackendSelection {
  chosen: BackendName;
  /** The user named this backend (it was not picked by `auto`). */
  forced: boolean;
  reason: string;
  candidates: BackendCandidate[];
}

/** What a worker needs from the platform to pick, switch and (for tests) break tfjs backends. */
export interface BackendControl {
  select(choice: BackendChoice, config: TrainingConfig): Promise<BackendSelection>;
  /** Makes `name` the active tfjs backend; throws when it cannot. */
  activate(name: BackendName): Promise<void>;
  /** Backends worth trying, in order, once `failed` stopped working. */
  fallbacks(failed: BackendName): BackendName[];
  /** Why the active backend can no longer be trusted (device/context lost), or null. */
  lostReason(): string | null;
  /** The WebGPU engine's device while webgpu is active and the engine could open one; else null. */
  engineDevice(): GpuDevice | null;
  /**
   * wasm thread counts for the run to time on itself, the running count first: when selection
   * started wasm on every core untimed (small images). Empty when there is nothing to time.
   */
  threadsToTime(config: TrainingConfig): number[];
  /** Restarts wasm on `threads` threads; no tensor may live. */
  restartThreads(threads: number): Promise<void>;
  /**
   * Keeps what a run timed for later runs; the wasm candidate's verdict and detail as they now
   * read. `refused`: why wasm could not restart on the next count, when it could not.
   */
  threadsTimed(timings: ThreadTiming[], config: TrainingConfig, refused: string | null): { verdict: string; detail: string };
  /** Fault injection: break the active backend as a lost GPU device would. */
  loseDevice(gan: GanModel): void;
}
