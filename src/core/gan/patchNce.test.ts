import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectWasmBackend } from '../backends/nodeWasm';
import { buildNceHead, patchNceLoss, samplePatchIds } from './patchNce';
import { makeRng } from '../data/random';

beforeAll(async () => {
  await selectWasmBackend();
});

describe('PatchNCE', () => {
  const head = () => buildNceHead([3, 8], 16, makeRng('head'));

  it('is low when each query matches its own key and near log(patches) when nothing matches', () => {
    const h = head();
    const features = [tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 1), tf.randomNormal([2, 4, 4, 8], 0, 1, 'float32', 2)] as tf.Tensor4D[];
    const unrelated = [tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 3), tf.randomNormal([2, 4, 4, 8], 0, 1, 'float32', 4)] as tf.Tensor4D[];
    const ids = samplePatchIds(features, makeRng('ids'), 16);
    const same = patchNceLoss(h, features, features, ids);
    const other = patchNceLoss(h, unrelated, features, ids);
    expect(same.shape).toEqual([2]);
    const [s, o] = [same.mean().dataSync()[0], other.mean().dataSync()[0]];
    expect(s).toBeLessThan(o);
    expect(o).toBeGreaterThan(Math.log(16) * 0.5);
    tf.dispose([...features, ...unrelated, ...ids, same, other]);
    h.dispose();
  });

  it('samples distinct positions, no more than a map has', () => {
    const maps = [tf.zeros([1, 4, 4, 1]), tf.zeros([1, 32, 32, 1])] as tf.Tensor4D[];
    const ids = samplePatchIds(maps, makeRng(1), 64);
    const [small, large] = ids.map((t) => Array.from(t.dataSync()));
    expect(small.sort((x, y) => x - y)).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect(new Set(large).size).toBe(64);
    expect(Math.max(...large)).toBeLessThan(1024);
    tf.dispose([...maps, ...ids]);
  });

  it('sends gradient to the queries only: backpropagation does not reach the keys, fixed targets', () => {
    const h = head();
    const q = [tf.randomNormal([1, 8, 8, 3], 0, 1, 'float32', 5), tf.randomNormal([1, 4, 4, 8], 0, 1, 'float32', 6)] as tf.Tensor4D[];
    const k = [tf.randomNormal([1, 8, 8, 3], 0, 1, 'float32', 7), tf.randomNormal([1, 4, 4, 8], 0, 1, 'float32', 8)] as tf.Tensor4D[];
    const [query, key] = [tf.variable(q[0], true, 'nce-test-query'), tf.variable(k[0], true, 'nce-test-key')];
    const ids = samplePatchIds(q, makeRng('g'), 16);
    const { value, grads } = tf.variableGrads(() => patchNceLoss(h, [query as tf.Tensor as tf.Tensor4D, q[1]], [key as tf.Tensor as tf.Tensor4D, k[1]], ids).mean() as tf.Scalar, [query, key]);
    expect(Object.keys(grads)).toEqual([query.name]);
    expect(grads[query.name].abs().max().dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([value, query, key, ...Object.values(grads), ...q, ...k, ...ids]);
    h.dispose();
  });
});
