import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeConfig } from '../config';
import { CycleGan } from '../gan/cycleGan';
import { INSTANCE_NORM_KERNELS } from '../networks/layers/customLayers.js';
import { relativeError, valuesOn } from '../testing/backends';
import { randomBatches } from '../testing/randomBatches';
import { selectWasmBackend } from './nodeWasm';
import { registerWasmTrainingKernels } from './wasmKernels';
import { PATCH_ROWS } from './wasmPatchRows';

// As on a browser whose WebAssembly has no SIMD: the first registration decides, so it comes first.
beforeAll(async () => {
  registerWasmTrainingKernels({ simd: false });
  await selectWasmBackend();
});

describe('wasm training without our SIMD kernels', () => {
  it('registers only the gradients tfjs lacks, whose convolution forms match cpu', async () => {
    expect(tf.getKernel(PATCH_ROWS, 'wasm')).toBeUndefined();
    expect(tf.getKernel(INSTANCE_NORM_KERNELS.forward, 'wasm')).toBeUndefined();
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    const grads = () => {
      const x = tf.randomNormal([2, 9, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
      const w = tf.randomNormal([3, 3, 3, 5], 0, 1, 'float32', 2) as tf.Tensor4D;
      return tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, 2, 'same').square().sum())([x, w]);
    };
    const expected = await valuesOn('cpu', grads);
    const got = await valuesOn('wasm', grads);
    got.forEach((g, i) => expect(relativeError(g, expected[i]), `gradient ${i}`).toBeLessThan(1e-4));
  });

  it('trains CycleGAN with finite losses and a flat tensor count', async () => {
    await selectWasmBackend();
    const gan = new CycleGan(makeConfig({ resolution: 32, genFilters: 4, genResBlocks: 1, discFilters: 4, discLayers: 2, poolSize: 2 }));
    const { a, b } = randomBatches(1, 3);
    await gan.step(a, b);
    await gan.step(a, b);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const losses = await gan.step(a, b);
      for (const value of Object.values(losses)) expect(Number.isFinite(value)).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(before);
    gan.dispose();
    tf.dispose([a, b]);
  });
});
