import type { RgbaImage } from '../data/pixels';

/*
 * Classic non-photorealistic filters on RGBA pixels, in plain TypeScript so they run in a
 * worker or in Node. The demo style sets are these filters applied to photos; because the
 * filter is known, the page can score a generator against it (PSNR on held-out photos).
 */

export const FILTER_NAMES = ['oil', 'sketch', 'popart', 'grade', 'sharpen', 'film'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

function luminance(data: ArrayLike<number>, i: number): number {
  return 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
}

/** Summed-area table of one per-pixel quantity, (w+1)×(h+1), for O(1) box sums. */
function integral(width: number, height: number, value: (x: number, y: number) => number): Float64Array {
  const table = new Float64Array((width + 1) * (height + 1));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      row += value(x, y);
      table[(y + 1) * (width + 1) + x + 1] = table[y * (width + 1) + x + 1] + row;
    }
  }
  return table;
}

function boxSum(table: Float64Array, width: number, x0: number, y0: number, x1: number, y1: number): number {
  const w = width + 1;
  return table[y1 * w + x1] - table[y0 * w + x1] - table[y1 * w + x0] + table[y0 * w + x0];
}

/**
 * Kuwahara filter ("oil paint"): each pixel takes the mean colour of whichever of its four
 * (r+1)×(r+1) corner windows has the lowest luminance variance, flattening texture into
 * brush-like patches while keeping edges sharp.
 */
export function kuwahara(image: RgbaImage, radius = 4): RgbaImage {
  const { width, height, data } = image;
  const at = (x: number, y: number) => (y * width + x) * 4;
  const sums = [0, 1, 2].map((c) => integral(width, height, (x, y) => data[at(x, y) + c]));
  const lum = integral(width, height, (x, y) => luminance(data, at(x, y)));
  const lum2 = integral(width, height, (x, y) => luminance(data, at(x, y)) ** 2);
  const out = new Uint8ClampedArray(data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let best = Infinity;
      let bestBox: [number, number, number, number] = [x, y, x + 1, y + 1];
      for (const [dx, dy] of [[-radius, -radius], [0, -radius], [-radius, 0], [0, 0]]) {
        const x0 = Math.max(0, x + dx);
        const y0 = Math.max(0, y + dy);
        const x1 = Math.min(width, x + dx + radius + 1);
        const y1 = Math.min(height, y + dy + radius + 1);
        const n = (x1 - x0) * (y1 - y0);
        const mean = boxSum(lum, width, x0, y0, x1, y1) / n;
        const variance = boxSum(lum2, width, x0, y0, x1, y1) / n - mean * mean;
        if (variance < best) {
          best = variance;
          bestBox = [x0, y0, x1, y1];
        }
      }
      const [x0, y0, x1, y1] = bestBox;
      const n = (x1 - x0) * (y1 - y0);
      const o = at(x, y);
      for (let c = 0; c < 3; c++) out[o + c] = boxSum(sums[c], width, x0, y0, x1, y1) / n;
      out[o + 3] = 255;
    }
  }
  return { width, height, data: out };
}

/** Box blur of a single-channel image by repeated box sums (three passes ≈ Gaussian). */
function blurChannel(values: Float64Array, width: number, height: number, radius: number): Float64Array {
  let current = values;
  for (let pass = 0; pass < 3; pass++) {
    const table = integral(width, height, (x, y) => current[y * width + x]);
    const next = new Float64Array(values.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const x0 = Math.max(0, x - radius);
        const y0 = Math.max(0, y - radius);
        const x1 = Math.min(width, x + radius + 1);
        const y1 = Math.min(height, y + radius + 1);
        next[y * width + x] = boxSum(table, width, x0, y0, x1, y1) / ((x1 - x0) * (y1 - y0));
      }
    }
    current = next;
  }
  return current;
}

/**
 * Pencil sketch: grey levels "colour-dodged" by their own blurred negative, which leaves
 * white paper where the image is smooth and graphite strokes along its edges.
 */
export function pencilSketch(image: RgbaImage, radius = 3): RgbaImage {
  const { width, height, data } = image;
  const grey = new Float64Array(width * height);
  for (let i = 0; i < grey.length; i++) grey[i] = luminance(data, i * 4);
  const blurredNegative = blurChannel(grey.map((g) => 255 - g), width, height, radius);
  const out = new Uint8ClampedArray(data.length);
  for (let i = 0; i < grey.length; i++) {
    const dodge = blurredNegative[i] >= 255 ? 255 : Math.min(255, (grey[i] * 255) / (255 - blurredNegative[i]));
    // A slight gamma darkens the strokes so they read as pencil rather than a faint haze.
    const v = clamp(255 * (dodge / 255) ** 2.2);
    out.set([v, v, v, 255], i * 4);
  }
  return { width, height, data: out };
}

