import type { TrainingConfig } from '../src/core/config';

/**
 * The step ../shared/gpu/torch_ref.py takes, as settings over the defaults: the paper's random
 * generator start, no colour loss, identity 0.5. Benches that set our step beside it use these.
 */
export const AS_TORCH_REF: Partial<TrainingConfig> = { generatorStart: 'random', lambdaColour: 0, lambdaIdentity: 0.5 };
