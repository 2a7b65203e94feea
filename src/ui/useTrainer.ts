import { useCallback, useEffect, useRef, useState } from 'react';
import type { SavedRun } from '../core/persist/runArchive';
import type { ModelKind, TrainingConfig } from '../core/config';
import type { LossRecord, QualityPoint } from '../core/gan/state';
import { copyImage } from '../core/data/copyImage';
import type { RgbaImage } from '../core/data/pixels';
import type { PreviewReport } from '../core/training/trainer';
import type { BackendName } from '../worker/backends/backendReport';
import type { BackendChoice, BackendSelection, Fault, LiveHyperparameters } from '../worker/training/protocol';
import { TrainerClient, type TrainerEvent } from '../worker/training/trainerClient';
import { LossHistory, type ChartPoint } from '../core/training/lossHistory';
import type { Checkpoint } from '../storage/runStore';
import { previewsToSave } from './runs/savedPreviews';

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

const initial: TrainingView = { phase: 'idle', step: 0, epoch: 0, stepsPerSecond: 0, rowsReceived: 0, trainingMs: 0, notices: [] };

/** Previews kept for the filmstrip; older ones are thinned out, the first is always kept. */
const FILMSTRIP = 40;
/** Steps between SWD scores: about 1% of the training time at 64 px. */
const QUALITY_EVERY = 50;
/** Charts redraw at most this often, however fast progress arrives. */
const CHART_INTERVAL_MS = 500;

/** Which saved run the training belongs to: autosaves go to its id. */
export interface RunIdentity {
  id: string;
  name: string;
  createdAt: string;
}

export interface StartOptions {
  config: TrainingConfig;
  backend: BackendChoice;
  content: RgbaImage[];
  style: RgbaImage[];
  previewEvery: number;
  evaluation?: { inputs: RgbaImage[]; targets: RgbaImage[] };
}

/** The worker takes ownership of the pixels it is sent, so it gets copies and the page keeps its own. */
function imagesForWorker(sets: Pick<StartOptions, 'content' | 'style' | 'evaluation'>): Pick<StartOptions, 'content' | 'style' | 'evaluation'> {
  const copies = (images: RgbaImage[]) => images.map(copyImage);
  const { content, style, evaluation } = sets;
  return { content: copies(content), style: copies(style), evaluation: evaluation ? { inputs: copies(evaluation.inputs), targets: copies(evaluation.targets) } : undefined };
}

