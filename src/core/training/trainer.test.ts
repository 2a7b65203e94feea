import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectWasmBackend } from '../backends/nodeWasm';
import { makeConfig } from '../config';
import { knownMappingTask } from '../data/syntheticScenes';
import type { PreviewReport, ProgressReport } from './reports';
import { Trainer } from './trainer';
import type { TrainerCallbacks } from './trainerOptions';

const task = knownMappingTask({ train: 6, test: 0 }, 40);
const config = makeConfig({ resolution: 32, genFilters: 4, genResBlocks: 1, discFilters: 4, discLayers: 2, poolSize: 2 });

interface Overrides {
  previewEvery?: number;
  progressIntervalMs?: number;
  qualityEvery?: number;
  model?: 'cyclegan' | 'fastcut';
  snapshotEveryMs?: number;
  snapshot?: TrainerCallbacks['snapshot'];
}

function makeTrainer(overrides: Overrides = {}) {
  const seen = { progress: [] as ProgressReport[], previews: [] as PreviewReport[], faults: [] as unknown[] };
  const events: TrainerCallbacks = {
    progress: (r) => seen.progress.push(r),
    preview: (r) => seen.previews.push(r),
    fault: (e) => seen.faults.push(e),
    diverged: () => undefined,
    snapshot: overrides.snapshot,
  };
  // Time is the test's: 50 ms pass between two steps however fast this machine is.
  let clock = 0;
  const trainer = new Trainer(
    {
      config: { ...config, model: overrides.model ?? 'cyclegan' },
      qualityEvery: overrides.qualityEvery,
      content: task.content,
      style: task.style,
      previewEvery: overrides.previewEvery ?? 0,
      previewCount: 2,
      evaluation: { inputs: task.content.slice(0, 2), targets: task.style.slice(0, 2) },
      progressIntervalMs: overrides.progressIntervalMs ?? 60_000,
      snapshotEveryMs: overrides.snapshotEveryMs,
      yieldToEvents: () => {
        clock += 50;
        return new Promise((resolve) => setImmediate(resolve));
      },
      now: () => clock,
    },
    events,
  );
  return { trainer, seen };
}

const rowsOf = (reports: ProgressReport[]) => reports.flatMap((r) => r.rows.map((row) => row.step));
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

beforeAll(async () => {
  await selectWasmBackend();
});

