/**
 * Every worker that runs tfjs (probe, calibration, training, stylize) starts from this one
 * script, so the browser downloads tfjs once per page however many of them run; each still gets
 * its own instance, so their backends and memory never interfere.
 */
export function createTfjsWorker(): Worker {
  return new Worker(new URL('./tfjs.worker.ts', import.meta.url), { type: 'module' });
}
