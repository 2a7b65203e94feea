import type { TrainingConfig } from '../core/config';
import { BACKEND_NAMES } from '../worker/backends/backendReport';
import type { BackendChoice } from '../worker/backends/backendControl';
import { BudgetLine } from './BudgetLine';
import { FIELDS, MODELS, PRESETS, presetOf, withModel } from './settings';
import type { Budget } from './useBudget';
import type { Phase } from './useTrainer';

interface Props {
  config: TrainingConfig;
  onConfig: (config: TrainingConfig) => void;
  backend: BackendChoice;
  onBackend: (backend: BackendChoice) => void;
  phase: Phase;
  canStart: boolean;
  problems: string[];
  budget: Budget;
  actions: { start(): void; pause(): void; resume(): void; step(): void; reset(): void };
}

/** Start/pause/step/reset, presets, and every setting with a one-line explanation. */
export function TrainPanel({ config, onConfig, backend, onBackend, phase, canStart, problems, budget, actions }: Props) {
  const active = phase === 'running' || phase === 'paused' || phase === 'starting';
  const set = (key: keyof TrainingConfig, value: TrainingConfig[keyof TrainingConfig]) => onConfig({ ...config, [key]: value });
  return (
    <section className="panel train" aria-labelledby="train-title">
      <h2 id="train-title">Train</h2>
      <div className="controls">
        <button type="button" className="primary" onClick={actions.start} disabled={!canStart || active}>
          Train
        </button>
        <button type="button" onClick={actions.pause} disabled={phase !== 'running'}>
          Pause
        </button>
        <button type="button" onClick={actions.resume} disabled={phase !== 'paused'}>
          Resume
        </button>
        <button type="button" onClick={actions.step} disabled={phase !== 'paused'}>
          Step
        </button>
        <button type="button" onClick={actions.reset} disabled={phase === 'idle'}>
          Reset
        </button>
      </div>
      <fieldset className="presets" disabled={active}>
        <legend>Preset</legend>
        {PRESETS.map((p) => (
          <label key={p.id} title={p.hint}>
            <input type="radio" name="preset" checked={presetOf(config)?.id === p.id} onChange={() => onConfig({ ...p.config, model: config.model, lambdaNce: config.lambdaNce, seed: config.seed })} />{' '}
            {p.label} <span className="hint">— {p.hint}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="models" disabled={active}>
        <legend>Model</legend>
        {MODELS.map((m) => (
          <label key={m.value}>
            <input type="radio" name="model" checked={config.model === m.value} onChange={() => onConfig(withModel(config, m.value))} /> {m.label} <span className="hint">— {m.hint}</span>
          </label>
        ))}
      </fieldset>
      <label>
        Backend{' '}
        <select value={backend} onChange={(e) => onBackend(e.target.value as BackendChoice)} disabled={active}>
          <option value="auto">auto (fastest here)</option>
          {BACKEND_NAMES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <BudgetLine budget={budget} resolution={config.resolution} totalSteps={config.totalSteps} />
      {problems.length > 0 && (
        <ul className="problems" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <details className="advanced">
        <summary>Advanced settings</summary>
        {active && <p className="hint">Settings marked “live” change the running training; the others apply when you Reset and train again.</p>}
        {FIELDS.map((field) => {
          const id = `field-${field.key}`;
          const locked = active && !field.live;
          return (
            <div className="field" key={field.key}>
              <label htmlFor={id}>
                {field.label}
                {field.live ? <span className="badge">live</span> : null}
              </label>
              {field.kind === 'number' && (
                <input id={id} type="number" min={field.min} max={field.max} step={field.step} value={config[field.key]} disabled={locked} onChange={(e) => set(field.key, e.target.valueAsNumber)} />
              )}
              {field.kind === 'choice' && (
                <select id={id} value={config[field.key]} disabled={locked} onChange={(e) => set(field.key, e.target.value as TrainingConfig[typeof field.key])}>
                  {field.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              )}
              {field.kind === 'toggle' && <input id={id} type="checkbox" checked={config[field.key]} disabled={locked} onChange={(e) => set(field.key, e.target.checked)} />}
              <p className="help">{field.help}</p>
            </div>
          );
        })}
      </details>
    </section>
  );
}
