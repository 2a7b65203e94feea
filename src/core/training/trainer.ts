import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../config';
import { createGan } from '../gan/createGan';
import { lossRecord, type GanModel, type LiveSettings } from '../gan/ganModel';
import type { GanState, LossRecord } from '../gan/state';
import { ImageSet } from '../data/imageSet';
import type { RgbaImage } from '../data/pixels';
import { UnpairedSampler } from '../data/unpairedSampler';
import { SwdReference } from '../evaluation/swd';
import { psnr } from '../evaluation/psnr';
import { makeRng } from '../data/random';

export type TrainerState = 'paused' | 'running' | 'failed' | 'disposed';

export interface LossRow {
  step: number;
  losses: LossRecord;
}

/** What the loop reports at most every `progressIntervalMs`: never one message per step. */
export interface ProgressReport {
  /** Last step whose losses have been read back (the device may be a step or two ahead). */
  step: number;
  epoch: number;
  /** Every step completed since the previous report, oldest first. */
  rows: LossRow[];
  stepsPerSecond: number;
  imagesPerSecond: number;
  learningRates: { g: number; d: number };
  memory: { numTensors: number; numBytes: number };
  state: TrainerState;
}

export interface PreviewPair {
  input: RgbaImage;
  output: RgbaImage;
}

/** Fixed preview inputs and their current translations in each direction the model learns. */
export interface PreviewReport {
  step: number;
  aToB: PreviewPair[];
  bToA: PreviewPair[];
  /** PSNR in dB against a known target mapping, when one was given (see TrainerOptions.evaluation). */
  psnr?: { generator: number; identity: number };
  /** Sliced Wasserstein distance ×10³ of G's outputs to the style set (see SwdReference), every `qualityEvery` steps. */
  swd?: number;
}

export interface TrainerEvents {
  progress(report: ProgressReport): void;
  preview(report: PreviewReport): void;
  /** A step threw (e.g. the GPU device was lost); the trainer is now 'failed'. */
  fault(error: unknown): void;
  /** Losses became NaN or infinite; training paused at the last finite step. */
  diverged(row: LossRow): void;
  /** A consistent copy of the learned state, taken between steps (see `snapshotEveryMs`). */
  snapshot?(state: GanState): void;
}

export interface TrainerOptions {
  config: TrainingConfig;
  content: readonly RgbaImage[];
  style: readonly RgbaImage[];
  /** Steps between automatic previews (plus one after the first step); 0 turns them off. */
  previewEvery: number;
  /** Images per direction in a preview. */
  previewCount: number;
  progressIntervalMs: number;
  /** How often to copy the learned state off the device while running, and on every pause; 0: never. */
  snapshotEveryMs?: number;
  /** Steps between SWD scores (on the preview that falls there, and the first); 0 or absent: none. */
  qualityEvery?: number;
  /** Held-out inputs and what a perfect A→B generator would make of them, for a PSNR score. */
  evaluation?: { inputs: readonly RgbaImage[]; targets: readonly RgbaImage[] };
  /** Lets queued messages (pause, stop) in between steps; in a worker, a macrotask. */
  yieldToEvents: () => Promise<void>;
}

/** Steps whose losses may still be on their way back from the device before the loop waits. */
const MAX_IN_FLIGHT = 2;
/** Steps over which speed is averaged. */
const SPEED_WINDOW = 20;
/** Content images translated for the SWD score, and style images it compares them with. */
const SWD_INPUTS = 16;
const SWD_STYLE = 64;

/**
 * The training loop around a {@link GanModel}: batches, pause/resume/step, previews and batched
 * progress. Losses are read back asynchronously, up to {@link MAX_IN_FLIGHT} steps behind, so a
 * GPU backend is never stalled by a synchronous readback.
 */
export class Trainer {
  state: TrainerState = 'paused';
  private readonly gan: GanModel;
  private readonly sampler: UnpairedSampler;
  private readonly sets: ImageSet[];
  private readonly previewInputs: { a: tf.Tensor4D; b: tf.Tensor4D };
  private readonly evaluation: { inputs: tf.Tensor4D; targets: tf.Tensor4D } | null;
  private readonly swd: { inputs: tf.Tensor4D; reference: Promise<SwdReference> } | null;
  private readonly pending: { step: number; values: Promise<Float32Array | Int32Array | Uint8Array> }[] = [];
  private readonly unreported: LossRow[] = [];
  private readonly stepTimes: number[] = [];
  private stepsToRun = 0;
  private completedStep = 0;
  private loop: Promise<void> | null = null;
  private lastReport = 0;
  private lastSnapshot = 0;
  private previewRequested = false;
  private readonly captures: ((state: GanState) => void)[] = [];
  private injected: Error | null = null;

