import { fastestThreads, type ThreadTiming } from '../backends/wasmThreads';

/** What the session should do after a progress report. */
export type TrialAction = { kind: 'wait' } | { kind: 'switch'; threads: number } | { kind: 'done'; threads: number; timings: ThreadTiming[] };

/**
 * Steps left out after each start, then steps timed. The first steps on a fresh backend run
 * before the browser has optimised its WebAssembly and JavaScript: in Chromium a 64 px FastCUT
 * step took ~25% longer after 2 steps than after 25-40 (bench:browser's bare loop).
 */
export const TRIAL_WARM_STEPS = 20;
export const TRIAL_TIMED_STEPS = 10;

/**
 * Times wasm thread counts on the run itself: the counts in turn, each over `timed` steps of
 * uninterrupted training after `warm` steps, then the faster by {@link fastestThreads}. The run
 * starts at once (no probe before the first step) and loses no step: each switch restarts wasm
 * from a snapshot taken between two steps. Pure bookkeeping over (step, running, time), so the
 * session owns the restarts and tests own the clock.
 */
export class ThreadTrial {
  private readonly timings: ThreadTiming[] = [];
  private index = 0;
  private firstStep: number | null = null;
  private mark: { step: number; at: number } | null = null;

  /** `counts`: the running count first. */
  constructor(
    private readonly counts: readonly number[],
    private readonly warm = TRIAL_WARM_STEPS,
    private readonly timed = TRIAL_TIMED_STEPS,
  ) {
    if (counts.length < 2) throw new Error(`a thread trial needs two counts or more, got ${counts.length}`);
  }

  /** The counts timed so far. */
  get timingsSoFar(): ThreadTiming[] {
    return [...this.timings];
  }

  /** The count being timed now. */
  get threads(): number {
    return this.counts[this.index];
  }

  /** Feeds one progress report: its step, whether training runs, and when it arrived (ms). */
  observe(step: number, running: boolean, at: number): TrialAction {
    // Pauses and single steps would time the student, not the backend: start the window again.
    if (!running) {
      this.mark = null;
      return { kind: 'wait' };
    }
    this.firstStep ??= step;
    if (step < this.firstStep + this.warm) return { kind: 'wait' };
    if (!this.mark) {
      this.mark = { step, at };
      return { kind: 'wait' };
    }
    if (step - this.mark.step < this.timed) return { kind: 'wait' };
    this.timings.push({ threads: this.threads, msPerStep: (at - this.mark.at) / (step - this.mark.step) });
    this.index++;
    this.firstStep = null;
    this.mark = null;
    if (this.index < this.counts.length) return { kind: 'switch', threads: this.threads };
    return { kind: 'done', threads: fastestThreads(this.timings).threads, timings: [...this.timings] };
  }
}
