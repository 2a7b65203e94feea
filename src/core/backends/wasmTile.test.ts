import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { valuesOn } from '../testing/backends';

describe('Tile on wasm', () => {
  it.each([
    [[3], [4]],
    [[2, 3], [3, 2]],
    [[8, 1, 1, 3], [1, 64, 64, 1]],
    [[1, 1, 1, 1], [2, 5, 5, 3]],
    [[2, 1, 20], [1, 3, 2]],
    [[1, 2, 1, 3, 1, 17], [2, 1, 3, 1, 2, 2]],
    [[2, 3, 1, 1, 2, 1], [1, 1, 2, 3, 1, 9]],
  ] as const)('of %j by %j: the same values as cpu, float32 and int32', async (shape, reps) => {
    const tiles = () => {
      const x = tf.range(0, tf.util.sizeFromShape([...shape])).reshape([...shape]);
      return [tf.tile(x, [...reps]), tf.tile(x.toInt(), [...reps]).toFloat()];
    };
    const [ref, refInt] = await valuesOn('cpu', tiles);
    const [got, gotInt] = await valuesOn('wasm', tiles);
    expect(Array.from(got)).toEqual(Array.from(ref));
    expect(Array.from(gotInt)).toEqual(Array.from(refInt));
  });

  it('broadcasts through it, and leaves no tensors behind', async () => {
    await valuesOn('wasm', () => []);
    const x = tf.tensor4d([1, 2, 3], [1, 1, 1, 3]);
    const before = tf.memory().numTensors;
    const spread = tf.broadcastTo(x, [2, 2, 2, 3]);
    expect(Array.from(await spread.data())).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
    spread.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
