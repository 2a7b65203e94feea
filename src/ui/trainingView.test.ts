import { describe, expect, it } from 'vitest';
import type { PreviewReport, ProgressReport } from '../core/training/reports';
import { addToFilmstrip, FILMSTRIP, INITIAL_VIEW, psnrVerdict, qualityOf, reduceView } from './trainingView';

const preview = (step: number, extra: Partial<PreviewReport> = {}): PreviewReport => ({ step, aToB: [], bToA: [], ...extra });
const progress = (step: number, state: ProgressReport['state'], rows = 1): ProgressReport => ({
  step,
  epoch: 0,
  rows: Array.from({ length: rows }, (_, i) => ({ step: step - rows + 1 + i, losses: { totalG: step } as never })),
  stepsPerSecond: 2,
  imagesPerSecond: 2,
  learningRates: { g: 1, d: 1 },
  memory: { numTensors: 1, numBytes: 1 },
  state,
});

describe('the training view', () => {
  it('counts rows, and time only while running', () => {
    let view = reduceView({ ...INITIAL_VIEW, phase: 'starting' }, { type: 'ready', version: 4, backend: 'wasm', selection: { chosen: 'wasm', forced: false, reason: 'r', candidates: [] }, timesThreads: false }, 0, 0);
    expect(view).toMatchObject({ phase: 'paused', backend: 'wasm' });
    view = reduceView(view, { type: 'progress', report: progress(3, 'running', 3) }, 1000, 0);
    expect(view).toMatchObject({ phase: 'running', step: 3, rowsReceived: 3, trainingMs: 0 });
    view = reduceView(view, { type: 'progress', report: progress(5, 'paused', 2) }, 1500, 1000);
    expect(view).toMatchObject({ phase: 'paused', step: 5, rowsReceived: 5, trainingMs: 500, lastLosses: { totalG: 5 } });
  });

  it('shows the thread count a run timed on itself in the wasm row, leaving the other rows as they were', () => {
    const candidates = [
      { name: 'wasm' as const, ok: true, software: false, ms: 5, detail: 'SIMD on, 2 threads', verdict: 'chosen; runs on 2 threads, every core' },
      { name: 'cpu' as const, ok: true, software: false, ms: 5, detail: 'plain JavaScript', verdict: 'skipped' },
    ];
    const started = reduceView(INITIAL_VIEW, { type: 'ready', version: 4, backend: 'wasm', selection: { chosen: 'wasm', forced: false, reason: 'r', candidates }, timesThreads: false }, 0, 0);
    const view = reduceView(started, { type: 'threadsTimed', threads: 1, verdict: 'chosen; runs on 1 thread, timed while training', detail: 'SIMD on, 1 thread' }, 0, 0);
    expect(view.selection?.candidates).toEqual([{ ...candidates[0], detail: 'SIMD on, 1 thread', verdict: 'chosen; runs on 1 thread, timed while training' }, candidates[1]]);
    expect(started.selection?.candidates[0].detail).toBe('SIMD on, 2 threads');
  });

  it('says why in its notices: a move to another backend, an error, a crash', () => {
    let view = reduceView({ ...INITIAL_VIEW, phase: 'running', step: 9 }, { type: 'backendChanged', from: 'webgpu', to: 'wasm', reason: 'the device was lost', resumedAtStep: 7, lostSteps: 2 }, 0, 0);
    expect(view.backend).toBe('wasm');
    expect(view.notices.at(-1)).toBe('Training moved from webgpu to wasm because the device was lost; resumed at step 7 (2 steps redone).');
    view = reduceView(view, { type: 'error', code: 'diverged', message: 'NaN' }, 0, 0);
    expect(view).toMatchObject({ phase: 'paused', divergedAt: 9 });
    view = reduceView(view, { type: 'crashed', message: 'gone' }, 0, 0);
    expect(view).toMatchObject({ phase: 'failed', notices: [expect.any(String), 'NaN', 'The training worker crashed: gone'] });
  });

  it('a failed start is failed; a rollback goes back to its step, paused', () => {
    expect(reduceView({ ...INITIAL_VIEW, phase: 'starting' }, { type: 'error', code: 'bad-config', message: 'no' }, 0, 0).phase).toBe('failed');
    expect(reduceView({ ...INITIAL_VIEW, phase: 'running', step: 40, rowsReceived: 40 }, { type: 'rolledBack', toStep: 30 }, 0, 0)).toMatchObject({ phase: 'paused', step: 30, rowsReceived: 30 });
  });

  it('forgets a NaN fifty good steps later', () => {
    const view = { ...INITIAL_VIEW, phase: 'running' as const, divergedAt: 10 };
    expect(reduceView(view, { type: 'progress', report: progress(60, 'running') }, 0, 0).divergedAt).toBe(10);
    expect(reduceView(view, { type: 'progress', report: progress(61, 'running') }, 0, 0).divergedAt).toBeUndefined();
  });
});

describe('the filmstrip', () => {
  it('keeps every preview up to its size, then the first, every other old one and all recent ones', () => {
    let strip: PreviewReport[] = [];
    for (let step = 1; step <= FILMSTRIP; step++) strip = addToFilmstrip(strip, preview(step));
    expect(strip).toHaveLength(FILMSTRIP);
    strip = addToFilmstrip(strip, preview(FILMSTRIP + 1));
    const steps = strip.map((p) => p.step);
    expect(steps[0]).toBe(1);
    expect(steps.slice(1, 11)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    expect(steps.slice(-21)).toEqual(Array.from({ length: 21 }, (_, i) => 21 + i));
    expect(steps.length).toBeLessThan(FILMSTRIP);
  });

  it('takes quality points only from scored previews', () => {
    expect(qualityOf(preview(5))).toBeNull();
    expect(qualityOf(preview(50, { swd: 120, psnr: { generator: 18, identity: 12 } }))).toEqual({ step: 50, swd: 120, psnr: 18 });
  });
});

describe('psnrVerdict', () => {
  it('says plainly whether the generator beats doing nothing', () => {
    expect(psnrVerdict({ generator: 26.5, identity: 24.03 })).toBe('2.47 dB better than doing nothing (24.03 dB)');
    expect(psnrVerdict({ generator: 11.7, identity: 24.6 })).toBe('12.90 dB worse than doing nothing (24.60 dB)');
    expect(psnrVerdict({ generator: 24.031, identity: 24.03 })).toBe('the same as doing nothing (24.03 dB)');
  });
});
