import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../data/random';

/**
 * History of generated images (Shrivastava et al. 2017, as in CycleGAN): the discriminator sees
 * a mix of the newest fakes and older ones, which damps oscillation between G and D.
 * The pool owns its stored tensors; the tensor returned by `query` belongs to the caller.
 */
export class ImagePool {
  private readonly images: tf.Tensor3D[] = [];

  constructor(
    private readonly capacity: number,
    private readonly rng: Rng,
  ) {}

  get size(): number {
    return this.images.length;
  }

  /** Returns a batch the same size as `fakes`: each image is either itself or a swapped-out older one. */
  query(fakes: tf.Tensor4D): tf.Tensor4D {
    if (this.capacity === 0) return fakes.clone();
    return tf.tidy(() => {
      const released: tf.Tensor3D[] = [];
      const chosen = tf.unstack(fakes).map((fake) => {
        const image = fake as tf.Tensor3D;
        if (this.images.length < this.capacity) {
          this.images.push(tf.keep(image.clone()));
          return image;
        }
        if (this.rng.next() < 0.5) {
          const slot = this.rng.int(this.capacity);
          const old = this.images[slot];
          this.images[slot] = tf.keep(image.clone());
          released.push(old);
          return old;
        }
        return image;
      });
      const batch = tf.stack(chosen) as tf.Tensor4D;
      for (const t of released) t.dispose();
      return batch;
    });
  }

  /** Releases every stored image. */
  dispose(): void {
    for (const t of this.images) t.dispose();
    this.images.length = 0;
  }
}
