import { describe, expect, it } from 'vitest';
import { estimateBudget, type CalibrationPoint } from './budgetEstimate';
import { makeConfig } from '../config';

const MB = 2 ** 20;
const point = (resolution: number, msPerStep: number, activationsMb: number, residentMb = 10): CalibrationPoint => ({ resolution, msPerStep, residentBytes: residentMb * MB, peakBytes: (residentMb + activationsMb) * MB });
const none = { content: 0, style: 0 };

describe('estimateBudget', () => {
  it('uses a measurement at the config’s own size as it is', () => {
    const config = makeConfig({ resolution: 64, poolSize: 0 });
    const e = estimateBudget([point(64, 800, 300)], config, none, 4 * 2 ** 30);
    expect(e.msPer1000Steps).toBe(800_000);
    // Activations, networks, and this size's two input batches.
    expect(e.peakBytes).toBe(310 * MB + 2 * 64 * 64 * 3 * 4);
    expect(e.fits).toBe(true);
    expect(e.measuredAt).toEqual([64]);
  });

  it('extrapolates time and activations along the pixel count from two smaller sizes', () => {
    const config = makeConfig({ resolution: 256, poolSize: 0 });
    // 32 px → 64 px: +600 ms and +240 MB for 3072 more pixels² ...
    const e = estimateBudget([point(32, 200, 60), point(64, 800, 300)], config, none, null);
    // ... so 256 px adds (256² − 64²) × that slope.
    const slope = (256 ** 2 - 64 ** 2) / (64 ** 2 - 32 ** 2);
    expect(e.msPer1000Steps).toBeCloseTo((800 + 600 * slope) * 1000, 6);
    expect(e.peakBytes).toBeCloseTo((300 + 240 * slope + 10) * MB + 2 * 256 * 256 * 12, 0);
    expect(e.fits).toBe(true);
  });

  it('adds full image pools and the stored training images, which calibration does not hold', () => {
    const config = makeConfig({ resolution: 64, poolSize: 50, augment: true });
    const base = estimateBudget([point(64, 800, 300)], { ...config, poolSize: 0 }, none, null).peakBytes;
    const full = estimateBudget([point(64, 800, 300)], config, { content: 100, style: 100 }, null).peakBytes;
    // Two pools of 50 images at 64 px, and 200 images stored at 72 px (64 × 286/256, rounded to even).
    expect(full - base).toBe(2 * 50 * 64 * 64 * 12 + 200 * 72 * 72 * 12);
    const oneSided = estimateBudget([point(64, 800, 300)], { ...config, model: 'fastcut' }, { content: 100, style: 100 }, null).peakBytes;
    expect(full - oneSided).toBe(2 * 50 * 64 * 64 * 12);
  });

  it('warns when the peak passes three quarters of the limit', () => {
    const config = makeConfig({ resolution: 64, poolSize: 0 });
    const limit = 400 * MB;
    expect(estimateBudget([point(64, 800, 280)], config, none, limit).fits).toBe(true);
    expect(estimateBudget([point(64, 800, 300)], config, none, limit).fits).toBe(false);
    expect(estimateBudget([point(64, 800, 300)], config, none, null).fits).toBe(true);
  });

  it('falls back to plain proportion when noise makes the smaller size look slower', () => {
    const config = makeConfig({ resolution: 128 });
    const e = estimateBudget([point(32, 900, 60), point(64, 800, 300)], config, none, null);
    expect(e.msPer1000Steps).toBe(800 * 4 * 1000);
  });
});
