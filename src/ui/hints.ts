import { NCE_DEFAULTS, type TrainingConfig } from '../core/config';
import type { RgbaImage } from '../core/data/pixels';
import { detectCurveProblems, halve, type CurveDetectorId } from '../core/diagnostics/curveDetectors';
import { IMAGE_DETECTORS, imageDifference, type ImageDetection, type ImageDetectorId, type Remedy } from '../core/diagnostics/imageDetectors';
import { queueWork } from './workQueue';
import type { ChartPoint } from '../core/training/lossHistory';

export interface Hint {
  id: 'warming-up' | 'nan' | 'mode-collapse' | CurveDetectorId | ImageDetectorId;
  text: string;
  remedy?: Remedy;
}

/** The settings the hints read and their remedies change. */
export type HintConfig = Pick<TrainingConfig, 'model' | 'adversarialLoss' | 'learningRateG' | 'learningRateD' | 'lambdaCycle' | 'lambdaNce'>;


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

/** The latest previews with what the image detectors found in them. */
export interface PreviewReading {
  previews: { input: RgbaImage; output: RgbaImage }[];
  problems: ImageDetection[];
}

/**
 * Runs the image detectors on one set of previews (against the style set's thumbnails) through the
 * work queue, one detector per job, and hands over what they found. Kept apart from `diagnose`,
 * which reruns on every chart update: together the detectors take the page ~2 ms, ~20 ms on
 * their first run, so they run once per set of previews and never in one task. Returns a cancel
 * function.
 */
export function readPreviewsSoon(previews: PreviewReading['previews'], style: RgbaImage[], onRead: (reading: PreviewReading) => void): () => void {
  const problems: ImageDetection[] = [];
  const jobs = IMAGE_DETECTORS.map((detect) =>
    queueWork(() => {
      const found = previews.length > 0 ? detect(previews, style) : null;
      if (found) problems.push(found);
    }),
  );
  jobs.push(queueWork(() => onRead({ previews, problems })));
  return () => jobs.forEach((cancel) => cancel());
}

/**
 * Reads the recent curves (and the latest previews, against the style set's thumbnails) the way a
 * tutor would and says what they suggest, each with a one-click remedy where there is one. Looks
 * at the most recent quarter of the history, at least 20 points.
 */
export function diagnose(points: readonly ChartPoint[], config: HintConfig, reading?: PreviewReading, divergedBackTo?: number): Hint[] {
  const previews = reading?.previews;
  const hints: Hint[] = [];
  if (divergedBackTo !== undefined) {
    hints.push({
      id: 'nan',
      text: `The losses became NaN (not a number) and training went back to step ${divergedBackTo}, its last good snapshot: the updates grew too large, most often because the learning rates are too high. Halve them, then resume.`,
      remedy: { label: 'Halve both learning rates', change: { learningRateG: halve(config.learningRateG), learningRateD: halve(config.learningRateD) }, restart: false },
    });
  }
  if (points.length === 0) return hints;
  const lastStep = points[points.length - 1].step;
  if (lastStep < 100) {
    hints.push({ id: 'warming-up', text: 'The first hundred steps are noisy: watch the trend (raise the smoothing), not single points.' });
  }
  hints.push(...detectCurveProblems(points, config));
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
  if (reading && points[points.length - 1].step >= 100) {
    for (const detection of reading.problems) hints.push({ id: detection.id, text: detection.text, remedy: detection.remedy });
  }
  return config.model === 'cyclegan' ? hints : hints.map((h) => oneSidedRemedy(h, config.lambdaNce));
}
