import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config';
import { readUrlSettings } from './urlSettings';

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
});
