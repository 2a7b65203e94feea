import type { AdversarialLoss, TrainingConfig } from '../config';
import type { ChartPoint } from '../training/lossHistory';
import type { Remedy } from './imageDetectors';

export type CurveDetectorId = 'discriminator-wins' | 'oscillation';

export interface CurveDetection {
  id: CurveDetectorId;
  text: string;
  remedy: Remedy;
}

/** The settings the curve detectors read and their remedies change. */
export type CurveConfig = Pick<TrainingConfig, 'model' | 'adversarialLoss' | 'learningRateG' | 'learningRateD'>;

/** Discriminator loss (each ½ real/fake) under which it tells fakes from reals almost perfectly. */
const NEAR_ZERO: Record<AdversarialLoss, number> = { lsgan: 0.02, bce: 0.05, hinge: 0.05 };

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** Half a setting, rounded to two significant digits so the remedy reads well. */
export const halve = (value: number) => Number((value / 2).toPrecision(2));

/** The part of the history the curve detectors judge: the most recent quarter, at least 20 points; null when too short. */
export function recentPoints(points: readonly ChartPoint[]): readonly ChartPoint[] | null {
  const recent = points.slice(-Math.max(20, Math.floor(points.length / 4)));
  return recent.length >= 20 ? recent : null;
}

/** The discriminator(s) near zero loss the whole recent window: they tell every fake apart, so G learns little. One-sided models have D_B only. */
export function discriminatorWin(points: readonly ChartPoint[], config: CurveConfig): CurveDetection | null {
  const recent = recentPoints(points);
  if (!recent) return null;
  const d = recent.map((p) => (config.model === 'cyclegan' ? (p.dA + p.dB) / 2 : p.dB));
  if (!d.every((v) => v < NEAR_ZERO[config.adversarialLoss])) return null;
  return {
    id: 'discriminator-wins',
    text: `The discriminators have been almost perfect since step ${recent[0].step}: they tell every fake apart, so the generators learn little. Lower the discriminator learning rate or use a smaller discriminator.`,
    remedy: { label: `Halve the discriminator learning rate (${halve(config.learningRateD)})`, change: { learningRateD: halve(config.learningRateD) }, restart: false },
  };
}

/** Adversarial losses that swing strongly and keep changing direction: G and D chasing each other. */
export function oscillation(points: readonly ChartPoint[], config: CurveConfig): CurveDetection | null {
  const recent = recentPoints(points);
  if (!recent) return null;
  const adv = recent.map((p) => (config.model === 'cyclegan' ? (p.advG + p.advF) / 2 : p.advG));
  const m = mean(adv);
  const spread = Math.sqrt(mean(adv.map((v) => (v - m) ** 2)));
  let turns = 0;
  for (let i = 2; i < adv.length; i++) if ((adv[i] - adv[i - 1]) * (adv[i - 1] - adv[i - 2]) < 0) turns++;
  if (!(Math.abs(m) > 1e-6 && spread / Math.abs(m) > 0.5 && turns > adv.length / 2)) return null;
  return {
    id: 'oscillation',
    text: 'The adversarial losses swing up and down strongly: generator and discriminators are chasing each other. A little is normal; if it persists, lower both learning rates.',
    remedy: { label: 'Halve both learning rates', change: { learningRateG: halve(config.learningRateG), learningRateD: halve(config.learningRateD) }, restart: false },
  };
}

/** Every curve detector on a loss history. */
export function detectCurveProblems(points: readonly ChartPoint[], config: CurveConfig): CurveDetection[] {
  return [discriminatorWin(points, config), oscillation(points, config)].filter((d): d is CurveDetection => d !== null);
}
