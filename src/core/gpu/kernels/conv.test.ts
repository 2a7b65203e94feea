import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { dawnDevice } from '../../testing/dawn';
import { planWith, runPlan } from '../../testing/gpuPlans';
import { relativeError, valuesOn } from '../../testing/backends';
import { makeRng } from '../../data/random';
import { convBackwardInput, convBackwardWeight, convForward, outputSize, type ConvGeometry } from './conv';
import type { Activation } from './activation';
import { reflectionPad } from '../../networks/layers';

function randoms(n: number, seed: string): Float32Array {
  const rng = makeRng(seed);
  return Float32Array.from({ length: n }, () => rng.next() * 2 - 1);
}

/** The same convolution in tfjs ops: upsample, pad, valid conv, bias, activation. */
function tfConv(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D | null, g: ConvGeometry, act: Activation): tf.Tensor4D {
  let v = g.up === 2 ? tf.image.resizeNearestNeighbor(x, [g.h * 2, g.w * 2]) : x;
  const pads: [number, number][] = [[0, 0], [g.padTop, g.padBottom], [g.padTop, g.padBottom], [0, 0]];
  // The project's reflection pad: tfjs's MirrorPad gradient drops the mirrored part.
  v = g.pad === 'reflect' ? (reflectionPad(v, g.padTop) as tf.Tensor4D) : tf.pad(v, pads);
  let y = tf.conv2d(v, w, g.stride, 'valid');
  if (b) y = y.add(b);
  if (act === 'relu') return tf.relu(y);
  if (act === 'lrelu') return tf.leakyRelu(y, 0.2);
  if (act === 'tanh') return tf.tanh(y);
  return y;
}

const cases: [string, ConvGeometry, Activation, boolean][] = [
  ['7×7 reflect 3 (c7s1)', { n: 2, h: 10, w: 8, ci: 3, co: 5, k: 7, stride: 1, padTop: 3, padBottom: 3, pad: 'reflect', up: 1 }, 'none', false],
  ['3×3 stride 2 same (down)', { n: 1, h: 8, w: 8, ci: 4, co: 6, k: 3, stride: 2, padTop: 0, padBottom: 1, pad: 'zero', up: 1 }, 'none', false],
  ['resize ×2 then reflect 1 (up)', { n: 1, h: 4, w: 6, ci: 5, co: 3, k: 3, stride: 1, padTop: 1, padBottom: 1, pad: 'reflect', up: 2 }, 'none', false],
  ['PatchGAN 4×4 stride 2 zero 1, bias, leaky ReLU', { n: 2, h: 12, w: 12, ci: 3, co: 8, k: 4, stride: 2, padTop: 1, padBottom: 1, pad: 'zero', up: 1 }, 'lrelu', true],
  ['PatchGAN last 4×4 stride 1, bias', { n: 1, h: 6, w: 6, ci: 20, co: 1, k: 4, stride: 1, padTop: 1, padBottom: 1, pad: 'zero', up: 1 }, 'none', true],
  ['wide 3×3 reflect (residual), 70 filters', { n: 1, h: 5, w: 5, ci: 70, co: 70, k: 3, stride: 1, padTop: 1, padBottom: 1, pad: 'reflect', up: 1 }, 'relu', false],
  // Few output tiles: the tiled family splits K across workgroups and sums the parts after.
  ['K split: 3×3 reflect on a small image, bias, leaky ReLU', { n: 1, h: 6, w: 6, ci: 40, co: 24, k: 3, stride: 1, padTop: 1, padBottom: 1, pad: 'reflect', up: 1 }, 'lrelu', true],
  ['7×7 reflect out, bias, tanh', { n: 1, h: 8, w: 8, ci: 6, co: 3, k: 7, stride: 1, padTop: 3, padBottom: 3, pad: 'reflect', up: 1 }, 'tanh', true],
];

// Both kernel families: workgroup tiles (real GPUs) and direct reads (software adapters).
const families = [false, true].flatMap((software) => cases.map(([name, ...rest]) => [`${name}, ${software ? 'direct' : 'tiled'}`, ...rest, software] as const));

describe('convolution kernels against tfjs cpu', () => {
  it.each(families)('%s: forward, input and weight gradients', async (_, g, act, withBias, software) => {
    const gpu = { ...(await dawnDevice()), software };
    const { ho, wo } = outputSize(g);
    const xs = randoms(g.n * g.h * g.w * g.ci, 'x');
    const ws = randoms(g.k * g.k * g.ci * g.co, 'w');
    const bs = randoms(g.co, 'b');
    const rs = randoms(g.n * ho * wo * g.co, 'r');
    const [yRef, dxRef, dwRef, dbRef] = await valuesOn('cpu', () => {
      const x = tf.tensor4d(xs, [g.n, g.h, g.w, g.ci]);
      const w = tf.tensor4d(ws, [g.k, g.k, g.ci, g.co]);
      const b = tf.tensor1d(bs);
      const r = tf.tensor4d(rs, [g.n, ho, wo, g.co]);
      const f = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tfConv(xx as tf.Tensor4D, ww as tf.Tensor4D, withBias ? (bb as tf.Tensor1D) : null, g, act).mul(r).sum().add(bb.sum().mul(0));
      const grads = tf.grads(f)([x, w, b]);
      return [tfConv(x, w, withBias ? b : null, g, act), ...grads];
    });
    const { plan, input } = planWith(gpu);
    const x = input([g.n, g.h, g.w, g.ci], xs);
    const w = input([g.k, g.k, g.ci, g.co], ws);
    const b = withBias ? input([g.co], bs) : null;
    const y = convForward(plan, x, w, b, g, act);
    const dy = input([g.n, ho, wo, g.co], rs);
    const dx = input([g.n, g.h, g.w, g.ci], new Float32Array(xs.length).fill(1));
    const dw = input([ws.length], new Float32Array(ws.length));
    const db = input([g.co], new Float32Array(g.co));
    convBackwardInput(plan, dy, y, w, g, act, { view: dx, accumulate: true });
    convBackwardWeight(plan, x, dy, y, g, act, dw, withBias ? db : null);
    const [yv, dxv, dwv, dbv] = await runPlan(gpu, plan, [y, dx, dw, db]);
    plan.dispose();
    expect(relativeError(yv, yRef)).toBeLessThan(1e-4);
    // dx started at 1 and the kernel accumulates into it.
    expect(relativeError(dxv.map((v) => v - 1), dxRef)).toBeLessThan(1e-4);
    expect(relativeError(dwv, dwRef)).toBeLessThan(1e-4);
    if (withBias) expect(relativeError(dbv, dbRef)).toBeLessThan(1e-4);
  });
});
