import type { TrainingConfig } from '../config';
import { CycleGan } from './cycleGan';
import { FastCut } from './fastCut';
import type { GanModel } from './ganModel';

/** Builds the model the config names, freshly initialised from its seed. */
export function createGan(config: TrainingConfig): GanModel {
  return config.model === 'cyclegan' ? new CycleGan(config) : new FastCut(config);
}
