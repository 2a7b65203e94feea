import type { BackendReport } from './backendReport';

export type ProbeApi = {
  /** Tries every tfjs backend with a real op (see backends.ts). */
  probe(_: void): BackendReport[];
};
