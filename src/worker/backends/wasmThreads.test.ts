import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { selectWasmBackend } from '../../core/backends/nodeWasm';
import { describeThreadChoice, fastestThreads, restartWasm, wasmThreadsRunning } from './wasmThreads';

describe('choosing wasm threads', () => {
  it('keeps the faster count, and fewer threads unless more are at least 5% faster', () => {
    expect(fastestThreads([{ threads: 1, msPerStep: 637 }, { threads: 2, msPerStep: 812 }]).threads).toBe(1);
    expect(fastestThreads([{ threads: 2, msPerStep: 1878 }, { threads: 1, msPerStep: 2518 }]).threads).toBe(2);
    expect(fastestThreads([{ threads: 1, msPerStep: 100 }, { threads: 4, msPerStep: 97 }]).threads).toBe(1);
    expect(describeThreadChoice([{ threads: 1, msPerStep: 2518.4 }, { threads: 2, msPerStep: 1877.6 }], 128)).toBe(
      'runs on 2 threads, timed at 128 px: 1 thread 2518 ms, 2 threads 1878 ms per step',
    );
  });

  it('restarts the wasm backend with the training kernels in place, and refuses while tensors live', async () => {
    await selectWasmBackend();
    const live = tf.tensor1d([1, 2, 3]);
    await expect(restartWasm(1)).rejects.toThrow('the wasm backend cannot restart while 1 tensors live');
    expect(Array.from(await live.data())).toEqual([1, 2, 3]);
    live.dispose();
    await restartWasm(1);
    expect(tf.getBackend()).toBe('wasm');
    // wasm has no Conv2DBackpropFilter of its own: the weight gradient runs only if this project's kernels still serve the new backend.
    const x = tf.randomUniform([1, 6, 6, 2]) as tf.Tensor4D;
    const w = tf.randomUniform([3, 3, 2, 4]) as tf.Tensor4D;
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same').sum())([x, w]);
    expect(dx.shape).toEqual([1, 6, 6, 2]);
    expect(dw.shape).toEqual([3, 3, 2, 4]);
    tf.dispose([x, w, dx, dw]);
    expect(tf.memory().numTensors).toBe(0);
  });

  it('reports the threads that really run, not those asked for', async () => {
    await selectWasmBackend();
    // Node's wasm build has no shared memory: no helper can start, so one thread runs, said so.
    await restartWasm(2);
    expect(wasmThreadsRunning()).toBe(1);
    await restartWasm(1);
    expect(wasmThreadsRunning()).toBe(1);
  });
});
