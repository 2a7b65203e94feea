import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';

/**
 * Side at which training images are stored so random crops of `resolution` have room to move:
 * CycleGAN loads at 286 and crops 256 (≈1.12×). Even, so centre crops stay centred.
 */
export function loadSize(resolution: number, augment: boolean): number {
  if (!augment) return resolution;
  return 2 * Math.round((resolution * 286) / 256 / 2);
}

/** A random `size`×`size` crop of a stored image, mirrored left-right with probability ½. */
export function randomCropFlip(image: tf.Tensor3D, size: number, rng: Rng): tf.Tensor3D {
  const [h, w] = image.shape;
  if (h < size || w < size) throw new Error(`Expected an image of at least ${size}×${size}, got ${w}×${h}`);
  return tf.tidy(() => {
    const crop = tf.slice(image, [rng.int(h - size + 1), rng.int(w - size + 1), 0], [size, size, 3]);
    return rng.next() < 0.5 ? tf.reverse(crop, 1) : crop;
  });
}

/** The centred `size`×`size` crop, for evaluation and previews. */
export function centreCrop(image: tf.Tensor3D, size: number): tf.Tensor3D {
  const [h, w] = image.shape;
  return tf.slice(image, [Math.floor((h - size) / 2), Math.floor((w - size) / 2), 0], [size, size, 3]);
}
