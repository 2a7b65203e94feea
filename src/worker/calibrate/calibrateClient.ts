import type { CalibrateReply, CalibrateRequest } from './calibrateApi';

/** Runs one calibration in its own worker; aborting ends the worker and rejects. */
export function runCalibration(request: CalibrateRequest, signal: AbortSignal): Promise<CalibrateReply> {
  const worker = new Worker(new URL('./calibrate.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<CalibrateReply>((resolve, reject) => {
    signal.addEventListener('abort', () => reject(new DOMException('calibration cancelled', 'AbortError')), { once: true });
    worker.onmessage = (event: MessageEvent<CalibrateReply>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(event.message || 'the calibration worker stopped'));
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}
