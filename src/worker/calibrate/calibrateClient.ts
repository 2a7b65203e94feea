import { WorkerBridge } from '../bridge/workerBridge';
import { createTfjsWorker } from '../tfjsWorker';
import type { CalibrateApi, CalibrateRequest, Calibration } from './calibrateApi';

/** Runs one calibration in its own worker; aborting ends the worker and rejects. */
export async function runCalibration(request: CalibrateRequest, signal: AbortSignal): Promise<Calibration> {
  const bridge = new WorkerBridge<CalibrateApi>(createTfjsWorker, 'calibration');
  // Backend selection and real steps cannot be interrupted from outside: end the worker instead.
  signal.addEventListener('abort', () => bridge.dispose(), { once: true });
  try {
    return await bridge.call('calibrate', request, { signal });
  } finally {
    bridge.dispose();
  }
}
