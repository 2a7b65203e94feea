// What the training loop reports to whoever runs it (the worker, tests, benchmarks), as plain
// data: the worker protocol sends these as they are.
import type { LossRecord } from '../gan/state';
import type { RgbaImage } from '../data/pixels';

export type TrainerState = 'paused' | 'running' | 'failed' | 'disposed';

/** One step's losses. */
export interface LossRow {
  step: number;
  losses: LossRecord;
}

/** What the loop reports at most every `progressIntervalMs`: never one message per step. */
export interface ProgressReport {
  /** Last step whose losses have been read back (the device may be a step or two ahead). */
  step: number;
  epoch: number;
  /** Every step completed since the previous report, oldest first. */
  rows: LossRow[];
  stepsPerSecond: number;
  imagesPerSecond: number;
  learningRates: { g: number; d: number };
  memory: { numTensors: number; numBytes: number };
  state: TrainerState;
}

export interface PreviewPair {
  input: RgbaImage;
  output: RgbaImage;
}

/** Scores of the generator on a preview (see PreviewScorer). */
export interface PreviewScores {
  /** PSNR in dB against a known target mapping, when one was given, beside doing nothing. */
  psnr?: { generator: number; identity: number };
  /** Sliced Wasserstein distance ×10³ of G's outputs to the style set, every `qualityEvery` steps. */
  swd?: number;
}

/** Fixed preview inputs and their current translations in each direction the model learns. */
export interface PreviewReport extends PreviewScores {
  step: number;
  aToB: PreviewPair[];
  bToA: PreviewPair[];
}
