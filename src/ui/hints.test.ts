import { describe, expect, it } from 'vitest';
import { LOSS_NAMES, type LossRecord } from '../core/gan/state';
import type { RgbaImage } from '../core/data/pixels';
import type { ChartPoint } from '../core/training/lossHistory';
import type { Pair } from '../core/diagnostics/imageDetectors';
import { detectImageProblems } from '../core/testing/imageProblems';
import { diagnose, readPreviewsSoon, type PreviewReading } from './hints';

const config = { model: 'cyclegan', adversarialLoss: 'lsgan', learningRateG: 2e-4, learningRateD: 2e-4, lambdaCycle: 10, lambdaNce: 10 } as const;

const point = (step: number, values: Partial<LossRecord>): ChartPoint => ({ step, ...(Object.fromEntries(LOSS_NAMES.map((n) => [n, 0.5])) as LossRecord), ...values });
/** What the page hands `diagnose` once the detectors have read the previews. */
const readPreviews = (previews: Pair[]): PreviewReading => ({ previews, problems: detectImageProblems(previews, []) });
const flat = (v: number): RgbaImage => ({ width: 4, height: 4, data: new Uint8ClampedArray(64).fill(v) });

describe('diagnose', () => {
  it('says nothing alarming about healthy training', () => {
    const points = Array.from({ length: 200 }, (_, i) => point(100 + i, { dA: 0.25 + 0.01 * Math.sin(i), dB: 0.24, advG: 0.4 + 0.01 * i / 200, advF: 0.41 }));
    expect(diagnose(points, config, readPreviews([{ input: flat(10), output: flat(20) }, { input: flat(200), output: flat(180) }]))).toEqual([]);
  });

  it('notices discriminators that have won', () => {
    const points = Array.from({ length: 100 }, (_, i) => point(200 + i, { dA: 0.001, dB: 0.003 }));
    const hints = diagnose(points, config);
    expect(hints.map((h) => h.id)).toEqual(['discriminator-wins']);
    expect(hints[0].remedy).toEqual({ label: 'Halve the discriminator learning rate (0.0001)', change: { learningRateD: 0.0001 }, restart: false });
  });

  it('notices oscillating adversarial losses', () => {
    const points = Array.from({ length: 100 }, (_, i) => point(200 + i, { advG: i % 2 ? 0.1 : 1.5, advF: i % 2 ? 0.1 : 1.5 }));
    expect(diagnose(points, config).map((h) => h.id)).toContain('oscillation');
  });

  it('notices mode collapse in the previews, and early noise', () => {
    const hints = diagnose([point(10, {})], config, readPreviews([{ input: flat(10), output: flat(128) }, { input: flat(220), output: flat(129) }]));
    expect(hints.map((h) => h.id)).toEqual(['warming-up', 'mode-collapse']);
  });

  it('reads the previews for image problems once past the first hundred steps, with their remedies', () => {
    const scene = (v: number): RgbaImage => ({ width: 8, height: 8, data: new Uint8ClampedArray(256).map((_, i) => (i % 4 === 3 ? 255 : (v + i * 7) % 256)) });
    const copies = [{ input: scene(0), output: scene(0) }, { input: scene(90), output: scene(90) }];
    const late = Array.from({ length: 30 }, (_, i) => point(300 + i, {}));
    expect(diagnose(late, config, readPreviews(copies)).map((h) => [h.id, h.remedy?.change])).toEqual([['identity-collapse', { lambdaIdentity: 0.1 }]]);
    expect(diagnose([point(50, {})], config, readPreviews(copies)).map((h) => h.id)).toEqual(['warming-up']);
  });

  it('judges one-sided models by their single discriminator, and turns λ NCE in their remedies', () => {
    const fastcut = { ...config, model: 'fastcut' } as const;
    // FastCUT has no D_A: its dA of 0 is not a discriminator that won.
    const healthy = Array.from({ length: 100 }, (_, i) => point(200 + i, { dA: 0, advF: 0, dB: 0.25 }));
    expect(diagnose(healthy, fastcut)).toEqual([]);
    const won = Array.from({ length: 100 }, (_, i) => point(200 + i, { dA: 0, advF: 0, dB: 0.001 }));
    expect(diagnose(won, fastcut).map((h) => h.id)).toEqual(['discriminator-wins']);
    const scene = (v: number): RgbaImage => ({ width: 8, height: 8, data: new Uint8ClampedArray(256).map((_, i) => (i % 4 === 3 ? 255 : (v + i * 7) % 256)) });
    const copies = [{ input: scene(0), output: scene(0) }, { input: scene(90), output: scene(90) }];
    const late = Array.from({ length: 30 }, (_, i) => point(300 + i, {}));
    expect(diagnose(late, fastcut, readPreviews(copies)).map((h) => [h.id, h.remedy?.change])).toEqual([['identity-collapse', { lambdaNce: 5 }]]);
  });

  it('explains NaN losses after a rollback, with halved learning rates as the remedy, and says nothing of NaN otherwise', () => {
    const points = Array.from({ length: 30 }, (_, i) => point(100 + i, {}));
    const hints = diagnose(points, config, undefined, 120);
    expect(hints.map((h) => h.id)).toEqual(['nan']);
    expect(hints[0].text).toContain('went back to step 120');
    expect(hints[0].remedy).toEqual({ label: 'Halve both learning rates', change: { learningRateG: 0.0001, learningRateD: 0.0001 }, restart: false });
    expect(diagnose(points, config).map((h) => h.id)).not.toContain('nan');
  });

  it('reads previews a moment later, with every detector, and not at all once cancelled', async () => {
    const scene = (v: number): RgbaImage => ({ width: 8, height: 8, data: new Uint8ClampedArray(256).map((_, i) => (i % 4 === 3 ? 255 : (v + i * 7) % 256)) });
    const copies = [{ input: scene(0), output: scene(0) }, { input: scene(90), output: scene(90) }];
    const read: PreviewReading[] = [];
    readPreviewsSoon(copies, [], (r) => read.push(r));
    const cancel = readPreviewsSoon(copies, [], (r) => read.push(r));
    cancel();
    expect(read).toEqual([]);
    // One turn of the event loop per queued job at most (four detectors, then the hand-over).
    for (let turn = 0; turn < 6; turn++) await new Promise((resolve) => setTimeout(resolve, 0));
    expect(read).toEqual([readPreviews(copies)]);
    expect(read[0].problems.map((p) => p.id)).toEqual(['identity-collapse']);
  });
});
