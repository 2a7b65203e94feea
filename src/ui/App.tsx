import { startTransition, useEffect, useMemo, useRef, useState } from 'react';
import { liveSettingsOf, validateConfig, type TrainingConfig } from '../core/config';
import { thumbnail, type Remedy } from '../core/diagnostics/imageDetectors';
import { FILTERS } from '../core/demos/filters';
import { directionsOf } from '../core/gan/state';
import type { BackendChoice } from '../worker/backends/backendControl';
import { About } from './About';
import { BackendSelectionTable } from './BackendSelectionTable';
import { BackendTable } from './BackendTable';
import { ChartsPanel } from './ChartsPanel';
import { DataPanel } from './data/DataPanel';
import { useStudioData } from './data/useStudioData';
import { diagnose, readPreviewsSoon, type PreviewReading } from './hints';
import { HowItWorks } from './HowItWorks';
import { PreviewPanel } from './PreviewPanel';
import { RunsPanel } from './runs/RunsPanel';
import { useAutosave } from './runs/useAutosave';
import { newRunIdentity, useRunActions } from './runs/useRunActions';
import { useRuns } from './runs/useRuns';
import { ModelPanel } from './stylize/ModelPanel';
import { useStylizer } from './stylize/useStylizer';
import { PRESETS } from './settings';
import { readUrlSettings, writeUrlSettings } from './urlSettings';
import { ShareSetup } from './ShareSetup';
import { StatusBar } from './StatusBar';
import { publishForTests } from './testHook';
import { TrainPanel } from './TrainPanel';
import { useBackendProbe } from './useBackendProbe';
import { useBudget } from './useBudget';
import { useTrainer } from './useTrainer';
import { queueWork } from './workQueue';

const PREVIEW_EVERY = 10;
/** Style images the memorisation check compares outputs with. */
const STYLE_SAMPLE = 200;

