import * as tf from '@tensorflow/tfjs';

/**
 * Adds back onto the first `pad` and last `pad` entries of a length-`n` axis the gradient that
 * reflection padding sent to the mirrored copies. tfjs's own MirrorPad gradient only slices the
 * centre out, which silently drops those contributions at every image border.
 */
function foldReflected(dy: tf.Tensor4D, axis: 1 | 2, pad: number, n: number): tf.Tensor4D {
  const size = (start: number, length: number): [number[], number[]] => {
    const begin = [0, 0, 0, 0];
    const extent = [-1, -1, -1, -1];
    begin[axis] = start;
    extent[axis] = length;
    return [begin, extent];
  };
  // Reversing a strip of `pad` entries by slicing is cheaper than the Reverse kernel on wasm.
  const reversedStrip = (start: number) =>
    pad === 1 ? tf.slice(dy, ...size(start, 1)) : tf.concat(Array.from({ length: pad }, (_, k) => tf.slice(dy, ...size(start + pad - 1 - k, 1))), axis);
  const centre = tf.slice(dy, ...size(pad, n));
  const before = reversedStrip(0);
  const after = reversedStrip(pad + n);
  const padAlong = (t: tf.Tensor4D, lo: number, hi: number): tf.Tensor4D => {
    const paddings: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 0]];
    paddings[axis] = [lo, hi];
    return tf.pad(t, paddings);
  };
  // Padded entry (pad - k) mirrors source k, so the reversed "before" strip lands on 1..pad;
  // the reversed "after" strip lands on n-1-pad..n-2.
  return centre.add(padAlong(before, 1, n - 1 - pad)).add(padAlong(after, n - 1 - pad, 1));
}

/** Reflection padding of H and W with a correct gradient. Needs pad < H and pad < W. */
export function reflectionPad(x: tf.Tensor4D, pad: number): tf.Tensor4D {
  const padOp = tf.customGrad((input) => {
    const t = input as tf.Tensor4D;
    const value = tf.mirrorPad(t, [[0, 0], [pad, pad], [pad, pad], [0, 0]], 'reflect');
    const gradFunc = (dy: tf.Tensor): tf.Tensor => {
      const [, h, w] = t.shape;
      return foldReflected(foldReflected(dy as tf.Tensor4D, 1, pad, h), 2, pad, w);
    };
    return { value, gradFunc };
  });
  return padOp(x) as tf.Tensor4D;
}

export interface ReflectionPadArgs {
  padding: number;
  name?: string;
}

/** Keras-style layer around {@link reflectionPad}; CycleGAN pads this way to avoid border artefacts. */
export class ReflectionPad2D extends tf.layers.Layer {
  static readonly className = 'ReflectionPad2D';
  private readonly padding: number;

  constructor(args: ReflectionPadArgs) {
    super(args);
    if (!Number.isInteger(args.padding) || args.padding < 1) {
      throw new Error(`Expected padding to be a positive whole number, got ${args.padding}`);
    }
    this.padding = args.padding;
  }

  override computeOutputShape(inputShape: tf.Shape): tf.Shape {
    const grow = (d: number | null): number | null => (d == null ? null : d + 2 * this.padding);
    return [inputShape[0], grow(inputShape[1]), grow(inputShape[2]), inputShape[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return reflectionPad(x, this.padding);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding };
  }
}
