import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectWasmBackend } from '../backends/nodeWasm';
import { knownMappingTask } from '../data/syntheticScenes';
import { imageToTensor } from '../data/pixels';
import { laplacianPyramid, SwdReference, upsample } from './swd';

beforeAll(async () => {
  await selectWasmBackend();
});

const task = knownMappingTask({ train: 24, test: 24 }, 64);
const batch = (images: typeof task.content) => tf.tidy(() => tf.stack(images.map((i) => imageToTensor(i, 64))) as tf.Tensor4D);

describe('laplacianPyramid', () => {
  it('has bands down to 16 px and collapses back to the image exactly', () => {
    const x = batch(task.content.slice(0, 2));
    const levels = laplacianPyramid(x);
    expect(levels.map((l) => l.shape[1])).toEqual([64, 32, 16]);
    const rebuilt = tf.tidy(() => levels.slice(0, -1).reduceRight((low, band) => band.add(upsample(low, band.shape[1], band.shape[2])), levels[levels.length - 1]));
    expect(tf.tidy(() => rebuilt.sub(x).abs().max().dataSync()[0])).toBeLessThan(1e-5);
    tf.dispose([x, rebuilt, ...levels]);
  });
});

describe('SwdReference', () => {
  it('ranks sets by how alike their patches are: the same kind of scene, then a half-way blend, then the colour-swapped scenes, then noise', async () => {
    const before = tf.memory().numTensors;
    const style = batch(task.content);
    const reference = await SwdReference.of(style);
    const sameKind = batch(task.heldOut);
    const swapped = batch(task.target);
    const blend = tf.tidy(() => sameKind.add(swapped).div(2)) as tf.Tensor4D;
    const noise = tf.randomUniform([24, 64, 64, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const scores = [];
    for (const images of [sameKind, blend, swapped, noise]) scores.push((await reference.distance(images)).mean);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(scores[0] * 2).toBeLessThan(scores[2]);
    const levels = (await reference.distance(sameKind)).levels;
    expect(levels).toHaveLength(3);
    // Same images, same positions: the score is repeatable.
    expect((await reference.distance(sameKind)).mean).toBe(scores[0]);
    reference.dispose();
    tf.dispose([style, sameKind, swapped, blend, noise]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses images of another size', async () => {
    const reference = await SwdReference.of(batch(task.content.slice(0, 4)));
    const small = tf.zeros([2, 16, 16, 3]) as tf.Tensor4D;
    await expect(reference.distance(small)).rejects.toThrow(/reference size/);
    reference.dispose();
    small.dispose();
  });
});
