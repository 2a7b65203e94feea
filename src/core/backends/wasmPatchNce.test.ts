import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { relativeError, valuesOn } from '../testing/backends';
import { makeRng } from '../data/random';
import { buildNceHead, NCE_CROSS_ENTROPY_KERNELS, patchNceLoss, samplePatchIds, UNIT_ROWS_KERNELS } from '../gan/patchNce';

let made = 0;

/**
 * PatchNCE of random queries against random keys through a fresh head: the loss per image, its
 * gradient for each query map and for each of the head's weights. On cpu tfjs composes it; on
 * wasm our kernels run.
 */
function nce(shapes: number[][], dimensions: number, patches: number): () => tf.Tensor[] {
  return () => {
    const head = buildNceHead(shapes.map((s) => s[3]), dimensions, makeRng('head'));
    const queries = shapes.map((s, i) => {
      const start = tf.randomNormal(s, 0, 1, 'float32', 10 + i);
      const query = tf.variable(start, true, `nce-kernel-query-${made++}`);
      start.dispose();
      return query;
    });
    const keys = shapes.map((s, i) => tf.randomNormal(s, 0, 1, 'float32', 20 + i) as tf.Tensor as tf.Tensor4D);
    const ids = samplePatchIds(keys, makeRng('ids'), patches);
    const weights = head.trainableWeights.map((w) => w.read() as tf.Variable);
    let loss: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      loss = tf.keep(patchNceLoss(head, queries as tf.Tensor[] as tf.Tensor4D[], keys, ids));
      // Unequal weights per image, so that each image's share of the gradient shows.
      return loss.mul(tf.tensor1d(shapes[0][0] === 1 ? [1] : [1, 3])).sum() as tf.Scalar;
    }, [...queries, ...weights]);
    const out = [loss as tf.Tensor, ...queries.map((q) => grads[q.name]), ...weights.map((w) => grads[w.name])];
    tf.dispose([value, ...queries, ...keys, ...ids]);
    head.dispose();
    return out;
  };
}

describe("PatchNCE's kernels on wasm", () => {
  it.each([
    ['two images, 16 patches of 3 and 8 channels, 16 dimensions', [[2, 8, 8, 3], [2, 4, 4, 8]], 16, 16],
    ['one image, 9 patches (a 3×3 map), 6 dimensions', [[1, 3, 3, 5]], 6, 64],
  ])('%s: the loss and every gradient as tfjs composes them on cpu', async (_, shapes, dimensions, patches) => {
    const cpu = await valuesOn('cpu', nce(shapes, dimensions, patches));
    const wasm = await valuesOn('wasm', nce(shapes, dimensions, patches));
    expect(wasm).toHaveLength(cpu.length);
    cpu.forEach((expected, i) => expect(relativeError(wasm[i], expected), `output ${i}`).toBeLessThan(2e-5));
    expect(Math.min(...cpu[0])).toBeGreaterThan(0);
  });

  it('runs as our two kernels each way, with no Exp, and leaves no tensors behind', async () => {
    await valuesOn('wasm', () => []);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => nce([[2, 8, 8, 3]], 16, 16)());
    tf.dispose(profile.result as tf.Tensor[]);
    const names = profile.kernels.map((k) => k.name);
    for (const kernel of [UNIT_ROWS_KERNELS.forward, UNIT_ROWS_KERNELS.backward, NCE_CROSS_ENTROPY_KERNELS.forward, NCE_CROSS_ENTROPY_KERNELS.backward]) expect(names).toContain(kernel);
    expect(names).not.toContain('Exp');
    expect(names).not.toContain('Rsqrt');
    for (let i = 0; i < 3; i++) tf.dispose(nce([[2, 8, 8, 3]], 16, 16)());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses logits that do not pair each query with a key', async () => {
    await valuesOn('wasm', () => []);
    const logits = tf.zeros([1, 4, 5]);
    expect(() => tf.engine().runKernel(NCE_CROSS_ENTROPY_KERNELS.forward, { logits }, { temperature: 0.07 })).toThrow(/4 queries and 5 keys/);
    logits.dispose();
  });
});
