import { useState } from 'react';
import type { Direction } from '../../core/gan/state';
import layersModule from '../../core/networks/layers/customLayers.js?raw';
import { downloadBlob, downloadBytes, pngOf, slug } from '../download';
import { BeforeAfter } from './BeforeAfter';
import type { ModelSource, useStylizer } from './useStylizer';

const SIDES = [256, 512, 768, 1024, 1536, 2048];
const ARROW: Record<Direction, string> = { AtoB: 'A→B (content → style)', BtoA: 'B→A (style → content)' };

interface Props {
  stylizer: ReturnType<typeof useStylizer>;
  /** A run is loaded in the training worker (running or paused). */
  trained: boolean;
  busy: boolean;
  /** The directions the trained model learns: CUT and FastCUT only learn A→B. */
  directions: readonly Direction[];
  downloadGenerator: (direction: Direction) => void;
}

/** Take the model home (downloads), bring one back (import), and use it on new photos. */
export function ModelPanel({ stylizer, trained, busy, directions, downloadGenerator }: Props) {
  const [source, setSource] = useState<ModelSource>('trained');
  const [wanted, setDirection] = useState<Direction>('AtoB');
  const direction = directions.includes(wanted) ? wanted : directions[0];
  const [maxSide, setMaxSide] = useState(1024);
  const [photo, setPhoto] = useState<File | null>(null);
  const from: ModelSource = source === 'imported' && stylizer.imported ? 'imported' : 'trained';
  const canStylize = photo !== null && stylizer.busy === null && (from === 'imported' || trained);
  const { result } = stylizer;

  return (
    <section className="panel model" aria-labelledby="model-title">
      <h2 id="model-title">Use your model</h2>
      <div className="model-exports">
        {directions.map((d) => (
          <button key={d} type="button" onClick={() => downloadGenerator(d)} disabled={!trained || busy}>
            Download generator {d === 'AtoB' ? 'A→B' : 'B→A'}
          </button>
        ))}
        <button type="button" onClick={() => downloadBytes('gan-studio-layers.js', new TextEncoder().encode(layersModule), 'text/javascript')}>
          Download the custom-layers module
        </button>
      </div>
      <p className="hint">
        A generator downloads as a .zip. Unzip it and open its <code>index.html</code> to stylize photos offline, with no server. It also holds{' '}
        <code>generator-AtoB.json</code> plus <code>.weights.bin</code>, the standard TensorFlow.js format: register the custom layers with{' '}
        <code>registerGanStudioLayers(tf)</code>, then <code>tf.loadLayersModel</code> it from any page (see the README).
      </p>
      <label className="file-button">
        Import a generator (.json + .bin, or a .zip)…
        <input type="file" multiple accept=".json,.bin,.zip" aria-label="Import a generator" onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          if (files.length > 0) void stylizer.importGenerator(files).then(() => setSource('imported'));
        }} />
      </label>

      <h3>Stylize a photo</h3>
      <div className="stylize-controls">
        <label>
          Generator{' '}
          <select value={from} onChange={(e) => setSource(e.target.value as ModelSource)} aria-label="Generator to use">
            <option value="trained" disabled={!trained}>
              Trained here (latest weights)
            </option>
            <option value="imported" disabled={!stylizer.imported}>
              Imported{stylizer.imported ? `: ${stylizer.imported}` : ''}
            </option>
          </select>
        </label>
        {from === 'trained' && (
          <label>
            Direction{' '}
            <select value={direction} onChange={(e) => setDirection(e.target.value as Direction)}>
              {directions.map((d) => (
                <option key={d} value={d}>
                  {ARROW[d]}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Longest side{' '}
          <select value={maxSide} onChange={(e) => setMaxSide(Number(e.target.value))} aria-label="Longest side in pixels">
            {SIDES.map((s) => (
              <option key={s} value={s}>
                {s} px
              </option>
            ))}
          </select>
        </label>
        <label className="file-button">
          Choose a photo…
          <input type="file" accept="image/*" aria-label="Photo to stylize" onChange={(e) => setPhoto(e.target.files?.[0] ?? null)} />
        </label>
        <button type="button" className="primary" disabled={!canStylize} onClick={() => photo && void stylizer.stylize(photo, { source: from, direction, maxSide })}>
          Stylize{photo ? ` ${photo.name}` : ''}
        </button>
      </div>
      <p className="hint">Large photos are processed in overlapping 256 px tiles, so memory stays small at any size; the tiles are blended so no seams show.</p>
      {stylizer.busy && <p role="status">{stylizer.busy}</p>}
      {stylizer.problem && <p role="alert">{stylizer.problem}</p>}
      {result && (
        <>
          <BeforeAfter before={result.input} after={result.output} />
          <p>
            {result.output.width}×{result.output.height} px in {(result.ms / 1000).toFixed(1)} s.{' '}
            <button type="button" onClick={() => void pngOf(result.output).then((png) => downloadBlob(`${slug(result.name.replace(/\.[^.]+$/, ''))}-stylized.png`, png))}>
              Download PNG
            </button>
          </p>
        </>
      )}
    </section>
  );
}
