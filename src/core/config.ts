/** Which adversarial objective the discriminators and generators optimise. */
export const ADVERSARIAL_LOSSES = ['bce', 'lsgan', 'hinge'] as const;
export type AdversarialLoss = (typeof ADVERSARIAL_LOSSES)[number];

/** How the generator doubles resolution on the way back up. */
export const UPSAMPLING_MODES = ['transpose', 'resize-conv'] as const;
export type UpsamplingMode = (typeof UPSAMPLING_MODES)[number];

/**
 * Which translation model trains: CycleGAN (two generators, two discriminators, cycle loss) or
 * the one-sided CUT / FastCUT of Park et al. 2020 (one generator, one discriminator, PatchNCE).
 */
export const MODEL_KINDS = ['cyclegan', 'cut', 'fastcut'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** The paper's PatchNCE weight for each one-sided model (CUT: 1 with identity NCE; FastCUT: 10 without). */
export const NCE_DEFAULTS: Readonly<Record<Exclude<ModelKind, 'cyclegan'>, number>> = { cut: 1, fastcut: 10 };

/** Everything that defines a training run. */
export interface TrainingConfig {
  model: ModelKind;
  /** Side of the square training crops, in pixels; a multiple of 4. */
  resolution: number;
  batchSize: number;
  /** Filters of the generator's first layer (k in c7s1-k). */
  genFilters: number;
  /** Residual blocks at the generator's bottleneck. */
  genResBlocks: number;
  upsampling: UpsamplingMode;
  /** Filters of the discriminator's first layer. */
  discFilters: number;
  /** Stride-2 layers of the PatchGAN; 3 gives the classic 70×70 receptive field. */
  discLayers: number;
  adversarialLoss: AdversarialLoss;
  /** Weight of the cycle-consistency L1 loss (CycleGAN's λ). */
  lambdaCycle: number;
  /** Identity-loss weight as a fraction of lambdaCycle (CycleGAN's lambda_identity). */
  lambdaIdentity: number;
  /** Weight of the PatchNCE loss of CUT and FastCUT (λ_NCE); CUT applies it to identity NCE too. */
  lambdaNce: number;
  learningRateG: number;
  learningRateD: number;
  beta1: number;
  beta2: number;
  /** Steps of the whole run; the learning rate reaches zero here. */
  totalSteps: number;
  /** Step at which the linear learning-rate decay begins. */
  decayStartStep: number;
  /** Size of the history of generated images shown to the discriminators; 0 disables it. */
  poolSize: number;
  /** Random resized crop (≈1.12× then crop) and horizontal flip of training images. */
  augment: boolean;
  seed: number;
}

export const DEFAULT_CONFIG: Readonly<TrainingConfig> = Object.freeze({
  model: 'cyclegan',
  resolution: 64,
  batchSize: 1,
  genFilters: 16,
  genResBlocks: 3,
  upsampling: 'resize-conv',
  discFilters: 16,
  discLayers: 3,
  adversarialLoss: 'lsgan',
  lambdaCycle: 10,
  lambdaIdentity: 0.5,
  lambdaNce: NCE_DEFAULTS.fastcut,
  learningRateG: 2e-4,
  learningRateD: 2e-4,
  beta1: 0.5,
  beta2: 0.999,
  totalSteps: 20_000,
  decayStartStep: 10_000,
  poolSize: 50,
  augment: true,
  seed: 42,
});

export interface Range {
  min: number;
  max: number;
  integer: boolean;
}

export type NumericConfigKey = Exclude<keyof TrainingConfig, 'model' | 'upsampling' | 'adversarialLoss' | 'augment'>;

/** The valid range of every numeric setting; the UI's inputs use the same bounds. */
export const CONFIG_RANGES: Readonly<Record<NumericConfigKey, Range>> = {
  resolution: { min: 16, max: 512, integer: true },
  batchSize: { min: 1, max: 16, integer: true },
  genFilters: { min: 4, max: 64, integer: true },
  genResBlocks: { min: 1, max: 9, integer: true },
  discFilters: { min: 4, max: 64, integer: true },
  discLayers: { min: 1, max: 5, integer: true },
  lambdaCycle: { min: 0, max: 100, integer: false },
  lambdaIdentity: { min: 0, max: 10, integer: false },
  lambdaNce: { min: 0, max: 100, integer: false },
  learningRateG: { min: 0, max: 1, integer: false },
  learningRateD: { min: 0, max: 1, integer: false },
  beta1: { min: 0, max: 0.9999, integer: false },
  beta2: { min: 0, max: 0.99999, integer: false },
  totalSteps: { min: 1, max: 10_000_000, integer: true },
  decayStartStep: { min: 0, max: 10_000_000, integer: true },
  poolSize: { min: 0, max: 500, integer: true },
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
};

/**
 * Returns every problem with a config as a readable sentence; empty when valid.
 * Unknown keys are ignored so that older or newer files can still be checked.
 */
export function validateConfig(config: TrainingConfig): string[] {
  const problems: string[] = [];
  for (const [key, range] of Object.entries(CONFIG_RANGES) as [NumericConfigKey, Range][]) {
    const value: unknown = config[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      problems.push(`Expected ${key} to be a finite number, got ${String(value)}`);
    } else if (range.integer && !Number.isInteger(value)) {
      problems.push(`Expected ${key} to be a whole number, got ${value}`);
    } else if (value < range.min || value > range.max) {
      problems.push(`Expected ${key} between ${range.min} and ${range.max}, got ${value}`);
    }
  }
  if (Number.isInteger(config.resolution) && config.resolution % 4 !== 0) {
    problems.push(`Expected resolution to be a multiple of 4, got ${config.resolution}`);
  }
  if (!MODEL_KINDS.includes(config.model)) {
    problems.push(`Expected model to be one of ${MODEL_KINDS.join(', ')}, got ${String(config.model)}`);
  }
  if (!ADVERSARIAL_LOSSES.includes(config.adversarialLoss)) {
    problems.push(`Expected adversarialLoss to be one of ${ADVERSARIAL_LOSSES.join(', ')}, got ${String(config.adversarialLoss)}`);
  }
  if (!UPSAMPLING_MODES.includes(config.upsampling)) {
    problems.push(`Expected upsampling to be one of ${UPSAMPLING_MODES.join(', ')}, got ${String(config.upsampling)}`);
  }
  if (typeof config.augment !== 'boolean') {
    problems.push(`Expected augment to be true or false, got ${String(config.augment)}`);
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

/**
 * A saved config rebuilt on top of the defaults, so files and stored runs written before a
 * setting existed still load: those predate `model` and `lambdaNce`, and were all CycleGAN.
 */
export function restoreConfig(saved: Partial<TrainingConfig>): TrainingConfig {
  return { ...DEFAULT_CONFIG, ...saved };
}

/** Defaults overlaid with the given settings, validated; throws one message listing every problem. */
export function makeConfig(overrides: Partial<TrainingConfig> = {}): TrainingConfig {
  const config = { ...DEFAULT_CONFIG, ...overrides };
  const problems = validateConfig(config);
  if (problems.length > 0) throw new Error(`Invalid training config: ${problems.join('; ')}`);
  return config;
}
