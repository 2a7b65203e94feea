import * as tf from '@tensorflow/tfjs';
import type { Trainer } from '../../core/training/trainer';
import type { BackendControl } from '../backends/backendControl';
import type { Fault } from './protocol';
import { SessionError } from './sessionError';

/**
 * Fault injection, for the tests of the page: the faults training must survive, made on demand.
 * The trainer calls `beforeStep` before every step; it throws the allocation failure a test asked for.
 */
export class FaultInjector {
  private nextStepError: Error | null = null;

  readonly beforeStep = (): void => {
    const error = this.nextStepError;
    this.nextStepError = null;
    if (error) throw error;
  };

  inject(fault: Fault, trainer: Trainer, control: BackendControl): void {
    if (fault === 'device-lost') {
      control.loseDevice(trainer.model);
    } else if (fault === 'nan') {
      const weight = trainer.model.generator('AtoB')?.weights[0];
      if (!weight) throw new SessionError('bad-command', 'This model has no A→B generator to break');
      weight.write(tf.fill(weight.shape as number[], NaN));
    } else if (fault === 'out-of-memory') {
      this.nextStepError = new Error('Out of memory (simulated): failed to allocate a tensor');
    } else {
      throw new SessionError('bad-command', `The ${fault} fault is injected by the worker itself, not the session`);
    }
  }
}
