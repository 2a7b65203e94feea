import * as tf from '@tensorflow/tfjs';
import { colourStats } from '../data/colourStats';
import type { ImageSet } from '../data/imageSet';

/**
 * What the colour loss compares against: every content and style image (centre crops) and each
 * set's colour statistics. Owned by the model it is given to.
 */
export interface ColourReference {
  content: tf.Tensor4D;
  style: tf.Tensor4D;
  contentStats: tf.Tensor1D;
  styleStats: tf.Tensor1D;
}

export function colourReferenceOf(content: ImageSet, style: ImageSet): ColourReference {
  const all = (set: ImageSet) => set.batch(Array.from({ length: set.length }, (_, i) => i), null);
  const [a, b] = [all(content), all(style)];
  return { content: a, style: b, contentStats: colourStats(a), styleStats: colourStats(b) };
}

/** Images the colour loss grades per step: a rotating window of each set keeps the step cheap. */
export const COLOUR_IMAGES_PER_STEP = 8;

/** This step's window of a reference set: COLOUR_IMAGES_PER_STEP images, moving on each step. */
export function colourWindow(images: tf.Tensor4D, step: number): tf.Tensor4D {
  const n = images.shape[0];
  if (n <= COLOUR_IMAGES_PER_STEP) return images;
  const start = (step * COLOUR_IMAGES_PER_STEP) % n;
  return tf.gather(images, Array.from({ length: COLOUR_IMAGES_PER_STEP }, (_, i) => (start + i) % n));
}

/** Random sets of one window each: what the colour loss costs a step, for timing and memory checks. */
export function randomColourReference(resolution: number): ColourReference {
  const window = () => tf.randomUniform([COLOUR_IMAGES_PER_STEP, resolution, resolution, 3], -1, 1) as tf.Tensor4D;
  const [content, style] = [window(), window()];
  return { content, style, contentStats: colourStats(content), styleStats: colourStats(style) };
}

export function disposeColourReference(reference: ColourReference): void {
  tf.dispose([reference.content, reference.style, reference.contentStats, reference.styleStats]);
}
