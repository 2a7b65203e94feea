import * as tf from '@tensorflow/tfjs';
import { makeRng, type Rng } from '../data/random';

/*
 * Sliced Wasserstein distance between multi-scale patch distributions (Karras et al. 2018,
 * "Progressive Growing of GANs", §5): build a Laplacian pyramid of every image, take random 7×7
 * neighbourhoods at each level as 147-dimensional descriptors, normalise each colour channel,
 * then compare the two sets' descriptors along random directions: in one dimension the
 * Wasserstein distance is the mean gap between the sorted projections. It needs no pretrained
 * network, so nothing is downloaded. Lower is closer; reported ×10³ as in the paper.
 * One change: ProGAN normalises each set by its own channel statistics, which hides shifts of
 * colour, and colour is much of what a style is; here both sets use the reference set's.
 */

/** Pyramid levels stop at this side: ProGAN's 16 px. */
const MIN_SIDE = 16;
const PATCH = 7;
/** Descriptors per level and set, and random directions (ProGAN: 4 repeats × 128). */
const DESCRIPTORS = 1024;
const DIRECTIONS = 512;

const BINOMIAL = [1, 4, 6, 4, 1];

function blur(x: tf.Tensor4D, strides: 1 | 2 = 1): tf.Tensor4D {
  return tf.tidy(() => {
    const k = BINOMIAL.flatMap((a) => BINOMIAL.map((b) => (a * b) / 256));
    const kernel = tf.tensor4d(
      k.flatMap((v) => [v, v, v]),
      [5, 5, 3, 1],
    );
    const padded = tf.mirrorPad(x, [[0, 0], [2, 2], [2, 2], [0, 0]], 'reflect');
    return tf.depthwiseConv2d(padded, kernel, strides, 'valid');
  });
}

/** Back up to a finer level: nearest-neighbour doubling, smoothed. */
export function upsample(x: tf.Tensor4D, height: number, width: number): tf.Tensor4D {
  return tf.tidy(() => blur(tf.image.resizeNearestNeighbor(x, [height, width])));
}

/**
 * Laplacian pyramid of a batch: band-pass levels from the finest down, then the low-pass image
 * at the coarsest level (at least 16 px, or the image itself when it is smaller).
 */
export function laplacianPyramid(images: tf.Tensor4D): tf.Tensor4D[] {
  return tf.tidy(() => {
    const levels: tf.Tensor4D[] = [];
    let current = images;
    while (Math.min(current.shape[1], current.shape[2]) >= 2 * MIN_SIDE && current.shape[1] % 2 === 0 && current.shape[2] % 2 === 0) {
      const down = blur(current, 2);
      const up = upsample(down, current.shape[1], current.shape[2]);
      levels.push(current.sub(up));
      current = down;
    }
    levels.push(current);
    return levels;
  });
}

/** Mean and standard deviation of each colour channel of a level's descriptors. */
type ChannelStats = { mean: number; std: number }[];

/** `count` random 7×7×3 neighbourhoods of a level's images. */
function descriptors(level: Float32Array, [n, h, w]: number[], count: number, rng: Rng): Float32Array {
  const size = PATCH * PATCH * 3;
  const out = new Float32Array(count * size);
  for (let d = 0; d < count; d++) {
    const image = rng.int(n);
    const y0 = rng.int(h - PATCH + 1);
    const x0 = rng.int(w - PATCH + 1);
    let o = d * size;
    for (let y = 0; y < PATCH; y++) {
      const row = ((image * h + y0 + y) * w + x0) * 3;
      for (let i = 0; i < PATCH * 3; i++) out[o++] = level[row + i];
    }
  }
  return out;
}

function channelStats(values: Float32Array): ChannelStats {
  return [0, 1, 2].map((c) => {
    let sum = 0;
    let squares = 0;
    for (let i = c; i < values.length; i += 3) {
      sum += values[i];
      squares += values[i] * values[i];
    }
    const mean = sum / (values.length / 3);
    return { mean, std: Math.sqrt(Math.max(squares / (values.length / 3) - mean * mean, 0)) || 1 };
  });
}

