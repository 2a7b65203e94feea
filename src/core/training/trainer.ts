import * as tf from '@tensorflow/tfjs';
import type { LiveSettings } from '../config';
import { createGan } from '../gan/createGan';
import { EngineCycleGan } from '../gpu/engineCycleGan';
import { engineSupport } from '../gpu/support';
import { lossRecord, type GanModel } from '../gan/ganModel';
import type { GanState } from '../gan/state';
import { ImageSet } from '../data/imageSet';
import { colourReferenceOf } from '../gan/colourReference';
import { UnpairedSampler } from '../data/unpairedSampler';
import { makeRng } from '../data/random';
import { PreviewScorer } from './previewScorer';
import type { LossRow, TrainerState } from './reports';
import type { TrainerCallbacks, TrainerOptions } from './trainerOptions';

/**
 * Steps whose losses may still be on their way back from a GPU before the loop waits. On the
 * CPU backends a step has finished when it is queued: waiting for later steps would only delay
 * the first chart point.
 */
const GPU_IN_FLIGHT = 2;
const GPU_BACKENDS = ['webgl', 'webgpu'];
/** Steps over which speed is averaged. */
const SPEED_WINDOW = 20;

/**
 * The training loop around a {@link GanModel}: batches, pause/resume/step, previews and batched
 * progress. On a GPU, losses are read back asynchronously, up to {@link GPU_IN_FLIGHT} steps
 * behind, so the device is never stalled by a synchronous readback.
 */
export class Trainer {
  state: TrainerState = 'paused';
  private readonly gan: GanModel;
  private readonly sampler: UnpairedSampler;
  private readonly sets: ImageSet[];
  private readonly previewInputs: { a: tf.Tensor4D; b: tf.Tensor4D };
  private readonly scorer: PreviewScorer;
  private readonly now: () => number;
  private readonly maxInFlight: number;
  private readonly pending: { step: number; values: Promise<ArrayLike<number>> }[] = [];
  private readonly unreported: LossRow[] = [];
  private readonly stepTimes: number[] = [];
  private stepsToRun = 0;
  private completedStep = 0;
  private loop: Promise<void> | null = null;
  private lastReport = 0;
  private lastSnapshot = 0;
  private previewRequested = false;
  private readonly captures: ((state: GanState) => void)[] = [];

  constructor(
    private readonly options: TrainerOptions,
    private readonly callbacks: TrainerCallbacks,
  ) {
    const { config, content, style, previewCount } = options;
    this.now = options.now ?? (() => performance.now());
    this.gan = options.gpu && engineSupport(config).ok ? new EngineCycleGan(config, options.gpu) : createGan(config);
    this.maxInFlight = GPU_BACKENDS.includes(tf.getBackend()) ? GPU_IN_FLIGHT : 0;
    const a = ImageSet.fromPixels(content, config.resolution, config.augment);
    const b = ImageSet.fromPixels(style, config.resolution, config.augment);
    this.sets = [a, b];
    this.gan.useColourReference(colourReferenceOf(a, b));
    this.sampler = new UnpairedSampler(a, b, config.batchSize, makeRng(`${config.seed}:data`), config.augment);
    const first = (set: ImageSet) => Array.from({ length: Math.min(previewCount, set.length) }, (_, i) => i);
    this.previewInputs = { a: a.batch(first(a), null), b: b.batch(first(b), null) };
    this.scorer = new PreviewScorer({ config, content: a, style: b, qualityEvery: options.qualityEvery, evaluation: options.evaluation });
  }

  get step(): number {
    return this.gan.stepCount;
  }

  /** The model being trained. */
  get model(): GanModel {
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

  updateSettings(update: LiveSettings): void {
    this.gan.updateSettings(update);
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
    this.scorer.dispose();
  }

  /** Settles once a disposed trainer's last tensors are freed (some are freed asynchronously). */
  released(): Promise<void> {
    return this.scorer.released;
  }

  private ensureLoop(): void {
    if (this.loop || this.state === 'failed' || this.state === 'disposed') return;
    this.state = 'running';
    this.lastReport = this.now();
    this.lastSnapshot = this.now();
    this.loop = this.runLoop().finally(() => {
      this.loop = null;
      // Steps asked for while the loop was winding down (its last snapshot or preview) run now.
      if (this.stepsToRun > 0 && this.state === 'paused') this.ensureLoop();
    });
  }

  private async runLoop(): Promise<void> {
    try {
      while (this.stepsToRun > 0 && this.state === 'running') {
        const { previewEvery } = this.options;
        // The untrained generator gets a preview too: the filmstrip starts where learning starts.
        if (previewEvery > 0 && this.gan.stepCount === 0) await this.emitPreview();
        this.stepsToRun -= 1;
        this.trainOneStep();
        while (this.pending.length > this.maxInFlight) await this.collectOne();
        const due = previewEvery > 0 && this.gan.stepCount % previewEvery === 0;
        if (this.previewRequested || due) {
          this.previewRequested = false;
          await this.emitPreview();
        }
        if (this.now() - this.lastReport >= this.options.progressIntervalMs) this.emitProgress();
        const every = this.options.snapshotEveryMs ?? 0;
        if (every > 0 && this.now() - this.lastSnapshot >= every) await this.emitSnapshot();
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
      this.callbacks.fault(error);
    }
    this.emitProgress();
  }

  private trainOneStep(): void {
    this.options.beforeStep?.();
    const batch = this.sampler.next();
    try {
      const values = this.gan.queueStep(batch.a, batch.b);
      values.catch(() => undefined);
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
    this.stepTimes.push(this.now());
    if (this.stepTimes.length > SPEED_WINDOW) this.stepTimes.shift();
    if (!Object.values(row.losses).every(Number.isFinite)) {
      this.stepsToRun = 0;
      this.state = 'paused';
      this.callbacks.diverged(row);
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
    this.lastSnapshot = this.now();
    if (this.callbacks.snapshot) this.callbacks.snapshot(await this.gan.getState());
  }

  private emitProgress(): void {
    this.lastReport = this.now();
    const times = this.stepTimes;
    const span = times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : 0;
    const stepsPerSecond = span > 0 ? (times.length - 1) / span : 0;
    this.callbacks.progress({
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
    await this.gan.syncNetworks();
    const bToA = this.gan.generator('BtoA') ? await this.gan.translatePairs(this.previewInputs.b, 'BtoA') : [];
    const aToB = await this.gan.translatePairs(this.previewInputs.a, 'AtoB');
    this.callbacks.preview({ step, aToB, bToA, ...(await this.scorer.score(this.gan, step)) });
  }
}
