import * as tf from '@tensorflow/tfjs';
import type { RgbaImage } from '../data/pixels';

export interface TileOptions {
  /** Side of the square tiles sent through the network; a multiple of 4 (two stride-2 layers). */
  tile: number;
  /** Pixels neighbouring tiles share; they are cross-faded so no seam shows. */
  overlap: number;
}

export const DEFAULT_TILES: TileOptions = { tile: 256, overlap: 32 };

/** Tile origins covering `n` pixels with tiles of `t`, neighbours sharing at least `overlap`. */
export function tileStarts(n: number, t: number, overlap: number): number[] {
  if (n <= t) return [0];
  const starts: number[] = [];
  for (let p = 0; p < n - t; p += t - overlap) starts.push(p);
  starts.push(n - t);
  return starts;
}

/** Blend weight along one axis of a tile: ramps up over `overlap` px except at the image's edges. */
function ramp(t: number, overlap: number, rampStart: boolean, rampEnd: boolean): Float32Array {
  const w = new Float32Array(t);
  for (let i = 0; i < t; i++) {
    const up = rampStart ? (i + 0.5) / overlap : 1;
    const down = rampEnd ? (t - i - 0.5) / overlap : 1;
    w[i] = Math.min(1, up, down);
  }
  return w;
}

const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

/**
 * Runs a fully convolutional image-to-image network over an image of any size, one tile at a
 * time, so device memory is bounded by the tile however large the image. Overlapping tiles are
 * cross-faded. Sides that are not a multiple of 4 are mirror-padded and cropped back.
 */
export async function stylizeTiled(run: (batch: tf.Tensor4D) => tf.Tensor4D, image: RgbaImage, options: TileOptions = DEFAULT_TILES): Promise<RgbaImage> {
  const { width, height } = image;
  if (width < 4 || height < 4) throw new Error(`Expected an image of at least 4×4 pixels, got ${width}×${height}`);
  if (options.tile % 4 !== 0 || options.overlap <= 0 || options.overlap >= options.tile / 2) {
    throw new Error(`Expected a tile that is a multiple of 4 and an overlap below half of it, got ${options.tile} and ${options.overlap}`);
  }
  const tileH = Math.min(options.tile, roundUp4(height));
  const tileW = Math.min(options.tile, roundUp4(width));
  const fullH = Math.max(height, tileH);
  const fullW = Math.max(width, tileW);
  const input = tf.tidy(() => {
    const rgb = tf.tensor3d(Int32Array.from(image.data), [height, width, 4], 'int32').slice([0, 0, 0], [height, width, 3]).toFloat().div(127.5).sub(1);
    return tf.mirrorPad(rgb as tf.Tensor3D, [[0, fullH - height], [0, fullW - width], [0, 0]], 'symmetric') as tf.Tensor3D;
  });
  const sum = new Float32Array(fullH * fullW * 3);
  const weight = new Float32Array(fullH * fullW);
  try {
    const ys = tileStarts(fullH, tileH, options.overlap);
    const xs = tileStarts(fullW, tileW, options.overlap);
    for (const y of ys) {
      const wy = ramp(tileH, options.overlap, y > 0, y + tileH < fullH);
      for (const x of xs) {
        const wx = ramp(tileW, options.overlap, x > 0, x + tileW < fullW);
        const out = tf.tidy(() => run(input.slice([y, x, 0], [tileH, tileW, 3]).expandDims(0) as tf.Tensor4D));
        const values = await out.data();
        out.dispose();
        for (let i = 0; i < tileH; i++) {
          for (let j = 0; j < tileW; j++) {
            const w = wy[i] * wx[j];
            const p = (y + i) * fullW + (x + j);
            const q = (i * tileW + j) * 3;
            weight[p] += w;
            sum[p * 3] += w * values[q];
            sum[p * 3 + 1] += w * values[q + 1];
            sum[p * 3 + 2] += w * values[q + 2];
          }
        }
      }
    }
  } finally {
    input.dispose();
  }
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      const p = i * fullW + j;
      const o = (i * width + j) * 4;
      for (let c = 0; c < 3; c++) data[o + c] = Math.round((sum[p * 3 + c] / weight[p] + 1) * 127.5);
      data[o + 3] = 255;
    }
  }
  return { width, height, data };
}
