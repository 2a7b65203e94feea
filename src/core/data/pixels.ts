import * as tf from '@tensorflow/tfjs';

/** Decoded image as the browser's ImageData holds it: row-major RGBA, 8 bits per channel. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

/**
 * Centre-crops to a square and resizes to `size`×`size`, returning floats in [-1, 1].
 * Large downscales halve with 2×2 averaging first, since one bilinear step would alias.
 */
export function imageToTensor(image: RgbaImage, size: number): tf.Tensor3D {
  const { width, height, data } = image;
  if (data.length !== width * height * 4) {
    throw new Error(`Expected ${width}×${height}×4 = ${width * height * 4} RGBA bytes, got ${data.length}`);
  }
  return tf.tidy(() => {
    const side = Math.min(width, height);
    const rgba = tf.tensor3d(Int32Array.from(data), [height, width, 4], 'int32');
    let square = tf
      .slice(rgba, [Math.floor((height - side) / 2), Math.floor((width - side) / 2), 0], [side, side, 3])
      .toFloat()
      .expandDims(0) as tf.Tensor4D;
    while (square.shape[1] >= 2 * size) {
      square = tf.avgPool(square, 2, 2, 'valid');
    }
    if (square.shape[1] !== size) square = tf.image.resizeBilinear(square, [size, size], false, true);
    return square.squeeze([0]).div(127.5).sub(1) as tf.Tensor3D;
  });
}

/** Converts an image in [-1, 1] back to RGBA bytes (opaque). */
export async function tensorToRgba(image: tf.Tensor3D): Promise<RgbaImage> {
  const [height, width] = image.shape;
  const rgba = tf.tidy(() => {
    const rgb = image.add(1).mul(127.5).round().clipByValue(0, 255);
    return tf.concat([rgb, tf.fill([height, width, 1], 255)], 2).toInt();
  });
  try {
    return { width, height, data: Uint8ClampedArray.from(await rgba.data()) };
  } finally {
    rgba.dispose();
  }
}
