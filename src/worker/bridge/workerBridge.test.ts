import { describe, expect, it } from 'vitest';
import { FakeWorker } from '../testing/fakeWorker';
import { serveWorker } from './serveWorker';
import { Transfer, WorkerError } from './wire';
import { WorkerBridge } from './workerBridge';

type Api = {
  double(x: number): number;
  fail(reason: string): never;
  /** Resolves only when aborted (or never). */
  wait(ms: number): boolean;
  /** Returns the bytes it got, reversed, transferred back. */
  reverse(bytes: Uint8Array): Uint8Array;
};

function setUp() {
  const fake = new FakeWorker();
  const aborted: number[] = [];
  const server = serveWorker<Api, { tick: number }>(
    {
      double: (x) => 2 * x,
      fail: (reason) => {
        throw Object.assign(new Error(`refused: ${reason}`), { code: 'bad-input' });
      },
      wait: (ms, { signal }) =>
        new Promise<boolean>((resolve) => {
          signal.addEventListener('abort', () => {
            aborted.push(ms);
            resolve(true);
          });
        }),
      reverse: (bytes) => {
        const out = Uint8Array.from(bytes).reverse();
        return new Transfer(out, [out.buffer]);
      },
    },
    fake.scope,
  );
  const bridge = new WorkerBridge<Api, { tick: number }>(() => fake, 'test');
  return { fake, server, bridge, aborted };
}

describe('WorkerBridge', () => {
  it('resolves each call with its own reply, by id, however they interleave', async () => {
    const { bridge } = setUp();
    await expect(Promise.all([bridge.call('double', 2), bridge.call('double', 21), bridge.call('double', -1)])).resolves.toEqual([4, 42, -2]);
  });

  it('rejects with the worker’s message and error code, and keeps working after', async () => {
    const { bridge } = setUp();
    const error = await bridge.call('fail', 'no').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerError);
    expect(error).toMatchObject({ message: 'refused: no', code: 'bad-input' });
    await expect(bridge.call('double', 3)).resolves.toBe(6);
  });

  it('rejects an unknown method with a message naming it', async () => {
    const { bridge } = setUp();
    await expect(bridge.call('nope' as 'double', 1)).rejects.toThrow('This worker has no method "nope"');
    await expect(bridge.call('toString' as 'double', 1)).rejects.toThrow('This worker has no method "toString"');
  });

  it('a crashed worker rejects every pending call and every later one, says why, and is ended', async () => {
    const { bridge, fake } = setUp();
    const crashes: string[] = [];
    bridge.onCrash((m) => crashes.push(m));
    const pending = [bridge.call('wait', 1), bridge.call('wait', 2)];
    fake.throwUncaught('boom');
    for (const call of pending) await expect(call).rejects.toThrow('the test worker stopped: boom');
    await expect(bridge.call('double', 1)).rejects.toThrow('the test worker stopped: boom');
    expect(crashes).toEqual(['the test worker stopped: boom']);
    expect(fake.terminated).toBe(true);
    expect(bridge.alive).toBe(false);
  });

  it('abort rejects at once with an AbortError and tells the worker, whose late reply is ignored', async () => {
    const { bridge, aborted } = setUp();
    const controller = new AbortController();
    const call = bridge.call('wait', 7, { signal: controller.signal });
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    await expect(bridge.call('double', 5)).resolves.toBe(10); // the abort has reached the worker by now
    expect(aborted).toEqual([7]);
    const already = new AbortController();
    already.abort();
    await expect(bridge.call('double', 1, { signal: already.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('moves transferred buffers both ways instead of copying them', async () => {
    const { bridge } = setUp();
    const bytes = Uint8Array.from([1, 2, 3, 4]);
    const reply = await bridge.call('reverse', bytes, { transfer: [bytes.buffer] });
    expect(bytes.byteLength).toBe(0); // moved to the worker
    expect(Array.from(reply)).toEqual([4, 3, 2, 1]);
  });

  it('delivers the worker’s own events to every listener until they stop listening', async () => {
    const { bridge, server } = setUp();
    const seen: number[] = [];
    const stop = bridge.onEvent((e) => seen.push(e.tick));
    server.emit({ tick: 1 });
    await bridge.call('double', 0);
    stop();
    server.emit({ tick: 2 });
    await bridge.call('double', 0);
    expect(seen).toEqual([1]);
  });

  it('dispose ends the worker and rejects what was pending', async () => {
    const { bridge, fake } = setUp();
    const call = bridge.call('wait', 1);
    bridge.dispose();
    await expect(call).rejects.toThrow('the test worker was closed');
    expect(fake.terminated).toBe(true);
  });
});
