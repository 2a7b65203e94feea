import * as tf from '@tensorflow/tfjs';
import type { Rng } from './random';
import { randomCropWindow } from './cropGeometry';

export { loadSize } from './cropGeometry';

/** A random `size`×`size` crop of a stored image, mirrored left-right with probability ½. */
export function randomCropFlip(image: tf.Tensor3D, size: number, rng: Rng): tf.Tensor3D {
  const [h, w] = image.shape;
  const { top, left, flip } = randomCropWindow(h, w, size, rng);
  return tf.tidy(() => {
    const crop = tf.slice(image, [top, left, 0], [size, size, 3]);
    return flip ? tf.reverse(crop, 1) : crop;
  });
}

/** The centred `size`×`size` crop, for evaluation and previews. */
export function centreCrop(image: tf.Tensor3D, size: number): tf.Tensor3D {
  const [h, w] = image.shape;
  return tf.slice(image, [Math.floor((h - size) / 2), Math.floor((w - size) / 2), 0], [size, size, 3]);
}
