import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainingConfig } from '../config';
import { CycleGan } from '../gan/cycleGan';
import { randomColourReference } from '../gan/colourReference';
import { lossRecord } from '../gan/ganModel';
import { dawnDevice } from '../testing/dawn';
import { EngineCycleGan } from './engineCycleGan';

const R = 32;
const config: TrainingConfig = { ...DEFAULT_CONFIG, resolution: R, genFilters: 4, genResBlocks: 1, discFilters: 4, poolSize: 0, lambdaChange: 10 };
const batch = (seed: number) => tf.randomUniform([1, R, R, 3], -1, 1, 'float32', seed) as tf.Tensor4D;

describe('EngineCycleGan: a CycleGAN trained by the WebGPU engine', () => {
  it('hands its whole state to tfjs and back between steps, and its networks translate with the trained weights', async () => {
    await tf.setBackend('cpu');
    const gpu = await dawnDevice();
    const engine = new EngineCycleGan(config, gpu);
    engine.useColourReference(randomColourReference(R));
    const [a, b] = [batch(1), batch(2)];
    for (let i = 0; i < 3; i++) await engine.queueStep(a, b);
    const buffers = gpu.liveBuffers;
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await engine.queueStep(a, b);
    // Steps allocate nothing: the plan made every buffer once.
    expect(gpu.liveBuffers).toBe(buffers);
    expect(tf.memory().numTensors).toBe(tensors);

    // Engine → tfjs: the tfjs model continues exactly where the engine would.
    const state = await engine.getState();
    expect(state.stepCount).toBe(6);
    const onTfjs = new CycleGan(config);
    await onTfjs.setState(state);
    onTfjs.useColourReference(randomColourReference(R));
    const reference = randomColourReference(R);
    // Both need the same colour sets for their next step to agree.
    engine.useColourReference({ content: reference.content.clone(), style: reference.style.clone(), contentStats: reference.contentStats.clone(), styleStats: reference.styleStats.clone() });
    onTfjs.useColourReference(reference);
    const next = lossRecord(await engine.queueStep(a, b));
    const fromTfjs = await onTfjs.step(a, b);
    for (const name of ['dA', 'dB', 'advG', 'cycleA', 'colourG', 'changeG', 'totalG'] as const) expect(next[name], name).toBeCloseTo(fromTfjs[name], 3);

    // tfjs → engine: a fresh engine model takes the tfjs state and agrees on the step after.
    const back = new EngineCycleGan(config, gpu);
    await back.setState(await onTfjs.getState());
    const shared = randomColourReference(R);
    back.useColourReference({ content: shared.content.clone(), style: shared.style.clone(), contentStats: shared.contentStats.clone(), styleStats: shared.styleStats.clone() });
    onTfjs.useColourReference(shared);
    const again = lossRecord(await back.queueStep(a, b));
    const tfjsAgain = await onTfjs.step(a, b);
    expect(again.totalG).toBeCloseTo(tfjsAgain.totalG, 3);
    expect(again.dA).toBeCloseTo(tfjsAgain.dA, 3);

    // Previews: after syncing, the tfjs generator holds the engine's weights.
    await back.syncNetworks();
    const [mine, theirs] = [back.translate(a, 'AtoB'), onTfjs.translate(a, 'AtoB')];
    const diff = tf.tidy(() => mine.sub(theirs).abs().max().dataSync()[0]);
    expect(diff).toBeLessThan(1e-3);
    tf.dispose([mine, theirs, a, b]);
    for (const m of [engine, back, onTfjs]) m.dispose();
  });
});
