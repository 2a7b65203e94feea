import { useCallback, useEffect, useRef, useState } from 'react';
import type { TrainingConfig } from '../core/config';
import type { LossRecord } from '../core/cycleGan';
import type { RgbaImage } from '../core/data/pixels';
import type { PreviewReport } from '../core/trainer';
import type { BackendName } from '../worker/backendReport';
import type { BackendChoice, BackendSelection } from '../worker/protocol';
import { TrainerClient, type TrainerEvent } from '../worker/trainerClient';

export type Phase = 'idle' | 'starting' | 'running' | 'paused' | 'stopped' | 'failed';

export interface TrainingView {
  phase: Phase;
  backend?: BackendName;
  selection?: BackendSelection;
  step: number;
  epoch: number;
  stepsPerSecond: number;
  memory?: { numTensors: number; numBytes: number };
  lastLosses?: LossRecord;
  /** Loss rows received so far (a count; the charts of a later issue keep the rows). */
  rowsReceived: number;
  preview?: PreviewReport;
  /** Plain-language notes: fallbacks and errors, newest last. */
  notices: string[];
}

const initial: TrainingView = { phase: 'idle', step: 0, epoch: 0, stepsPerSecond: 0, rowsReceived: 0, notices: [] };

export interface StartOptions {
  config: TrainingConfig;
  backend: BackendChoice;
  content: RgbaImage[];
  style: RgbaImage[];
  previewEvery: number;
}

function reduce(view: TrainingView, event: TrainerEvent): TrainingView {
  switch (event.type) {
    case 'ready':
      return { ...view, phase: 'paused', backend: event.backend, selection: event.selection };
    case 'progress': {
      const { report } = event;
      const last = report.rows.at(-1);
      const phase: Phase = report.state === 'running' ? 'running' : report.state === 'failed' ? view.phase : 'paused';
      return {
        ...view,
        phase,
        step: report.step,
        epoch: report.epoch,
        stepsPerSecond: report.stepsPerSecond || view.stepsPerSecond,
        memory: report.memory,
        lastLosses: last?.losses ?? view.lastLosses,
        rowsReceived: view.rowsReceived + report.rows.length,
      };
    }
    case 'preview':
      return { ...view, preview: event.report };
    case 'backendChanged':
      return {
        ...view,
        backend: event.to,
        notices: [...view.notices, `Training moved from ${event.from} to ${event.to} because ${event.reason}; resumed at step ${event.resumedAtStep} (${event.lostSteps} steps redone).`],
      };
    case 'error':
      return { ...view, phase: event.code === 'diverged' ? 'paused' : view.phase === 'starting' ? 'failed' : view.phase, notices: [...view.notices, event.message] };
    case 'stopped':
      return { ...view, phase: 'stopped', step: event.step };
    case 'crashed':
      return { ...view, phase: 'failed', notices: [...view.notices, `The training worker crashed: ${event.message}`] };
    case 'exported':
      return view;
  }
}

/** Owns one TrainerClient (one worker) and folds its events into a view for rendering. */
export function useTrainer() {
  const client = useRef<TrainerClient | null>(null);
  const [view, setView] = useState<TrainingView>(initial);

  useEffect(() => () => client.current?.dispose(), []);

  const start = useCallback(async (options: StartOptions) => {
    client.current?.dispose();
    const c = new TrainerClient();
    client.current = c;
    setView({ ...initial, phase: 'starting' });
    c.onEvent((event) => setView((v) => reduce(v, event)));
    try {
      await c.init({ ...options, previewCount: 3 });
      c.start();
    } catch {
      // The error event has already put the reason into the view's notices.
    }
  }, []);

  const loseDevice = useCallback(() => client.current?.loseDevice(), []);
  return {
    view,
    start,
    pause: () => client.current?.pause(),
    resume: () => client.current?.resume(),
    step: () => client.current?.step(1),
    stop: () => client.current?.stop(),
    loseDevice,
  };
}
