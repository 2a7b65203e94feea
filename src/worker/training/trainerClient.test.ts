import { beforeAll, describe, expect, it } from 'vitest';
import { selectWasmBackend } from '../../core/backends/nodeWasm';
import { makeConfig } from '../../core/config';
import { knownMappingTask } from '../../core/data/syntheticScenes';
import { registerCustomLayers } from '../../core/networks/layers';
import { serveWorker } from '../bridge/serveWorker';
import { FakeWorker } from '../testing/fakeWorker';
import { nodeBackendControl } from '../testing/nodeBackendControl';
import type { TrainingApi, TrainingEvent } from './protocol';
import { TrainerClient, type TrainerEvent } from './trainerClient';
import { trainingHandlers } from './trainingHandlers';

/** A TrainerClient talking to the real training handlers through a worker in this thread. */
function connect() {
  const fake = new FakeWorker();
  const server = serveWorker<TrainingApi, TrainingEvent>(
    trainingHandlers(nodeBackendControl, (event, transfer) => server.emit(event, transfer)),
    fake.scope,
  );
  const client = new TrainerClient(() => fake);
  const events: TrainerEvent[] = [];
  client.onEvent((event) => events.push(event));
  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
  };
  return { fake, client, events, until };
}

const task = knownMappingTask({ train: 3, test: 0 }, 36);
const options = () => ({
  config: makeConfig({ resolution: 32, genFilters: 4, genResBlocks: 1, discFilters: 4, discLayers: 2, poolSize: 0 }),
  backend: 'auto' as const,
  content: task.content.map((i) => ({ ...i, data: new Uint8ClampedArray(i.data) })),
  style: task.style.map((i) => ({ ...i, data: new Uint8ClampedArray(i.data) })),
  previewEvery: 1,
  previewCount: 1,
});

beforeAll(async () => {
  await selectWasmBackend();
  registerCustomLayers();
});

describe('TrainerClient over the worker bridge', () => {
  it('starts a run with the images moved, streams progress and previews, and answers checkpoint and export', async () => {
    const { client, events, until } = connect();
    const sent = options();
    const ready = await client.init(sent);
    expect(ready).toMatchObject({ type: 'ready', backend: 'wasm' });
    expect(events[0]).toEqual(ready);
    expect(sent.content[0].data.byteLength).toBe(0); // transferred, not copied
    client.step(2);
    await until(() => events.some((e) => e.type === 'progress' && e.report.step === 2));
    await until(() => events.some((e) => e.type === 'preview' && e.report.step === 2));
    const preview = events.find((e) => e.type === 'preview');
    if (preview?.type !== 'preview') throw new Error('no preview');
    expect(preview.report.aToB[0].output.data).toHaveLength(32 * 32 * 4);
    const state = await client.checkpoint();
    expect(state.stepCount).toBe(2);
    const generators = await client.exportGenerators();
    expect(Object.keys(generators)).toEqual(['AtoB', 'BtoA']);
    expect(generators.AtoB?.weightData.byteLength).toBeGreaterThan(0);
    client.stop();
    await until(() => events.some((e) => e.type === 'stopped'));
    client.dispose();
  });

  it('a refused command rejects with its code and reaches the listener as an error', async () => {
    const { client, events } = connect();
    const error = await client.checkpoint().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'not-initialised', message: 'Send init before training commands' });
    expect(events).toEqual([{ type: 'error', code: 'not-initialised', message: 'Send init before training commands' }]);
    client.dispose();
  });

  it('a worker that dies rejects what was pending and says so once', async () => {
    const { client, events, fake } = connect();
    await client.init(options());
    const pending = client.exportGenerators();
    fake.throwUncaught('out of memory');
    await expect(pending).rejects.toThrow('the training worker stopped: out of memory');
    expect(events.filter((e) => e.type === 'crashed')).toEqual([{ type: 'crashed', message: 'the training worker stopped: out of memory' }]);
    expect(events.some((e) => e.type === 'error')).toBe(false);
  });
});
