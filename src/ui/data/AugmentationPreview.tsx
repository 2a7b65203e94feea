import { useEffect, useMemo, useRef, useState } from 'react';
import { loadSize, randomCropWindow, type CropWindow } from '../../core/data/cropGeometry';
import type { RgbaImage } from '../../core/data/pixels';
import { makeRng } from '../../core/data/random';

const SAMPLES = 6;

/**
 * One training crop as the trainer makes it: the image's centred square scaled to the stored
 * side, a random window of the training size, maybe mirrored; drawn at the training size.
 */
function Crop({ source, image, window, stored, resolution, label }: { source: HTMLCanvasElement; image: RgbaImage; window: CropWindow; stored: number; resolution: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = ref.current?.getContext('2d');
    if (!context) return;
    const side = Math.min(image.width, image.height);
    const scale = side / stored;
    const [x, y] = [(image.width - side) / 2 + window.left * scale, (image.height - side) / 2 + window.top * scale];
    context.save();
    if (window.flip) {
      context.translate(resolution, 0);
      context.scale(-1, 1);
    }
    context.drawImage(source, x, y, resolution * scale, resolution * scale, 0, 0, resolution, resolution);
    context.restore();
  }, [source, image, window, stored, resolution]);
  return <canvas ref={ref} width={resolution} height={resolution} className="pixels" role="img" aria-label={label} />;
}

/** A few random training crops of one content image, so the student sees what augmentation does. */
export function AugmentationPreview({ image, name, resolution, augment }: { image: RgbaImage; name: string; resolution: number; augment: boolean }) {
  const [draw, setDraw] = useState(0);
  const stored = loadSize(resolution, augment);
  const source = useMemo(() => {
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d')?.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
    return canvas;
  }, [image]);
  const windows = useMemo(() => {
    if (!augment) return [{ top: 0, left: 0, flip: false }];
    const rng = makeRng(`augmentation-preview:${draw}`);
    return Array.from({ length: SAMPLES }, () => randomCropWindow(stored, stored, resolution, rng));
  }, [augment, draw, stored, resolution]);
  return (
    <details className="augmentation">
      <summary>What training sees: {augment ? 'augmented crops' : 'the centred crop'}</summary>
      <p className="hint">
        {augment
          ? `Each step takes a random ${resolution} px window of the image scaled to ${stored} px, mirrored half of the time; ${name} as ${SAMPLES} such crops:`
          : `Augmentation is off: every step sees the same centred ${resolution} px square of ${name}.`}
      </p>
      <div className="crops" aria-label="augmented crops">
        {windows.map((w, i) => (
          <Crop key={`${draw}-${i}`} source={source} image={image} window={w} stored={stored} resolution={resolution} label={`crop ${i + 1}${w.flip ? ', mirrored' : ''}`} />
        ))}
      </div>
      {augment && (
        <button type="button" onClick={() => setDraw((d) => d + 1)}>
          Other crops
        </button>
      )}
    </details>
  );
}
