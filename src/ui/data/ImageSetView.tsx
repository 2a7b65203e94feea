import { useState } from 'react';
import { PixelCanvas } from '../PixelCanvas';
import type { ImageSetState } from './useStudioData';

const PAGE = 24;

interface Props {
  title: string;
  set: ImageSetState;
  editable: boolean;
  onRemove: (id: number) => void;
  onClear: () => void;
}

/** Notes are listed open up to this many; a folder of thousands stays readable. */
const NOTES_OPEN = 20;
const NOTES_SHOWN = 200;

/** Thumbnails of one set, a page at a time, with the files that could not be used and why. */

export function ImageSetView({ title, set, editable, onRemove, onClear }: Props) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(set.items.length / PAGE));
  const current = Math.min(page, pages - 1);
  const shown = set.items.slice(current * PAGE, (current + 1) * PAGE);
  return (
    <section className="image-set" aria-label={title}>
      <header>
        <h3>
          {title} <span className="count">{set.items.length} images</span>
        </h3>
        {editable && set.items.length > 0 && (
          <button type="button" onClick={onClear}>
            Clear all
          </button>
        )}
      </header>
      <ul className="thumbs">
        {shown.map((item) => (
          <li key={item.id} title={item.name}>
            <PixelCanvas image={item.image} label={item.name} />
            {editable && (
              <button type="button" className="remove" aria-label={`Remove ${item.name}`} onClick={() => onRemove(item.id)}>
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {pages > 1 && (
        <nav className="pager" aria-label={`${title} pages`}>
          <button type="button" onClick={() => setPage(current - 1)} disabled={current === 0}>
            Previous
          </button>
          <span>
            Page {current + 1} of {pages}
          </span>
          <button type="button" onClick={() => setPage(current + 1)} disabled={current === pages - 1}>
            Next
          </button>
        </nav>
      )}
      {set.problems.length > 0 && (
        <details className="file-notes" open={set.problems.length <= NOTES_OPEN}>
          <summary>
            {set.problems.length} file{set.problems.length === 1 ? '' : 's'} skipped or changed
          </summary>
          <ul className="problems" aria-label={`${title}: file notes`}>
            {set.problems.slice(0, NOTES_SHOWN).map((p, i) => (
              <li key={i}>
                <strong>{p.name}</strong> {p.reason}
              </li>
            ))}
            {set.problems.length > NOTES_SHOWN && <li>…and {set.problems.length - NOTES_SHOWN} more.</li>}
          </ul>
        </details>
      )}
    </section>
  );
}
