import { NCE_DEFAULTS, type AdversarialLoss, type TrainingConfig } from '../core/config';
import type { RgbaImage } from '../core/data/pixels';
import { detectImageProblems, imageDifference, type ImageDetectorId, type Remedy } from '../core/diagnostics/imageDetectors';
import type { ChartPoint } from '../core/lossHistory';

export interface Hint {
  id: 'warming-up' | 'nan' | 'discriminator-wins' | 'oscillation' | 'mode-collapse' | ImageDetectorId;
  text: string;
  remedy?: Remedy;
}

/** The settings the hints read and their remedies change. */
export type HintConfig = Pick<TrainingConfig, 'model' | 'adversarialLoss' | 'learningRateG' | 'learningRateD' | 'lambdaCycle' | 'lambdaNce'>;

/** Discriminator loss (each ½ real/fake) under which it tells fakes from reals almost perfectly. */
const NEAR_ZERO: Record<AdversarialLoss, number> = { lsgan: 0.02, bce: 0.05, hinge: 0.05 };

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

const halve = (rate: number) => Number((rate / 2).toPrecision(2));

/**
 * CUT and FastCUT have no cycle or identity loss: PatchNCE is what ties each output to its input,
 * so their remedies turn λ_NCE instead, and CUT's identity term stands in for CycleGAN's.
 */
function oneSidedRemedy(hint: Hint, lambdaNce: number): Hint {
  const stronger = { label: `Raise λ NCE to ${lambdaNce * 2}`, change: { lambdaNce: lambdaNce * 2 }, restart: false };
  switch (hint.id) {
    case 'identity-collapse':
      return { ...hint, text: `${hint.text} Here PatchNCE plays that part: lower λ NCE.`, remedy: { label: `Lower λ NCE to ${halve(lambdaNce)}`, change: { lambdaNce: halve(lambdaNce) }, restart: false } };
    case 'memorisation':
    case 'mode-collapse':
      return { ...hint, text: `${hint.text} Here PatchNCE plays the cycle's part: raise λ NCE.`, remedy: stronger };
    case 'colour-inversion':
      return { ...hint, text: `${hint.text} CUT's identity term does that job for one-sided models.`, remedy: { label: 'Switch to CUT (restart)', change: { model: 'cut', lambdaNce: NCE_DEFAULTS.cut }, restart: true } };
    default:
      return hint;
  }
}

/**
 * Reads the recent curves (and the latest previews, against the style set's thumbnails) the way a
 * tutor would and says what they suggest, each with a one-click remedy where there is one. Looks
 * at the most recent quarter of the history, at least 20 points.
 */
export function diagnose(points: readonly ChartPoint[], config: HintConfig, previews?: { input: RgbaImage; output: RgbaImage }[], style: RgbaImage[] = [], divergedBackTo?: number): Hint[] {
  const hints: Hint[] = [];
  if (divergedBackTo !== undefined) {
    hints.push({
      id: 'nan',
      text: `The losses became NaN (not a number) and training went back to step ${divergedBackTo}, its last good snapshot: the updates grew too large, most often because the learning rates are too high. Halve them, then resume.`,
      remedy: { label: 'Halve both learning rates', change: { learningRateG: halve(config.learningRateG), learningRateD: halve(config.learningRateD) }, restart: false },
    });
  }
  if (points.length === 0) return hints;
  const loss: AdversarialLoss = config.adversarialLoss;
  const lastStep = points[points.length - 1].step;
  if (lastStep < 100) {
    hints.push({ id: 'warming-up', text: 'The first hundred steps are noisy: watch the trend (raise the smoothing), not single points.' });
  }
  const recent = points.slice(-Math.max(20, Math.floor(points.length / 4)));
  if (recent.length >= 20) {
    const oneSided = config.model !== 'cyclegan';
    const d = recent.map((p) => (oneSided ? p.dB : (p.dA + p.dB) / 2));
    if (d.every((v) => v < NEAR_ZERO[loss])) {
      hints.push({
        id: 'discriminator-wins',
        text: `The discriminators have been almost perfect since step ${recent[0].step}: they tell every fake apart, so the generators learn little. Lower the discriminator learning rate or use a smaller discriminator.`,
        remedy: { label: `Halve the discriminator learning rate (${halve(config.learningRateD)})`, change: { learningRateD: halve(config.learningRateD) }, restart: false },
      });
    }
    const adv = recent.map((p) => (oneSided ? p.advG : (p.advG + p.advF) / 2));
    const m = mean(adv);
    const spread = Math.sqrt(mean(adv.map((v) => (v - m) ** 2)));
    let turns = 0;
    for (let i = 2; i < adv.length; i++) if ((adv[i] - adv[i - 1]) * (adv[i - 1] - adv[i - 2]) < 0) turns++;
    if (Math.abs(m) > 1e-6 && spread / Math.abs(m) > 0.5 && turns > adv.length / 2) {
      hints.push({
        id: 'oscillation',
        text: 'The adversarial losses swing up and down strongly: generator and discriminators are chasing each other. A little is normal; if it persists, lower both learning rates.',
        remedy: { label: 'Halve both learning rates', change: { learningRateG: halve(config.learningRateG), learningRateD: halve(config.learningRateD) }, restart: false },
      });
    }
  }
  if (previews && previews.length >= 2) {
    const inputsDiffer = imageDifference(previews[0].input, previews[1].input);
    const outputsDiffer = imageDifference(previews[0].output, previews[1].output);
    if (inputsDiffer > 20 / 255 && outputsDiffer < inputsDiffer / 10) {
      hints.push({
        id: 'mode-collapse',
        text: 'Different photos are turning into nearly the same picture (mode collapse). Raise λ cycle, or restart with another seed.',
        remedy: { label: `Raise λ cycle to ${config.lambdaCycle + 5}`, change: { lambdaCycle: config.lambdaCycle + 5 }, restart: false },
      });
    }
  }
  if (previews && previews.length > 0 && points[points.length - 1].step >= 100) {
    for (const detection of detectImageProblems(previews, style)) hints.push({ id: detection.id, text: detection.text, remedy: detection.remedy });
  }
  return config.model === 'cyclegan' ? hints : hints.map((h) => oneSidedRemedy(h, config.lambdaNce));
}
