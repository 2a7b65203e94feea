import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectWasmBackend } from '../backends/nodeWasm';
import { randomBatches } from '../testing/randomBatches';
import { makeConfig, type TrainingConfig } from '../config';
import { CycleGan } from './cycleGan';
import { FastCut } from './fastCut';
import { colourStats } from '../data/colourStats';
import { lossesOf, LOSS_NAMES } from './state';

const tiny = (overrides: Partial<TrainingConfig> = {}) =>
  makeConfig({ model: 'fastcut', resolution: 32, genFilters: 4, genResBlocks: 1, discFilters: 4, discLayers: 2, ...overrides });

beforeAll(async () => {
  await selectWasmBackend();
});

describe('FastCut.step', () => {
  it.each(['fastcut', 'cut'] as const)('reports its own losses, finite, adding up to totalG, and zero for the rest (%s)', async (model) => {
    const gan = new FastCut(tiny({ model, lambdaChange: 10 }));
    const { a, b } = randomBatches(1, 2);
    gan.useColourReference({ content: a.clone(), style: b.clone(), contentStats: colourStats(a), styleStats: colourStats(b) });
    // The second step: on the first, a generator that starts from the photo has no change to pay for.
    await gan.step(a, b);
    const losses = await gan.step(a, b);
    const own = new Set(lossesOf(model));
    for (const name of LOSS_NAMES) {
      if (own.has(name)) expect(Number.isFinite(losses[name]) && losses[name] !== 0, name).toBe(true);
      else expect(losses[name], name).toBe(0);
    }
    expect(losses.totalG).toBeCloseTo(losses.advG + losses.nce + losses.nceIdt + losses.colourG + losses.changeG, 4);
    gan.dispose();
    tf.dispose([a, b]);
  });

  it('updates every trainable variable of the generator, the discriminator and the projection head', async () => {
    const gan = new FastCut(tiny());
    const nets = [gan.genAB, gan.discB, gan.nceHead];
    const before = nets.flatMap((m) => m.trainableWeights.map((w) => ({ name: w.name, value: w.read().clone() })));
    const { a, b } = randomBatches(3);
    // A generator that starts from the photo has a zero last layer: the layers before it learn from the second step.
    await gan.step(a, b);
    await gan.step(a, b);
    const after = nets.flatMap((m) => m.trainableWeights.map((w) => w.read()));
    const unchanged = before.filter((v, i) => tf.tidy(() => tf.sub(v.value, after[i]).abs().max().dataSync()[0]) === 0).map((v) => v.name);
    expect(unchanged).toEqual([]);
    expect(before.some((v) => v.name.startsWith('H_nce'))).toBe(true);
    gan.dispose();
    tf.dispose([a, b, ...before.map((v) => v.value)]);
  });

  it('learns: PatchNCE falls by more than a third over 40 steps on fixed images', async () => {
    const gan = new FastCut(tiny({ learningRateG: 1e-3 }));
    const { a, b } = randomBatches(5);
    const nce: number[] = [];
    for (let i = 0; i < 40; i++) nce.push((await gan.step(a, b)).nce);
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(mean(nce.slice(-5))).toBeLessThan((mean(nce.slice(0, 5)) * 2) / 3);
    gan.dispose();
    tf.dispose([a, b]);
  });

  it('leaves the tensor count unchanged over 30 steps and releases everything on dispose', async () => {
    const start = tf.memory().numTensors;
    const gan = new FastCut(tiny({ model: 'cut' }));
    const { a, b } = randomBatches(7);
    await gan.step(a, b);
    const warm = tf.memory().numTensors;
    for (let i = 0; i < 30; i++) await gan.step(a, b);
    expect(tf.memory().numTensors).toBe(warm);
    gan.dispose();
    tf.dispose([a, b]);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('has fewer weights than CycleGAN of the same size and translates only A→B', () => {
    const one = new FastCut(tiny());
    const two = new CycleGan(tiny({ model: 'cyclegan' }));
    const count = (models: tf.LayersModel[]) => models.reduce((n, m) => n + m.countParams(), 0);
    expect(count([one.genAB, one.discB, one.nceHead])).toBeLessThan(count([two.genAB, two.genBA, two.discA, two.discB]));
    const x = tf.zeros([1, 40, 48, 3]) as tf.Tensor4D;
    const y = one.translate(x, 'AtoB');
    expect(y.shape).toEqual([1, 40, 48, 3]);
    expect(one.generator('BtoA')).toBeNull();
    expect(() => one.translate(x, 'BtoA')).toThrow(/does not translate BtoA/);
    tf.dispose([x, y]);
    one.dispose();
    two.dispose();
  });
});

describe('FastCut state', () => {
  it('restored into a fresh instance, training continues exactly as if never interrupted', async () => {
    const config = tiny({ model: 'cut' });
    const original = new FastCut(config);
    const data = [randomBatches(21), randomBatches(23), randomBatches(25)];
    await original.step(data[0].a, data[0].b);
    await original.step(data[1].a, data[1].b);
    const state = await original.getState();
    expect(Object.keys(state.networks)).toEqual(['genAB', 'discB', 'nceHead']);

    const untrained = new FastCut(config);
    untrained.stepCount = 2;
    const restored = new FastCut(config);
    await restored.setState(state);
    const expected = await original.step(data[2].a, data[2].b);
    const actual = await restored.step(data[2].a, data[2].b);
    for (const name of LOSS_NAMES) expect(actual[name]).toBeCloseTo(expected[name], 5);
    // The weights came from the state: a model merely at the same step computes something else.
    expect((await untrained.step(data[2].a, data[2].b)).nce).not.toBeCloseTo(expected.nce, 3);

    for (const gan of [original, restored, untrained]) gan.dispose();
    tf.dispose(data.flatMap((d) => [d.a, d.b]));
  });

  it('refuses a CycleGAN state, saying what it expected', async () => {
    const cycle = new CycleGan(tiny({ model: 'cyclegan' }));
    const state = await cycle.getState();
    const one = new FastCut(tiny());
    await expect(one.setState(state)).rejects.toThrow(/Expected weights for nceHead \(a fastcut model\), found none/);
    cycle.dispose();
    one.dispose();
  });
});
