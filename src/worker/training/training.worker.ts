import { registerCustomLayers } from '../../core/networks/layers';
import { createBrowserBackendControl } from '../backends/backends';
import { transferablesOf, type ToWorker } from './protocol';
import { TrainingSession } from './trainingSession';
import { makeYield } from './yieldToEvents';

// The worker only wires messages to the session; all logic lives in plain modules.
registerCustomLayers();
const session = new TrainingSession(createBrowserBackendControl(), (message) => postMessage(message, { transfer: transferablesOf(message) }), {
  progressIntervalMs: 100,
  snapshotEveryMs: 10_000,
  watchdogMs: 500,
  yieldToEvents: makeYield(),
});
onmessage = (event: MessageEvent<ToWorker>) => {
  const command = event.data;
  // A simulated crash: an error nothing catches, which is how a broken worker looks to the page.
  if (command.type === 'injectFault' && command.fault === 'crash') {
    setTimeout(() => {
      throw new Error('simulated crash of the training worker');
    });
    return;
  }
  void session.handle(command);
};
