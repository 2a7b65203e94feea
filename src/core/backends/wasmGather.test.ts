import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectWasmBackend } from './nodeWasm';
import { valuesOn } from '../testing/backends';

describe('GatherV2 on wasm', () => {
  it('gathers along any axis, with repeated ids, batched or not, float32, int32 and bool, as the cpu backend does', async () => {
    const run = () => {
      const x = tf.randomNormal([3, 5, 4, 2], 0, 1, 'float32', 9);
      const ids = tf.tensor1d([4, 0, 4, 2], 'int32');
      const grid = tf.tensor2d([[1, 0], [3, 3]], [2, 2], 'int32');
      const ints = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32');
      return [tf.gather(x, ids, 1), tf.gather(x, tf.tensor1d([2, 0], 'int32'), 0), tf.gather(x, grid, -2), tf.gather(x, tf.tensor1d([1], 'int32'), 3), tf.gather(ints, tf.tensor1d([2, 2, 0], 'int32'), 1), tf.gather(tf.tensor2d([[1, 2], [3, 4], [5, 6]]), tf.tensor2d([[1, 0], [0, 0], [1, 1]], [3, 2], 'int32'), 1, 1), tf.gather(tf.randomNormal([2, 3, 4], 0, 1, 'float32', 10), tf.tensor2d([[3, 0], [1, 1]], [2, 2], 'int32'), 2, 1), tf.gather(tf.tensor1d([true, false, true], 'bool'), tf.tensor1d([2, 1], 'int32'))];
    };
    const expected = await valuesOn('cpu', run);
    const got = await valuesOn('wasm', run);
    got.forEach((g, i) => expect(Array.from(g), `result ${i}`).toEqual(Array.from(expected[i])));
  });

  it('refuses an index out of range with the index, and leaves no tensor behind', async () => {
    await selectWasmBackend();
    const x = tf.ones([2, 3]);
    const ids = tf.tensor1d([0, 3], 'int32');
    const before = tf.memory().numTensors;
    expect(() => tf.gather(x, ids, 1)).toThrow('GatherV2: the index value 3 is not in [0, 2]');
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, ids]);
  });
});
