// Where training crops come from, without tfjs: the trainer cuts its tensors with these numbers,
// and the page draws the same windows to show what augmentation does.
import type { Rng } from './random';

/**
 * Side at which training images are stored so random crops of `resolution` have room to move:
 * CycleGAN loads at 286 and crops 256 (≈1.12×). Even, so centre crops stay centred.
 */
export function loadSize(resolution: number, augment: boolean): number {
  if (!augment) return resolution;
  return 2 * Math.round((resolution * 286) / 256 / 2);
}

/** A crop of a stored image: its top-left corner, and whether it is mirrored left-right. */
export interface CropWindow {
  top: number;
  left: number;
  flip: boolean;
}

/** A random `size`×`size` window of a `height`×`width` stored image, mirrored with probability ½. */
export function randomCropWindow(height: number, width: number, size: number, rng: Rng): CropWindow {
  if (height < size || width < size) throw new Error(`Expected an image of at least ${size}×${size}, got ${width}×${height}`);
  const top = rng.int(height - size + 1);
  const left = rng.int(width - size + 1);
  return { top, left, flip: rng.next() < 0.5 };
}
