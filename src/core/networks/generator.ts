import * as tf from '@tensorflow/tfjs';
import type { GeneratorStart, UpsamplingMode } from '../config';
import { ClipRange, GlobalGrade, InstanceNorm, ReflectionPad2D } from './layers';
import type { Rng } from '../data/random';
import { normalInit } from './init';

export interface GeneratorOptions {
  /** k in c7s1-k: filters of the first layer; the bottleneck has 4k. */
  filters: number;
  resBlocks: number;
  upsampling: UpsamplingMode;
  /** 'identity': the photo plus a learned colour grade and change; 'random': the paper's plain generator. */
  start: GeneratorStart;
  name: string;
}

type Sym = tf.SymbolicTensor;

/**
 * CycleGAN's ResNet generator: c7s1-k, d2k, d4k, N × R4k, u2k, uk, c7s1-3, tanh.
 * Fully convolutional with unknown height and width, so a model trained at one size runs on any
 * size that is a multiple of 4 (the two stride-2 steps must divide it evenly).
 * With `start: 'identity'` the same network, without the tanh and with its last convolution
 * starting at zero, becomes a change added to a global colour grade of the input (which starts as
 * the identity), clipped to the pixel range: the untrained generator gives back the photo, and
 * learning starts from the style's difference instead of from reproducing the photo.
 */
export function buildGenerator(options: GeneratorOptions, rng: Rng): tf.LayersModel {
  const { filters: k, resBlocks, upsampling, start, name } = options;
  let n = 0;
  const id = (what: string) => `${name}_${what}${++n}`;
  const conv = (x: Sym, f: number, size: number, strides = 1, padding: 'same' | 'valid' = 'valid', useBias = false, zero = false) =>
    tf.layers
      .conv2d({ filters: f, kernelSize: size, strides, padding, useBias, kernelInitializer: zero ? 'zeros' : normalInit(rng), name: id('conv') })
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
  if (start === 'random') {
    x = conv(reflect(x, 3), 3, 7, 1, 'valid', true);
    const output = tf.layers.activation({ activation: 'tanh', name: id('tanh') }).apply(x) as Sym;
    return tf.model({ inputs: input, outputs: output, name });
  }
  const change = conv(reflect(x, 3), 3, 7, 1, 'valid', true, true);
  const graded = new GlobalGrade({ name: id('grade') }).apply(input) as Sym;
  const sum = tf.layers.add({ name: id('change') }).apply([graded, change]) as Sym;
  return tf.model({ inputs: input, outputs: new ClipRange({ name: id('clip') }).apply(sum) as Sym, name });
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

/**
 * The part of an identity-start generator that the colour loss trains: its input through the
 * global grade alone (sharing the generator's weights).
 * The loss's statistics are as easily met by adding noise as by grading, so only the grade,
 * which can do nothing but grade, is asked to meet them; the local change learns from the
 * discriminator. Null for the paper's generator, which has no grade (nor colour loss).
 */
export function gradeOf(generator: tf.LayersModel): tf.LayersModel | null {
  const grade = generator.layers.find((l) => l.getClassName() === GlobalGrade.className);
  return grade ? tf.model({ inputs: generator.inputs, outputs: grade.output as Sym, name: `${generator.name}_grade` }) : null;
}
