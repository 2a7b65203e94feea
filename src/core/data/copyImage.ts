import type { RgbaImage } from './pixels';

/** A copy with its own pixel buffer, for sending to a worker that takes ownership of what it gets. */
export function copyImage(image: RgbaImage): RgbaImage {
  return { ...image, data: new Uint8ClampedArray(image.data) };
}
