import { useState } from 'react';
import { bytes } from '../format';
import type { RunSummary } from '../../storage/runStore';
import type { AutosaveStatus } from './useAutosave';
import type { useRunActions } from './useRunActions';
import type { useRuns } from './useRuns';
import { ContinueElsewhere } from './ContinueElsewhere';
import { RUN_FILE } from './continueCommands';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

interface Props {
  runs: ReturnType<typeof useRuns>;
  actions: ReturnType<typeof useRunActions>;
  autosave: AutosaveStatus;
  currentRunId: string | null;
  /** Nothing is training, so a saved run can be offered. */
  idle: boolean;
  /** Training is under way (running or paused), so it can be downloaded. */
  active: boolean;
  /** Where the run in progress stands, for the commands that continue it elsewhere. */
  progress: { step: number; totalSteps: number };
}

/** Autosave status, the runs kept in this browser, and run files in and out. */
export function RunsPanel({ runs, actions, autosave, currentRunId, idle, active, progress }: Props) {
  const list = runs.runs ?? [];
  const latest: RunSummary | undefined = list[0];
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <section className="panel runs" aria-labelledby="runs-title">
      <h2 id="runs-title">Saved runs</h2>
      {idle && latest && (
        <div className="resume-offer" role="region" aria-label="Resume offer">
          <p>
            Your last run, <strong>{latest.name}</strong>, was saved at step {latest.step}.
          </p>
          <button type="button" className="primary" onClick={() => void actions.resumeStored(latest.id)} disabled={actions.busy !== null}>
            Resume at step {latest.step}
          </button>
        </div>
      )}
      {currentRunId && (
        <p role="status" aria-label="autosave">
          {autosave.problem ?? (autosave.savedStep !== null ? `Saved in this browser at step ${autosave.savedStep}.` : 'Saved in this browser every 15 s and on pause.')}
        </p>
      )}
      {runs.unavailable && <p role="alert">{runs.unavailable}</p>}
      {actions.busy && <p role="status">{actions.busy}</p>}
      {actions.problems.length > 0 && (
        <div role="alert" aria-label="run problems" className="problems">
          <ul>
            {actions.problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
          <button type="button" onClick={actions.dismissProblems}>
            Dismiss
          </button>
        </div>
      )}
      {list.length > 0 && (
        <ul className="run-list" aria-label="Saved runs">
          {list.map((run) => (
            <li key={run.id} aria-current={run.id === currentRunId ? 'true' : undefined}>
              {editing === run.id ? (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    const name = String(new FormData(e.currentTarget).get('name') ?? '').trim();
                    setEditing(null);
                    if (name && name !== run.name) void actions.renameRun(run.id, name);
                  }}
                >
                  <input name="name" defaultValue={run.name} aria-label={`New name for ${run.name}`} maxLength={120} autoFocus />
                  <button type="submit">Save name</button>
                </form>
              ) : (
                <span className="run-name">{run.name}</span>
              )}
              <span className="run-meta">
                step {run.step} · saved {when(run.savedAt)} · {bytes(run.bytes)}
              </span>
              <span className="run-actions">
                <button type="button" onClick={() => void actions.resumeStored(run.id)} disabled={actions.busy !== null || run.id === currentRunId} aria-label={`Resume ${run.name}`}>
                  Resume
                </button>
                <button type="button" onClick={() => void actions.downloadRun(run.id)} disabled={actions.busy !== null} aria-label={`Download ${run.name}`}>
                  Download .zip
                </button>
                <button type="button" onClick={() => setEditing(run.id)} aria-label={`Rename ${run.name}`}>
                  Rename
                </button>
                <button type="button" onClick={() => void actions.removeRun(run.id)} disabled={actions.busy !== null || run.id === currentRunId} aria-label={`Delete ${run.name}`}>
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      {runs.usage && (
        <p className="hint">
          Saved runs: {bytes(list.reduce((n, r) => n + r.bytes, 0))}. This site uses {bytes(runs.usage.usage)} of the {bytes(runs.usage.quota)} the browser allows it.
        </p>
      )}
      <div className="run-files">
        <button type="button" onClick={() => void actions.downloadRun()} disabled={!active || actions.busy !== null}>
          Download this run (.zip)
        </button>
        <label className="file-button">
          Import a run (.zip)…
          <input
            type="file"
            accept=".zip,application/zip"
            aria-label="Import a run"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) void actions.importRun(file);
            }}
          />
        </label>
      </div>
      {active && (
        <ContinueElsewhere
          step={progress.step}
          totalSteps={progress.totalSteps}
          busy={actions.busy !== null}
          onDownloadRun={() => void actions.downloadRun(undefined, RUN_FILE)}
          onDownloadPackage={() => void actions.downloadScalePackage()}
        />
      )}
    </section>
  );
}
