import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { makeRng } from '../data/random';
import { selectWasmBackend } from './nodeWasm';
import { fusedAdamStep } from './wasmAdam';

const shapes = [[3, 3, 2, 4], [4], [7, 5], [1]];

function randoms(n: number, seed: string, scale = 1): Float32Array {
  const rng = makeRng(seed);
  return Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale);
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Four Adam updates (a changing learning rate, a zero gradient in the mix) on the named backend,
 * fused or tfjs's own; returns every variable and moment, and the optimiser's saved weights' names.
 */
async function train(backend: 'cpu' | 'wasm', fused: boolean): Promise<{ values: Float32Array[]; names: string[]; tensorsFlat: boolean }> {
  if (backend === 'wasm') await selectWasmBackend();
  else await tf.setBackend('cpu');
  const variables = shapes.map((shape, i) => tf.variable(tf.tensor(randoms(size(shape), `v${i}`), shape), true, `adam-test-${backend}-${fused}/${i}`));
  const adam = new tf.AdamOptimizer(2e-3, 0.5, 0.999);
  let before = 0;
  for (let step = 0; step < 4; step++) {
    (adam as unknown as { learningRate: number }).learningRate = 2e-3 / (step + 1);
    const grads = variables.map((v, i) => ({ name: v.name, tensor: step === 1 && i === 1 ? tf.zerosLike(v) : tf.tensor(randoms(v.size, `g${step}:${i}`, 10 ** -step), v.shape) }));
    if (fused) expect(fusedAdamStep(adam, grads)).toBe(true);
    else adam.applyGradients(grads);
    tf.dispose(grads.map((g) => g.tensor));
    if (step === 0) before = tf.memory().numTensors;
  }
  const tensorsFlat = tf.memory().numTensors === before;
  const weights = await adam.getWeights();
  const values = await Promise.all([...variables, ...weights.map((w) => w.tensor)].map(async (t) => Float32Array.from(await t.data())));
  const names = weights.map((w) => w.name);
  tf.dispose([...variables, weights[0].tensor]);
  adam.dispose();
  return { values, names, tensorsFlat };
}

describe('the fused Adam kernel on wasm', () => {
  it('updates variables and moments as tfjs Adam on cpu does, keeping the same saved state, without leaking', async () => {
    const reference = await train('cpu', false);
    const fused = await train('wasm', true);
    expect(fused.names.map((n) => n.replace('wasm-true', 'x'))).toEqual(reference.names.map((n) => n.replace('cpu-false', 'x')));
    expect(fused.values.length).toBe(reference.values.length);
    // Every operation rounds to float32 in tfjs's order: the same numbers, up to a last bit.
    fused.values.forEach((v, i) => v.forEach((x, j) => expect(Math.abs(x - reference.values[i][j]), `tensor ${i} [${j}]`).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(x)))));
    expect(fused.tensorsFlat).toBe(true);
  });

  it('is used only where the backend has it', async () => {
    await tf.setBackend('cpu');
    const v = tf.variable(tf.ones([2]), true, 'adam-test-cpu-only');
    const adam = new tf.AdamOptimizer(1e-3, 0.5, 0.999);
    const g = tf.ones([2]);
    expect(fusedAdamStep(adam, [{ name: v.name, tensor: g }])).toBe(false);
    tf.dispose([v, g]);
    adam.dispose();
  });
});
