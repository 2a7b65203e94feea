import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type AdversarialLoss, type TrainingConfig } from '../config';
import { CycleGan } from '../gan/cycleGan';
import { colourStats } from '../data/colourStats';
import { makeRng } from '../data/random';
import { LOSS_NAMES } from '../gan/state';
import { dawnDevice } from '../testing/dawn';
import { CycleGanEngine } from './cycleGanEngine';
import { readViews } from './transfer';

const R = 32;
const config = (adversarialLoss: AdversarialLoss): TrainingConfig => ({
  ...DEFAULT_CONFIG,
  resolution: R,
  genFilters: 4,
  genResBlocks: 1,
  discFilters: 4,
  poolSize: 2,
  lambdaIdentity: 0.5,
  lambdaChange: 10,
  adversarialLoss,
});

function images(count: number, seed: string): Float32Array<ArrayBuffer> {
  const rng = makeRng(seed);
  return Float32Array.from({ length: count * R * R * 3 }, () => rng.next() * 2 - 1);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('the CycleGAN engine against tfjs (cpu) from the same state', () => {
  // Hinge runs the kernels real GPUs use (workgroup tiles and tree sums) for one step (every
  // loss, then every weight after one update), since their barriers are slow on SwiftShader;
  // the others run the software adapter's kernels.
  it.each([['lsgan', true, 3], ['bce', true, 3], ['hinge', false, 1]] as const)('%s (software kernels: %s): losses and every weight after %i steps', async (kind, software, steps) => {
    await tf.setBackend('cpu');
    const gpu = { ...(await dawnDevice()), software };
    const cfg = config(kind);
    const model = new CycleGan(cfg);
    const content = images(10, 'content');
    const style = images(6, 'style');
    const [contentT, styleT] = [tf.tensor4d(content, [10, R, R, 3]), tf.tensor4d(style, [6, R, R, 3])];
    const [contentStats, styleStats] = [colourStats(contentT), colourStats(styleT)];
    const statsValues = { content: (await contentStats.data()) as Float32Array<ArrayBuffer>, style: (await styleStats.data()) as Float32Array<ArrayBuffer> };
    model.useColourReference({ content: contentT, style: styleT, contentStats, styleStats });

    const state = await model.getState();
    const specs = (name: 'genAB' | 'genBA' | 'discA' | 'discB') => state.networks[name]!.map((t) => ({ name: t.name, shape: t.shape }));
    const engine = new CycleGanEngine(gpu, cfg, { genAB: specs('genAB'), genBA: specs('genBA'), discA: specs('discA'), discB: specs('discB') }, makeRng(`${cfg.seed}:pool`));
    engine.g.write('values', [...state.networks.genAB!, ...state.networks.genBA!].map((t) => t.values));
    engine.d.write('values', [...state.networks.discA!, ...state.networks.discB!].map((t) => t.values));
    engine.useColourReference({ content, style, contentCount: 10, styleCount: 6, contentStats: statsValues.content, styleStats: statsValues.style });

    for (let step = 0; step < steps; step++) {
      const a = images(1, `a${step}`);
      const b = images(1, `b${step}`);
      const [ta, tb] = [tf.tensor4d(a, [1, R, R, 3]), tf.tensor4d(b, [1, R, R, 3])];
      const expected = await model.step(ta, tb);
      tf.dispose([ta, tb]);
      const got = await engine.step(a, b);
      LOSS_NAMES.forEach((name, i) => expect(Math.abs(got[i] - expected[name]), `${name} at step ${step}`).toBeLessThan(1e-3 * Math.max(1, Math.abs(expected[name]))));
    }
    const after = await model.getState();
    const [gFlat, dFlat] = await readViews(gpu, [engine.g.all('values'), engine.d.all('values')]);
    const tfWeights = [...after.networks.genAB!, ...after.networks.genBA!, ...after.networks.discA!, ...after.networks.discB!];
    const engineWeights = [...engine.g.split(gFlat), ...engine.d.split(dFlat)];
    // Absolute, not relative: some gradients are zero in exact arithmetic (an instance norm's β
    // before another instance norm), and Adam turns either side's rounding noise into ±lr steps.
    tfWeights.forEach((t, i) => expect(maxAbsDiff(engineWeights[i], t.values), t.name).toBeLessThan(1e-3));
    engine.dispose();
    model.dispose();
  });
});
