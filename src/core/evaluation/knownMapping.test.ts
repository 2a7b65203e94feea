import { beforeAll, describe, expect, it } from 'vitest';
import { selectWasmBackend } from '../backends/nodeWasm';
import { makeConfig } from '../config';
import { knownMappingTask } from '../data/syntheticScenes';
import { detectCurveProblems } from '../diagnostics/curveDetectors';
import { detectImageProblems } from '../testing/imageProblems';
import { trainKnownMapping } from './knownMapping';

beforeAll(async () => {
  await selectWasmBackend();
});

describe('CycleGAN learns a known mapping from unpaired sets', () => {
  it('beats the identity baseline by more than 6 dB PSNR on held-out scenes, and no failure detector fires', async () => {
    const steps = 300;
    // Small but complete CycleGAN (cycle + identity losses, pool, augmentation, LSGAN).
    const config = makeConfig({
      resolution: 32,
      genFilters: 8,
      genResBlocks: 1,
      discFilters: 8,
      discLayers: 2,
      learningRateG: 1e-3,
      learningRateD: 1e-3,
      totalSteps: steps,
      decayStartStep: steps / 2,
      poolSize: 10,
      seed: 7,
    });
    const result = await trainKnownMapping(config, { steps });
    console.info(`known mapping: G ${result.psnrGenerator.toFixed(2)} dB vs identity ${result.psnrIdentity.toFixed(2)} dB, SWD ${result.swdGenerator.toFixed(0)} vs ${result.swdIdentity.toFixed(0)}, in ${result.seconds.toFixed(1)} s`);
    expect(result.psnrGenerator).toBeGreaterThan(result.psnrIdentity + 6);
    // Its outputs' patches are also closer to the style set's than the untouched inputs are.
    expect(result.swdGenerator).toBeLessThan(result.swdIdentity);
    // Healthy training, so no failure detector fires, on its curves or on its outputs.
    expect(detectCurveProblems(result.history, config)).toEqual([]);
    expect(detectImageProblems(result.samples, knownMappingTask({ train: 32, test: 16 }, 40).style)).toEqual([]);
    expect(result.generatorLoss.last).toBeLessThan(result.generatorLoss.first);
  });
});