export function App() {
  const probe = useBackendProbe();
  const data = useStudioData();
  const trainer = useTrainer();
  // A link can carry settings (?resolution=32&backend=webgl): read once, on load.
  const [fromUrl] = useState(() => readUrlSettings(window.location.search, PRESETS[0].config));
  const [config, setConfig] = useState<TrainingConfig>({ ...PRESETS[0].config, ...fromUrl.config });
  const [backend, setBackend] = useState<BackendChoice>(fromUrl.backend ?? 'auto');
  const { view, chartPoints, previews } = trainer;
  const active = view.phase === 'running' || view.phase === 'paused' || view.phase === 'starting';
  const runs = useRuns();
  const autosave = useAutosave({ store: runs.store, run: trainer.run, view, checkpoint: trainer.checkpoint, onSaved: runs.refresh });
  const runActions = useRunActions({ trainer, data, runs, autosave, backend, previewEvery: PREVIEW_EVERY, setConfig });
  const stylizer = useStylizer(trainer.exportGenerators, view.backend);
  const trained = view.phase === 'running' || view.phase === 'paused';
  // Charts and exports follow the model of the run in the worker, or the one about to train.
  const model = view.model ?? config.model;

  // A dead worker is replaced from the last autosave, once per crash.
  const { crashed, run } = trainer;
  const { recoverFromCrash } = runActions;
  const handledCrash = useRef(false);
  useEffect(() => {
    if (!crashed) handledCrash.current = false;
    else if (run && !handledCrash.current) {
      handledCrash.current = true;
      void recoverFromCrash(run, crashed);
    }
  }, [crashed, run, recoverFromCrash]);

  // The page opens on the task of the link, or the first demo.
  const { choose } = data;
  useEffect(() => {
    choose(fromUrl.task ?? 'oil');
  }, [choose, fromUrl.task]);

  // The address bar always holds a link that reproduces this setup.
  useEffect(() => {
    window.history.replaceState(null, '', writeUrlSettings(config, PRESETS[0].config, backend, data.source) + window.location.hash);
  }, [config, backend, data.source]);

  // The estimate runs only while nothing trains: it would compete with training for the cores.
  const budget = useBudget(config, backend, { content: data.sets.content.items.length, style: data.sets.style.items.length }, view.phase === 'idle' && !data.loading);

  const problems = useMemo(() => {
    const list = validateConfig(config);
    if (data.sets.content.items.length === 0) list.push('Add at least one content image.');
    if (data.sets.style.items.length === 0) list.push('Add at least one style image.');
    return list;
  }, [config, data.sets]);

  const latest = previews.at(-1);
  // Small copies of the style set, for spotting outputs that copy a style image.
  const styleThumbs = useMemo(() => data.sets.style.items.slice(0, STYLE_SAMPLE).map((i) => thumbnail(i.image)), [data.sets.style]);
  const { adversarialLoss, learningRateG, learningRateD, lambdaCycle, lambdaNce } = config;
  // Read a moment after the previews show (see readPreviewsSoon).
  const [reading, setReading] = useState<PreviewReading>();
  useEffect(() => (latest ? readPreviewsSoon(latest.aToB, styleThumbs, setReading) : queueWork(() => setReading(undefined))), [latest, styleThumbs]);
  const hints = useMemo(
    () => diagnose(chartPoints, { model, adversarialLoss, learningRateG, learningRateD, lambdaCycle, lambdaNce }, reading, view.divergedAt),
    [chartPoints, model, adversarialLoss, learningRateG, learningRateD, lambdaCycle, lambdaNce, reading, view.divergedAt],
  );

  useEffect(() => {
    publishForTests({
      training: view,
      chart: { points: chartPoints.length, lastStep: chartPoints.at(-1)?.step ?? 0 },
      previews: { count: previews.length, lastStep: latest?.step ?? 0, psnr: latest?.psnr },
      quality: trainer.quality,
      data: { source: data.source, sizes: Object.fromEntries(data.sets.content.items.map((i) => [i.name, [i.image.width, i.image.height]])), content: data.sets.content.items.length, style: data.sets.style.items.length, problems: [...data.sets.content.problems, ...data.sets.style.problems], loading: data.loading },
      storage: { runs: runs.runs?.length ?? 0, savedStep: autosave.status.savedStep, problem: autosave.status.problem, runProblems: runActions.problems },
      stylize: stylizer.result
        ? { width: stylizer.result.output.width, height: stylizer.result.output.height, differs: stylizer.result.output.data.some((v, i) => v !== stylizer.result?.input.data[i]), ms: stylizer.result.ms }
        : undefined,
      actions: { injectFault: trainer.injectFault, predict: async (direction, input, shape) => Array.from(await stylizer.predictTrained(direction, Float32Array.from(input), shape)) },
      ...(probe.status === 'done' ? { backends: probe.reports } : {}),
    });
  }, [view, chartPoints, previews, trainer.quality, latest, data.source, data.sets, data.loading, trainer.injectFault, probe, runs.runs, autosave.status, runActions.problems, stylizer]);

  const onConfig = (next: TrainingConfig) => {
    if (active) {
      if (validateConfig(next).length === 0) trainer.update(liveSettingsOf(next));
    }
    setConfig(next);
  };

  const applyRemedy = (remedy: Remedy) => {
    onConfig({ ...config, ...remedy.change });
    const what = Object.entries(remedy.change).map(([key, value]) => `${key} = ${String(value)}`).join(', ');
    trainer.addNotice(remedy.restart && active ? `Set ${what}: it takes effect when you press Reset and train again.` : `Set ${what}${active ? ': training uses it from the next step' : ''}.`);
  };

  // A transition: the page re-renders for the new run in slices, so the click answers at once.
  const start = () => startTransition(() => {
    const identity = newRunIdentity(data.source === 'own' ? 'My images' : FILTERS[data.source].label, config.model, config.resolution);
    const named = (items: typeof data.sets.content.items) => items.map((i) => ({ name: i.name, image: i.image }));
    runActions.begin(identity, { source: data.source, content: named(data.sets.content.items), style: named(data.sets.style.items), ...(data.evaluation ? { evaluation: data.evaluation } : {}) });
    void trainer.start(
      {
        config,
        backend,
        content: data.sets.content.items.map((i) => i.image),
        style: data.sets.style.items.map((i) => i.image),
        previewEvery: PREVIEW_EVERY,
        evaluation: data.evaluation ?? undefined,
      },
      identity,
    );
  });

  return (
    <div className="app">
      <header className="masthead">
        <h1>GAN Style Studio</h1>
        <p className="tagline">Train a GAN (CycleGAN, CUT or FastCUT) to move the style of one image set onto another — entirely in your browser. Your images never leave your machine.</p>
      </header>
      <main className="layout">
        <div className="column">
          <TrainPanel
            config={config}
            onConfig={onConfig}
            backend={backend}
            onBackend={setBackend}
            phase={view.phase}
            canStart={problems.length === 0 && !data.loading}
            problems={data.loading ? [] : problems}
            budget={budget}
            actions={{ start, pause: () => trainer.pause(), resume: () => trainer.resume(), step: () => trainer.step(), reset: trainer.reset }}
          />
          <ShareSetup />
          <RunsPanel runs={runs} actions={runActions} autosave={autosave.status} currentRunId={trainer.run?.id ?? null} idle={view.phase === 'idle'} active={trained} progress={{ step: view.step, totalSteps: config.totalSteps }} />
          <DataPanel data={data} locked={active} resolution={config.resolution} augment={config.augment} />
        </div>
        <div className="column wide">
          {fromUrl.problems.length > 0 && (
            <ul className="notices" role="alert" aria-label="link settings">
              {fromUrl.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          )}
          {view.notices.length > 0 && (
            <ul className="notices" role="alert">
              {view.notices.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          )}
          <PreviewPanel previews={previews} />
          <ChartsPanel points={chartPoints} quality={trainer.quality} model={model} />
          <ModelPanel stylizer={stylizer} trained={trained} busy={runActions.busy !== null} directions={directionsOf(model)} downloadGenerator={(d) => void runActions.downloadGenerator(d)} />
          <HowItWorks hints={hints} onRemedy={applyRemedy} />
          <details className="panel">
            <summary>This browser’s compute backends</summary>
            {probe.status === 'probing' && <p role="status">Checking WebGPU, WebGL, WebAssembly and CPU…</p>}
            {probe.status === 'failed' && <p role="alert">Could not check the backends: {probe.message}</p>}
            {probe.status === 'done' && <BackendTable reports={probe.reports} />}
            {view.selection && (
              <>
                <h3>Why training runs on {view.selection.chosen}</h3>
                <BackendSelectionTable selection={view.selection} />
              </>
            )}
          </details>
          <About />
        </div>
      </main>
      <StatusBar view={view} totalSteps={config.totalSteps} />
    </div>
  );
}