function reduce(view: TrainingView, event: TrainerEvent, now: number, lastEventAt: number): TrainingView {
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

/**
 * Owns one TrainerClient (one worker) and folds its events into what the page renders: a view,
 * a bounded loss history (redrawn at most twice a second), a filmstrip of previews and PSNR scores.
 */
export function useTrainer() {
  const client = useRef<TrainerClient | null>(null);
  const history = useRef(new LossHistory());
  const lastEventAt = useRef(0);
  const chartTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [view, setView] = useState<TrainingView>(initial);
  const [chartPoints, setChartPoints] = useState<ChartPoint[]>([]);
  const [previews, setPreviews] = useState<PreviewReport[]>([]);
  const [quality, setQuality] = useState<QualityPoint[]>([]);
  const [run, setRun] = useState<RunIdentity | null>(null);
  /** Why the worker died, until a new worker takes over. */
  const [crashed, setCrashed] = useState<string | null>(null);
  // Mirrors of state that checkpoints read outside of rendering.
  const previewsRef = useRef<PreviewReport[]>([]);
  const qualityRef = useRef<QualityPoint[]>([]);
  const runConfig = useRef<TrainingConfig | null>(null);
  useEffect(() => {
    previewsRef.current = previews;
    qualityRef.current = quality;
  }, [previews, quality]);

  useEffect(
    () => () => {
      client.current?.dispose();
      if (chartTimer.current) clearTimeout(chartTimer.current);
    },
    [],
  );

  const scheduleChart = useCallback(() => {
    chartTimer.current ??= setTimeout(() => {
      chartTimer.current = null;
      setChartPoints(history.current.snapshot());
    }, CHART_INTERVAL_MS);
  }, []);

  const onEvent = useCallback(
    (event: TrainerEvent) => {
      const now = performance.now();
      setView((v) => reduce(v, event, now, lastEventAt.current));
      lastEventAt.current = now;
      if (event.type === 'progress' && event.report.rows.length > 0) {
        history.current.append(event.report.rows);
        scheduleChart();
      } else if (event.type === 'rolledBack') {
        history.current.truncateAfter(event.toStep);
        setQuality((list) => list.filter((q) => q.step <= event.toStep));
        scheduleChart();
      } else if (event.type === 'crashed') {
        setCrashed(event.message);
      } else if (event.type === 'preview') {
        const { step, swd, psnr } = event.report;
        if (swd !== undefined || psnr) setQuality((list) => [...list, { step, ...(swd !== undefined ? { swd } : {}), ...(psnr ? { psnr: psnr.generator } : {}) }]);
        setPreviews((list) => {
          const next = [...list, event.report];
          // Thin the middle of the strip: keep the first snapshot, every other old one, all recent.
          return next.length > FILMSTRIP ? [next[0], ...next.slice(1, FILMSTRIP / 2).filter((_, i) => i % 2 === 0), ...next.slice(FILMSTRIP / 2)] : next;
        });
      }
    },
    [scheduleChart],
  );

  const start = useCallback(
    async (options: StartOptions, identity: RunIdentity) => {
      client.current?.dispose();
      const c = new TrainerClient();
      client.current = c;
      history.current.clear();
      runConfig.current = options.config;
      setCrashed(null);
      setRun(identity);
      setChartPoints([]);
      setPreviews([]);
      setQuality([]);
      setView({ ...initial, phase: 'starting', model: options.config.model });
      c.onEvent(onEvent);
      try {
        await c.init({ ...options, ...imagesForWorker(options), previewCount: 3, qualityEvery: QUALITY_EVERY });
        lastEventAt.current = performance.now();
        c.start();
      } catch {
        // The error event has already put the reason into the view's notices.
      }
    },
    [onEvent],
  );

  /**
   * Continues a saved run, paused at its saved step with its curves and previews. The run in
   * progress is replaced only once the worker has accepted the saved state; if it refuses, this
   * throws and nothing here changes.
   */
  const resumeSaved = useCallback(
    async (saved: SavedRun, identity: RunIdentity, options: Omit<StartOptions, 'config' | 'content' | 'style' | 'evaluation'>) => {
      const c = new TrainerClient();
      const early: TrainerEvent[] = [];
      c.onEvent((event) => early.push(event));
      const { data } = saved;
      try {
        await c.init({
          ...options,
          config: saved.config,
          ...imagesForWorker({ content: data.content.map((i) => i.image), style: data.style.map((i) => i.image), evaluation: data.evaluation }),
          previewCount: 3,
          qualityEvery: QUALITY_EVERY,
          // Copies: the worker takes ownership of what it is sent.
          resume: structuredClone(saved.state),
        });
      } catch (error) {
        c.dispose();
        throw error;
      }
      client.current?.dispose();
      client.current = c;
      history.current.restore(saved.history);
      runConfig.current = saved.config;
      setCrashed(null);
      setRun(identity);
      setChartPoints(history.current.snapshot());
      setPreviews(saved.previews);
      setQuality(saved.quality ?? []);
      setView({ ...initial, phase: 'paused', model: saved.config.model, step: saved.state.stepCount, rowsReceived: saved.state.stepCount });
      for (const event of early) onEvent(event);
      c.onEvent(onEvent);
    },
    [onEvent],
  );

  /** Everything to save now: weights and optimiser state from the worker, curves and previews from here. */
  const checkpoint = useCallback(async (): Promise<Checkpoint> => {
    const c = client.current;
    if (!c || !runConfig.current) throw new Error('Nothing is training');
    const { state } = await c.checkpoint();
    return { savedAt: new Date().toISOString(), config: runConfig.current, state, history: history.current.state(), previews: previewsToSave(previewsRef.current), quality: qualityRef.current };
  }, []);

  const exportGenerators = useCallback(async () => {
    if (!client.current) throw new Error('Nothing is training');
    return (await client.current.exportGenerators()).generators;
  }, []);

  const renameRun = useCallback((name: string) => setRun((current) => (current ? { ...current, name } : current)), []);

  const reset = useCallback(() => {
    client.current?.dispose();
    client.current = null;
    runConfig.current = null;
    history.current.clear();
    setCrashed(null);
    setRun(null);
    setChartPoints([]);
    setPreviews([]);
    setQuality([]);
    setView(initial);
  }, []);

  const injectFault = useCallback((fault: Fault) => client.current?.injectFault(fault), []);
  const addNotice = useCallback((notice: string) => setView((v) => ({ ...v, notices: [...v.notices, notice] })), []);
  return {
    view,
    chartPoints,
    previews,
    quality,
    run,
    start,
    resumeSaved,
    renameRun,
    checkpoint,
    exportGenerators,
    reset,
    pause: () => client.current?.pause(),
    resume: () => {
      lastEventAt.current = performance.now();
      client.current?.resume();
    },
    step: () => client.current?.step(1),
    stop: () => client.current?.stop(),
    update: (hyperparameters: Partial<LiveHyperparameters>) => {
      if (runConfig.current) runConfig.current = { ...runConfig.current, ...hyperparameters };
      client.current?.update(hyperparameters);
    },
    injectFault,
    crashed,
    addNotice,
  };
}
