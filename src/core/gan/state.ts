// Names and plain-data shapes of the models' losses and learned state. No tfjs here, so the page
// can use them without loading tfjs on the main thread.
import type { ModelKind } from '../config';

/**
 * The losses of one step, in the order `trainStep` stacks them. Generator terms are reported
 * already weighted by their λ, so the generator terms add up to totalG. A model reports 0 for
 * the terms it does not have (see {@link lossesOf}).
 *  dA / dB   discriminator of domain A / B (each ½ of real-vs-fake, as in CycleGAN)
 *  advG      adversarial loss of G: A→B, judged by D_B; advF likewise for F: B→A by D_A
 *  cycleA    λ·|F(G(a)) − a|; cycleB λ·|G(F(b)) − b|
 *  idtG      λ·λ_id·|G(b) − b|; idtF λ·λ_id·|F(a) − a|
 *  nce       λ_NCE·PatchNCE(a, G(a)): patches of G(a) must match the same place in a (CUT)
 *  nceIdt    λ_NCE·PatchNCE(b, G(b)), CUT's identity term
 *  colourG   λ_colour·(colour statistics of G's grade of the content set − the style set's)²; colourF likewise for F
 *  changeG   λ_change·|G(a) − G's grade of a|: what G's local change costs; changeF likewise for F(b)
 */
export const LOSS_NAMES = ['dA', 'dB', 'advG', 'advF', 'cycleA', 'cycleB', 'idtG', 'idtF', 'nce', 'nceIdt', 'colourG', 'colourF', 'changeG', 'changeF', 'totalG'] as const;
export type LossName = (typeof LOSS_NAMES)[number];
export type LossRecord = Record<LossName, number>;

/** The losses each model actually has; the others stay 0. */
export function lossesOf(model: ModelKind): readonly LossName[] {
  if (model === 'cyclegan') return ['dA', 'dB', 'advG', 'advF', 'cycleA', 'cycleB', 'idtG', 'idtF', 'colourG', 'colourF', 'changeG', 'changeF', 'totalG'];
  if (model === 'cut') return ['dB', 'advG', 'nce', 'nceIdt', 'colourG', 'changeG', 'totalG'];
  return ['dB', 'advG', 'nce', 'colourG', 'changeG', 'totalG'];
}

export type Direction = 'AtoB' | 'BtoA';

/** Quality scores of one preview: SWD ×10³ to the style set and, for the demos, PSNR (dB) against the filter. */
export interface QualityPoint {
  step: number;
  swd?: number;
  psnr?: number;
}

/** The directions a model translates: the one-sided models only learn content → style. */
export function directionsOf(model: ModelKind): readonly Direction[] {
  return model === 'cyclegan' ? ['AtoB', 'BtoA'] : ['AtoB'];
}

/** A tensor's values copied out of the backend, so they survive the loss of a GPU device. */
export interface TensorData {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Every network any model has; `nceHead` is CUT's MLP that projects encoder features for PatchNCE. */
export const NETWORK_NAMES = ['genAB', 'genBA', 'discA', 'discB', 'nceHead'] as const;
export type NetworkName = (typeof NETWORK_NAMES)[number];

/** The networks of one model, in the order its state lists them. */
export function networksOf(model: ModelKind): readonly NetworkName[] {
  return model === 'cyclegan' ? ['genAB', 'genBA', 'discA', 'discB'] : ['genAB', 'discB', 'nceHead'];
}

/**
 * Everything training has learned: the weights of the model's networks (see {@link networksOf}),
 * both Adam states (moments and iteration count) and the step. Plain arrays, independent of any
 * backend.
 */
export interface GanState {
  stepCount: number;
  networks: Partial<Record<NetworkName, TensorData[]>>;
  optimizers: { g: TensorData[]; d: TensorData[] };
}
