// What the page shows of a training, folded from the worker's events: pure functions, tested
// without a worker or React.
import type { ModelKind } from '../core/config';
import type { LossRecord, QualityPoint } from '../core/gan/state';
import type { PreviewReport } from '../core/training/reports';
import type { BackendSelection } from '../worker/backends/backendControl';
import type { BackendName } from '../worker/backends/backendReport';
import type { TrainerEvent } from '../worker/training/trainerClient';

export type Phase = 'idle' | 'starting' | 'running' | 'paused' | 'stopped' | 'failed';

export interface TrainingView {
  phase: Phase;
  /** The model the worker trains, once a run has started. */
  model?: ModelKind;
  backend?: BackendName;
  selection?: BackendSelection;
  step: number;
  epoch: number;
  stepsPerSecond: number;
  memory?: { numTensors: number; numBytes: number };
  lastLosses?: LossRecord;
  /** Loss rows received so far. */
  rowsReceived: number;
  /** Milliseconds spent training (running), for the elapsed time and ETA. */
  trainingMs: number;
  /** The step training went back to after its losses became NaN, until it has trained well past it. */
  divergedAt?: number;
  /** Plain-language notes: fallbacks and errors, newest last. */
  notices: string[];
}

export const INITIAL_VIEW: TrainingView = { phase: 'idle', step: 0, epoch: 0, stepsPerSecond: 0, rowsReceived: 0, trainingMs: 0, notices: [] };

/** Previews kept for the filmstrip; older ones are thinned out, the first is always kept. */
export const FILMSTRIP = 40;

/** The view after one event; `now` and `lastEventAt` (ms) measure time spent running. */
export function reduceView(view: TrainingView, event: TrainerEvent, now: number, lastEventAt: number): TrainingView {
  switch (event.type) {
    case 'ready':
      return { ...view, phase: 'paused', backend: event.backend, selection: event.selection };
    case 'progress': {
      const { report } = event;
      const phase: Phase = report.state === 'running' ? 'running' : report.state === 'failed' ? view.phase : 'paused';
      return {
        ...view,
        phase,
        step: report.step,
        epoch: report.epoch,
        stepsPerSecond: report.stepsPerSecond || view.stepsPerSecond,
        memory: report.memory,
        lastLosses: report.rows.at(-1)?.losses ?? view.lastLosses,
        rowsReceived: view.rowsReceived + report.rows.length,
        trainingMs: view.trainingMs + (view.phase === 'running' ? now - lastEventAt : 0),
        // Fifty good steps past the point of return, the NaN is history.
        divergedAt: view.divergedAt !== undefined && report.step > view.divergedAt + 50 ? undefined : view.divergedAt,
      };
    }
    case 'backendChanged':
      return {
        ...view,
        backend: event.to,
        notices: [...view.notices, `Training moved from ${event.from} to ${event.to} because ${event.reason}; resumed at step ${event.resumedAtStep} (${event.lostSteps} steps redone).`],
      };
    case 'threadsTimed': {
      const selection = view.selection && {
        ...view.selection,
        candidates: view.selection.candidates.map((c) => (c.name === 'wasm' ? { ...c, verdict: event.verdict, detail: event.detail } : c)),
      };
      return { ...view, selection };
    }
    case 'rolledBack':
      return { ...view, phase: 'paused', step: event.toStep, rowsReceived: event.toStep };
    case 'error': {
      const paused = event.code === 'diverged' || event.code === 'out-of-memory';
      return {
        ...view,
        phase: paused ? 'paused' : view.phase === 'starting' ? 'failed' : view.phase,
        ...(event.code === 'diverged' ? { divergedAt: view.step } : {}),
        notices: [...view.notices, event.message],
      };
    }
    case 'stopped':
      return { ...view, phase: 'stopped', step: event.step };
    case 'crashed':
      return { ...view, phase: 'failed', notices: [...view.notices, `The training worker crashed: ${event.message}`] };
    default:
      return view;
  }
}

/** The filmstrip with one more preview: past {@link FILMSTRIP}, the first stays, every other old one goes, recent ones all stay. */
export function addToFilmstrip(strip: readonly PreviewReport[], preview: PreviewReport): PreviewReport[] {
  const next = [...strip, preview];
  return next.length > FILMSTRIP ? [next[0], ...next.slice(1, FILMSTRIP / 2).filter((_, i) => i % 2 === 0), ...next.slice(FILMSTRIP / 2)] : next;
}

/** The quality point a preview carries, if it was scored. */
export function qualityOf(preview: PreviewReport): QualityPoint | null {
  const { step, swd, psnr } = preview;
  if (swd === undefined && !psnr) return null;
  return { step, ...(swd !== undefined ? { swd } : {}), ...(psnr ? { psnr: psnr.generator } : {}) };
}

/** Whether the generator beats doing nothing, in words: what a preview's PSNR means. */
export function psnrVerdict(psnr: { generator: number; identity: number }): string {
  const gap = psnr.generator - psnr.identity;
  if (Math.abs(gap) < 0.005) return `the same as doing nothing (${psnr.identity.toFixed(2)} dB)`;
  return `${Math.abs(gap).toFixed(2)} dB ${gap > 0 ? 'better' : 'worse'} than doing nothing (${psnr.identity.toFixed(2)} dB)`;
}
