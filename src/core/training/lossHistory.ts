import { LOSS_NAMES, type LossName } from '../gan/state';
import type { LossRow } from './reports';

export type ChartPoint = { step: number } & Record<LossName, number>;

/** Everything a LossHistory holds, for saving a run; `restore` gives back the same curves. */
export interface LossHistoryState {
  bucket: number;
  points: ChartPoint[];
  pending: ChartPoint[];
}

/**
 * Loss history that stays small however long training runs: once it holds `2 × capacity` points
 * it merges neighbours pairwise (averaging losses), so memory and chart cost stay bounded while
 * the whole run remains visible. Recent points are merged at the same rate as old ones, so the
 * x-axis spacing stays even.
 */
export class LossHistory {
  private points: ChartPoint[] = [];
  /** Steps represented by each stored point. */
  private bucket = 1;
  private pending: ChartPoint[] = [];

  constructor(private readonly capacity = 1000) {}

  get size(): number {
    return this.points.length;
  }

  get stepsPerPoint(): number {
    return this.bucket;
  }

  append(rows: readonly LossRow[]): void {
    for (const row of rows) {
      this.pending.push({ step: row.step, ...row.losses });
      if (this.pending.length === this.bucket) {
        this.points.push(average(this.pending));
        this.pending = [];
      }
    }
    while (this.points.length >= 2 * this.capacity) {
      const merged: ChartPoint[] = [];
      for (let i = 0; i + 1 < this.points.length; i += 2) merged.push(average([this.points[i], this.points[i + 1]]));
      this.points = merged;
      this.bucket *= 2;
    }
  }

  /** The stored points, then the partial bucket still filling, so the newest step always shows. */
  chartPoints(): ChartPoint[] {
    return this.pending.length > 0 ? [...this.points, average(this.pending)] : [...this.points];
  }

  state(): LossHistoryState {
    return { bucket: this.bucket, points: [...this.points], pending: [...this.pending] };
  }

  restore(state: LossHistoryState): void {
    this.bucket = state.bucket;
    this.points = [...state.points];
    this.pending = [...state.pending];
  }

  /** Forgets the points after `step`, for a run that went back to an earlier snapshot. */
  truncateAfter(step: number): void {
    this.points = this.points.filter((p) => p.step <= step);
    this.pending = this.pending.filter((p) => p.step <= step);
  }

  clear(): void {
    this.points = [];
    this.pending = [];
    this.bucket = 1;
  }
}

function average(points: readonly ChartPoint[]): ChartPoint {
  const out = { step: points[points.length - 1].step } as ChartPoint;
  for (const name of LOSS_NAMES) out[name] = points.reduce((sum, p) => sum + p[name], 0) / points.length;
  return out;
}

/** Exponential moving average of each loss (weight `smoothing` on the past), as TensorBoard does. */
export function smooth(points: readonly ChartPoint[], smoothing: number): ChartPoint[] {
  if (smoothing <= 0) return [...points];
  const state = {} as Record<LossName, number>;
  return points.map((p, i) => {
    const out = { step: p.step } as ChartPoint;
    for (const name of LOSS_NAMES) {
      state[name] = i === 0 ? p[name] : smoothing * state[name] + (1 - smoothing) * p[name];
      out[name] = state[name];
    }
    return out;
  });
}
