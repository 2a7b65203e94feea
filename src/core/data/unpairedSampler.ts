import type * as tf from '@tensorflow/tfjs';
import type { Rng } from './random';
import type { ImageSet } from './imageSet';

/**
 * Draws unpaired batches as the CycleGAN reference does: domain A in a fresh shuffled order each
 * epoch, domain B at random, so no pairing between the two sets is ever implied.
 * An epoch is max(|A|, |B|) images, the reference's dataset length.
 */
export class UnpairedSampler {
  private order: number[] = [];
  private drawn = 0;

  constructor(
    private readonly a: ImageSet,
    private readonly b: ImageSet,
    private readonly batchSize: number,
    private readonly rng: Rng,
    private readonly augment: boolean,
  ) {}

  /** Whole epochs completed, as a fraction. */
  get epoch(): number {
    return this.drawn / Math.max(this.a.length, this.b.length);
  }

  /** The next pair of batches; both belong to the caller. */
  next(): { a: tf.Tensor4D; b: tf.Tensor4D } {
    const indicesA: number[] = [];
    const indicesB: number[] = [];
    for (let i = 0; i < this.batchSize; i++) {
      if (this.order.length === 0) this.order = this.shuffled(this.a.length);
      indicesA.push(this.order.pop() as number);
      indicesB.push(this.rng.int(this.b.length));
    }
    this.drawn += this.batchSize;
    const crops = this.augment ? this.rng : null;
    return { a: this.a.batch(indicesA, crops), b: this.b.batch(indicesB, crops) };
  }

  private shuffled(n: number): number[] {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  }
}
