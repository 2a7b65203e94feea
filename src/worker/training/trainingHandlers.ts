import type { BackendControl } from '../backends/backendControl';
import type { Handlers } from '../bridge/serveWorker';
import { Transfer } from '../bridge/wire';
import { transferablesOfEvent, transferablesOfState, type TrainingApi, type TrainingEvent } from './protocol';
import { TrainingSession } from './trainingSession';
import { makeYield } from './yieldToEvents';

/** The training worker's methods: one {@link TrainingSession}, results and events moved, not copied. */
export function trainingHandlers(control: BackendControl, emit: (event: TrainingEvent, transfer: Transferable[]) => void): Handlers<TrainingApi> {
  const session = new TrainingSession(control, (event) => emit(event, transferablesOfEvent(event)), {
    progressIntervalMs: 100,
    snapshotEveryMs: 10_000,
    watchdogMs: 500,
    yieldToEvents: makeYield(),
  });
  return {
    init: (request) => session.handle('init', request),
    start: () => session.handle('start', undefined),
    pause: () => session.handle('pause', undefined),
    resume: () => session.handle('resume', undefined),
    step: (count) => session.handle('step', count),
    stop: () => session.handle('stop', undefined),
    update: (settings) => session.handle('update', settings),
    preview: () => session.handle('preview', undefined),
    export: async () => {
      const generators = await session.handle('export', undefined);
      return new Transfer(generators, Object.values(generators).map((g) => g.weightData));
    },
    checkpoint: async () => {
      const state = await session.handle('checkpoint', undefined);
      return new Transfer(state, transferablesOfState(state));
    },
    injectFault: async (fault) => {
      // A simulated crash: an error nothing catches, which is how a broken worker looks to the page.
      if (fault === 'crash') {
        setTimeout(() => {
          throw new Error('simulated crash of the training worker');
        });
        return;
      }
      await session.handle('injectFault', fault);
    },
  };
}
