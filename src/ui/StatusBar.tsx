import { duration } from './format';
import type { TrainingView } from './useTrainer';

/** Backend and why, step, epoch, speed, elapsed, ETA and memory, in one line. */
export function StatusBar({ view, totalSteps }: { view: TrainingView; totalSteps: number }) {
  const eta = view.stepsPerSecond > 0 && view.step < totalSteps ? duration(((totalSteps - view.step) / view.stepsPerSecond) * 1000) : '—';
  return (
    <footer className="statusbar" role="status" aria-label="training status">
      <span data-field="phase">{view.phase === 'starting' ? 'choosing the fastest backend…' : view.phase}</span>
      <span data-field="backend" title={view.selection?.reason}>
        backend: {view.backend ?? '—'}
        {view.selection ? ` (${view.selection.reason})` : ''}
      </span>
      <span data-field="step">
        step {view.step} / {totalSteps}
      </span>
      <span data-field="epoch">epoch {view.epoch.toFixed(2)}</span>
      <span data-field="speed">{view.stepsPerSecond > 0 ? `${view.stepsPerSecond.toFixed(2)} steps/s` : '— steps/s'}</span>
      <span data-field="elapsed">elapsed {duration(view.trainingMs)}</span>
      <span data-field="eta">ETA {eta}</span>
      <span data-field="memory">{view.memory ? `${view.memory.numTensors} tensors · ${(view.memory.numBytes / 2 ** 20).toFixed(1)} MB` : ''}</span>
    </footer>
  );
}
