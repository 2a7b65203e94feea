import type { GanState } from '../../core/gan/state';
import type { Trainer } from '../../core/training/trainer';
import { errorMessage } from '../../shared/errorMessage';
import type { BackendControl } from '../backends/backendControl';
import type { BackendName } from '../backends/backendReport';
import type { ErrorCode, TrainingEvent } from './protocol';
import { SessionError } from './sessionError';

/** The run a session drives, as recovery replaces its trainer. */
export interface RunState {
  trainer: Trainer | null;
  backend: BackendName | null;
  /** The last snapshot: weights and optimiser state known to be good, to recover from. */
  lastState: GanState | null;
  /** Whether training should go on after a recovery (it was running, not paused or stepping). */
  wantRunning: boolean;
  /** A thread restart is under way: its pause is not the student's, and the page should not show one. */
  switchingThreads: boolean;
}

/**
 * The two ways a run survives a fault: move to the next backend from the last snapshot (a lost
 * device, a step that threw), or go back to the last snapshot on the same backend and pause
 * (NaN losses, out of memory: another backend would not fix those). One at a time.
 */
export class Recovery {
  private recovering: Promise<void> | null = null;

  constructor(
    private readonly run: RunState,
    private readonly control: BackendControl,
    private readonly emit: (event: TrainingEvent) => void,
    private readonly makeTrainer: () => Trainer,
  ) {}

  /** Resolves once no recovery is in progress; commands wait for it. */
  async settled(): Promise<void> {
    await this.recovering;
  }

  /** Moves training to the next working backend, from the last snapshot. */
  moveToNextBackend(error: unknown): Promise<void> {
    return this.exclusively(async () => {
      const { run } = this;
      const from = run.backend as BackendName;
      const failedAt = run.trainer?.step ?? 0;
      const state = run.lastState;
      this.dropTrainer();
      if (!state) throw new SessionError('training-failed', `Training failed on ${from} before any state was saved: ${errorMessage(error)}`);
      for (const to of this.control.fallbacks(from)) {
        try {
          await this.control.activate(to);
          const trainer = this.makeTrainer();
          await trainer.restore(state);
          run.trainer = trainer;
          run.backend = to;
          this.emit({ type: 'backendChanged', from, to, reason: errorMessage(error), resumedAtStep: state.stepCount, lostSteps: Math.max(0, failedAt - state.stepCount) });
          if (run.wantRunning) trainer.run();
          return;
        } catch {
          continue;
        }
      }
      this.emit({ type: 'error', code: 'no-backend', message: `Training failed on ${from} (${errorMessage(error)}) and no other backend could take over` });
    });
  }

  /**
   * Moves the run to `threads` wasm threads where it stands: the trainer stops after its step,
   * its state is taken there, wasm restarts and a new trainer goes on from that state. No step
   * is lost or repeated. Where wasm cannot restart (other tensors live in this worker) the run
   * goes on as it was. Resolves with why it did not move, or null; nothing happens if the run
   * has left wasm.
   */
  async restartThreads(threads: number): Promise<string | null> {
    let refused: string | null = null;
    await this.exclusively(async () => {
      const { run } = this;
      const trainer = run.trainer;
      if (!trainer || run.backend !== 'wasm') return;
      run.switchingThreads = true;
      try {
        await trainer.pause();
      } finally {
        run.switchingThreads = false;
      }
      const state = await trainer.captureState();
      this.dropTrainer();
      await trainer.released();
      try {
        await this.control.restartThreads(threads);
      } catch (error) {
        // restartWasm refuses before it touches the running backend: train on there.
        refused = errorMessage(error);
      }
      const next = this.makeTrainer();
      await next.restore(state);
      run.trainer = next;
      run.lastState = state;
      if (run.wantRunning) next.run();
    });
    return refused;
  }

  /** Goes back to the last snapshot on the same backend and stays paused, saying why. */
  rollBack(code: ErrorCode, describe: (step: number) => string): Promise<void> {
    return this.exclusively(async () => {
      const { run } = this;
      run.wantRunning = false;
      this.dropTrainer();
      // The session takes the first snapshot before any step runs, so there is always one.
      const state = run.lastState as GanState;
      const trainer = this.makeTrainer();
      await trainer.restore(state);
      run.trainer = trainer;
      this.emit({ type: 'rolledBack', toStep: state.stepCount });
      this.emit({ type: 'error', code, message: describe(state.stepCount) });
    });
  }

  /** A second fault during a recovery is absorbed by the one in progress. */
  private exclusively(task: () => Promise<void>): Promise<void> {
    this.recovering ??= task()
      .catch((error: unknown) => this.emit({ type: 'error', code: error instanceof SessionError ? error.code : 'training-failed', message: errorMessage(error) }))
      .finally(() => {
        this.recovering = null;
      });
    return this.recovering;
  }

  private dropTrainer(): void {
    const old = this.run.trainer;
    this.run.trainer = null;
    try {
      old?.dispose();
    } catch {
      // A lost device may refuse even to free its memory; nothing more to save there.
    }
  }
}
