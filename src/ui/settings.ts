import { DEFAULT_CONFIG, NCE_DEFAULTS, SETTINGS, makeConfig, type ChoiceConfigKey, type ChoiceSetting, type ModelKind, type NumberSetting, type NumericConfigKey, type SettingKey, type ToggleConfigKey, type ToggleSetting, type TrainingConfig } from '../core/config';

export interface Preset {
  id: string;
  label: string;
  hint: string;
  config: TrainingConfig;
}

/** Starting points that trade speed for quality; every field stays editable in the drawer. */
export const PRESETS: Preset[] = [
  { id: 'quick', label: 'Quick · 64 px', hint: 'Starts from your photos: the style’s colour, tone and sharpness show in the first minute; texture takes longer', config: makeConfig({ resolution: 64, totalSteps: 3000, decayStartStep: 1500, lambdaChange: 10 }) },
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
  { value: 'fastcut', label: 'FastCUT', hint: 'One generator and one discriminator with PatchNCE: about 1.2 times the step rate here (wasm, 2 cores), content → style only.' },
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

export type Field = (NumberSetting & { key: NumericConfigKey }) | (ChoiceSetting & { key: ChoiceConfigKey }) | (ToggleSetting & { key: ToggleConfigKey });

/**
 * The advanced drawer: every setting the schema marks for it, in its order. `live` settings
 * change the running training on the next step; every other setting takes effect when training
 * is restarted.
 */
export const FIELDS: Field[] = (Object.keys(SETTINGS) as SettingKey[]).filter((key) => SETTINGS[key].drawer).map((key) => ({ ...SETTINGS[key], key }) as Field);
