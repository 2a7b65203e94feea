import type { CalibrationPoint } from '../../core/budget/budgetEstimate';
import type { TrainingConfig } from '../../core/config';
import type { BackendChoice } from '../backends/backendControl';
import type { BackendName } from '../backends/backendReport';

export interface CalibrateRequest {
  config: TrainingConfig;
  backend: BackendChoice;
}

/** The memory a backend can use, when the browser says, and in words. */
export interface MemoryLimit {
  bytes: number | null;
  what: string;
}

export interface Calibration {
  backend: BackendName;
  points: CalibrationPoint[];
  limit: MemoryLimit;
}

export type CalibrateApi = {
  /** Real steps of the config's model on the backend training would use (see core/budget/calibrate.ts). */
  calibrate(request: CalibrateRequest): Calibration;
};
