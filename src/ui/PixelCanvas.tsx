import { useEffect, useRef } from 'react';
import type { RgbaImage } from '../core/data/pixels';
import { queueWork } from './workQueue';

/** Draws raw RGBA pixels (soon after rendering: see workQueue); the browser scales the canvas up with CSS. */
export function PixelCanvas({ image, label }: { image: RgbaImage; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(
    () =>
      queueWork(() => {
        const context = ref.current?.getContext('2d');
        context?.putImageData(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), 0, 0);
      }),
    [image],
  );
  return <canvas ref={ref} width={image.width} height={image.height} role="img" aria-label={label} className="pixels" />;
}
