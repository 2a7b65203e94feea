import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../config';
import { randomColourReference } from '../gan/colourReference';
import { createGan } from '../gan/createGan';
import type { CalibrationPoint } from './budgetEstimate';

/** Calibration runs at the config's own size up to this; bigger sizes are extrapolated from two smaller ones. */
const MAX_CALIBRATION_SIDE = 64;

/** The sizes to calibrate at: the config's own when it is small, else two that stay quick. */
export function calibrationResolutions(config: TrainingConfig): number[] {
  if (config.resolution <= MAX_CALIBRATION_SIDE) return [config.resolution];
  const smallest = Math.max(2 ** config.discLayers * 4, 16);
  return [Math.max(smallest, MAX_CALIBRATION_SIDE / 2), MAX_CALIBRATION_SIDE].filter((r, i, all) => all.indexOf(r) === i);
}

/**
 * Times `steps` training steps (after one warm-up) of the config's model at each resolution, on
 * random images, and records tensor memory. Everything it creates is released.
 */
export async function calibrate(config: TrainingConfig, resolutions = calibrationResolutions(config), steps = 2): Promise<CalibrationPoint[]> {
  const points: CalibrationPoint[] = [];
  for (const resolution of resolutions) {
    // A pool would only hold calibration images; its full size is added to the estimate instead.
    const gan = createGan({ ...config, resolution, poolSize: 0 });
    const shape: [number, number, number, number] = [config.batchSize, resolution, resolution, 3];
    const a = tf.randomUniform(shape, -1, 1) as tf.Tensor4D;
    const b = tf.randomUniform(shape, -1, 1) as tf.Tensor4D;
    // The colour loss grades a window of each set every step: part of what a step costs.
    gan.useColourReference(randomColourReference(resolution));
    try {
      await gan.step(a, b);
      const started = performance.now();
      for (let i = 0; i < steps; i++) await gan.step(a, b);
      const msPerStep = (performance.now() - started) / steps;
      const residentBytes = tf.memory().numBytes;
      const profile = await tf.profile(async () => {
        await gan.step(a, b);
      });
      points.push({ resolution, msPerStep, residentBytes, peakBytes: profile.peakBytes });
    } finally {
      gan.dispose();
      tf.dispose([a, b]);
    }
  }
  return points;
}
