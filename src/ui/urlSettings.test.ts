import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config';
import { makeConfig } from '../core/config';
import { readUrlSettings, writeUrlSettings } from './urlSettings';

describe('readUrlSettings', () => {
  it('reads numbers, choices, flags and the backend', () => {
    const s = readUrlSettings('?resolution=32&genFilters=4&discLayers=2&adversarialLoss=hinge&augment=false&backend=webgl', DEFAULT_CONFIG);
    expect(s).toEqual({ config: { resolution: 32, genFilters: 4, discLayers: 2, adversarialLoss: 'hinge', augment: false }, backend: 'webgl', problems: [] });
  });

  it('reports unknown names and refuses invalid values without applying any', () => {
    const s = readUrlSettings('?resolution=30&colour=red&backend=tpu', DEFAULT_CONFIG);
    expect(s.config).toEqual({});
    expect(s.backend).toBeUndefined();
    expect(s.problems).toEqual([
      'colour is not a setting',
      'backend=tpu is not one of auto, webgpu, webgl, wasm, cpu',
      'Link settings ignored: Expected resolution to be a multiple of 4, got 30',
      'Link settings ignored: Expected resolution of at least 32 px for a discriminator with 3 layers, got 30',
    ]);
  });

  it('writes a link that reads back to the same setup: task, changed settings, seed and backend', () => {
    const base = makeConfig({ resolution: 64 });
    const config = makeConfig({ resolution: 96, lambdaCycle: 5, seed: 7, upsampling: 'transpose' });
    const query = writeUrlSettings(config, base, 'wasm', 'sketch');
    expect(query).toBe('?task=sketch&resolution=96&upsampling=transpose&lambdaCycle=5&seed=7&backend=wasm');
    const back = readUrlSettings(query, base);
    expect(back.problems).toEqual([]);
    expect({ ...base, ...back.config }).toEqual(config);
    expect([back.task, back.backend]).toEqual(['sketch', 'wasm']);
    expect(readUrlSettings('?task=watercolour', base).problems).toEqual(['task=watercolour is not one of oil, sketch, popart, grade, sharpen, film, own']);
  });
});