function normalise(values: Float32Array, stats: ChannelStats): Float32Array {
  for (let i = 0; i < values.length; i++) values[i] = (values[i] - stats[i % 3].mean) / stats[i % 3].std;
  return values;
}

/** Sorted projections, one column per direction: [direction][descriptor]. */
async function sortedProjections(descriptorValues: Float32Array, directions: tf.Tensor2D): Promise<Float32Array[]> {
  const projected = tf.tidy(() => tf.matMul(tf.tensor2d(descriptorValues, [DESCRIPTORS, PATCH * PATCH * 3]), directions).transpose());
  const values = (await projected.data()) as Float32Array;
  projected.dispose();
  return Array.from({ length: DIRECTIONS }, (_, j) => values.slice(j * DESCRIPTORS, (j + 1) * DESCRIPTORS).sort());
}

/**
 * The patch statistics of a reference set (the style images), computed once; `distance` then
 * scores any batch of generated images against them. Owns its direction tensor until `dispose`.
 */
export class SwdReference {
  private constructor(
    private readonly directions: tf.Tensor2D,
    private readonly reference: Float32Array[][],
    private readonly stats: ChannelStats[],
    private readonly seed: string,
  ) {}

  /** `images` in [-1, 1]; all images the metric will compare must have their size. */
  static async of(images: tf.Tensor4D, seed = 'swd'): Promise<SwdReference> {
    const rng = makeRng(`${seed}:directions`);
    const values = Float32Array.from({ length: PATCH * PATCH * 3 * DIRECTIONS }, () => gaussian(rng));
    const directions = tf.tidy(() => {
      const raw = tf.tensor2d(values, [PATCH * PATCH * 3, DIRECTIONS]);
      return raw.div(raw.square().sum(0, true).sqrt()) as tf.Tensor2D;
    });
    const { projections, stats } = await levelProjections(images, directions, makeRng(`${seed}:reference`));
    return new SwdReference(directions, projections, stats, seed);
  }

  /** SWD ×10³ per pyramid level (finest first) and their mean. */
  async distance(images: tf.Tensor4D): Promise<{ levels: number[]; mean: number }> {
    // The same patch positions every time, so changes in the score come from the images.
    const { projections: generated } = await levelProjections(images, this.directions, makeRng(`${this.seed}:generated`), this.stats);
    if (generated.length !== this.reference.length) throw new Error(`Expected images of the reference size, got ${images.shape[1]}×${images.shape[2]}`);
    const levels = generated.map((columns, l) => {
      let total = 0;
      columns.forEach((column, j) => {
        const ref = this.reference[l][j];
        for (let i = 0; i < column.length; i++) total += Math.abs(column[i] - ref[i]);
      });
      return (total / (DIRECTIONS * DESCRIPTORS)) * 1e3;
    });
    return { levels, mean: levels.reduce((a, b) => a + b, 0) / levels.length };
  }

  dispose(): void {
    this.directions.dispose();
  }
}

/** Per level, the sorted projections of the images' descriptors, normalised with `given` statistics or their own. */
async function levelProjections(images: tf.Tensor4D, directions: tf.Tensor2D, rng: Rng, given?: ChannelStats[]): Promise<{ projections: Float32Array[][]; stats: ChannelStats[] }> {
  const levels = laplacianPyramid(images);
  try {
    const projections: Float32Array[][] = [];
    const stats: ChannelStats[] = [];
    for (const [l, level] of levels.entries()) {
      if (Math.min(level.shape[1], level.shape[2]) < PATCH) break;
      const raw = descriptors((await level.data()) as Float32Array, level.shape, DESCRIPTORS, rng);
      stats.push(given?.[l] ?? channelStats(raw));
      projections.push(await sortedProjections(normalise(raw, stats[l]), directions));
    }
    return { projections, stats };
  } finally {
    tf.dispose(levels);
  }
}

/** A standard normal draw (Box–Muller) from the seeded stream. */
function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}
