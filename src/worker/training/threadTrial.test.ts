import { describe, expect, it } from 'vitest';
import { ThreadTrial, type TrialAction } from './threadTrial';

/** Feeds a trial one report per step from `from` to `to`, `ms` apart, and returns the last action. */
function train(trial: ThreadTrial, clock: { t: number }, from: number, to: number, ms: number): TrialAction {
  let action: TrialAction = { kind: 'wait' };
  for (let step = from; step <= to && action.kind === 'wait'; step++) {
    clock.t += ms;
    action = trial.observe(step, true, clock.t);
  }
  return action;
}

describe('timing thread counts while training', () => {
  it('times each count after its warm-up steps, switches between them, and keeps the faster', () => {
    const clock = { t: 0 };
    const trial = new ThreadTrial([2, 1], 2, 4);
    expect(trial.threads).toBe(2);
    // Steps 1–2 warm up; the window opens at step 3 and closes four steps later.
    expect(train(trial, clock, 1, 6, 150)).toEqual({ kind: 'wait' });
    expect(train(trial, clock, 7, 7, 150)).toEqual({ kind: 'switch', threads: 1 });
    // The restarted backend reports from the restored step on.
    expect(train(trial, clock, 8, 20, 120)).toEqual({ kind: 'done', threads: 1, timings: [{ threads: 2, msPerStep: 150 }, { threads: 1, msPerStep: 120 }] });
  });

  it('keeps fewer threads unless more are at least 5% faster', () => {
    const clock = { t: 0 };
    const trial = new ThreadTrial([2, 1], 1, 2);
    expect(train(trial, clock, 1, 10, 98)).toEqual({ kind: 'switch', threads: 1 });
    expect(train(trial, clock, 4, 20, 100)).toMatchObject({ kind: 'done', threads: 1 });
    const faster = new ThreadTrial([2, 1], 1, 2);
    train(faster, clock, 1, 10, 90);
    expect(train(faster, clock, 4, 20, 100)).toMatchObject({ kind: 'done', threads: 2 });
  });

  it('starts its window again after a pause, so idle time is never timed', () => {
    const clock = { t: 0 };
    const trial = new ThreadTrial([4, 1], 0, 2);
    expect(trial.observe(1, true, 0)).toEqual({ kind: 'wait' });
    expect(trial.observe(2, false, 5_000)).toEqual({ kind: 'wait' });
    expect(trial.observe(2, true, 5_010)).toEqual({ kind: 'wait' });
    clock.t = 5_010;
    expect(train(trial, clock, 3, 4, 100)).toEqual({ kind: 'switch', threads: 1 });
  });

  it('needs two counts to compare', () => {
    expect(() => new ThreadTrial([2])).toThrow('a thread trial needs two counts or more, got 1');
  });
});
