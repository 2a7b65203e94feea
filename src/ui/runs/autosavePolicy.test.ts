import { describe, expect, it } from 'vitest';
import { AUTOSAVE_EVERY_MS, AUTOSAVE_EVERY_STEPS, autosaveDue, storageProblem } from './autosavePolicy';

describe('autosave policy', () => {
  const base = { phase: 'running', step: 10, now: 1000, lastStep: 5, lastAt: 900 };
  it('saves on pause when there is something new, and never twice for one step', () => {
    expect(autosaveDue({ ...base, phase: 'paused' })).toBe(true);
    expect(autosaveDue({ ...base, phase: 'paused', lastStep: 10 })).toBe(false);
    expect(autosaveDue({ ...base, phase: 'starting' })).toBe(false);
    expect(autosaveDue({ ...base, phase: 'paused', step: 0, lastStep: -1 })).toBe(false);
  });
  it('saves while running after enough time or enough steps', () => {
    expect(autosaveDue(base)).toBe(false);
    expect(autosaveDue({ ...base, now: base.lastAt + AUTOSAVE_EVERY_MS })).toBe(true);
    expect(autosaveDue({ ...base, step: base.lastStep + AUTOSAVE_EVERY_STEPS })).toBe(true);
    expect(autosaveDue({ ...base, lastStep: -1, lastAt: 0, now: 20_000, step: 1 })).toBe(true);
  });
  it('explains a full disk and keeps other errors', () => {
    expect(storageProblem(new DOMException('full', 'QuotaExceededError'))).toMatch(/storage is full.*training goes on/);
    expect(storageProblem(new Error('boom'))).toBe('Autosave failed (boom); training goes on.');
  });
});
