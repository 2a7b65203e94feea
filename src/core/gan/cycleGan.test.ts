import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectWasmBackend } from '../backends/nodeWasm';
import { randomBatches } from '../testing/randomBatches';
import { makeConfig, type TrainingConfig } from '../config';
import { CycleGan } from './cycleGan';
import { colourStats } from '../data/colourStats';
import { LOSS_NAMES, type LossRecord } from './state';

const tiny = (overrides: Partial<TrainingConfig> = {}) =>
  makeConfig({ resolution: 32, genFilters: 4, genResBlocks: 1, discFilters: 4, discLayers: 2, poolSize: 4, ...overrides });

beforeAll(async () => {
  await selectWasmBackend();
});

describe('CycleGan.step', () => {
  it.each(['bce', 'lsgan', 'hinge'] as const)('returns every loss as a finite number (%s)', async (adversarialLoss) => {
    const gan = new CycleGan(tiny({ adversarialLoss }));
    const { a, b } = randomBatches(1, 2);
    const losses = await gan.step(a, b);
    expect(Object.keys(losses)).toEqual([...LOSS_NAMES]);
    for (const v of Object.values(losses)) expect(Number.isFinite(v)).toBe(true);
    const sum = losses.advG + losses.advF + losses.cycleA + losses.cycleB + losses.idtG + losses.idtF + losses.colourG + losses.colourF + losses.changeG + losses.changeF;
    expect(losses.totalG).toBeCloseTo(sum, 4);
    expect(gan.stepCount).toBe(1);
    gan.dispose();
    tf.dispose([a, b]);
  });

  it('updates every trainable variable of all four networks', async () => {
    const gan = new CycleGan(tiny());
    const nets = [gan.genAB, gan.genBA, gan.discA, gan.discB];
    const before = nets.flatMap((m) => m.trainableWeights.map((w) => ({ name: w.name, value: w.read().clone() })));
    expect(before.length).toBeGreaterThan(20);
    const { a, b } = randomBatches(3);
    // A generator that starts from the photo has a zero last layer: the layers before it learn from the second step.
    await gan.step(a, b);
    await gan.step(a, b);
    const after = nets.flatMap((m) => m.trainableWeights.map((w) => w.read()));
    const unchanged = before.filter((v, i) => tf.tidy(() => tf.sub(v.value, after[i]).abs().max().dataSync()[0]) === 0).map((v) => v.name);
    expect(unchanged).toEqual([]);
    gan.dispose();
    tf.dispose([a, b, ...before.map((v) => v.value)]);
  });

  it('with a colour reference, reports the colour losses, which pull the grades towards the other set’s statistics, without leaking tensors', async () => {
    const gan = new CycleGan(tiny({ poolSize: 0, lambdaColour: 10, learningRateG: 2e-3 }));
    // The style set is the content set made brighter: G's grade must brighten, F's darken.
    const content = tf.randomUniform([6, 32, 32, 3], -0.8, 0.2, 'float32', 21) as tf.Tensor4D;
    const style = content.add(0.5) as tf.Tensor4D;
    gan.useColourReference({ content, style, contentStats: colourStats(content), styleStats: colourStats(style) });
    const { a, b } = randomBatches(7);
    const first = await gan.step(a, b);
    expect(first.colourG).toBeGreaterThan(0);
    expect(first.colourF).toBeGreaterThan(0);
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 30; i++) last = await gan.step(a, b);
    expect(tf.memory().numTensors).toBe(before);
    expect(last.colourG).toBeLessThan(first.colourG / 2);
    const brightness = (direction: 'AtoB' | 'BtoA', x: tf.Tensor4D) => tf.tidy(() => gan.translate(x, direction).sub(x).mean().dataSync()[0]);
    expect(brightness('AtoB', content)).toBeGreaterThan(0.1);
    expect(brightness('BtoA', style)).toBeLessThan(-0.1);
    gan.dispose();
    tf.dispose([a, b]);
  });

  it('leaves the tensor count unchanged over 50 steps once the image pools are full', async () => {
    const gan = new CycleGan(tiny({ poolSize: 3 }));
    const { a, b } = randomBatches(5);
    for (let i = 0; i < 3; i++) await gan.step(a, b);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) await gan.step(a, b);
    expect(tf.memory().numTensors).toBe(before);
    gan.dispose();
    tf.dispose([a, b]);
  });

  it('releases everything it created on dispose', async () => {
    const start = tf.memory().numTensors;
    const gan = new CycleGan(tiny());
    const { a, b } = randomBatches(7);
    for (let i = 0; i < 6; i++) await gan.step(a, b);
    gan.dispose();
    tf.dispose([a, b]);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('same seed gives the same first-step losses; another seed does not', async () => {
    const first = async (seed: number): Promise<LossRecord> => {
      const gan = new CycleGan(tiny({ seed }));
      const { a, b } = randomBatches(9);
      const losses = await gan.step(a, b);
      gan.dispose();
      tf.dispose([a, b]);
      return losses;
    };
    const one = await first(11);
    expect(await first(11)).toEqual(one);
    expect((await first(12)).totalG).not.toBe(one.totalG);
  });

  it('follows the learning-rate schedule and takes live hyperparameter changes', async () => {
    const gan = new CycleGan(tiny({ totalSteps: 4, decayStartStep: 2, learningRateG: 1e-3, learningRateD: 2e-3 }));
    const { a, b } = randomBatches(13);
    expect(gan.learningRates()).toEqual({ g: 1e-3, d: 2e-3 });
    for (let i = 0; i < 3; i++) await gan.step(a, b);
    expect(gan.learningRates().g).toBeCloseTo(5e-4, 12);
    gan.updateSettings({ lambdaCycle: 0, lambdaIdentity: 0 });
    const losses = await gan.step(a, b);
    expect([losses.cycleA, losses.cycleB, losses.idtG, losses.idtF]).toEqual([0, 0, 0, 0]);
    gan.dispose();
    tf.dispose([a, b]);
  });

  it('gives an image the same translation alone as in a batch with others, which its generator calls rely on', async () => {
    const gan = new CycleGan(tiny());
    const { a, b } = randomBatches(1, 4);
    // Trained a little, so that the generators no longer hand back the photo.
    for (let i = 0; i < 3; i++) await gan.step(a, b);
    const [alone, batched] = tf.tidy(() => [gan.genBA.apply(a) as tf.Tensor, tf.split(gan.genBA.apply(tf.concat([a, b])) as tf.Tensor, 2)[0]]);
    expect(tf.tidy(() => tf.abs(alone.sub(a)).max().dataSync()[0])).toBeGreaterThan(1e-3);
    expect(tf.tidy(() => tf.abs(alone.sub(batched)).max().dataSync()[0])).toBeLessThan(1e-5);
    tf.dispose([alone, batched, a, b]);
    gan.dispose();
  });

  it('translates in both directions keeping the image size', () => {
    const gan = new CycleGan(tiny());
    const x = tf.zeros([1, 40, 48, 3]) as tf.Tensor4D;
    for (const dir of ['AtoB', 'BtoA'] as const) {
      const y = gan.translate(x, dir);
      expect(y.shape).toEqual([1, 40, 48, 3]);
      y.dispose();
    }
    gan.dispose();
    x.dispose();
  });
});

