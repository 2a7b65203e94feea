import type { TrainingConfig } from '../config';
import type { RgbaImage } from '../data/pixels';

/** A one-click fix: the settings to change, and whether they only apply when training restarts. */
export interface Remedy {
  label: string;
  change: Partial<TrainingConfig>;
  restart: boolean;
}

export type ImageDetectorId = 'identity-collapse' | 'memorisation' | 'checkerboard' | 'colour-inversion';

export interface ImageDetection {
  id: ImageDetectorId;
  text: string;
  remedy: Remedy;
  /** The number the decision was made on, for tests and tuning. */
  score: number;
}

export interface Pair {
  input: RgbaImage;
  output: RgbaImage;
}

const luma = (d: RgbaImage['data'], i: number) => 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];

/** Mean absolute RGB difference of two same-sized images, 0–1. */
export function imageDifference(a: RgbaImage, b: RgbaImage): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i += 4) sum += Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]);
  return sum / ((a.data.length / 4) * 3 * 255);
}

/**
 * A small, box-averaged copy (side × side), so images of any size can be compared; an image that
 * is already that size is its own thumbnail. The page reruns this on every preview, for every
 * style image, beside training: it allocates nothing per pixel.
 */
export function thumbnail(image: RgbaImage, side = 16): RgbaImage {
  if (image.width === side && image.height === side) return image;
  const { width, height, data: pixels } = image;
  const data = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) {
    const y0 = Math.floor((y * height) / side);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / side));
    for (let x = 0; x < side; x++) {
      const x0 = Math.floor((x * width) / side);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / side));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let yy = y0; yy < y1; yy++) {
        for (let i = (yy * width + x0) * 4, end = (yy * width + x1) * 4; i < end; i += 4) {
          r += pixels[i];
          g += pixels[i + 1];
          b += pixels[i + 2];
        }
      }
      const n = (x1 - x0) * (y1 - y0);
      const o = (y * side + x) * 4;
      data[o] = r / n;
      data[o + 1] = g / n;
      data[o + 2] = b / n;
      data[o + 3] = 255;
    }
  }
  return { width: side, height: side, data };
}

/** Per-channel mean and spread of an image's colours, 0–1. */
function colourMoments(image: RgbaImage): number[] {
  const n = image.data.length / 4;
  const sums = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < image.data.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      sums[c] += image.data[i + c] / 255;
      sums[c + 3] += (image.data[i + c] / 255) ** 2;
    }
  }
  return [0, 1, 2].flatMap((c) => [sums[c] / n, Math.sqrt(Math.max(0, sums[c + 3] / n - (sums[c] / n) ** 2))]);
}

/**
 * How different the style images look from the inputs, 0–1: the mean absolute difference of
 * their average colour moments (per-channel mean and spread).
 */
export function styleGap(inputs: RgbaImage[], style: RgbaImage[]): number {
  const average = (images: RgbaImage[]) => {
    const all = images.map(colourMoments);
    return all[0].map((_, i) => all.reduce((s, m) => s + m[i], 0) / all.length);
  };
  const [a, b] = [average(inputs), average(style)];
  return a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;
}

/** Below this style gap a generator that changes little is right, not collapsed. */
const SUBTLE_STYLE = 0.02;

/**
 * Output ≈ input although the style images look different: the generator failed to change (the
 * identity and cycle losses win over the adversarial one, or a generator that starts from the
 * photo never left it). A subtle style, whose images look like the inputs, is not flagged.
 */
export function identityCollapse(pairs: Pair[], style: RgbaImage[] = []): ImageDetection | null {
  const score = pairs.reduce((s, p) => s + imageDifference(p.input, p.output), 0) / pairs.length;
  if (score >= 0.015) return null;
  if (style.length > 0 && styleGap(pairs.map((p) => p.input), style) < SUBTLE_STYLE) return null;
  return {
    id: 'identity-collapse',
    score,
    text: `The generator hands back its input almost unchanged (${(score * 100).toFixed(1)}% difference) although the style images look different: copying satisfies the cycle and identity losses, and the adversarial loss is too weak to push it towards the style. Lower λ identity so the style can win.`,
    remedy: { label: 'Lower λ identity to 0.1', change: { lambdaIdentity: 0.1 }, restart: false },
  };
}

