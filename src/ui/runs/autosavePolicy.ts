import { errorMessage } from '../../shared/errorMessage';

/** Autosave while running at least this often… */
export const AUTOSAVE_EVERY_MS = 15_000;
/** …or after this many steps, whichever comes first; and always on pause. */
export const AUTOSAVE_EVERY_STEPS = 250;

export interface AutosaveClock {
  phase: string;
  step: number;
  now: number;
  /** Step and time of the last save of this run (-1 and 0 before the first). */
  lastStep: number;
  lastAt: number;
}

/** Whether a checkpoint is due: only when there is something new to save (an untrained run is not). */
export function autosaveDue({ phase, step, now, lastStep, lastAt }: AutosaveClock): boolean {
  if (step <= Math.max(0, lastStep)) return false;
  if (phase === 'paused') return true;
  return phase === 'running' && (now - lastAt >= AUTOSAVE_EVERY_MS || step - lastStep >= AUTOSAVE_EVERY_STEPS);
}

/** What to tell the student when a save fails; training always goes on. */
export function storageProblem(error: unknown): string {
  if (typeof DOMException !== 'undefined' && error instanceof DOMException && error.name === 'QuotaExceededError') {
    return 'Browser storage is full, so this run is not being saved any more; training goes on. Delete old runs or download this one to keep it.';
  }
  return `Autosave failed (${errorMessage(error)}); training goes on.`;
}
