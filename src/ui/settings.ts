import { ADVERSARIAL_LOSSES, CONFIG_RANGES, DEFAULT_CONFIG, NCE_DEFAULTS, UPSAMPLING_MODES, makeConfig, type ModelKind, type NumericConfigKey, type TrainingConfig } from '../core/config';

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

/** The models the Train panel offers, with what each costs and gives. */
export const MODELS: readonly { value: ModelKind; label: string; hint: string }[] = [
  { value: 'cyclegan', label: 'CycleGAN', hint: 'Two generators and two discriminators, tied by a cycle: learns both directions.' },
  { value: 'fastcut', label: 'FastCUT', hint: 'One generator and one discriminator with PatchNCE: about 2.5 times the step rate here, content → style only.' },
  { value: 'cut', label: 'CUT', hint: 'FastCUT plus an identity PatchNCE term: steadier colours, a little slower.' },
];

export function modelLabel(model: ModelKind): string {
  return MODELS.find((m) => m.value === model)?.label ?? model;
}

/** A config switched to another model; one-sided models take the paper's λ NCE. */
export function withModel(config: TrainingConfig, model: ModelKind): TrainingConfig {
  return { ...config, model, ...(model === 'cyclegan' ? {} : { lambdaNce: NCE_DEFAULTS[model] }) };
}

/** The preset a config was made from, ignoring which model trains (presets fit every model). */
export function presetOf(config: TrainingConfig): Preset | undefined {
  const sized = (c: TrainingConfig) => JSON.stringify({ ...c, model: 'cyclegan', lambdaNce: DEFAULT_CONFIG.lambdaNce, seed: 0 });
  return PRESETS.find((p) => sized(p.config) === sized(config));
}

export type Field =
  | { kind: 'number'; key: NumericConfigKey; label: string; help: string; min: number; max: number; step: number; live?: boolean }
  | { kind: 'choice'; key: 'adversarialLoss' | 'upsampling'; label: string; help: string; options: readonly { value: string; label: string }[] }
  | { kind: 'toggle'; key: 'augment'; label: string; help: string };

/**
 * The advanced drawer. `live` settings change the running training on the next step; every
 * other setting takes effect when training is restarted.
 */
export const FIELDS: Field[] = [
  numberField('resolution', 'Resolution (px)', 'Side of the square training crops; a multiple of 4. Cost grows with its square.', 4),
  numberField('batchSize', 'Batch size', 'Images per step. CycleGAN uses 1; more smooths the gradients but costs memory.', 1),
  numberField('genFilters', 'Generator filters', 'Width of the generator’s first layer (k in c7s1-k); the bottleneck has 4k.', 4),
  numberField('genResBlocks', 'Residual blocks', 'Depth of the generator’s bottleneck: more blocks, bigger changes of style.', 1),
  numberField('discFilters', 'Discriminator filters', 'Width of the PatchGAN’s first layer.', 4),
  numberField('discLayers', 'Discriminator layers', 'Stride-2 layers: 3 judges 70×70 patches; fewer judges smaller details.', 1),
  {
    kind: 'choice',
    key: 'adversarialLoss',
    label: 'Adversarial loss',
    help: 'How “real or fake” is scored: the original GAN’s cross-entropy, least squares (CycleGAN’s default) or hinge.',
    options: ADVERSARIAL_LOSSES.map((v) => ({ value: v, label: { bce: 'Cross-entropy (Goodfellow 2014)', lsgan: 'Least squares (LSGAN)', hinge: 'Hinge' }[v] })),
  },
  numberField('lambdaCycle', 'λ cycle', 'How strongly A→B→A must give back the original: keeps the content.', 0.5, true),
  numberField('lambdaIdentity', 'λ identity (× λ cycle)', 'How strongly a generator must leave images of its target style alone: keeps colours.', 0.1, true),
  numberField('lambdaNce', 'λ NCE (CUT, FastCUT)', 'How strongly each output patch must match the same place in its input: keeps the content without a cycle.', 0.5, true),
  numberField('learningRateG', 'Generator learning rate', 'Adam step size for both generators.', 0.00005, true),
  numberField('learningRateD', 'Discriminator learning rate', 'Adam step size for both discriminators.', 0.00005, true),
  numberField('totalSteps', 'Total steps', 'Length of the run; the learning rate reaches zero here.', 100),
  numberField('decayStartStep', 'Decay starts at step', 'From here the learning rates fall linearly to zero.', 100),
  {
    kind: 'choice',
    key: 'upsampling',
    label: 'Upsampling',
    help: 'Resize-then-convolve avoids the checkerboard artefacts of transposed convolutions.',
    options: UPSAMPLING_MODES.map((v) => ({ value: v, label: v === 'transpose' ? 'Transposed convolution' : 'Resize + convolution' })),
  },
  numberField('poolSize', 'Image pool', 'Older fakes shown to the discriminators, which damps oscillation. 0 turns it off.', 1),
  { kind: 'toggle', key: 'augment', label: 'Augment', help: 'Random crops and mirror flips of the training images.' },
];

/** A numeric field bounded by the config's own ranges, so the drawer never offers what the trainer refuses. */
function numberField(key: NumericConfigKey, label: string, help: string, step: number, live = false): Field {
  return { kind: 'number', key, label, help, min: CONFIG_RANGES[key].min, max: CONFIG_RANGES[key].max, step, live };
}
