// Every training setting is declared once, in SETTINGS: its default, its range or choices,
// whether it changes a running training, and the label and help line the UI shows. The config
// type, DEFAULT_CONFIG, the validation, the live-settings type and the UI's fields derive from it.

/** Which adversarial objective the discriminators and generators optimise. */
export const ADVERSARIAL_LOSSES = ['bce', 'lsgan', 'hinge'] as const;
export type AdversarialLoss = (typeof ADVERSARIAL_LOSSES)[number];

/** How the generator doubles resolution on the way back up. */
export const UPSAMPLING_MODES = ['transpose', 'resize-conv'] as const;
export type UpsamplingMode = (typeof UPSAMPLING_MODES)[number];

/** How a generator starts: as the identity (the photo, plus a learned change) or as the paper's random function. */
export const GENERATOR_STARTS = ['identity', 'random'] as const;
export type GeneratorStart = (typeof GENERATOR_STARTS)[number];

/**
 * Which translation model trains: CycleGAN (two generators, two discriminators, cycle loss) or
 * the one-sided CUT / FastCUT of Park et al. 2020 (one generator, one discriminator, PatchNCE).
 * Domain A is the *content* (the photos to translate), domain B the *style*.
 */
export const MODEL_KINDS = ['cyclegan', 'cut', 'fastcut'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** The paper's PatchNCE weight for each one-sided model (CUT: 1 with identity NCE; FastCUT: 10 without). */
export const NCE_DEFAULTS: Readonly<Record<Exclude<ModelKind, 'cyclegan'>, number>> = { cut: 1, fastcut: 10 };

interface Described {
  label: string;
  help: string;
  /** Takes effect on the next step of a running training; the others need a restart. */
  live: boolean;
  /** Shown in the advanced drawer (the others are set elsewhere: model, seed, Adam's betas). */
  drawer: boolean;
}
export interface NumberSetting extends Described {
  kind: 'number';
  default: number;
  min: number;
  max: number;
  integer: boolean;
  /** The UI's increment. */
  step: number;
}
export interface ChoiceSetting<T extends string = string> extends Described {
  kind: 'choice';
  default: T;
  options: readonly { value: T; label: string }[];
}
export interface ToggleSetting extends Described {
  kind: 'toggle';
  default: boolean;
}

const number = (d: number, min: number, max: number, step: number, integer: boolean, label: string, help: string, more: Partial<Described> = {}) =>
  ({ kind: 'number', default: d, min, max, step, integer, label, help, live: false, drawer: true, ...more }) as const satisfies NumberSetting;
const choice = <T extends string>(d: T, options: readonly { value: T; label: string }[], label: string, help: string, more: Partial<Described> = {}) =>
  ({ kind: 'choice', default: d, options, label, help, live: false, drawer: true, ...more }) as const satisfies ChoiceSetting<T>;
const live = { live: true } as const;
const hidden = { drawer: false } as const;

/** Every setting of a run, in the order the advanced drawer lists them and links write them. */
export const SETTINGS = {
  model: choice<ModelKind>('cyclegan', [{ value: 'cyclegan', label: 'CycleGAN' }, { value: 'cut', label: 'CUT' }, { value: 'fastcut', label: 'FastCUT' }], 'Model', 'Which translation model trains.', hidden),
  resolution: number(64, 16, 512, 4, true, 'Resolution (px)', 'Side of the square training crops; a multiple of 4. Cost grows with its square.'),
  batchSize: number(1, 1, 16, 1, true, 'Batch size', 'Images per step. CycleGAN uses 1; more smooths the gradients but costs memory.'),
  genFilters: number(16, 4, 64, 4, true, 'Generator filters', 'Width of the generator’s first layer (k in c7s1-k); the bottleneck has 4k.'),
  genResBlocks: number(3, 1, 9, 1, true, 'Residual blocks', 'Depth of the generator’s bottleneck: more blocks, bigger changes of style.'),
  upsampling: choice<UpsamplingMode>(
    'resize-conv',
    [{ value: 'transpose', label: 'Transposed convolution' }, { value: 'resize-conv', label: 'Resize + convolution' }],
    'Upsampling',
    'Resize-then-convolve avoids the checkerboard artefacts of transposed convolutions.',
  ),
  generatorStart: choice<GeneratorStart>(
    'identity',
    [{ value: 'identity', label: 'From the photo (colour grade + change)' }, { value: 'random', label: 'Random (the paper’s)' }],
    'Generator starts',
    'From the photo: the untrained generator gives back its input and learns a colour grade and a change on top. Random: the paper’s generator, which must first learn to reproduce the photo.',
  ),
  discFilters: number(16, 4, 64, 4, true, 'Discriminator filters', 'Width of the PatchGAN’s first layer.'),
  discLayers: number(3, 1, 5, 1, true, 'Discriminator layers', 'Stride-2 layers: 3 judges 70×70 patches; fewer judges smaller details.'),
  adversarialLoss: choice<AdversarialLoss>(
    'lsgan',
    [{ value: 'bce', label: 'Cross-entropy (Goodfellow 2014)' }, { value: 'lsgan', label: 'Least squares (LSGAN)' }, { value: 'hinge', label: 'Hinge' }],
    'Adversarial loss',
    'How “real or fake” is scored: the original GAN’s cross-entropy, least squares (CycleGAN’s default) or hinge.',
  ),
  lambdaCycle: number(10, 0, 100, 0.5, false, 'λ cycle', 'How strongly A→B→A must give back the original: keeps the content.', live),
  lambdaIdentity: number(0, 0, 10, 0.1, false, 'λ identity (× λ cycle)', 'How strongly a generator must leave images of its target style alone: keeps colours. The paper uses 0.5; a generator that starts from the photo needs none, and it would hold back the colour grade.', live),
  lambdaNce: number(NCE_DEFAULTS.fastcut, 0, 100, 0.5, false, 'λ NCE (CUT, FastCUT)', 'How strongly each output patch must match the same place in its input: keeps the content without a cycle.', live),
  lambdaColour: number(10, 0, 1000, 1, false, 'λ colour', 'How strongly each generated image’s colour statistics (mean and spread of R, G, B) must match the style images’: a signal about the style from the first step.', live),
  lambdaChange: number(0, 0, 100, 0.5, false, 'λ change', 'What the local change a generator that starts from the photo adds to its grade costs (mean absolute size): keeps the change to what the discriminator really asks for. The Quick preset uses 10; it also holds back changes the grade cannot make, such as swapping colours.', live),
  learningRateG: number(2e-4, 0, 1, 0.00005, false, 'Generator learning rate', 'Adam step size for both generators.', live),
  learningRateD: number(2e-4, 0, 1, 0.00005, false, 'Discriminator learning rate', 'Adam step size for both discriminators.', live),
  beta1: number(0.5, 0, 0.9999, 0.05, false, 'Adam β1', 'Momentum of Adam’s first moment (CycleGAN: 0.5).', hidden),
  beta2: number(0.999, 0, 0.99999, 0.001, false, 'Adam β2', 'Decay of Adam’s second moment.', hidden),
  totalSteps: number(20_000, 1, 10_000_000, 100, true, 'Total steps', 'Length of the run; the learning rate reaches zero here.'),
  decayStartStep: number(10_000, 0, 10_000_000, 100, true, 'Decay starts at step', 'From here the learning rates fall linearly to zero.'),
  poolSize: number(50, 0, 500, 1, true, 'Image pool', 'Older fakes shown to the discriminators, which damps oscillation. 0 turns it off.'),
  augment: { kind: 'toggle', default: true, label: 'Augment', help: 'Random crops and mirror flips of the training images.', live: false, drawer: true } as const satisfies ToggleSetting,
  seed: number(42, 0, 2 ** 32 - 1, 1, true, 'Seed', 'Every random choice of a run (initial weights, crops, batches) follows from it.', hidden),
} as const;

type Schema = typeof SETTINGS;
export type SettingKey = keyof Schema;
type ValueOf<S> = S extends { kind: 'number' } ? number : S extends { kind: 'toggle' } ? boolean : S extends ChoiceSetting<infer T> ? T : never;

/** Everything that defines a training run. */
export type TrainingConfig = { [K in SettingKey]: ValueOf<Schema[K]> };
export type NumericConfigKey = { [K in SettingKey]: Schema[K] extends { kind: 'number' } ? K : never }[SettingKey];
export type ChoiceConfigKey = { [K in SettingKey]: Schema[K] extends { kind: 'choice' } ? K : never }[SettingKey];
export type ToggleConfigKey = { [K in SettingKey]: Schema[K] extends { kind: 'toggle' } ? K : never }[SettingKey];
export type LiveSettingKey = { [K in SettingKey]: Schema[K] extends { live: true } ? K : never }[SettingKey];
/** Settings that change a running training on its next step, without a restart. */
export type LiveSettings = Partial<Pick<TrainingConfig, LiveSettingKey>>;

const KEYS = Object.keys(SETTINGS) as SettingKey[];

export const DEFAULT_CONFIG: Readonly<TrainingConfig> = Object.freeze(Object.fromEntries(KEYS.map((k) => [k, SETTINGS[k].default])) as TrainingConfig);

export const LIVE_SETTING_KEYS = KEYS.filter((k) => SETTINGS[k].live) as LiveSettingKey[];

/** The live settings of a config, to send to a running training. */
export function liveSettingsOf(config: TrainingConfig): LiveSettings {
  return Object.fromEntries(LIVE_SETTING_KEYS.map((k) => [k, config[k]])) as LiveSettings;
}

/**
 * Returns every problem with a config as a readable sentence; empty when valid.
 * Unknown keys are ignored so that older or newer files can still be checked.
 */
export function validateConfig(config: TrainingConfig): string[] {
  const problems: string[] = [];
  for (const key of KEYS) {
    const setting: NumberSetting | ChoiceSetting | ToggleSetting = SETTINGS[key];
    const value: unknown = config[key];
    if (setting.kind === 'number') {
      if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`Expected ${key} to be a finite number, got ${String(value)}`);
      else if (setting.integer && !Number.isInteger(value)) problems.push(`Expected ${key} to be a whole number, got ${value}`);
      else if (value < setting.min || value > setting.max) problems.push(`Expected ${key} between ${setting.min} and ${setting.max}, got ${value}`);
    } else if (setting.kind === 'choice') {
      const values = setting.options.map((o) => o.value);
      if (!values.includes(value as string)) problems.push(`Expected ${key} to be one of ${values.join(', ')}, got ${String(value)}`);
    } else if (typeof value !== 'boolean') {
      problems.push(`Expected ${key} to be true or false, got ${String(value)}`);
    }
  }
  if (Number.isInteger(config.resolution) && config.resolution % 4 !== 0) {
    problems.push(`Expected resolution to be a multiple of 4, got ${config.resolution}`);
  }
  if (config.decayStartStep > config.totalSteps) {
    problems.push(`Expected decayStartStep (${config.decayStartStep}) not to exceed totalSteps (${config.totalSteps})`);
  }
  const minSide = 2 ** config.discLayers * 4;
  if (Number.isInteger(config.resolution) && Number.isInteger(config.discLayers) && config.resolution < minSide) {
    problems.push(`Expected resolution of at least ${minSide} px for a discriminator with ${config.discLayers} layers, got ${config.resolution}`);
  }
  return problems;
}

/** Defaults overlaid with the given settings, validated; throws one message listing every problem. */
export function makeConfig(overrides: Partial<TrainingConfig> = {}): TrainingConfig {
  const config = { ...DEFAULT_CONFIG, ...overrides };
  const problems = validateConfig(config);
  if (problems.length > 0) throw new Error(`Invalid training config: ${problems.join('; ')}`);
  return config;
}
