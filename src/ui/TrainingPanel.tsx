import { useEffect, useState } from 'react';
import { makeConfig, type TrainingConfig } from '../core/config';
import { knownMappingTask } from '../core/data/syntheticScenes';
import { BACKEND_NAMES } from '../worker/backendReport';
import type { BackendChoice } from '../worker/protocol';
import { BackendSelectionTable } from './BackendSelectionTable';
import { PixelCanvas } from './PixelCanvas';
import { publishForTests } from './testHook';
import { useTrainer } from './useTrainer';

const SIZES: Record<string, { label: string; config: TrainingConfig }> = {
  default: { label: 'Default · 64 px', config: makeConfig({}) },
  tiny: { label: 'Tiny · 32 px, 4 filters', config: makeConfig({ resolution: 32, genFilters: 4, genResBlocks: 1, discFilters: 4, discLayers: 2 }) },
};

/** Trains on built-in synthetic scenes (warm colours → red and blue swapped) to show the engine at work. */
export function TrainingPanel() {
  const trainer = useTrainer();
  const { view } = trainer;
  const [backend, setBackend] = useState<BackendChoice>('auto');
  const [size, setSize] = useState('default');

  useEffect(() => {
    const { preview, ...rest } = view;
    publishForTests({ training: { ...rest, previewStep: preview?.step }, actions: { loseDevice: trainer.loseDevice } });
  }, [view, trainer.loseDevice]);

  const start = () => {
    const { config } = SIZES[size];
    const task = knownMappingTask({ train: 16, test: 0 }, Math.round(config.resolution * 1.25));
    void trainer.start({ config, backend, content: task.content, style: task.style, previewEvery: 10 });
  };
  const busy = view.phase === 'starting';
  const active = view.phase === 'running' || view.phase === 'paused';

  return (
    <section aria-labelledby="training-title" className="training">
      <h2 id="training-title">Training engine</h2>
      <p className="hint">
        Trains a CycleGAN in a Web Worker on synthetic scenes: warm-coloured pictures on one side, pictures with red and blue swapped on the
        other. The page stays responsive while it trains.
      </p>
      <div className="controls">
        <label>
          Backend{' '}
          <select value={backend} onChange={(e) => setBackend(e.target.value as BackendChoice)} disabled={busy || active}>
            <option value="auto">auto (fastest)</option>
            {BACKEND_NAMES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Size{' '}
          <select value={size} onChange={(e) => setSize(e.target.value)} disabled={busy || active}>
            {Object.entries(SIZES).map(([key, s]) => (
              <option key={key} value={key}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={start} disabled={busy || active}>
          Start
        </button>
        <button type="button" onClick={trainer.pause} disabled={view.phase !== 'running'}>
          Pause
        </button>
        <button type="button" onClick={trainer.resume} disabled={view.phase !== 'paused'}>
          Resume
        </button>
        <button type="button" onClick={trainer.step} disabled={view.phase !== 'paused'}>
          Step
        </button>
        <button type="button" onClick={trainer.stop} disabled={!active}>
          Stop
        </button>
      </div>
      <p role="status" className="status" aria-live="polite">
        {view.phase === 'starting' ? 'Choosing the fastest backend…' : `${view.phase} · step ${view.step}`}
        {view.backend ? ` · ${view.backend}` : ''}
        {view.stepsPerSecond > 0 ? ` · ${view.stepsPerSecond.toFixed(2)} steps/s` : ''}
        {view.memory ? ` · ${view.memory.numTensors} tensors, ${(view.memory.numBytes / 2 ** 20).toFixed(1)} MB` : ''}
        {view.lastLosses ? ` · D ${(view.lastLosses.dA + view.lastLosses.dB).toFixed(3)} · G ${view.lastLosses.totalG.toFixed(3)}` : ''}
      </p>
      {view.notices.length > 0 && (
        <ul className="notices" role="alert">
          {view.notices.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      {view.selection && <BackendSelectionTable selection={view.selection} />}
      {view.preview && (
        <div className="previews" aria-label={`previews at step ${view.preview.step}`}>
          {(['aToB', 'bToA'] as const).map((dir) => (
            <figure key={dir}>
              <figcaption>{dir === 'aToB' ? 'A → B' : 'B → A'}</figcaption>
              {view.preview?.[dir].map((pair, i) => (
                <div className="pair" key={i}>
                  <PixelCanvas image={pair.input} label={`${dir} input ${i + 1}`} />
                  <PixelCanvas image={pair.output} label={`${dir} output ${i + 1}`} />
                </div>
              ))}
            </figure>
          ))}
        </div>
      )}
    </section>
  );
}
