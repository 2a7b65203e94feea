import { useState } from 'react';
import type { RgbaImage } from '../../core/data/pixels';
import { PixelCanvas } from '../PixelCanvas';

/** The photo and its stylized version on top of each other; a slider wipes between them. */
export function BeforeAfter({ before, after }: { before: RgbaImage; after: RgbaImage }) {
  const [split, setSplit] = useState(50);
  return (
    <figure className="before-after" aria-label="Before and after">
      <div className="stack" style={{ aspectRatio: `${after.width} / ${after.height}` }}>
        <PixelCanvas image={before} label="Before: the photo" />
        <div className="after" style={{ clipPath: `inset(0 0 0 ${split}%)` }}>
          <PixelCanvas image={after} label={`After: stylized, ${after.width}×${after.height}`} />
        </div>
      </div>
      <label>
        Before ◂ ▸ After <input type="range" min={0} max={100} value={split} onChange={(e) => setSplit(Number(e.target.value))} aria-label="Before/after split" />
      </label>
    </figure>
  );
}
