import type { GanState } from './state';

/** Whether every weight and optimiser value is a finite number (a diverged run has NaN). */
export function stateIsFinite(state: GanState): boolean {
  return [...Object.values(state.networks).flat(), ...state.optimizers.g, ...state.optimizers.d].every((t) => t.values.every(Number.isFinite));
}

/** Whether an error from a training step means memory ran out, on any backend. */
export function isOutOfMemory(error: unknown): boolean {
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  return /out of memory|OOM|allocation failed|failed to allocate|Cannot allocate|Array buffer allocation|GL_OUT_OF_MEMORY|maximum.*buffer size/i.test(text);
}
