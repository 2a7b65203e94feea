import * as tf from '@tensorflow/tfjs';

export interface InstanceNormArgs extends tf.serialization.ConfigDict {
  epsilon: number;
  /** Learn a per-channel scale and offset after normalising (PyTorch's `affine`). */
  affine: boolean;
}

/**
 * Instance normalisation: each image's channels are normalised over their own spatial extent.
 * tfjs ships no such layer; CycleGAN relies on it because batch statistics over one image per
 * batch are meaningless and leak style between images.
 */
export class InstanceNorm extends tf.layers.Layer {
  static readonly className = 'InstanceNorm';
  private readonly epsilon: number;
  private readonly affine: boolean;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;

  constructor(args: Partial<InstanceNormArgs> & { name?: string; trainable?: boolean } = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-5;
    this.affine = args.affine ?? true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const channels = shape[shape.length - 1];
    if (channels == null) throw new Error('InstanceNorm needs a known channel count');
    if (this.affine) {
      this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones());
      this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
    }
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const { mean, variance } = tf.moments(x, [1, 2], true);
      const normalised = x.sub(mean).mul(tf.rsqrt(variance.add(this.epsilon)));
      if (!this.gamma || !this.beta) return normalised;
      return normalised.mul(this.gamma.read()).add(this.beta.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon, affine: this.affine };
  }
}
