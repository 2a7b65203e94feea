import { continueCommands, RESULT_FILE, RUN_FILE } from './continueCommands';

interface Props {
  step: number;
  totalSteps: number;
  busy: boolean;
  onDownloadRun: () => void;
  onDownloadPackage: () => void;
}

/** Continue the run in PyTorch on a GPU machine: what to download, what to run, what to import. */
export function ContinueElsewhere({ step, totalSteps, busy, onDownloadRun, onDownloadPackage }: Props) {
  return (
    <details className="continue-elsewhere" aria-label="Continue on a GPU machine">
      <summary>Continue on a GPU machine</summary>
      <p className="hint">
        Bigger images, the paper&rsquo;s networks and thousands of steps outgrow a browser tab. The same run continues in PyTorch (with <code>torchrun</code>, on every GPU
        of a machine: each process trains on its own batch, so a step sees processes × batch images), then comes back here with its curves and previews.
      </p>
      <div className="run-files">
        <button type="button" onClick={onDownloadRun} disabled={busy}>
          Download {RUN_FILE}
        </button>
        <button type="button" onClick={onDownloadPackage} disabled={busy}>
          Download the scale package (.zip)
        </button>
      </div>
      <p className="hint">Unzip the package beside {RUN_FILE} on a machine with PyTorch, then run one of:</p>
      {continueCommands(step, totalSteps).map(({ label, command }) => (
        <figure key={label} className="command">
          <figcaption>{label}</figcaption>
          <pre aria-label={label}>
            <code>{command}</code>
          </pre>
        </figure>
      ))}
      <p className="hint">
        Add <code>--resolution 256</code> or <code>--batch 4</code> to change them. Then import {RESULT_FILE} here with &ldquo;Import a run&rdquo;: training goes on from its step.
      </p>
    </details>
  );
}
