import { describe, expect, it } from 'vitest';
import { LOSS_NAMES, type LossRecord } from '../gan/state';
import { LossHistory, smooth } from './lossHistory';

const losses = (v: number) => Object.fromEntries(LOSS_NAMES.map((n) => [n, v])) as LossRecord;
const rows = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ({ step: from + i, losses: losses(from + i) }));

describe('LossHistory', () => {
  it('keeps every step while small', () => {
    const h = new LossHistory(10);
    h.append(rows(1, 15));
    expect(h.chartPoints().map((p) => p.step)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  it('stays bounded over 100 000 steps, keeps the whole run visible and averages what it merges', () => {
    const h = new LossHistory(500);
    for (let s = 1; s <= 100_000; s += 250) h.append(rows(s, s + 249));
    const points = h.chartPoints();
    expect(points.length).toBeLessThan(1001);
    expect(points.length).toBeGreaterThan(400);
    expect(points.at(-1)?.step).toBe(100_000);
    expect(points[0].step).toBe(h.stepsPerPoint);
    // Losses equal to the step number: a merged bucket holds the mean of its steps.
    expect(points[0].dA).toBeCloseTo((1 + h.stepsPerPoint) / 2, 6);
  });
});

describe('smooth', () => {
  it('is an exponential moving average per loss', () => {
    const points = [1, 3, 3].map((v, i) => ({ step: i + 1, ...losses(v) }));
    expect(smooth(points, 0.5).map((p) => p.totalG)).toEqual([1, 2, 2.5]);
    expect(smooth(points, 0)).toEqual(points);
  });

  it('forgets the points after a step when a run goes back', () => {
    const history = new LossHistory(100);
    history.append(Array.from({ length: 10 }, (_, i) => ({ step: i + 1, losses: losses(i) })));
    history.truncateAfter(6);
    expect(history.chartPoints().map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
