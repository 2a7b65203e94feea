// Names and plain-data shapes of a CycleGAN's losses and learned state. No tfjs here, so the page
// can use them without loading tfjs on the main thread.

/**
 * The losses of one step, in the order `trainStep` stacks them. Generator terms are reported
 * already weighted by their λ, so advG + advF + cycleA + cycleB + idtG + idtF = totalG.
 *  dA / dB   discriminator of domain A / B (each ½ of real-vs-fake, as in CycleGAN)
 *  advG      adversarial loss of G: A→B, judged by D_B; advF likewise for F: B→A by D_A
 *  cycleA    λ·|F(G(a)) − a|; cycleB λ·|G(F(b)) − b|
 *  idtG      λ·λ_id·|G(b) − b|; idtF λ·λ_id·|F(a) − a|
 */
export const LOSS_NAMES = ['dA', 'dB', 'advG', 'advF', 'cycleA', 'cycleB', 'idtG', 'idtF', 'totalG'] as const;
export type LossName = (typeof LOSS_NAMES)[number];
export type LossRecord = Record<LossName, number>;

export type Direction = 'AtoB' | 'BtoA';

/** A tensor's values copied out of the backend, so they survive the loss of a GPU device. */
export interface TensorData {
  name: string;
  shape: number[];
  values: Float32Array;
}

export const NETWORK_NAMES = ['genAB', 'genBA', 'discA', 'discB'] as const;
export type NetworkName = (typeof NETWORK_NAMES)[number];

/**
 * Everything training has learned: weights of the four networks, both Adam states (moments and
 * iteration count) and the step. Plain arrays, independent of any backend.
 */
export interface CycleGanState {
  stepCount: number;
  networks: Record<NetworkName, TensorData[]>;
  optimizers: { g: TensorData[]; d: TensorData[] };
}
