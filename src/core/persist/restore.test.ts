import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config';
import { restoreRun, RUN_FORMAT_VERSION, storedVersion } from './restore';

const v1History = { bucket: 1, points: [{ step: 1, dA: 1, dB: 1, advG: 1, advF: 1, cycleA: 1, cycleB: 1, idtG: 1, idtF: 1, totalG: 4 }], pending: [] };

describe('restoring saved runs', () => {
  it('brings a version 1 run up to date: a CycleGAN whose history reads the PatchNCE losses as 0', () => {
    const { model, lambdaNce, generatorStart, lambdaColour, lambdaChange, ...v1Config } = { ...DEFAULT_CONFIG, resolution: 32 };
    const restored = restoreRun({ config: v1Config, history: v1History, name: 'old' }, 1);
    expect(restored.config).toEqual({ ...DEFAULT_CONFIG, resolution: 32, model: 'cyclegan', lambdaNce: 10, generatorStart: 'random', lambdaColour: 0, lambdaChange: 0 });
    expect(restored.history).toEqual({ ...v1History, points: [{ ...v1History.points[0], nce: 0, nceIdt: 0, colourG: 0, colourF: 0, changeG: 0, changeF: 0 }] });
    expect(restored.name).toBe('old');
  });

  it('brings a version 2 run up to date: the paper’s generator without colour or change loss, its history reading those terms as 0', () => {
    const { generatorStart, lambdaColour, lambdaChange, ...v2Config } = { ...DEFAULT_CONFIG, model: 'fastcut' as const };
    const v2History = { bucket: 1, points: [{ ...v1History.points[0], nce: 2, nceIdt: 0 }], pending: [] };
    const restored = restoreRun({ config: v2Config, history: v2History }, 2);
    expect(restored.config).toEqual({ ...DEFAULT_CONFIG, model: 'fastcut', generatorStart: 'random', lambdaColour: 0, lambdaChange: 0 });
    expect(restored.history).toEqual({ ...v2History, points: [{ ...v2History.points[0], colourG: 0, colourF: 0, changeG: 0, changeF: 0 }] });
  });

  it('leaves a current run as it is, and fills settings it predates with their defaults', () => {
    const history = { bucket: 2, points: [], pending: [] };
    const { seed, ...config } = { ...DEFAULT_CONFIG, model: 'fastcut' as const, lambdaNce: 3 };
    expect(restoreRun({ config, history }, RUN_FORMAT_VERSION)).toEqual({ config: { ...config, seed: DEFAULT_CONFIG.seed }, history });
  });

  it('refuses a run from a newer version, saying so', () => {
    expect(() => restoreRun({ config: {}, history: {} }, RUN_FORMAT_VERSION + 1)).toThrow(/saved by a newer GAN Style Studio \(format version 4; this page reads up to 3\)/);
  });

  it('leaves a malformed history for the caller’s checks to refuse', () => {
    expect(restoreRun({ config: {}, history: 'nonsense' }, 1).history).toBe('nonsense');
  });

  it('knows the version of a run stored in the browser before stored runs carried one', () => {
    expect(storedVersion({ config: { resolution: 64 } })).toBe(1);
    expect(storedVersion({ config: { model: 'cyclegan' } })).toBe(2);
    expect(storedVersion({ version: 2, config: {} })).toBe(2);
    expect(storedVersion({ version: 3, config: {} })).toBe(3);
  });
});
