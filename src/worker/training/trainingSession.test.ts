import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectWasmBackend } from '../../core/backends/nodeWasm';
import { makeConfig } from '../../core/config';
import { knownMappingTask } from '../../core/data/syntheticScenes';
import { registerCustomLayers } from '../../core/networks/layers';
import type { BackendControl } from '../backends/backendControl';
import type { BackendName } from '../backends/backendReport';
import { TRIAL_TIMED_STEPS, TRIAL_WARM_STEPS } from './threadTrial';
import type { ArgOf } from '../bridge/workerBridge';
import { PROTOCOL_VERSION, type InitRequest, type TrainingApi, type TrainingEvent } from './protocol';
import { SessionError } from './sessionError';
import { TrainingSession } from './trainingSession';
import { nodeBackendControl } from '../testing/nodeBackendControl';

const task = knownMappingTask({ train: 4, test: 0 }, 36);

function initCommand(overrides: Partial<InitRequest> = {}): InitRequest {
  return {
    version: PROTOCOL_VERSION,
    config: makeConfig({ resolution: 32, genFilters: 4, genResBlocks: 1, discFilters: 4, discLayers: 2, poolSize: 0 }),
    backend: 'auto',
    content: task.content,
    style: task.style,
    previewEvery: 0,
    previewCount: 1,
    ...overrides,
  };
}

/** The session's events, and what its commands answered: `ready`, or the error they threw. */
type Seen = TrainingEvent | { type: 'ready'; backend: BackendName; version: number; timesThreads: boolean } | { type: 'refused'; code: string; message: string };

