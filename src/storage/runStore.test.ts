import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { makeConfig } from '../core/config';
import type { GanState } from '../core/gan/state';
import { RunStore, type Checkpoint } from './runStore';

const config = makeConfig({ resolution: 32 });
const image = (v: number) => ({ width: 2, height: 2, data: new Uint8ClampedArray(16).fill(v) });
const data = { source: 'own', content: [{ name: 'a.png', image: image(1) }], style: [{ name: 'b.png', image: image(2) }] };
const tensor = (v: number) => ({ name: 'w', shape: [2], values: new Float32Array([v, v + 1]) });

function checkpoint(step: number, savedAt: string): Checkpoint {
  const state: GanState = { stepCount: step, networks: { genAB: [tensor(step)], genBA: [tensor(2)], discA: [tensor(3)], discB: [tensor(4)] }, optimizers: { g: [tensor(5)], d: [] } };
  return { savedAt, config, state, history: { bucket: 1, points: [], pending: [] }, previews: [] };
}

describe('RunStore', () => {
  it('keeps several runs, lists the newest first, loads one exactly and deletes it', async () => {
    const store = await RunStore.open('test-runs');
    await store.saveImages('r1', data);
    await store.saveImages('r2', { ...data, evaluation: { inputs: [image(7)], targets: [image(8)] } });
    await store.saveCheckpoint({ id: 'r1', name: 'first', createdAt: 't0' }, checkpoint(5, '2026-11-25T01:00:00Z'));
    await store.saveCheckpoint({ id: 'r2', name: 'second', createdAt: 't0' }, checkpoint(7, '2026-11-25T02:00:00Z'));
    // A later autosave replaces the checkpoint of the same run.
    const summary = await store.saveCheckpoint({ id: 'r1', name: 'first', createdAt: 't0' }, checkpoint(9, '2026-11-25T03:00:00Z'));
    expect(summary).toMatchObject({ id: 'r1', step: 9, source: 'own', images: { content: 1, style: 1 } });
    expect(summary.bytes).toBe(5 * 8 + 2 * 16);

    expect((await store.list()).map((r) => [r.id, r.step])).toEqual([['r1', 9], ['r2', 7]]);
    const loaded = await store.load('r1');
    expect(loaded?.state.stepCount).toBe(9);
    expect(Array.from(loaded?.state.networks.genAB?.[0].values ?? [])).toEqual([9, 10]);
    expect(loaded?.data.content[0].name).toBe('a.png');

    expect((await store.load('r2'))?.data.evaluation?.targets[0].data[0]).toBe(8);
    await store.rename('r2', 'renamed');
    expect((await store.list()).find((r) => r.id === 'r2')?.name).toBe('renamed');

    await store.delete('r1');
    expect((await store.list()).map((r) => r.id)).toEqual(['r2']);
    expect(await store.load('r1')).toBeNull();
    store.close();
  });

  it('refuses a checkpoint whose images were never saved', async () => {
    const store = await RunStore.open('test-orphans');
    await expect(store.saveCheckpoint({ id: 'x', name: 'orphan', createdAt: 't' }, checkpoint(1, 't'))).rejects.toThrow(/images of run orphan were not saved/);
    expect(await store.list()).toEqual([]);
    store.close();
  });
});

describe('stored weights', () => {
  it('are written in chunks and read back exactly, in order past ten chunks, and replaced and deleted whole', async () => {
    const { splitState, joinState } = await import('./chunkedState');
    const state: GanState = {
      stepCount: 3,
      networks: { genAB: Array.from({ length: 12 }, (_, i) => tensor(i)), discB: [tensor(40)] },
      optimizers: { g: [tensor(50), tensor(51)], d: [tensor(60)] },
    };
    const { layout, chunks } = splitState(state, 8);
    expect(chunks).toHaveLength(16); // one 8-byte tensor a chunk
    expect(joinState(layout, chunks)).toEqual(state);
    expect(() => joinState(layout, chunks.slice(1))).toThrow(/do not match their layout/);

    const store = await RunStore.open('test-chunks', 8);
    await store.saveImages('r', data);
    const big = { ...checkpoint(3, 't'), state };
    await store.saveCheckpoint({ id: 'r', name: 'big', createdAt: 't' }, big);
    expect((await store.load('r'))?.state).toEqual(state);
    // A smaller state replaces every chunk of the bigger one.
    await store.saveCheckpoint({ id: 'r', name: 'big', createdAt: 't' }, checkpoint(4, 't'));
    expect((await store.load('r'))?.state.stepCount).toBe(4);
    expect((await store.load('r'))?.state.networks.genAB).toEqual([tensor(4)]);
    await store.delete('r');
    expect(await store.load('r')).toBeNull();
    store.close();
  });
});

describe('stored previews', () => {
  const preview = (step: number) => ({ step, aToB: [{ input: image(step), output: image(step + 1) }], bToA: [] });

  it('are written one a record and read back in order past ten, and replaced and deleted whole', async () => {
    const store = await RunStore.open('test-previews');
    await store.saveImages('r', data);
    const many = Array.from({ length: 12 }, (_, i) => preview(i * 10));
    await store.saveCheckpoint({ id: 'r', name: 'p', createdAt: 't' }, { ...checkpoint(3, 't'), previews: many });
    expect((await store.load('r'))?.previews).toEqual(many);
    const { openDB } = await import('idb');
    const raw = await openDB('test-previews');
    expect((await raw.get('checkpoints', 'r')).previews).toBe(12);
    expect(await raw.count('checkpoints', IDBKeyRange.bound('r/preview/', 'r/preview/\uffff'))).toBe(12);
    raw.close();
    // Fewer previews replace every one of the earlier ones.
    await store.saveCheckpoint({ id: 'r', name: 'p', createdAt: 't' }, { ...checkpoint(4, 't'), previews: [preview(7)] });
    expect((await store.load('r'))?.previews).toEqual([preview(7)]);
    await store.delete('r');
    expect(await store.load('r')).toBeNull();
    store.close();
  });
});

describe('runs stored by earlier versions', () => {
  it('a version 1 run, its state inline and its config without a model, loads as the CycleGAN it was', async () => {
    const { openDB } = await import('idb');
    const store = await RunStore.open('test-legacy');
    await store.saveImages('old', data);
    const { model, lambdaNce, ...v1Config } = config;
    // Its previews inline too, as every run saved before they got records of their own.
    const legacy = { ...checkpoint(12, '2026-11-01T00:00:00Z'), config: v1Config, previews: [{ step: 10, aToB: [{ input: image(3), output: image(4) }], bToA: [] }] };
    const raw = await openDB('test-legacy', 1);
    await raw.put('checkpoints', legacy, 'old');
    await raw.put('runs', { id: 'old', name: 'legacy', createdAt: 't', savedAt: legacy.savedAt, step: 12, config: v1Config, source: 'own', images: { content: 1, style: 1 }, bytes: 0 });
    raw.close();
    const loaded = await store.load('old');
    expect(loaded?.state).toEqual(legacy.state);
    expect(loaded?.previews).toEqual(legacy.previews);
    expect(loaded?.config).toEqual({ ...config, model: 'cyclegan', lambdaNce: 10 });
    store.close();
  });
});
