import { useMemo } from 'react';
import { datasetHealth } from '../../core/diagnostics/datasetHealth';
import { FILTERS, FILTER_NAMES } from '../../core/demos/filters';
import { AugmentationPreview } from './AugmentationPreview';
import { DropZone } from './DropZone';
import { ImageSetView } from './ImageSetView';
import type { DataSource, Side, useStudioData } from './useStudioData';

type Data = ReturnType<typeof useStudioData>;

/** Where the two image sets come from: a demo, or the student's own files. */
export function DataPanel({ data, locked, resolution, augment }: { data: Data; locked: boolean; resolution: number; augment: boolean }) {
  const own = data.source === 'own';
  const small = [...data.sets.content.items, ...data.sets.style.items].filter((i) => Math.min(i.image.width, i.image.height) < resolution);
  const { content, style } = data.sets;
  const health = useMemo(
    () =>
      datasetHealth([
        { name: 'content', images: content.items.map((i) => i.image) },
        { name: 'style', images: style.items.map((i) => i.image) },
      ]),
    [content, style],
  );
  const side = (s: Side, title: string) => (
    <div className="side">
      {own && <DropZone label={`Add ${s} images`} onFiles={(files) => void data.addFiles(s, files)} disabled={locked} />}
      <ImageSetView title={title} set={data.sets[s]} editable={own && !locked} onRemove={(id) => data.remove(s, id)} onClear={() => data.clear(s)} />
    </div>
  );
  return (
    <section className="panel data" aria-labelledby="data-title">
      <h2 id="data-title">Images</h2>
      <label className="picker">
        Task{' '}
        <select value={data.source} onChange={(e) => data.choose(e.target.value as DataSource)} disabled={locked}>
          {FILTER_NAMES.map((id) => (
            <option key={id} value={id}>
              Demo: photos → {FILTERS[id].label}
            </option>
          ))}
          <option value="own">My own images</option>
        </select>
      </label>
      {!own && (
        <p className="hint">
          Content and style come from different photos: the style set is other photos passed through the {FILTERS[data.source as keyof typeof FILTERS].label.toLowerCase()}. Because the
          filter is known, the page scores how close the generator gets to it on photos it never saw.
        </p>
      )}
      {data.loading && <p role="status">{data.loading}</p>}
      {data.loadError && <p role="alert">{data.loadError}</p>}
      {!data.loading && health.length > 0 && (
        <ul className="hints" aria-label="dataset health">
          {health.map((w) => (
            <li key={w.id + w.text}>{w.text}</li>
          ))}
        </ul>
      )}
      {small.length > 0 && (
        <p className="hint" role="note" aria-label="small images">
          {small.length} image{small.length === 1 ? ' is' : 's are'} smaller than the {resolution} px training size ({small.slice(0, 3).map((i) => i.name).join(', ')}
          {small.length > 3 ? ', …' : ''}): {small.length === 1 ? 'it is' : 'they are'} upscaled, which blurs {small.length === 1 ? 'it' : 'them'}.
        </p>
      )}
      {content.items[0] && <AugmentationPreview image={content.items[0].image} name={content.items[0].name} resolution={resolution} augment={augment} />}
      <div className="sides">
        {side('content', 'Content (A)')}
        {side('style', 'Style (B)')}
      </div>
    </section>
  );
}
