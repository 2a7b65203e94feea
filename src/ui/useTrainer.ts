import { useCallback, useEffect, useRef, useState } from 'react';
import type { LiveSettings, TrainingConfig } from '../core/config';
import type { QualityPoint } from '../core/gan/state';
import { copyImage } from '../core/data/copyImage';
import type { RgbaImage } from '../core/data/pixels';
import type { SavedRun } from '../core/persist/runArchive';
import { LossHistory, type ChartPoint } from '../core/training/lossHistory';
import type { PreviewReport } from '../core/training/reports';
import type { Checkpoint } from '../storage/runStore';
import type { BackendChoice } from '../worker/backends/backendControl';
import type { Fault } from '../worker/training/protocol';
import { TrainerClient, type TrainerEvent } from '../worker/training/trainerClient';
import { previewsToSave } from './runs/savedPreviews';
import { addToFilmstrip, INITIAL_VIEW, qualityOf, reduceView, type TrainingView } from './trainingView';

export type { Phase, TrainingView } from './trainingView';

/** Steps between SWD scores: about 1% of the training time at 64 px. */
const QUALITY_EVERY = 50;
/** Charts redraw at most this often, however fast progress arrives. */
const CHART_INTERVAL_MS = 500;
/** The page re-renders for progress at most this often: each render of the page costs the main thread. */
const VIEW_INTERVAL_MS = 250;

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

/** Milliseconds of copying before the page gets a turn: a set of big photos takes far longer. */
const COPY_SLICE_MS = 20;

/**
 * The worker takes ownership of the pixels it is sent, so it gets copies and the page keeps its
 * own. Copied a slice at a time, so the click that starts training never freezes the page.
 */
async function imagesForWorker(sets: Pick<StartOptions, 'content' | 'style' | 'evaluation'>): Promise<Pick<StartOptions, 'content' | 'style' | 'evaluation'>> {
  let sliceStart = performance.now();
  const copies = async (images: RgbaImage[]) => {
    const out: RgbaImage[] = [];
    for (const image of images) {
      if (performance.now() - sliceStart > COPY_SLICE_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        sliceStart = performance.now();
      }
      out.push(copyImage(image));
    }
    return out;
  };
  const { content, style, evaluation } = sets;
  return { content: await copies(content), style: await copies(style), evaluation: evaluation ? { inputs: await copies(evaluation.inputs), targets: await copies(evaluation.targets) } : undefined };
}