  constructor(
    private readonly options: TrainerOptions,
    private readonly events: TrainerEvents,
  ) {
    const { config, content, style, previewCount } = options;
    this.gan = createGan(config);
    const a = ImageSet.fromPixels(content, config.resolution, config.augment);
    const b = ImageSet.fromPixels(style, config.resolution, config.augment);
    this.sets = [a, b];
    this.sampler = new UnpairedSampler(a, b, config.batchSize, makeRng(`${config.seed}:data`), config.augment);
    const first = (set: ImageSet) => Array.from({ length: Math.min(previewCount, set.length) }, (_, i) => i);
    this.previewInputs = { a: a.batch(first(a), null), b: b.batch(first(b), null) };
    this.evaluation = null;
    this.swd = null;
    if ((options.qualityEvery ?? 0) > 0) {
      const firstOf = (set: ImageSet, n: number) => set.batch(Array.from({ length: Math.min(n, set.length) }, (_, i) => i), null);
      const style = firstOf(b, SWD_STYLE);
      const reference = SwdReference.of(style, `${config.seed}:swd`);
      void reference.finally(() => style.dispose()).catch(() => undefined);
      this.swd = { inputs: firstOf(a, SWD_INPUTS), reference };
    }
    const { evaluation } = options;
    if (evaluation && evaluation.inputs.length > 0) {
      this.evaluation = { inputs: ImageSet.centredBatch(evaluation.inputs, config.resolution), targets: ImageSet.centredBatch(evaluation.targets, config.resolution) };
    }
  }

  get step(): number {
    return this.gan.stepCount;
  }

  get network(): GanModel {
    return this.gan;
  }

  /** Trains until paused. */
  run(): void {
    this.stepsToRun = Infinity;
    this.ensureLoop();
  }

  /** Trains `count` more steps, then pauses. */
  stepOnce(count = 1): void {
    this.stepsToRun = count;
    this.ensureLoop();
  }

  /** Stops after the step in progress; resolves once its losses are reported. */
  async pause(): Promise<void> {
    this.stepsToRun = 0;
    await this.loop;
  }

  /** Resolves when the loop has stopped on its own (requested steps done, paused, or failed). */
  async idle(): Promise<void> {
    await this.loop;
  }

  /** Ask for a preview after the current step (or now, when paused). */
  async requestPreview(): Promise<void> {
    if (this.loop) {
      this.previewRequested = true;
      return;
    }
    await this.emitPreview();
  }

  updateHyperparameters(update: LiveSettings): void {
    this.gan.updateHyperparameters(update);
  }

  /** The learned state, read back from the device (see {@link GanModel.getState}). */
  async snapshot(): Promise<GanState> {
    return this.gan.getState();
  }

  /**
   * The learned state as it stands between two steps: taken by the loop itself when it runs,
   * so weights and optimiser moments always belong to the same step.
   */
  captureState(): Promise<GanState> {
    if (!this.loop) return this.gan.getState();
    return new Promise((resolve) => this.captures.push(resolve));
  }

  async restore(state: GanState): Promise<void> {
    await this.gan.setState(state);
    this.completedStep = state.stepCount;
  }

  dispose(): void {
    this.stepsToRun = 0;
    this.state = 'disposed';
    this.gan.dispose();
    for (const set of this.sets) set.dispose();
    tf.dispose([this.previewInputs.a, this.previewInputs.b]);
    if (this.evaluation) tf.dispose([this.evaluation.inputs, this.evaluation.targets]);
    if (this.swd) {
      this.swd.inputs.dispose();
      void this.swd.reference.then((r) => r.dispose()).catch(() => undefined);
    }
  }

  private ensureLoop(): void {
    if (this.loop || this.state === 'failed' || this.state === 'disposed') return;
    this.state = 'running';
    this.lastReport = performance.now();
    this.lastSnapshot = performance.now();
    this.loop = this.runLoop().finally(() => {
      this.loop = null;
    });
  }

