import { useEffect, useRef, useState } from 'react';
import { estimateBudget, type BudgetEstimate, type CalibrationPoint } from '../core/budget/budgetEstimate';
import { makeConfig, validateConfig, type TrainingConfig } from '../core/config';
import type { BackendName } from '../worker/backends/backendReport';
import { errorMessage } from '../shared/errorMessage';
import { runCalibration } from '../worker/calibrate/calibrateClient';
import type { MemoryLimit } from '../worker/calibrate/calibrateApi';
import type { BackendChoice } from '../worker/backends/backendControl';

export type Budget =
  | { status: 'idle' }
  | { status: 'measuring' }
  | { status: 'done'; backend: BackendName; estimate: BudgetEstimate; limit: MemoryLimit }
  | { status: 'failed'; message: string };

type Measured = { status: 'done'; backend: BackendName; points: CalibrationPoint[]; limit: MemoryLimit } | { status: 'measuring' } | { status: 'failed'; message: string };

/** Settings (and a freshly opened page) settle for this long before a calibration starts, so a quick click on Train never waits on one. */
const SETTLE_MS = 1500;

/** What a calibration depends on: the settings that change a step's cost (not learning rates or most λs), and the backend. */
function calibrationKey(config: TrainingConfig, backend: BackendChoice): string {
  const { model, resolution, batchSize, genFilters, genResBlocks, upsampling, generatorStart, discFilters, discLayers, lambdaIdentity, lambdaColour } = config;
  // CycleGAN batches identity images with the real ones, so only whether λ identity is 0 matters; likewise λ colour.
  const settings = { model, resolution, batchSize, genFilters, genResBlocks, upsampling, generatorStart, discFilters, discLayers, lambdaIdentity: lambdaIdentity > 0 ? 0.5 : 0, lambdaColour: lambdaColour > 0 ? 1 : 0 };
  return JSON.stringify({ settings, backend });
}

/**
 * Before training: a short calibration run of the chosen settings on the backend training would
 * use, in its own worker, turned into time per 1000 steps and peak memory. Runs only while
 * `enabled` (not during training), and again whenever a setting that changes the cost changes.
 */
export function useBudget(config: TrainingConfig, backend: BackendChoice, images: { content: number; style: number }, enabled: boolean): Budget {
  const [measured, setMeasured] = useState<{ key: string; result: Measured } | null>(null);
  // Finished measurements by key, so returning to earlier settings needs no new run.
  const finished = useRef(new Map<string, Measured>());
  const key = calibrationKey(config, backend);
  const valid = validateConfig(config).length === 0;

  useEffect(() => {
    if (!enabled || !valid) return;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      const known = finished.current.get(key);
      if (known) {
        setMeasured({ key, result: known });
        return;
      }
      const request = JSON.parse(key) as { settings: Partial<TrainingConfig>; backend: BackendChoice };
      setMeasured({ key, result: { status: 'measuring' } });
      const settle = (result: Measured) => {
        if (result.status === 'done') finished.current.set(key, result);
        setMeasured({ key, result });
      };
      runCalibration({ config: makeConfig(request.settings), backend: request.backend }, abort.signal).then(
        (reply) => settle({ status: 'done', ...reply }),
        (error: unknown) => {
          if (!abort.signal.aborted) settle({ status: 'failed', message: errorMessage(error) });
        },
      );
    }, SETTLE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [key, enabled, valid]);

  if (!enabled || !valid) return { status: 'idle' };
  if (!measured || measured.key !== key || measured.result.status === 'measuring') return { status: 'measuring' };
  const { result } = measured;
  // Image counts, pool size and augmentation change only the sum, so they need no new calibration.
  if (result.status === 'done') return { status: 'done', backend: result.backend, limit: result.limit, estimate: estimateBudget(result.points, config, images, result.limit.bytes) };
  return result;
}
