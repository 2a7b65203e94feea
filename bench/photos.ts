import jpeg from 'jpeg-js';
import { readFileSync } from 'node:fs';
import type { RgbaImage } from '../src/core/data/pixels';

/** A bundled JPEG decoded in Node (jpeg-js) and shrunk, averaging, to at most `maxSide`, as the page decodes it. */
export function loadPhoto(path: string, maxSide: number): RgbaImage {
  const raw = jpeg.decode(readFileSync(path), { useTArray: true, formatAsRGBA: true });
  const scale = Math.min(1, maxSide / Math.max(raw.width, raw.height));
  const width = Math.max(1, Math.round(raw.width * scale));
  const height = Math.max(1, Math.round(raw.height * scale));
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * raw.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * raw.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * raw.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * raw.width) / width));
      const sum = [0, 0, 0];
      for (let sy = y0; sy < y1; sy++) for (let sx = x0; sx < x1; sx++) for (let c = 0; c < 3; c++) sum[c] += raw.data[(sy * raw.width + sx) * 4 + c];
      const n = (y1 - y0) * (x1 - x0);
      data.set([sum[0] / n, sum[1] / n, sum[2] / n, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}
