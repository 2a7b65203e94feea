import type { GpuDevice } from '../gpu/device';
import type { TrainingConfig } from '../config';
import type { GanState } from '../gan/state';
import type { RgbaImage } from '../data/pixels';
import type { LossRow, PreviewReport, ProgressReport } from './reports';

/** What the trainer tells whoever runs it. */
export interface TrainerCallbacks {
  progress(report: ProgressReport): void;
  preview(report: PreviewReport): void;
  /** A step threw (e.g. the GPU device was lost); the trainer is now 'failed'. */
  fault(error: unknown): void;
  /** Losses became NaN or infinite; training paused at the last finite step. */
  diverged(row: LossRow): void;
  /** A snapshot: a copy of the learned state taken between steps to recover from (see `snapshotEveryMs`). */
  snapshot?(state: GanState): void;
}

export interface TrainerOptions {
  config: TrainingConfig;
  content: readonly RgbaImage[];
  style: readonly RgbaImage[];
  /** Steps between automatic previews (plus one after the first step); 0 turns them off. */
  previewEvery: number;
  /** Images per direction in a preview. */
  previewCount: number;
  progressIntervalMs: number;
  /** How often to take a snapshot while running, and on every pause; 0: never. */
  snapshotEveryMs?: number;
  /** Steps between SWD scores (on the preview that falls there, and the first); 0 or absent: none. */
  qualityEvery?: number;
  /** Held-out inputs and what a perfect A→B generator would make of them, for a PSNR score. */
  evaluation?: { inputs: readonly RgbaImage[]; targets: readonly RgbaImage[] };
  /** Lets queued messages (pause, stop) in between steps; in a worker, a macrotask. */
  yieldToEvents: () => Promise<void>;
  /** Milliseconds on some clock, for reports, snapshots and speed; `performance.now` unless a test drives time. */
  now?: () => number;
  /** Runs before every step; what it throws fails that step (fault injection uses it). */
  beforeStep?: () => void;
  /** A WebGPU device for the training engine: configs it supports train there (see gpu/support.ts). */
  gpu?: GpuDevice | null;
}
