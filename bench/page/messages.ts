import type { BackendName } from '../../src/worker/backendReport';

export interface BareRequest {
  backend: BackendName;
  resolution: number;
  warmup: number;
  steps: number;
}

export interface BareResult {
  backend: BackendName;
  resolution: number;
  /** Wall time of each timed step, each ending with its losses read back. */
  stepMs: number[];
  stepFlops: number;
  /** The backend's own ceiling: a large float32 matmul. */
  matmulGflops: number;
  error?: string;
}
