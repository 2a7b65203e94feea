/**
 * CycleGAN's schedule: the base rate until `decayStartStep`, then linear decay reaching zero at
 * `totalSteps`.
 */
export function learningRateAt(base: number, step: number, decayStartStep: number, totalSteps: number): number {
  if (step < decayStartStep) return base;
  const span = Math.max(1, totalSteps - decayStartStep);
  return base * Math.max(0, 1 - (step - decayStartStep) / span);
}
