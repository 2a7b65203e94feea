import * as tf from '@tensorflow/tfjs';
import type { LiveSettings, TrainingConfig } from '../config';
import { CycleGan } from '../gan/cycleGan';
import type { ColourReference } from '../gan/colourReference';
import type { GanState } from '../gan/state';
import { makeRng } from '../data/random';
import type { CycleGanEngine } from './cycleGanEngine';
import type { GpuDevice } from './device';
import { cycleGanEngineFrom, engineColourReference, engineState } from './fromTfjs';

/**
 * A CycleGAN that trains on the WebGPU engine and keeps its tfjs networks for everything else
 * (previews, scores, export): they receive the engine's weights whenever they are about to be
 * used. Its learned state is the engine's, in tfjs's form, so runs, autosave and a move to
 * another backend copy it as they would a tfjs model's.
 */
export class EngineCycleGan extends CycleGan {
  private engine: CycleGanEngine | null = null;
  /** Everything queued for the engine, in order: its creation, references, steps. */
  private queue: Promise<unknown> = Promise.resolve();
  private networksStale = false;

  constructor(
    config: TrainingConfig,
    private readonly gpu: GpuDevice,
  ) {
    super(config);
    // Fresh weights at step 0 (steps queued meanwhile already count in stepCount).
    this.enqueue(async () => {
      this.engine = cycleGanEngineFrom(this.gpu, this.config, { ...(await super.getState()), stepCount: 0 }, makeRng(`${this.config.seed}:pool`));
    });
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private get ready(): CycleGanEngine {
    if (!this.engine) throw new Error('The WebGPU engine is not ready');
    return this.engine;
  }

  override useColourReference(reference: ColourReference): void {
    super.useColourReference(reference);
    this.enqueue(async () => this.ready.useColourReference(await engineColourReference(reference)));
  }

  override updateSettings(update: LiveSettings): void {
    super.updateSettings(update);
    this.enqueue(async () => this.ready.updateSettings(update));
  }

  override queueStep(realA: tf.Tensor4D, realB: tf.Tensor4D): Promise<ArrayLike<number>> {
    // The caller may dispose the batches at once; copies live until they are read.
    const [a, b] = [realA.clone(), realB.clone()];
    this.stepCount += 1;
    this.networksStale = true;
    return this.enqueue(async () => {
      try {
        const [va, vb] = await Promise.all([a.data(), b.data()]);
        return this.ready.step(Float32Array.from(va as Float32Array), Float32Array.from(vb as Float32Array));
      } finally {
        tf.dispose([a, b]);
      }
    });
  }

  override trainStep(): tf.Tensor1D {
    throw new Error('The WebGPU engine steps asynchronously: use queueStep');
  }

  override async syncNetworks(): Promise<void> {
    if (!this.networksStale) return;
    const state = await this.enqueue(() => engineState(this.gpu, this.ready));
    for (const [name, model] of Object.entries(this.networks())) {
      const tensors = (state.networks[name as keyof GanState['networks']] ?? []).map((t) => tf.tensor(t.values, t.shape));
      model?.setWeights(tensors);
      tf.dispose(tensors);
    }
    this.networksStale = false;
  }

  override async getState(): Promise<GanState> {
    return this.enqueue(() => engineState(this.gpu, this.ready));
  }

  override async setState(state: GanState): Promise<void> {
    await super.setState(state);
    await this.enqueue(async () => {
      const old = this.ready;
      this.engine = cycleGanEngineFrom(this.gpu, this.config, state, makeRng(`${this.config.seed}:pool`));
      // The colour reference went to the old engine; hand it over.
      if (this.colourReference) this.engine.useColourReference(await engineColourReference(this.colourReference));
      old.dispose();
    });
  }

  override dispose(): void {
    super.dispose();
    void this.queue.then(() => this.engine?.dispose());
  }
}