function makeSession({ snapshotEveryMs = 200, control = nodeBackendControl, now }: { snapshotEveryMs?: number; control?: BackendControl; now?: () => number } = {}) {
  const events: Seen[] = [];
  const session = new TrainingSession(control, (m) => events.push(m), {
    progressIntervalMs: 50,
    snapshotEveryMs,
    watchdogMs: 0,
    yieldToEvents: () => new Promise((resolve) => setImmediate(resolve)),
    now,
  });
  const lastStep = () => Math.max(0, ...events.flatMap((e) => (e.type === 'progress' ? [e.report.step] : [])));
  const until = async (condition: () => boolean, ms = 60_000) => {
    const end = Date.now() + ms;
    while (!condition()) {
      if (Date.now() > end) throw new Error(`timed out; events: ${events.map((e) => e.type).join(',')}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  /** Sends a command as the worker would, noting a refusal (with its code) among the events. */
  const send = async <K extends keyof TrainingApi>(command: K, arg: ArgOf<TrainingApi, K>) => {
    try {
      const result = await session.handle(command, arg);
      if (command === 'init') events.push({ type: 'ready', ...(result as { backend: BackendName; version: number; timesThreads: boolean }) });
      return result;
    } catch (error) {
      if (!(error instanceof SessionError)) throw error;
      events.push({ type: 'refused', code: error.code, message: error.message });
      return undefined;
    }
  };
  return { session, events, lastStep, until, send };
}

beforeAll(async () => {
  await selectWasmBackend();
  registerCustomLayers();
});

describe('TrainingSession', () => {
  it('on small images times wasm thread counts on the run itself, moves to the faster without losing or repeating a step, and says so', async () => {
    // Node's wasm has one thread, so this control pretends to two: the session's clock makes a
    // step on "2 threads" 150 ms and on 1 thread 100 ms, and each restart is recorded.
    let threads = 2;
    const restarts: number[] = [];
    const control: BackendControl = {
      ...nodeBackendControl,
      threadsToTime: () => [2, 1],
      restartThreads: async (count) => {
        restarts.push(count);
        threads = count;
        await nodeBackendControl.restartThreads(1);
      },
      threadsTimed: (timings) => ({ verdict: `timed: ${timings.map((t) => `${t.threads} → ${t.msPerStep} ms`).join(', ')}`, detail: `${threads} threads` }),
    };
    // wasm restarts only when no tensor lives, as in the worker between runs (so this test runs first).
    expect(tf.memory().numTensors).toBe(0);
    let clock = 0;
    let seenStep = 0;
    const { send, events, lastStep, until } = makeSession({
      control,
      now: () => {
        const step = lastStep();
        clock += (step - seenStep) * (threads === 2 ? 150 : 100);
        seenStep = step;
        return clock;
      },
    });
    await send('init', initCommand());
    expect(events[0]).toMatchObject({ type: 'ready', timesThreads: true });
    await send('start', undefined);
    await until(() => events.some((e) => e.type === 'threadsTimed'));
    const tensors = tf.memory().numTensors;
    const timedAt = lastStep();
    await until(() => lastStep() >= timedAt + 3);
    await send('pause', undefined);
    // It took both counts' warm-up and timed steps, and the faster count stayed: one restart.
    expect(timedAt).toBeGreaterThanOrEqual(2 * (TRIAL_WARM_STEPS + TRIAL_TIMED_STEPS));
    expect(restarts).toEqual([1]);
    // The restart's own pause never reaches the page: it would show a run the student did not pause.
    expect(events.filter((e) => e.type === 'progress' && e.report.state !== 'running' && e.report.step <= timedAt)).toEqual([]);
    expect(events.find((e) => e.type === 'threadsTimed')).toEqual({ type: 'threadsTimed', threads: 1, verdict: 'timed: 2 → 150 ms, 1 → 100 ms', detail: '1 threads' });
    const rows = events.flatMap((e) => (e.type === 'progress' ? e.report.rows : []));
    expect(rows.map((r) => r.step)).toEqual(Array.from({ length: lastStep() }, (_, i) => i + 1));
    for (const row of rows) expect(Number.isFinite(row.losses.totalG)).toBe(true);
    // After the trial the run holds as many tensors as it did right after it (no leak from the restarts).
    expect(tf.memory().numTensors).toBe(tensors);
    await send('stop', undefined);
  });

  it('where wasm cannot restart, trains on at the count it has and says what it timed', async () => {
    const control: BackendControl = {
      ...nodeBackendControl,
      threadsToTime: () => [2, 1],
      restartThreads: async () => {
        throw new Error('the wasm backend cannot restart while 3 tensors live');
      },
      threadsTimed: (timings, _, refused) => ({ verdict: `timed: ${timings.map((t) => t.threads).join(', ')}; ${refused}`, detail: '' }),
    };
    const { send, events, lastStep, until } = makeSession({ control });
    await send('init', initCommand());
    await send('start', undefined);
    await until(() => events.some((e) => e.type === 'threadsTimed'));
    const timedAt = lastStep();
    await until(() => lastStep() >= timedAt + 2);
    await send('pause', undefined);
    expect(events.find((e) => e.type === 'threadsTimed')).toEqual({ type: 'threadsTimed', threads: 2, verdict: 'timed: 2; the wasm backend cannot restart while 3 tensors live', detail: '' });
    expect(events.some((e) => e.type === 'error')).toBe(false);
    const rows = events.flatMap((e) => (e.type === 'progress' ? e.report.rows : []));
    expect(rows.map((r) => r.step)).toEqual(Array.from({ length: lastStep() }, (_, i) => i + 1));
    await send('stop', undefined);
  });

  it('refuses a wrong protocol version, a bad config and empty sets with clear errors', async () => {
    const { send, events } = makeSession();
    await send('init', { ...initCommand(), version: 99 });
    await send('init', initCommand({ config: { ...initCommand().config, resolution: 30 } }));
    await send('init', initCommand({ style: [] }));
    await send('start', undefined);
    expect(events).toEqual([
      { type: 'refused', code: 'protocol-mismatch', message: `Expected protocol version ${PROTOCOL_VERSION}, got 99: reload the page` },
      expect.objectContaining({ type: 'refused', code: 'bad-config', message: expect.stringContaining('multiple of 4, got 30') }),
      { type: 'refused', code: 'bad-data', message: 'Expected images in both sets, got 4 content and 0 style' },
      { type: 'refused', code: 'not-initialised', message: 'Send init before training commands' },
    ]);
  });

  it('trains, steps, pauses, takes live hyperparameters and exports both generators', async () => {
    const { send, events, lastStep, until } = makeSession();
    await send('init', initCommand());
    expect(events[0]).toMatchObject({ type: 'ready', backend: 'wasm', version: PROTOCOL_VERSION, timesThreads: false });
    await send('step', 2);
    await until(() => lastStep() === 2);
    await send('update', { lambdaCycle: 0, lambdaIdentity: 0 });
    await send('start', undefined);
    await until(() => lastStep() >= 5);
    await send('pause', undefined);
    const rows = events.flatMap((e) => (e.type === 'progress' ? e.report.rows : []));
    expect(rows.map((r) => r.step)).toEqual(Array.from({ length: lastStep() }, (_, i) => i + 1));
    expect(rows.at(-1)?.losses.cycleA).toBe(0);
    // Step 1 starts from the photo, where the cycle is exact; by step 2 the generators have changed.
    expect(rows[1].losses.cycleA).toBeGreaterThan(0);

    const exported = await send('export', undefined);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(exported?.AtoB ?? {}));
    expect((loaded.predict(tf.zeros([1, 32, 32, 3])) as tf.Tensor).shape).toEqual([1, 32, 32, 3]);
    await send('stop', undefined);
    expect(events.at(-1)).toEqual({ type: 'stopped', step: lastStep() });
  });

  it('when the backend fails mid-training, moves to the next one from the last snapshot and keeps training', async () => {
    // A snapshot after every step (each takes over 1 ms): with snapshots every 200 ms, four fast
    // steps could all come before the first one, and the fallback would rightly resume at step 0.
    const { send, events, lastStep, until } = makeSession({ snapshotEveryMs: 1 });
    await send('init', initCommand());
    await send('start', undefined);
    await until(() => lastStep() >= 4);
    await send('injectFault', 'device-lost');
    await until(() => events.some((e) => e.type === 'backendChanged'));
    const change = events.find((e) => e.type === 'backendChanged');
    expect(change).toMatchObject({ type: 'backendChanged', from: 'wasm', to: 'cpu' });
    if (change?.type !== 'backendChanged') throw new Error('unreachable');
    expect(change.resumedAtStep).toBeGreaterThan(0);
    expect(change.reason).toMatch(/disposed/);
    expect(tf.getBackend()).toBe('cpu');
    const resumed = change.resumedAtStep;
    await until(() => lastStep() >= resumed + 2);
    await send('pause', undefined);
    const afterChange = events.slice(events.indexOf(change)).flatMap((e) => (e.type === 'progress' ? e.report.rows : []));
    expect(afterChange[0].step).toBe(resumed + 1);
    for (const row of afterChange) expect(Number.isFinite(row.losses.totalG)).toBe(true);
    await send('stop', undefined);
    await selectWasmBackend();
  });

  it('hands out a checkpoint while running, and a new session resumes from it at the same step', async () => {
    const first = makeSession();
    await first.send('init', initCommand());
    await first.send('start', undefined);
    await first.until(() => first.lastStep() >= 3);
    const state = await first.send('checkpoint', undefined);
    if (!state) throw new Error('no checkpoint');
    expect(state.stepCount).toBeGreaterThanOrEqual(3);
    await first.send('stop', undefined);

    const second = makeSession();
    await second.send('init', initCommand({ resume: state }));
    expect(second.events[0]).toMatchObject({ type: 'ready' });
    await second.send('step', 2);
    await second.until(() => second.lastStep() === state.stepCount + 2);
    const rows = second.events.flatMap((e) => (e.type === 'progress' ? e.report.rows : []));
    expect(rows.map((r) => r.step)).toEqual([state.stepCount + 1, state.stepCount + 2]);
    await second.send('stop', undefined);
  });

  it('refuses a checkpoint that does not fit the config, and stays uninitialised', async () => {
    const { send } = makeSession();
    await send('init', initCommand());
    const state = await send('checkpoint', undefined);
    if (!state) throw new Error('no checkpoint');
    await send('stop', undefined);

    const other = makeSession();
    const wider = makeConfig({ ...initCommand().config, genFilters: 8 });
    await other.send('init', initCommand({ config: wider, resume: state }));
    expect(other.events).toEqual([
      expect.objectContaining({ type: 'refused', code: 'bad-checkpoint', message: expect.stringMatching(/does not fit its own settings: Expected genAB weight .* of shape/) }),
    ]);
    await other.send('start', undefined);
    expect(other.events.at(-1)).toMatchObject({ code: 'not-initialised' });
  });

  it('on NaN losses goes back to the last good snapshot, paused, and says why; the checkpoint refuses NaN weights', async () => {
    const { send, events, lastStep, until } = makeSession();
    await send('init', initCommand());
    await send('start', undefined);
    await until(() => lastStep() >= 3);
    await send('pause', undefined);
    const good = lastStep();
    await send('injectFault', 'nan');
    await send('checkpoint', undefined);
    expect(events.at(-1)).toMatchObject({ type: 'refused', code: 'diverged', message: expect.stringMatching(/Not saved: the weights hold NaN/) });
    await send('start', undefined);
    await until(() => events.some((e) => e.type === 'rolledBack'));
    await until(() => events.some((e) => e.type === 'error' && e.code === 'diverged'));
    const back = events.find((e) => e.type === 'rolledBack');
    expect(back).toEqual({ type: 'rolledBack', toStep: good });
    expect(events.at(-1)).toMatchObject({ code: 'diverged', message: expect.stringMatching(new RegExp(`went back to step ${good}, the last good snapshot. Lower the learning rates`)) });
    // From there it trains on with finite losses.
    const before = events.length;
    await send('step', 2);
    await until(() => events.slice(before).some((e) => e.type === 'progress' && e.report.rows.some((r) => r.step === good + 2)));
    const rows = events.slice(before).flatMap((e) => (e.type === 'progress' ? e.report.rows : []));
    expect(rows.map((r) => r.step)).toEqual([good + 1, good + 2]);
    for (const row of rows) expect(Number.isFinite(row.losses.totalG)).toBe(true);
    await send('stop', undefined);
  });

  it('running out of memory stops training on the same backend with advice, at the last snapshot', async () => {
    const { send, events, until } = makeSession();
    await send('init', initCommand());
    await send('step', 2);
    // Paused: the pause took its snapshot.
    await until(() => events.some((e) => e.type === 'progress' && e.report.step === 2 && e.report.state === 'paused'));
    await send('injectFault', 'out-of-memory');
    await send('start', undefined);
    await until(() => events.some((e) => e.type === 'error' && e.code === 'out-of-memory'));
    expect(events.some((e) => e.type === 'backendChanged')).toBe(false);
    expect(events.find((e) => e.type === 'rolledBack')).toEqual({ type: 'rolledBack', toStep: 2 });
    expect(events.at(-1)).toMatchObject({ message: expect.stringMatching(/ran out of memory .* At 32 px and batch 1 .* lower the resolution, the batch size or the filters\. Training went back to step 2/) });
    await send('step', 1);
    await until(() => events.some((e) => e.type === 'progress' && e.report.rows.some((r) => r.step === 3)));
    await send('stop', undefined);
  });

});
