// GAN Style Studio's custom tfjs layers: InstanceNorm, ReflectionPad2D, GlobalGrade and ClipRange.
// MIT licence.
// This file is both what the app trains with and what it hands out beside exported models, so it
// takes tfjs as an argument instead of importing it: the caller's copy of tfjs gets the layers.
//
//   import * as tf from '@tensorflow/tfjs';
//   import { registerGanStudioLayers } from './gan-studio-layers.js';
//   registerGanStudioLayers(tf);
//   const model = await tf.loadLayersModel('generator-AtoB/model.json');

/**
 * Kernels a backend may register to run an affine instance norm in one pass each way (the app
 * does on wasm), with the forward kernel's gradient (tf.registerGradient) calling the backward
 * one; without them the layer composes tfjs ops, as it does wherever it is exported to.
 */
export const INSTANCE_NORM_KERNELS = { forward: 'GanStudioInstanceNorm', backward: 'GanStudioInstanceNormGrad' };

/** A kernel a backend may register for reflection padding's gradient (dy → dx, attr `pad`), in one pass. */
export const REFLECTION_PAD_GRAD_KERNEL = 'GanStudioReflectionPadGrad';

/**
 * Kernels a backend may register for GlobalGrade's per-pixel part (tone curves, gain, offset,
 * mix), one each way and a gradient as above: composed, its knot loop costs ~8 ops per knot
 * forward and more backward.
 */
export const GRADE_KERNELS = { forward: 'GanStudioGradeCurves', backward: 'GanStudioGradeCurvesGrad' };

/**
 * Kernels a backend may register for GlobalGrade's detail term on RGB images: from x [n, h, w, 3]
 * and k [3], x + k·(x − its 3×3 mean), in one pass each way; the backward one returns dx and dk.
 */
export const LOCAL_DETAIL_KERNELS = { forward: 'GanStudioLocalDetail', backward: 'GanStudioLocalDetailGrad' };

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
      const gradFunc = (dy) =>
        tf.getKernel(REFLECTION_PAD_GRAD_KERNEL, tf.getBackend())
          ? tf.engine().runKernel(REFLECTION_PAD_GRAD_KERNEL, { dy }, { pad })
          : foldReflected(foldReflected(dy, 1, pad, input.shape[1]), 2, pad, input.shape[2]);
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
        if (this.gamma && this.beta && x.rank === 4 && tf.getKernel(INSTANCE_NORM_KERNELS.forward, tf.getBackend())) {
          return tf.engine().runKernel(INSTANCE_NORM_KERNELS.forward, { x, gamma: this.gamma.read(), beta: this.beta.read() }, { epsilon: this.epsilon });
        }
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

  /**
   * Each pixel's 3×3 mean over the pixels inside the image: the window's sum (a 'valid' average
   * pool of the zero-padded image, times 9) over its count. tfjs's 'same' average pool computes
   * the same, but its gradient divides border windows by 9.
   */
  function localMean(x) {
    const boxSum = (t) => tf.avgPool(tf.pad(t, [[0, 0], [1, 1], [1, 1], [0, 0]]), 3, 1, 'valid').mul(9);
    return boxSum(x).div(boxSum(tf.onesLike(x)));
  }

  /**
   * A grade applied the same everywhere in the image, starting as the identity. Per channel: a
   * detail gain (plus a multiple of the image minus its 3×3 average: sharper above zero, softer
   * below), a tone curve (piecewise linear, `knots` evenly spaced over [-1, 1]), a gain about
   * mid-grey and an offset; then a 3×3 mix of the channels.
   * The detail gain, gain and offset — one each per channel, exactly what the colour loss's
   * statistics (mean, spread, sharpness) pin down — are stored divided by `rate`: Adam's steps
   * have the same size for every weight, so these few global weights move `rate` times faster
   * than the convolutions' many local ones and the grade arrives in the first minutes. The
   * curves and the mix, which those statistics do not pin down, learn at the common pace.
   */
  class GlobalGrade extends tf.layers.Layer {
    static className = 'GlobalGrade';

    constructor(args = {}) {
      super(args);
      this.knots = args.knots ?? 8;
      this.rate = args.rate ?? 10;
      if (!Number.isInteger(this.knots) || this.knots < 2) throw new Error(`Expected knots to be a whole number of at least 2, got ${this.knots}`);
    }

    build() {
      const zeros = tf.initializers.zeros();
      this.detail = this.addWeight('detail', [3], 'float32', zeros);
      this.curves = this.addWeight('curves', [3, this.knots], 'float32', zeros);
      this.gain = this.addWeight('gain', [3], 'float32', zeros);
      this.offset = this.addWeight('offset', [3], 'float32', zeros);
      this.mix = this.addWeight('mix', [3, 3], 'float32', zeros);
      this.built = true;
    }

    call(inputs) {
      return tf.tidy(() => {
        const input = Array.isArray(inputs) ? inputs[0] : inputs;
        const rate = this.rate;
        const k = this.detail.read().mul(rate);
        const x =
          input.rank === 4 && input.shape[3] === 3 && tf.getKernel(LOCAL_DETAIL_KERNELS.forward, tf.getBackend())
            ? tf.engine().runKernel(LOCAL_DETAIL_KERNELS.forward, { x: input, k }, {})
            : input.add(input.sub(localMean(input)).mul(k));
        // Knot k sits at t = k; each pixel takes the hat-weighted blend of its two nearest knots.
        const curves = this.curves.read();
        if (x.rank === 4 && tf.getKernel(GRADE_KERNELS.forward, tf.getBackend())) {
          return tf.engine().runKernel(GRADE_KERNELS.forward, { x, curves, gain: this.gain.read(), offset: this.offset.read(), mix: this.mix.read() }, { rate });
        }
        const t = x.add(1).mul((this.knots - 1) / 2);
        let curved = x;
        for (let k = 0; k < this.knots; k++) {
          const hat = tf.relu(tf.scalar(1).sub(t.sub(k).abs()));
          curved = curved.add(hat.mul(curves.slice([0, k], [3, 1]).reshape([3])));
        }
        const graded = curved.mul(this.gain.read().mul(rate).add(1)).add(this.offset.read().mul(rate));
        const shape = graded.shape;
        return graded.add(tf.matMul(graded.reshape([-1, 3]), this.mix.read()).reshape(shape));
      });
    }

    getConfig() {
      return { ...super.getConfig(), knots: this.knots, rate: this.rate };
    }
  }

  /** Clips to the pixel range [-1, 1]: the last layer of a generator that adds a change to its input. */
  class ClipRange extends tf.layers.Layer {
    static className = 'ClipRange';

    call(inputs) {
      return tf.clipByValue(Array.isArray(inputs) ? inputs[0] : inputs, -1, 1);
    }
  }

  return { InstanceNorm, ReflectionPad2D, GlobalGrade, ClipRange, reflectionPad, localMean };
}

/** Defines the layers against `tf` and registers them, so tf.loadLayersModel can rebuild them. */
export function registerGanStudioLayers(tf) {
  const layers = defineCustomLayers(tf);
  tf.serialization.registerClass(layers.InstanceNorm);
  tf.serialization.registerClass(layers.ReflectionPad2D);
  tf.serialization.registerClass(layers.GlobalGrade);
  tf.serialization.registerClass(layers.ClipRange);
  return layers;
}