  private async runLoop(): Promise<void> {
    try {
      while (this.stepsToRun > 0 && this.state === 'running') {
        this.stepsToRun -= 1;
        this.trainOneStep();
        while (this.pending.length > MAX_IN_FLIGHT) await this.collectOne();
        const { previewEvery } = this.options;
        // The first step gets a preview too, so the untrained starting point is on the filmstrip.
        const due = previewEvery > 0 && (this.gan.stepCount % previewEvery === 0 || this.gan.stepCount === 1);
        if (this.previewRequested || due) {
          this.previewRequested = false;
          await this.emitPreview();
        }
        if (performance.now() - this.lastReport >= this.options.progressIntervalMs) this.emitProgress();
        const every = this.options.snapshotEveryMs ?? 0;
        if (every > 0 && performance.now() - this.lastSnapshot >= every) await this.emitSnapshot();
        await this.serveCaptures();
        await this.options.yieldToEvents();
      }
      while (this.pending.length > 0) await this.collectOne();
      if (this.state === 'running') this.state = 'paused';
      if (this.previewRequested) {
        this.previewRequested = false;
        await this.emitPreview();
      }
      if ((this.options.snapshotEveryMs ?? 0) > 0) await this.emitSnapshot();
      await this.serveCaptures();
    } catch (error) {
      this.state = 'failed';
      this.pending.length = 0;
      this.events.fault(error);
    }
    this.emitProgress();
  }

  /** Fault injection, for tests: the next step throws this, as a failed allocation would. */
  failNextStep(error: Error): void {
    this.injected = error;
  }

  private trainOneStep(): void {
    if (this.injected) {
      const error = this.injected;
      this.injected = null;
      throw error;
    }
    const batch = this.sampler.next();
    try {
      const losses = this.gan.trainStep(batch.a, batch.b);
      const values = losses.data();
      values.finally(() => losses.dispose()).catch(() => undefined);
      this.pending.push({ step: this.gan.stepCount, values });
    } finally {
      batch.a.dispose();
      batch.b.dispose();
    }
  }

  private async collectOne(): Promise<void> {
    const next = this.pending.shift();
    if (!next) return;
    const row = { step: next.step, losses: lossRecord(await next.values) };
    this.stepTimes.push(performance.now());
    if (this.stepTimes.length > SPEED_WINDOW) this.stepTimes.shift();
    if (!Object.values(row.losses).every(Number.isFinite)) {
      this.stepsToRun = 0;
      this.state = 'paused';
      this.events.diverged(row);
      return;
    }
    this.completedStep = row.step;
    this.unreported.push(row);
  }

  private async serveCaptures(): Promise<void> {
    if (this.captures.length === 0) return;
    // Report every step up to the captured one first, so a saved loss history matches the weights.
    while (this.pending.length > 0) await this.collectOne();
    this.emitProgress();
    const state = await this.gan.getState();
    for (const resolve of this.captures.splice(0)) resolve(state);
  }

  private async emitSnapshot(): Promise<void> {
    this.lastSnapshot = performance.now();
    if (this.events.snapshot) this.events.snapshot(await this.gan.getState());
  }

  private emitProgress(): void {
    this.lastReport = performance.now();
    const times = this.stepTimes;
    const span = times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : 0;
    const stepsPerSecond = span > 0 ? (times.length - 1) / span : 0;
    this.events.progress({
      step: this.completedStep,
      epoch: this.sampler.epoch,
      rows: this.unreported.splice(0),
      stepsPerSecond,
      imagesPerSecond: stepsPerSecond * this.options.config.batchSize,
      learningRates: this.gan.learningRates(),
      memory: { numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes },
      state: this.state,
    });
  }

  private async emitPreview(): Promise<void> {
    const step = this.gan.stepCount;
    // One-sided models have no B→A generator, so their previews show one direction.
    const bToA = this.gan.generator('BtoA') ? await this.gan.translatePairs(this.previewInputs.b, 'BtoA') : [];
    const report: PreviewReport = { step, aToB: await this.gan.translatePairs(this.previewInputs.a, 'AtoB'), bToA };
    if (this.evaluation) {
      const { inputs, targets } = this.evaluation;
      const scores = tf.tidy(() => tf.stack([psnr(this.gan.translate(inputs, 'AtoB'), targets), psnr(inputs, targets)]));
      const [generator, identity] = await scores.data();
      scores.dispose();
      report.psnr = { generator, identity };
    }
    const every = this.options.qualityEvery ?? 0;
    if (this.swd && (step % every === 0 || step === 1)) {
      const outputs = this.gan.translate(this.swd.inputs, 'AtoB');
      try {
        report.swd = (await (await this.swd.reference).distance(outputs)).mean;
      } finally {
        outputs.dispose();
      }
    }
    this.events.preview(report);
  }
}