/** What the page shows of a run that takes over: nothing yet, or a saved run's curves and previews. */
interface RunStart {
  client: TrainerClient | null;
  identity: RunIdentity | null;
  config: TrainingConfig | null;
  view: TrainingView;
  history?: SavedRun['history'];
  previews?: PreviewReport[];
  quality?: QualityPoint[];
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
  const viewTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [view, setViewState] = useState<TrainingView>(INITIAL_VIEW);
  // The view as of the last event; the rendered one follows it at most every VIEW_INTERVAL_MS for progress.
  const latestView = useRef<TrainingView>(INITIAL_VIEW);
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
      if (viewTimer.current) clearTimeout(viewTimer.current);
    },
    [],
  );

  /** Renders the view now (any pending progress included). */
  const setView = useCallback((update: (view: TrainingView) => TrainingView) => {
    latestView.current = update(latestView.current);
    if (viewTimer.current) clearTimeout(viewTimer.current);
    viewTimer.current = null;
    setViewState(latestView.current);
  }, []);

  /** Folds progress into the view and renders it within VIEW_INTERVAL_MS. */
  const setViewSoon = useCallback((update: (view: TrainingView) => TrainingView) => {
    latestView.current = update(latestView.current);
    viewTimer.current ??= setTimeout(() => {
      viewTimer.current = null;
      setViewState(latestView.current);
    }, VIEW_INTERVAL_MS);
  }, []);

  const scheduleChart = useCallback(() => {
    chartTimer.current ??= setTimeout(() => {
      chartTimer.current = null;
      setChartPoints(history.current.chartPoints());
    }, CHART_INTERVAL_MS);
  }, []);

  const onEvent = useCallback(
    (event: TrainerEvent) => {
      const now = performance.now();
      const since = lastEventAt.current;
      (event.type === 'progress' ? setViewSoon : setView)((v) => reduceView(v, event, now, since));
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
        const point = qualityOf(event.report);
        if (point) setQuality((list) => [...list, point]);
        setPreviews((list) => addToFilmstrip(list, event.report));
      }
    },
    [scheduleChart, setView, setViewSoon],
  );

  /** The one way a run replaces the one before: its worker, identity, curves, previews and view. */
  const replaceRun = useCallback((next: RunStart) => {
    if (client.current !== next.client) client.current?.dispose();
    client.current = next.client;
    runConfig.current = next.config;
    if (next.history) history.current.restore(next.history);
    else history.current.clear();
    setCrashed(null);
    setRun(next.identity);
    setChartPoints(history.current.chartPoints());
    setPreviews(next.previews ?? []);
    setQuality(next.quality ?? []);
    setView(() => next.view);
  }, [setView]);

  const start = useCallback(
    async (options: StartOptions, identity: RunIdentity) => {
      const c = new TrainerClient();
      replaceRun({ client: c, identity, config: options.config, view: { ...INITIAL_VIEW, phase: 'starting', model: options.config.model } });
      c.onEvent(onEvent);
      try {
        await c.init({ ...options, ...(await imagesForWorker(options)), previewCount: 3, qualityEvery: QUALITY_EVERY });
        lastEventAt.current = performance.now();
        c.start();
      } catch {
        // The error event has already put the reason into the view's notices.
      }
    },
    [onEvent, replaceRun],
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
          ...(await imagesForWorker({ content: data.content.map((i) => i.image), style: data.style.map((i) => i.image), evaluation: data.evaluation })),
          previewCount: 3,
          qualityEvery: QUALITY_EVERY,
          // Copies: the worker takes ownership of what it is sent.
          resume: structuredClone(saved.state),
        });
      } catch (error) {
        c.dispose();
        throw error;
      }
      const step = saved.state.stepCount;
      replaceRun({ client: c, identity, config: saved.config, history: saved.history, previews: saved.previews, quality: saved.quality, view: { ...INITIAL_VIEW, phase: 'paused', model: saved.config.model, step, rowsReceived: step } });
      for (const event of early) onEvent(event);
      c.onEvent(onEvent);
    },
    [onEvent, replaceRun],
  );

  /** Everything to save now: weights and optimiser state from the worker, curves and previews from here. */
  const checkpoint = useCallback(async (): Promise<Checkpoint> => {
    const c = client.current;
    if (!c || !runConfig.current) throw new Error('Nothing is training');
    const state = await c.checkpoint();
    return { savedAt: new Date().toISOString(), config: runConfig.current, state, history: history.current.state(), previews: previewsToSave(previewsRef.current), quality: qualityRef.current };
  }, []);

  const exportGenerators = useCallback(async () => {
    if (!client.current) throw new Error('Nothing is training');
    return client.current.exportGenerators();
  }, []);

  const renameRun = useCallback((name: string) => setRun((current) => (current ? { ...current, name } : current)), []);
  const reset = useCallback(() => replaceRun({ client: null, identity: null, config: null, view: INITIAL_VIEW }), [replaceRun]);
  const injectFault = useCallback((fault: Fault) => client.current?.injectFault(fault), []);
  const addNotice = useCallback((notice: string) => setView((v) => ({ ...v, notices: [...v.notices, notice] })), [setView]);
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
    update: (settings: LiveSettings) => {
      if (runConfig.current) runConfig.current = { ...runConfig.current, ...settings };
      client.current?.update(settings);
    },
    injectFault,
    crashed,
    addNotice,
  };
}
