// GAN Style Studio's custom tfjs layers: InstanceNorm and ReflectionPad2D. MIT licence.
// This file is both what the app trains with and what it hands out beside exported models, so it
// takes tfjs as an argument instead of importing it: the caller's copy of tfjs gets the layers.
//
//   import * as tf from '@tensorflow/tfjs';
//   import { registerGanStudioLayers } from './gan-studio-layers.js';
//   registerGanStudioLayers(tf);
//   const model = await tf.loadLayersModel('generator-AtoB/model.json');

/** Builds the layer classes against the given tfjs; see registerGanStudioLayers to also register them. */
export function defineCustomLayers(tf) {
  // Adds back onto the first and last `pad` entries of an axis the gradient that reflection
  // padding sent to the mirrored copies: tfjs's own MirrorPad gradient drops it.
  function foldReflected(dy, axis, pad, n) {
    const size = (start, length) => {
      const begin = [0, 0, 0, 0];
      const extent = [-1, -1, -1, -1];
      begin[axis] = start;
      extent[axis] = length;
      return [begin, extent];
    };
    // Reversing a strip by slicing is cheaper than the Reverse kernel on wasm.
    const reversedStrip = (start) =>
      pad === 1 ? tf.slice(dy, ...size(start, 1)) : tf.concat(Array.from({ length: pad }, (_, k) => tf.slice(dy, ...size(start + pad - 1 - k, 1))), axis);
    const padAlong = (t, lo, hi) => {
      const paddings = [[0, 0], [0, 0], [0, 0], [0, 0]];
      paddings[axis] = [lo, hi];
      return tf.pad(t, paddings);
    };
    // Padded entry (pad - k) mirrors source k, so the reversed strips land on 1..pad and n-1-pad..n-2.
    const centre = tf.slice(dy, ...size(pad, n));
    return centre.add(padAlong(reversedStrip(0), 1, n - 1 - pad)).add(padAlong(reversedStrip(pad + n), n - 1 - pad, 1));
  }

  /** Reflection padding of H and W (NHWC) with a correct gradient. Needs pad < H and pad < W. */
  function reflectionPad(x, pad) {
    const padOp = tf.customGrad((input) => {
      const value = tf.mirrorPad(input, [[0, 0], [pad, pad], [pad, pad], [0, 0]], 'reflect');
      const gradFunc = (dy) => foldReflected(foldReflected(dy, 1, pad, input.shape[1]), 2, pad, input.shape[2]);
      return { value, gradFunc };
    });
    return padOp(x);
  }

  /**
   * Instance normalisation: each image's channels are normalised over their own pixels. CycleGAN
   * relies on it because batch statistics over one image per batch leak style between images.
   */
  class InstanceNorm extends tf.layers.Layer {
    static className = 'InstanceNorm';

    constructor(args = {}) {
      super(args);
      this.epsilon = args.epsilon ?? 1e-5;
      this.affine = args.affine ?? true;
      this.gamma = null;
      this.beta = null;
    }

    build(inputShape) {
      const shape = Array.isArray(inputShape[0]) ? inputShape[0] : inputShape;
      const channels = shape[shape.length - 1];
      if (channels == null) throw new Error('InstanceNorm needs a known channel count');
      if (this.affine) {
        this.gamma = this.addWeight('gamma', [channels], 'float32', tf.initializers.ones());
        this.beta = this.addWeight('beta', [channels], 'float32', tf.initializers.zeros());
      }
      this.built = true;
    }

    call(inputs) {
      return tf.tidy(() => {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        const { mean, variance } = tf.moments(x, [1, 2], true);
        const normalised = x.sub(mean).mul(tf.rsqrt(variance.add(this.epsilon)));
        if (!this.gamma || !this.beta) return normalised;
        return normalised.mul(this.gamma.read()).add(this.beta.read());
      });
    }

    getConfig() {
      return { ...super.getConfig(), epsilon: this.epsilon, affine: this.affine };
    }
  }

  /** Keras-style layer around reflectionPad; CycleGAN pads this way to avoid border artefacts. */
  class ReflectionPad2D extends tf.layers.Layer {
    static className = 'ReflectionPad2D';

    constructor(args) {
      super(args);
      if (!Number.isInteger(args.padding) || args.padding < 1) {
        throw new Error(`Expected padding to be a positive whole number, got ${args.padding}`);
      }
      this.padding = args.padding;
    }

    computeOutputShape(inputShape) {
      const grow = (d) => (d == null ? null : d + 2 * this.padding);
      return [inputShape[0], grow(inputShape[1]), grow(inputShape[2]), inputShape[3]];
    }

    call(inputs) {
      return reflectionPad(Array.isArray(inputs) ? inputs[0] : inputs, this.padding);
    }

    getConfig() {
      return { ...super.getConfig(), padding: this.padding };
    }
  }

  return { InstanceNorm, ReflectionPad2D, reflectionPad };
}

/** Defines the layers against `tf` and registers them, so tf.loadLayersModel can rebuild them. */
export function registerGanStudioLayers(tf) {
  const layers = defineCustomLayers(tf);
  tf.serialization.registerClass(layers.InstanceNorm);
  tf.serialization.registerClass(layers.ReflectionPad2D);
  return layers;
}