/**
 * Pop-art poster: saturation boosted, then every channel quantised to `levels` flat tones, like a
 * screen print with a few inks.
 */
export function popArt(image: RgbaImage, levels = 4): RgbaImage {
  const { width, height, data } = image;
  const out = new Uint8ClampedArray(data.length);
  const step = 255 / (levels - 1);
  for (let i = 0; i < data.length; i += 4) {
    const grey = luminance(data, i);
    for (let c = 0; c < 3; c++) {
      const saturated = clamp(grey + 1.8 * (data[i + c] - grey));
      out[i + c] = Math.round(saturated / step) * step;
    }
    out[i + 3] = 255;
  }
  return { width, height, data: out };
}

/** A gentle S-curve on [0, 1]: half smoothstep, half the identity. */
const sCurve = (x: number) => 0.5 * x * x * (3 - 2 * x) + 0.5 * x;

/**
 * A global colour grade, the same for every pixel: a contrast S-curve on each channel, then a
 * warm cast (red up, blue down, a little blue lifted into the shadows).
 */
export function warmGrade(image: RgbaImage): RgbaImage {
  const { width, height, data } = image;
  const out = new Uint8ClampedArray(data.length);
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b] = [0, 1, 2].map((c) => sCurve(data[i + c] / 255));
    out[i] = clamp(255 * (1.1 * r + 0.02));
    out[i + 1] = clamp(255 * (1.0 * g + 0.01));
    out[i + 2] = clamp(255 * (0.8 * b + 0.06 * (1 - b)));
    out[i + 3] = 255;
  }
  return { width, height, data: out };
}

/** Each colour channel blurred (three box passes of `radius`), as numbers. */
function blurredChannels(image: RgbaImage, radius: number): Float64Array[] {
  const { width, height, data } = image;
  return [0, 1, 2].map((c) => {
    const channel = new Float64Array(width * height);
    for (let i = 0; i < channel.length; i++) channel[i] = data[i * 4 + c];
    return blurChannel(channel, width, height, radius);
  });
}

/** Local texture only: an unsharp mask that adds back `amount` × the detail a blur removes. Colours stay. */
export function unsharpMask(image: RgbaImage, radius = 2, amount = 1.5): RgbaImage {
  const { width, height, data } = image;
  const blurred = blurredChannels(image, radius);
  const out = new Uint8ClampedArray(data.length);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) out[p * 4 + c] = clamp(data[p * 4 + c] + amount * (data[p * 4 + c] - blurred[c][p]));
    out[p * 4 + 3] = 255;
  }
  return { width, height, data: out };
}

/**
 * Both at once: softened detail (a light blur), lifted blacks and a split tone — teal in the
 * shadows, orange in the highlights — as faded film prints look.
 */
export function fadedFilm(image: RgbaImage, radius = 1): RgbaImage {
  const { width, height, data } = image;
  const [r, g, b] = blurredChannels(image, radius);
  const out = new Uint8ClampedArray(data.length);
  for (let p = 0; p < width * height; p++) {
    const lum = (0.299 * r[p] + 0.587 * g[p] + 0.114 * b[p]) / 255;
    out[p * 4] = clamp(28 + 0.8 * r[p] + 24 * (lum - 0.5));
    out[p * 4 + 1] = clamp(30 + 0.8 * g[p]);
    out[p * 4 + 2] = clamp(34 + 0.8 * b[p] - 24 * (lum - 0.5));
    out[p * 4 + 3] = 255;
  }
  return { width, height, data: out };
}

export const FILTERS: Record<FilterName, { label: string; apply: (image: RgbaImage) => RgbaImage }> = {
  // Radius grows with the image so the brush strokes look alike at every decode size.
  oil: { label: 'Oil paint (Kuwahara filter)', apply: (i) => kuwahara(i, Math.max(3, Math.round(Math.max(i.width, i.height) / 40))) },
  sketch: { label: 'Pencil sketch (colour dodge)', apply: (i) => pencilSketch(i) },
  popart: { label: 'Pop-art poster (4-tone screen print)', apply: (i) => popArt(i) },
  grade: { label: 'Warm colour grade (tone curve + cast)', apply: (i) => warmGrade(i) },
  sharpen: { label: 'Crisp detail (unsharp mask)', apply: (i) => unsharpMask(i, Math.max(1, Math.round(Math.max(i.width, i.height) / 200))) },
  film: { label: 'Faded film (soft, lifted blacks, split tone)', apply: (i) => fadedFilm(i, Math.max(1, Math.round(Math.max(i.width, i.height) / 300))) },
};
