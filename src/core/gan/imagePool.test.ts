import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImagePool } from './imagePool';
import { makeRng } from '../data/random';

const image = (v: number) => tf.fill([1, 2, 2, 3], v) as tf.Tensor4D;
const firstValue = (t: tf.Tensor) => t.dataSync()[0];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ImagePool', () => {
  it('passes images through while filling, then mixes in older ones about half the time', () => {
    const pool = new ImagePool(5, makeRng(1));
    for (let i = 0; i < 5; i++) expect(firstValue(pool.query(image(i)))).toBe(i);
    expect(pool.size).toBe(5);
    let older = 0;
    for (let i = 5; i < 105; i++) {
      const out = firstValue(pool.query(image(i)));
      expect(out).toBeLessThanOrEqual(i);
      if (out < i) older++;
    }
    expect(older).toBeGreaterThan(30);
    expect(older).toBeLessThan(70);
    expect(pool.size).toBe(5);
  });

  it('keeps at most its capacity of tensors and frees them on dispose', () => {
    const start = tf.memory().numTensors;
    const pool = new ImagePool(3, makeRng(2));
    for (let i = 0; i < 20; i++) tf.tidy(() => void pool.query(image(i)));
    expect(tf.memory().numTensors - start).toBe(3);
    pool.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('with capacity 0 is a pass-through', () => {
    const pool = new ImagePool(0, makeRng(3));
    expect(firstValue(pool.query(image(7)))).toBe(7);
    expect(pool.size).toBe(0);
  });
});
