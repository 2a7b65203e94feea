import { WorkerBridge } from '../bridge/workerBridge';
import { createTfjsWorker } from '../tfjsWorker';
import type { BackendReport } from './backendReport';
import type { ProbeApi } from './probeApi';

/** Probes the tfjs backends off the main thread, where training will run too, in a worker ended after (or on abort). */
export async function probeBackendsInWorker(signal?: AbortSignal): Promise<BackendReport[]> {
  const bridge = new WorkerBridge<ProbeApi>(createTfjsWorker, 'probe');
  signal?.addEventListener('abort', () => bridge.dispose(), { once: true });
  try {
    return await bridge.call('probe', undefined, { signal });
  } finally {
    bridge.dispose();
  }
}
