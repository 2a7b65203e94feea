import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, LIVE_SETTING_KEYS, liveSettingsOf, makeConfig, SETTINGS, validateConfig } from './config';
import { learningRateAt } from './gan/schedule';

describe('config', () => {
  it('defaults are valid and follow CycleGAN (LSGAN, λ=10, Adam 2e-4 / 0.5, pool 50), with a generator that starts from the photo, a colour loss and no identity loss', () => {
    expect(validateConfig({ ...DEFAULT_CONFIG })).toEqual([]);
    expect(DEFAULT_CONFIG).toMatchObject({ adversarialLoss: 'lsgan', lambdaCycle: 10, learningRateG: 2e-4, beta1: 0.5, poolSize: 50 });
    expect(DEFAULT_CONFIG).toMatchObject({ generatorStart: 'identity', lambdaColour: 10, lambdaChange: 0, lambdaIdentity: 0 });
  });

  it('explains each problem with what was expected and what it got', () => {
    const problems = validateConfig({ ...DEFAULT_CONFIG, resolution: 90, genFilters: 100, batchSize: 1.5, adversarialLoss: 'wgan' as never });
    expect(problems).toContain('Expected resolution to be a multiple of 4, got 90');
    expect(problems).toContain('Expected genFilters between 4 and 64, got 100');
    expect(problems).toContain('Expected batchSize to be a whole number, got 1.5');
    expect(problems).toContain('Expected adversarialLoss to be one of bce, lsgan, hinge, got wgan');
  });

  it('rejects a decay that starts after the run ends, and a resolution too small for the discriminator', () => {
    expect(validateConfig({ ...DEFAULT_CONFIG, totalSteps: 100, decayStartStep: 200 })).toEqual([
      'Expected decayStartStep (200) not to exceed totalSteps (100)',
    ]);
    expect(validateConfig({ ...DEFAULT_CONFIG, resolution: 16, discLayers: 3 })).toEqual([
      'Expected resolution of at least 32 px for a discriminator with 3 layers, got 16',
    ]);
  });

  it('makeConfig throws one message listing every problem', () => {
    expect(() => makeConfig({ resolution: 30, lambdaCycle: -1 })).toThrow(
      /^Invalid training config: (?=.*resolution to be a multiple of 4, got 30)(?=.*lambdaCycle between 0 and 100, got -1)/,
    );
    expect(makeConfig({ resolution: 128 }).resolution).toBe(128);
  });
});

describe('learning-rate schedule', () => {
  it('is constant, then decays linearly to zero at the last step', () => {
    expect(learningRateAt(2e-4, 0, 100, 200)).toBe(2e-4);
    expect(learningRateAt(2e-4, 99, 100, 200)).toBe(2e-4);
    expect(learningRateAt(2e-4, 150, 100, 200)).toBeCloseTo(1e-4, 12);
    expect(learningRateAt(2e-4, 200, 100, 200)).toBe(0);
    expect(learningRateAt(2e-4, 500, 100, 200)).toBe(0);
  });
});

describe('the settings schema', () => {
  it('declares every setting once, with a label, a help line and a valid default', () => {
    for (const [key, setting] of Object.entries(SETTINGS)) {
      expect(setting.label.length, key).toBeGreaterThan(0);
      expect(setting.help.length, key).toBeGreaterThan(10);
    }
    expect(Object.keys(DEFAULT_CONFIG)).toEqual(Object.keys(SETTINGS));
    expect(validateConfig({ ...DEFAULT_CONFIG })).toEqual([]);
  });

  it('holds the ranges the validation enforces, and derives the live settings', () => {
    expect(SETTINGS.resolution).toMatchObject({ min: 16, max: 512, integer: true });
    expect(SETTINGS.learningRateG).toMatchObject({ min: 0, max: 1, integer: false });
    expect(validateConfig({ ...DEFAULT_CONFIG, resolution: 516 })).toEqual(['Expected resolution between 16 and 512, got 516']);
    expect(LIVE_SETTING_KEYS).toEqual(['lambdaCycle', 'lambdaIdentity', 'lambdaNce', 'lambdaColour', 'lambdaChange', 'learningRateG', 'learningRateD']);
    expect(liveSettingsOf({ ...DEFAULT_CONFIG, lambdaCycle: 3, resolution: 32 })).toEqual({ lambdaCycle: 3, lambdaIdentity: 0, lambdaNce: 10, lambdaColour: 10, lambdaChange: 0, learningRateG: 2e-4, learningRateD: 2e-4 });
  });

  it('checks choices against their options', () => {
    expect(validateConfig({ ...DEFAULT_CONFIG, model: 'pix2pix' as never })).toEqual(['Expected model to be one of cyclegan, cut, fastcut, got pix2pix']);
    expect(validateConfig({ ...DEFAULT_CONFIG, augment: 'yes' as never })).toEqual(['Expected augment to be true or false, got yes']);
  });
});
