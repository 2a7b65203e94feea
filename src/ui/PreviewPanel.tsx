import { memo, useRef, useState } from 'react';
import type { PreviewReport } from '../core/training/reports';
import { PixelCanvas } from './PixelCanvas';
import { psnrVerdict } from './trainingView';

/** The latest (or a chosen earlier) preview, a filmstrip scrubber, and click-to-enlarge. */
export const PreviewPanel = memo(function PreviewPanel({ previews }: { previews: PreviewReport[] }) {
  const [chosen, setChosen] = useState<number | null>(null);
  const [enlarged, setEnlarged] = useState<{ label: string; pair: PreviewReport['aToB'][number] } | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  if (previews.length === 0) {
    return (
      <section className="panel previews" aria-labelledby="previews-title">
        <h2 id="previews-title">Previews</h2>
        <p className="hint">Translations of fixed images appear here every few steps once training starts.</p>
      </section>
    );
  }
  const index = chosen === null ? previews.length - 1 : Math.min(chosen, previews.length - 1);
  const shown = previews[index];
  const open = (label: string, pair: PreviewReport['aToB'][number]) => {
    setEnlarged({ label, pair });
    dialog.current?.showModal();
  };
  return (
    <section className="panel previews" aria-labelledby="previews-title">
      <h2 id="previews-title">Previews</h2>
      <p aria-live="polite" className="preview-step">
        Step {shown.step}
        {chosen !== null && index < previews.length - 1 ? ' (earlier snapshot)' : ''}
        {shown.psnr && (
          <span className="psnr">
            {' '}
            · PSNR against the filter on unseen photos: <strong>{shown.psnr.generator.toFixed(2)} dB</strong>, {psnrVerdict(shown.psnr)}
          </span>
        )}
      </p>
      <div className="preview-grid" aria-label={`previews at step ${shown.step}`}>
        {/* One-sided models (CUT, FastCUT) learn only content → style. */}
        {(['aToB', 'bToA'] as const).filter((dir) => shown[dir].length > 0).map((dir) => (
          <figure key={dir}>
            <figcaption>{dir === 'aToB' ? 'Content → style (G)' : 'Style → content (F)'}</figcaption>
            {shown[dir].map((pair, i) => (
              <button type="button" className="pair" key={i} onClick={() => open(`${dir === 'aToB' ? 'G' : 'F'} · image ${i + 1} · step ${shown.step}`, pair)} aria-label={`Enlarge ${dir} ${i + 1}`}>
                <PixelCanvas image={pair.input} label={`${dir} input ${i + 1}`} />
                <span aria-hidden="true">→</span>
                <PixelCanvas image={pair.output} label={`${dir} output ${i + 1}`} />
              </button>
            ))}
          </figure>
        ))}
      </div>
      <label className="filmstrip">
        Snapshot {index + 1} of {previews.length}{' '}
        <input type="range" min={0} max={previews.length - 1} value={index} onChange={(e) => setChosen(e.target.valueAsNumber === previews.length - 1 ? null : e.target.valueAsNumber)} aria-label="Filmstrip: earlier snapshots" />
      </label>
      <dialog ref={dialog} className="enlarged" onClose={() => setEnlarged(null)}>
        {enlarged && (
          <>
            <p>{enlarged.label}</p>
            <div className="pair big">
              <PixelCanvas image={enlarged.pair.input} label="input, enlarged" />
              <PixelCanvas image={enlarged.pair.output} label="output, enlarged" />
            </div>
          </>
        )}
        <form method="dialog">
          <button type="submit">Close</button>
        </form>
      </dialog>
    </section>
  );
});
