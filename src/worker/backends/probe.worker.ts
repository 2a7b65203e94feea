import { probeBackends } from './backends';

// Probing happens off the main thread, where training will run too.
probeBackends().then(
  (reports) => postMessage({ type: 'backends', reports }),
  (error: unknown) => postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
);
