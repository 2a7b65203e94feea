import { ADVERSARIAL_LOSSES, UPSAMPLING_MODES, makeConfig, type TrainingConfig } from '../core/config';

export interface Preset {
  id: string;
  label: string;
  hint: string;
  config: TrainingConfig;
}

/** Starting points that trade speed for quality; every field stays editable in the drawer. */
export const PRESETS: Preset[] = [
  { id: 'quick', label: 'Quick · 64 px', hint: 'First results in a minute or two', config: makeConfig({ resolution: 64, totalSteps: 3000, decayStartStep: 1500 }) },
  {
    id: 'balanced',
    label: 'Balanced · 128 px',
    hint: 'Clearer style, several times slower per step',
    config: makeConfig({ resolution: 128, genFilters: 24, genResBlocks: 6, discFilters: 32, totalSteps: 10_000, decayStartStep: 5000 }),
  },
  {
    id: 'quality',
    label: 'Quality · 256 px',
    hint: 'The paper’s setup: needs a real GPU and patience',
    config: makeConfig({ resolution: 256, genFilters: 32, genResBlocks: 9, discFilters: 64, totalSteps: 40_000, decayStartStep: 20_000 }),
  },
];

type NumericKey = { [K in keyof TrainingConfig]: TrainingConfig[K] extends number ? K : never }[keyof TrainingConfig];

export type Field =
  | { kind: 'number'; key: NumericKey; label: string; help: string; min: number; max: number; step: number; live?: boolean }
  | { kind: 'choice'; key: 'adversarialLoss' | 'upsampling'; label: string; help: string; options: readonly { value: string; label: string }[] }
  | { kind: 'toggle'; key: 'augment'; label: string; help: string };

/**
 * The advanced drawer. `live` settings change the running training on the next step; every
 * other setting takes effect when training is restarted.
 */
export const FIELDS: Field[] = [
  { kind: 'number', key: 'resolution', label: 'Resolution (px)', help: 'Side of the square training crops; a multiple of 4. Cost grows with its square.', min: 32, max: 512, step: 4 },
  { kind: 'number', key: 'batchSize', label: 'Batch size', help: 'Images per step. CycleGAN uses 1; more smooths the gradients but costs memory.', min: 1, max: 16, step: 1 },
  { kind: 'number', key: 'genFilters', label: 'Generator filters', help: 'Width of the generator’s first layer (k in c7s1-k); the bottleneck has 4k.', min: 4, max: 64, step: 4 },
  { kind: 'number', key: 'genResBlocks', label: 'Residual blocks', help: 'Depth of the generator’s bottleneck: more blocks, bigger changes of style.', min: 1, max: 9, step: 1 },
  { kind: 'number', key: 'discFilters', label: 'Discriminator filters', help: 'Width of the PatchGAN’s first layer.', min: 4, max: 64, step: 4 },
  { kind: 'number', key: 'discLayers', label: 'Discriminator layers', help: 'Stride-2 layers: 3 judges 70×70 patches; fewer judges smaller details.', min: 1, max: 5, step: 1 },
  {
    kind: 'choice',
    key: 'adversarialLoss',
    label: 'Adversarial loss',
    help: 'How “real or fake” is scored: the original GAN’s cross-entropy, least squares (CycleGAN’s default) or hinge.',
    options: ADVERSARIAL_LOSSES.map((v) => ({ value: v, label: { bce: 'Cross-entropy (Goodfellow 2014)', lsgan: 'Least squares (LSGAN)', hinge: 'Hinge' }[v] })),
  },
  { kind: 'number', key: 'lambdaCycle', label: 'λ cycle', help: 'How strongly A→B→A must give back the original: keeps the content.', min: 0, max: 100, step: 0.5, live: true },
  { kind: 'number', key: 'lambdaIdentity', label: 'λ identity (× λ cycle)', help: 'How strongly a generator must leave images of its target style alone: keeps colours.', min: 0, max: 10, step: 0.1, live: true },
  { kind: 'number', key: 'learningRateG', label: 'Generator learning rate', help: 'Adam step size for both generators.', min: 0, max: 0.01, step: 0.00005, live: true },
  { kind: 'number', key: 'learningRateD', label: 'Discriminator learning rate', help: 'Adam step size for both discriminators.', min: 0, max: 0.01, step: 0.00005, live: true },
  { kind: 'number', key: 'totalSteps', label: 'Total steps', help: 'Length of the run; the learning rate reaches zero here.', min: 1, max: 1_000_000, step: 100 },
  { kind: 'number', key: 'decayStartStep', label: 'Decay starts at step', help: 'From here the learning rates fall linearly to zero.', min: 0, max: 1_000_000, step: 100 },
  {
    kind: 'choice',
    key: 'upsampling',
    label: 'Upsampling',
    help: 'Resize-then-convolve avoids the checkerboard artefacts of transposed convolutions.',
    options: UPSAMPLING_MODES.map((v) => ({ value: v, label: v === 'transpose' ? 'Transposed convolution' : 'Resize + convolution' })),
  },
  { kind: 'number', key: 'poolSize', label: 'Image pool', help: 'Older fakes shown to the discriminators, which damps oscillation. 0 turns it off.', min: 0, max: 500, step: 1 },
  { kind: 'toggle', key: 'augment', label: 'Augment', help: 'Random crops and mirror flips of the training images.' },
];
