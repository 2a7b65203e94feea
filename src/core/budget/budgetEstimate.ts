// Estimates from calibration measurements; no tfjs, so the page computes them itself.
import type { TrainingConfig } from '../config';
import { loadSize } from '../data/cropGeometry';

/** One calibration measurement: a few real training steps at one resolution. */
export interface CalibrationPoint {
  resolution: number;
  msPerStep: number;
  /** Tensor memory after the steps: weights, optimiser moments, inputs. */
  residentBytes: number;
  /** The most tensor memory in use at any moment of a step. */
  peakBytes: number;
}

export interface BudgetEstimate {
  msPer1000Steps: number;
  /** Peak tensor memory of training: a step's activations, the networks, the image pools and the stored images. */
  peakBytes: number;
  /** What the backend can use, when known. */
  limitBytes: number | null;
  fits: boolean;
  /** Resolutions the calibration ran at; the estimate is extrapolated when the config's is not among them. */
  measuredAt: number[];
}

/** Past this share of the limit, fragmentation and what tfjs keeps besides tensors make failure likely. */
const SAFE_SHARE = 0.75;

/** Bytes of one float32 RGB image of `side`×`side` pixels. */
const imageBytes = (side: number) => side ** 2 * 3 * 4;

/** A quantity that grows with the pixel count, through the measured points (a + b·pixels). */
function perPixels(points: CalibrationPoint[], value: (p: CalibrationPoint) => number, resolution: number): number {
  const last = points[points.length - 1];
  const proportional = value(last) * (resolution / last.resolution) ** 2;
  if (points.length < 2) return proportional;
  const first = points[0];
  const slope = (value(last) - value(first)) / (last.resolution ** 2 - first.resolution ** 2);
  // Noise can make the smaller size look slower; then plain proportion is the safer guess.
  return slope > 0 ? value(last) + slope * (resolution ** 2 - last.resolution ** 2) : proportional;
}

/**
 * Time per 1000 steps and peak memory at the config's resolution from calibration points, with
 * what calibration leaves out added: the image pools once full, and the stored training images.
 * `fits` is false when the peak would pass 75% of `limitBytes`.
 */
export function estimateBudget(points: CalibrationPoint[], config: TrainingConfig, images: { content: number; style: number }, limitBytes: number | null): BudgetEstimate {
  if (points.length === 0) throw new Error('Expected at least one calibration point, got none');
  const { resolution, batchSize, poolSize, augment, model } = config;
  const activations = perPixels(points, (p) => Math.max(p.peakBytes - p.residentBytes, 0), resolution);
  const weights = points[points.length - 1].residentBytes;
  const pools = model === 'cyclegan' ? 2 * poolSize * imageBytes(resolution) : 0;
  const stored = (images.content + images.style) * imageBytes(loadSize(resolution, augment));
  const inputs = 2 * batchSize * imageBytes(resolution);
  const peakBytes = activations + weights + pools + stored + inputs;
  return {
    msPer1000Steps: perPixels(points, (p) => p.msPerStep, resolution) * 1000,
    peakBytes,
    limitBytes,
    fits: limitBytes === null || peakBytes <= SAFE_SHARE * limitBytes,
    measuredAt: points.map((p) => p.resolution),
  };
}
