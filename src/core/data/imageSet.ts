import * as tf from '@tensorflow/tfjs';
import type { Rng } from './random';
import { centreCrop, loadSize, randomCropFlip } from './augment';
import { imageToTensor, type RgbaImage } from './pixels';

/** One domain's images, held as tensors at the load size; owns them until `dispose`. */
export class ImageSet {
  private constructor(
    private readonly images: tf.Tensor3D[],
    readonly resolution: number,
  ) {}

  /** Prepares images for training crops of `resolution` (stored larger when `augment` is on). */
  static fromPixels(pixels: readonly RgbaImage[], resolution: number, augment: boolean): ImageSet {
    if (pixels.length === 0) throw new Error('Expected at least one image in the set, got none');
    const side = loadSize(resolution, augment);
    return new ImageSet(
      pixels.map((p) => imageToTensor(p, side)),
      resolution,
    );
  }

  /** The centred crops of `images` at `resolution` as one batch, owned by the caller. */
  static centredBatch(images: readonly RgbaImage[], resolution: number): tf.Tensor4D {
    const set = ImageSet.fromPixels(images, resolution, false);
    try {
      return set.batch(images.map((_, i) => i), null);
    } finally {
      set.dispose();
    }
  }

  get length(): number {
    return this.images.length;
  }

  /** A batch of the given images: random crop + flip when `rng` is given, else centre crops. */
  batch(indices: readonly number[], rng: Rng | null): tf.Tensor4D {
    return tf.tidy(() =>
      tf.stack(
        indices.map((i) => {
          const image = this.images[i];
          if (!image) throw new Error(`Expected an image index below ${this.images.length}, got ${i}`);
          return rng ? randomCropFlip(image, this.resolution, rng) : centreCrop(image, this.resolution);
        }),
      ) as tf.Tensor4D,
    );
  }

  dispose(): void {
    for (const t of this.images) t.dispose();
    this.images.length = 0;
  }
}

