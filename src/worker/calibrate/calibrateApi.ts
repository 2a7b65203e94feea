import type { CalibrationPoint } from '../../core/budget/budgetEstimate';
import type { TrainingConfig } from '../../core/config';
import type { BackendName } from '../backends/backendReport';
import type { BackendChoice } from '../training/protocol';

export interface CalibrateRequest {
  config: TrainingConfig;
  backend: BackendChoice;
}

/** The memory a backend can use, when the browser says, and in words. */
export interface MemoryLimit {
  bytes: number | null;
  what: string;
}

export type CalibrateReply = { ok: true; backend: BackendName; points: CalibrationPoint[]; limit: MemoryLimit } | { ok: false; message: string };
