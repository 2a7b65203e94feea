import * as tf from '@tensorflow/tfjs';
import type { UpsamplingMode } from '../config';
import { InstanceNorm, ReflectionPad2D } from './layers';
import type { Rng } from '../data/random';
import { normalInit } from './init';

export interface GeneratorOptions {
  /** k in c7s1-k: filters of the first layer; the bottleneck has 4k. */
  filters: number;
  resBlocks: number;
  upsampling: UpsamplingMode;
  name: string;
}

type Sym = tf.SymbolicTensor;

/**
 * CycleGAN's ResNet generator: c7s1-k, d2k, d4k, N × R4k, u2k, uk, c7s1-3, tanh.
 * Fully convolutional with unknown height and width, so a model trained at one size runs on any
 * size that is a multiple of 4 (the two stride-2 steps must divide it evenly).
 */
export function buildGenerator(options: GeneratorOptions, rng: Rng): tf.LayersModel {
  const { filters: k, resBlocks, upsampling, name } = options;
  let n = 0;
  const id = (what: string) => `${name}_${what}${++n}`;
  const conv = (x: Sym, f: number, size: number, strides = 1, padding: 'same' | 'valid' = 'valid', useBias = false) =>
    tf.layers
      .conv2d({ filters: f, kernelSize: size, strides, padding, useBias, kernelInitializer: normalInit(rng), name: id('conv') })
      .apply(x) as Sym;
  const norm = (x: Sym) => new InstanceNorm({ name: id('in') }).apply(x) as Sym;
  const relu = (x: Sym) => tf.layers.reLU({ name: id('relu') }).apply(x) as Sym;
  const reflect = (x: Sym, p: number) => new ReflectionPad2D({ padding: p, name: id('pad') }).apply(x) as Sym;

  const input = tf.input({ shape: [null, null, 3], name: `${name}_input` });
  let x = relu(norm(conv(reflect(input, 3), k, 7)));
  x = relu(norm(conv(x, 2 * k, 3, 2, 'same')));
  x = relu(norm(conv(x, 4 * k, 3, 2, 'same')));
  for (let b = 0; b < resBlocks; b++) {
    let y = relu(norm(conv(reflect(x, 1), 4 * k, 3)));
    y = norm(conv(reflect(y, 1), 4 * k, 3));
    x = tf.layers.add({ name: id('res') }).apply([x, y]) as Sym;
  }
  for (const f of [2 * k, k]) {
    if (upsampling === 'transpose') {
      x = tf.layers
        .conv2dTranspose({ filters: f, kernelSize: 3, strides: 2, padding: 'same', useBias: false, kernelInitializer: normalInit(rng), name: id('up') })
        .apply(x) as Sym;
    } else {
      // Nearest-neighbour resize then a conv avoids the checkerboard of uneven kernel overlap.
      x = tf.layers.upSampling2d({ size: [2, 2], interpolation: 'nearest', name: id('resize') }).apply(x) as Sym;
      x = conv(reflect(x, 1), f, 3);
    }
    x = relu(norm(x));
  }
  x = conv(reflect(x, 3), 3, 7, 1, 'valid', true);
  const output = tf.layers.activation({ activation: 'tanh', name: id('tanh') }).apply(x) as Sym;
  return tf.model({ inputs: input, outputs: output, name });
}

/**
 * The encoder layers whose features CUT's PatchNCE compares: the three conv blocks on the way
 * down (full, ½ and ¼ resolution) and the first and middle residual blocks, as CUT's layers
 * 4, 8, 12 and 16 do for its ResNet generator (the raw pixels, its layer 0, are added by the caller).
 */
export function encoderTaps(generator: tf.LayersModel): tf.SymbolicTensor[] {
  const named = (kind: string) => generator.layers.filter((l) => new RegExp(`^${generator.name}_${kind}\\d+$`).test(l.name));
  const downs = named('relu').slice(0, 3);
  const blocks = named('res');
  const taps = [...downs, blocks[0], blocks[Math.floor(blocks.length / 2)]].filter((l, i, all) => l && all.indexOf(l) === i);
  return taps.map((l) => l.output as tf.SymbolicTensor);
}