describe('Trainer', () => {
  it('scores SWD on the first step and every qualityEvery steps, without keeping tensors', async () => {
    const { trainer, seen } = makeTrainer({ previewEvery: 2, qualityEvery: 4 });
    // Two steps fill the image pools (2 each), so every tensor left after that would be a leak.
    trainer.stepOnce(2);
    await trainer.idle();
    const warm = tf.memory().numTensors;
    trainer.stepOnce(8);
    await trainer.idle();
    expect(seen.previews.map((p) => [p.step, p.swd !== undefined])).toEqual([[0, true], [2, false], [4, true], [6, false], [8, true], [10, false]]);
    expect(seen.previews.every((p) => p.swd === undefined || (Number.isFinite(p.swd) && p.swd > 0))).toBe(true);
    expect(tf.memory().numTensors).toBe(warm);
    trainer.dispose();
  });

  it('runs FastCUT too, whose previews have no B→A direction', async () => {
    const { trainer, seen } = makeTrainer({ previewEvery: 2, model: 'fastcut' });
    trainer.stepOnce(2);
    await trainer.idle();
    expect(seen.previews.map((p) => [p.aToB.length, p.bToA.length])).toEqual([[2, 0], [2, 0]]);
    expect(rowsOf(seen.progress)).toEqual([1, 2]);
    trainer.dispose();
  });

  it('step-once runs exactly that many steps, reports each step once, in order, then pauses', async () => {
    const { trainer, seen } = makeTrainer();
    trainer.stepOnce(3);
    await trainer.idle();
    expect(trainer.step).toBe(3);
    expect(trainer.state).toBe('paused');
    expect(rowsOf(seen.progress)).toEqual([1, 2, 3]);
    expect(seen.progress.at(-1)).toMatchObject({ step: 3, state: 'paused' });
    trainer.dispose();
  });

  it('batches progress: one report per interval while running, no step lost', async () => {
    // 400 ms at 50 ms a step: a report every 8 steps, and one when paused.
    const { trainer, seen } = makeTrainer({ progressIntervalMs: 400 });
    trainer.run();
    await until(() => trainer.step >= 12);
    await trainer.pause();
    const steps = trainer.step;
    expect(rowsOf(seen.progress)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    expect(seen.progress.length).toBeLessThanOrEqual(Math.ceil(steps / 8) + 1);
    expect(seen.progress.length).toBeGreaterThanOrEqual(Math.floor(steps / 8));
    const last = seen.progress.at(-1) as ProgressReport;
    // 20 steps a second, a little more where the last two steps' losses arrive together.
    expect(last.stepsPerSecond).toBeGreaterThanOrEqual(20);
    expect(last.stepsPerSecond).toBeLessThan(23);
    expect(last.epoch).toBeCloseTo(steps / 6, 5);
    trainer.dispose();
  });

  it('runs steps asked for while the loop winds down, not dropping them', async () => {
    // The snapshot is taken as the loop ends: steps asked for then must still run.
    let asked = false;
    const { trainer } = makeTrainer({
      snapshotEveryMs: 1_000_000,
      snapshot: () => {
        if (asked) return;
        asked = true;
        trainer.stepOnce(2);
      },
    });
    trainer.stepOnce(1);
    await until(() => trainer.step === 3 && trainer.state === 'paused');
    expect(asked).toBe(true);
    trainer.dispose();
  });

  it('pause stops the loop and resume continues from the same step', async () => {
    const { trainer } = makeTrainer();
    trainer.run();
    await until(() => trainer.step >= 2);
    await trainer.pause();
    const paused = trainer.step;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(trainer.step).toBe(paused);
    trainer.stepOnce(2);
    await trainer.idle();
    expect(trainer.step).toBe(paused + 2);
    trainer.dispose();
  });

  it('previews both directions after the first step and every N steps, and they change as it trains', async () => {
    const { trainer, seen } = makeTrainer({ previewEvery: 3 });
    trainer.stepOnce(6);
    await trainer.idle();
    expect(seen.previews.map((p) => p.step)).toEqual([0, 3, 6]);
    const [, first, second] = seen.previews;
    for (const pairs of [first.aToB, first.bToA]) {
      expect(pairs).toHaveLength(2);
      expect(pairs[0].output).toMatchObject({ width: 32, height: 32 });
      expect(pairs[0].output.data).toHaveLength(32 * 32 * 4);
    }
    expect(second.aToB[0].input.data).toEqual(first.aToB[0].input.data);
    expect(second.aToB[0].output.data).not.toEqual(first.aToB[0].output.data);
    expect(Number.isFinite(first.psnr?.generator)).toBe(true);
    expect(first.psnr?.identity).toBe(second.psnr?.identity);
    expect(second.psnr?.generator).not.toBe(first.psnr?.generator);
    trainer.dispose();
  });

  it('keeps the tensor count flat over many steps with previews', async () => {
    const { trainer } = makeTrainer({ previewEvery: 5 });
    trainer.stepOnce(5);
    await trainer.idle();
    const before = tf.memory().numTensors;
    trainer.stepOnce(20);
    await trainer.idle();
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
  });

  it('reports a failing step as a fault and stops', async () => {
    const { trainer, seen } = makeTrainer();
    trainer.stepOnce(1);
    await trainer.idle();
    // A weight whose memory is gone, as after a lost GPU device.
    trainer.model.generator('AtoB')?.weights[0].read().dispose();
    trainer.run();
    await until(() => trainer.state === 'failed');
    expect(seen.faults).toHaveLength(1);
    expect(String(seen.faults[0])).toMatch(/disposed/);
    expect(seen.progress.at(-1)?.state).toBe('failed');
  });
});
