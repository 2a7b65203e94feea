/** Milliseconds of queued work before the page gets a turn. */
const SLICE_MS = 8;

const jobs = new Set<() => void>();
let scheduled = false;

function runSlice() {
  scheduled = false;
  const end = performance.now() + SLICE_MS;
  for (const job of jobs) {
    if (performance.now() >= end) break;
    jobs.delete(job);
    job();
  }
  schedule();
}

function schedule() {
  if (scheduled || jobs.size === 0) return;
  scheduled = true;
  setTimeout(runSlice, 0);
}

/**
 * Queues main-thread work that can wait a moment (drawing a canvas or a chart, reading previews
 * for hints) to run after the current task, a slice of jobs per task, in the order queued. One
 * page update can bring a dozen preview canvases, a chart and the image detectors; done in the
 * same task, beside a training worker on every core, they held the main thread for 60–110 ms.
 * Returns a cancel function (for an effect's cleanup: a job whose component changed again or
 * went away is never run).
 */
export function queueWork(job: () => void): () => void {
  const entry = () => job();
  jobs.add(entry);
  schedule();
  return () => {
    jobs.delete(entry);
  };
}
