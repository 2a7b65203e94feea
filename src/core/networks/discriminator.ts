import * as tf from '@tensorflow/tfjs';
import { InstanceNorm } from './layers';
import type { Rng } from '../data/random';
import { normalInit } from './init';

export interface DiscriminatorOptions {
  /** Filters of the first layer; doubled per layer up to 8×. */
  filters: number;
  /** Stride-2 layers; 3 gives the 70×70 PatchGAN. */
  layers: number;
  name: string;
}

type Sym = tf.SymbolicTensor;

/** Kernel size and stride of every conv of the PatchGAN, input to output. */
function convStack(layers: number): { kernel: number; stride: number }[] {
  return [
    ...Array.from({ length: layers }, () => ({ kernel: 4, stride: 2 })),
    { kernel: 4, stride: 1 },
    { kernel: 4, stride: 1 },
  ];
}

/** Side in pixels of the input patch that one output of the PatchGAN judges (70 for 3 layers). */
export function receptiveField(layers: number): number {
  return convStack(layers).reduceRight((field, { kernel, stride }) => (field - 1) * stride + kernel, 1);
}

/**
 * PatchGAN discriminator (pix2pix/CycleGAN): a fully convolutional net that scores every
 * overlapping patch as real or fake, outputting raw logits (no sigmoid; losses apply their own).
 */
export function buildDiscriminator(options: DiscriminatorOptions, rng: Rng): tf.LayersModel {
  const { filters, layers, name } = options;
  let n = 0;
  const id = (what: string) => `${name}_${what}${++n}`;
  const input = tf.input({ shape: [null, null, 3], name: `${name}_input` });
  let x: Sym = input;
  convStack(layers).forEach(({ kernel, stride }, i) => {
    const last = i === layers + 1;
    const f = last ? 1 : filters * Math.min(2 ** i, 8);
    // Zero-pad 1 then a valid conv reproduces the reference padding=1 for both strides.
    x = tf.layers.zeroPadding2d({ padding: 1, name: id('pad') }).apply(x) as Sym;
    const normed = i > 0 && !last;
    x = tf.layers
      .conv2d({ filters: f, kernelSize: kernel, strides: stride, padding: 'valid', useBias: !normed, kernelInitializer: normalInit(rng), name: id('conv') })
      .apply(x) as Sym;
    if (normed) x = new InstanceNorm({ name: id('in') }).apply(x) as Sym;
    if (!last) x = tf.layers.leakyReLU({ alpha: 0.2, name: id('lrelu') }).apply(x) as Sym;
  });
  return tf.model({ inputs: input, outputs: x, name });
}