/** Outputs ≈ particular style images: the generator reproduces training images instead of translating. */
export function memorisation(pairs: Pair[], style: RgbaImage[]): ImageDetection | null {
  if (style.length === 0) return null;
  const styleThumbs = style.map((s) => thumbnail(s));
  const copies = pairs.filter((p) => {
    const out = thumbnail(p.output);
    const nearestStyle = Math.min(...styleThumbs.map((s) => imageDifference(out, s)));
    return nearestStyle < 0.03 && nearestStyle < imageDifference(out, thumbnail(p.input)) / 3;
  });
  const score = copies.length / pairs.length;
  if (score < 2 / 3) return null;
  return {
    id: 'memorisation',
    score,
    text: 'The outputs are near-copies of particular style images rather than translations of their inputs: the generator memorised the style set. More style images help; so do augmentation and a stronger cycle loss, which ties each output to its input.',
    remedy: { label: 'Raise λ cycle to 15', change: { lambdaCycle: 15 }, restart: false },
  };
}

/**
 * Checkerboard artefacts: energy at the stride-2 frequency (the pattern + − / − + over 2×2
 * blocks), relative to the image's ordinary edges. Transposed convolutions cause it.
 */
export function checkerboard(outputs: RgbaImage[]): ImageDetection | null {
  let pattern = 0;
  let edges = 0;
  for (const image of outputs) {
    const { width, height, data } = image;
    for (let y = 0; y + 1 < height; y += 2) {
      for (let x = 0; x + 1 < width; x += 2) {
        const a = luma(data, (y * width + x) * 4);
        const b = luma(data, (y * width + x + 1) * 4);
        const c = luma(data, ((y + 1) * width + x) * 4);
        const d = luma(data, ((y + 1) * width + x + 1) * 4);
        pattern += Math.abs(a - b - c + d);
        edges += Math.abs(a + b - c - d) + Math.abs(a - b + c - d);
      }
    }
  }
  const score = pattern / Math.max(1e-9, edges / 2);
  if (score < 0.9 || pattern / outputs.reduce((n, o) => n + (o.width * o.height) / 4, 0) < 6) return null;
  return {
    id: 'checkerboard',
    score,
    text: 'The outputs show a fine checkerboard pattern: transposed convolutions overlap unevenly when they upsample. Resize-then-convolve upsampling avoids it (the generator has to start again).',
    remedy: { label: 'Use resize + convolution (restart)', change: { upsampling: 'resize-conv' }, restart: true },
  };
}

/** Bright turns dark and dark turns bright: the cycle can still be satisfied by an inverted image. */
export function colourInversion(pairs: Pair[]): ImageDetection | null {
  const correlations = pairs.map(({ input, output }) => {
    const n = input.data.length / 4;
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (let i = 0; i < input.data.length; i += 4) {
      const x = luma(input.data, i);
      const y = luma(output.data, i);
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
    const cov = sxy / n - (sx / n) * (sy / n);
    const vx = sxx / n - (sx / n) ** 2;
    const vy = syy / n - (sy / n) ** 2;
    return vx > 1 && vy > 1 ? cov / Math.sqrt(vx * vy) : 0;
  });
  const score = correlations.reduce((a, b) => a + b, 0) / correlations.length;
  if (score > -0.5) return null;
  return {
    id: 'colour-inversion',
    score,
    text: `Light and dark are swapped in the outputs (brightness correlation ${score.toFixed(2)} with the inputs): an inverted image can still cycle back perfectly. A stronger identity loss keeps tones where they were.`,
    remedy: { label: 'Raise λ identity to 1', change: { lambdaIdentity: 1 }, restart: false },
  };
}

/** Every image detector, each on the latest previews (same-sized input/output pairs) and the style set. */
export const IMAGE_DETECTORS: ((pairs: Pair[], style: RgbaImage[]) => ImageDetection | null)[] = [
  identityCollapse,
  memorisation,
  (pairs) => checkerboard(pairs.map((p) => p.output)),
  colourInversion,
];