describe('CycleGan state', () => {
  it('restored into a fresh instance, training continues exactly as if never interrupted', async () => {
    const config = tiny({ poolSize: 0 });
    const original = new CycleGan(config);
    const data = [randomBatches(21), randomBatches(23), randomBatches(25)];
    await original.step(data[0].a, data[0].b);
    await original.step(data[1].a, data[1].b);
    const state = await original.getState();
    expect(state.stepCount).toBe(2);
    expect(state.optimizers.g.length).toBeGreaterThan(10);

    // A different seed proves the weights really come from the state, not from initialisation.
    const restored = new CycleGan({ ...config, seed: 999 });
    await restored.setState(state);
    expect(restored.stepCount).toBe(2);
    const expected = await original.step(data[2].a, data[2].b);
    const actual = await restored.step(data[2].a, data[2].b);
    for (const name of LOSS_NAMES) expect(actual[name]).toBeCloseTo(expected[name], 5);
    expect(restored.learningRates()).toEqual(original.learningRates());

    original.dispose();
    restored.dispose();
    tf.dispose(data.flatMap((d) => [d.a, d.b]));
  });

  it('refuses a state of another architecture without changing anything', async () => {
    const small = new CycleGan(tiny());
    const state = await small.getState();
    const bigger = new CycleGan(tiny({ genFilters: 8 }));
    const before = await bigger.getState();
    await expect(bigger.setState(state)).rejects.toThrow(/Expected genAB weight .* of shape \[7,7,3,8\], got \[7,7,3,4\]/);
    const after = await bigger.getState();
    expect(after.networks.genAB?.[0].values).toEqual(before.networks.genAB?.[0].values);
    small.dispose();
    bigger.dispose();
  });
});
