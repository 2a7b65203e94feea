import * as tf from '@tensorflow/tfjs';
import { withSharedSaves } from '../backends/sharedSaves';
import type { LiveSettings, ModelKind, TrainingConfig } from '../config';
import { tensorToRgba, type RgbaImage } from '../data/pixels';
import { learningRateAt } from './schedule';
import { fusedAdamStep } from '../backends/wasmAdam';
import { disposeColourReference, type ColourReference } from './colourReference';
import { LOSS_NAMES, networksOf, type Direction, type GanState, type LossName, type LossRecord, type NetworkName, type TensorData } from './state';

async function readAll(named: { name: string; tensor: tf.Tensor }[]): Promise<TensorData[]> {
  return Promise.all(
    named.map(async ({ name, tensor }) => ({ name, shape: [...tensor.shape], values: Float32Array.from(await tensor.data()) })),
  );
}

/**
 * Adam whose learning rate can follow a schedule (tfjs reads it on every update), updating all
 * its variables in one kernel where the backend has the fused one (wasm).
 */
class ScheduledAdam extends tf.AdamOptimizer {
  setLearningRate(rate: number): void {
    this.learningRate = rate;
  }

  override applyGradients(gradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    const list = Array.isArray(gradients) ? gradients : Object.entries(gradients).map(([name, tensor]) => ({ name, tensor }));
    if (!fusedAdamStep(this, list)) super.applyGradients(gradients);
  }
}

/** Runs a model once over several batches stacked together and splits its output back. */
export function applySplit(model: tf.LayersModel, batches: tf.Tensor4D[]): tf.Tensor4D[] {
  if (batches.length === 1) return [model.apply(batches[0]) as tf.Tensor4D];
  const out = model.apply(tf.concat(batches, 0)) as tf.Tensor4D;
  return tf.split(out, batches.map((b) => b.shape[0]), 0);
}

export function variablesOf(...models: tf.LayersModel[]): tf.Variable[] {
  return models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
}

/** Carries a tensor made inside a `variableGrads` closure, whose scope would free it, to the rest of the step. */
export type Keep = <T extends tf.Tensor>(tensor: T) => T;

/** The losses of a step as the caller-owned tensor `trainStep` returns; missing terms are 0. */
function stackLosses(parts: Partial<Record<LossName, tf.Scalar>>): tf.Tensor1D {
  return tf.stack(LOSS_NAMES.map((name) => parts[name] ?? tf.scalar(0))) as tf.Tensor1D;
}

/** Names the values of a stacked loss tensor read back from `trainStep`. */
export function lossRecord(values: ArrayLike<number>): LossRecord {
  return Object.fromEntries(LOSS_NAMES.map((name, i) => [name, values[i]])) as LossRecord;
}

/**
 * What every translation model shares: a generator optimiser and a discriminator optimiser on a
 * learning-rate schedule, the step count, and a learned state that can be copied out and back in
 * on any backend. Subclasses own their networks and define one training step.
 */
export abstract class GanModel {
  /** Steps taken so far; drives the learning-rate schedule. */
  stepCount = 0;
  /** The image sets the colour loss grades and their statistics; without it that loss is left out. */
  protected colourReference: ColourReference | null = null;
  readonly kind: ModelKind;
  protected config: TrainingConfig;
  protected readonly optG: ScheduledAdam;
  protected readonly optD: ScheduledAdam;

  constructor(config: TrainingConfig) {
    this.config = { ...config };
    this.kind = config.model;
    this.optG = new ScheduledAdam(config.learningRateG, config.beta1, config.beta2);
    this.optD = new ScheduledAdam(config.learningRateD, config.beta1, config.beta2);
  }

  /** The model's networks by name, in the order of {@link networksOf}. */
  abstract networks(): Partial<Record<NetworkName, tf.LayersModel>>;

  /**
   * One optimisation step on batches in [-1, 1] owned by the caller. Returns the losses stacked
   * in LOSS_NAMES order, owned by the caller; no other tensor outlives the call except network,
   * optimiser and pool state. Reading the result is left to the caller so it can be asynchronous.
   */
  abstract trainStep(realA: tf.Tensor4D, realB: tf.Tensor4D): tf.Tensor1D;

  /** The generator of a direction, or null when this model does not learn that direction. */
  abstract generator(direction: Direction): tf.LayersModel | null;

  /** Settings that take effect on the next step without rebuilding anything. */
  updateSettings(update: LiveSettings): void {
    this.config = { ...this.config, ...update };
  }

  /** Learning rates the next step will use. */
  learningRates(): { g: number; d: number } {
    const { learningRateG, learningRateD, decayStartStep, totalSteps } = this.config;
    return {
      g: learningRateAt(learningRateG, this.stepCount, decayStartStep, totalSteps),
      d: learningRateAt(learningRateD, this.stepCount, decayStartStep, totalSteps),
    };
  }

  /**
   * Starts one step and returns its losses (LOSS_NAMES order) when they are back; the batches
   * may be disposed as soon as this returns. Steps run in the order they are queued.
   */
  queueStep(realA: tf.Tensor4D, realB: tf.Tensor4D): Promise<ArrayLike<number>> {
    const stacked = this.trainStep(realA, realB);
    const values = stacked.data();
    return values.finally(() => stacked.dispose());
  }

  /** Brings the networks up to date before they translate or are saved (a no-op where they train in place). */
  async syncNetworks(): Promise<void> {}

  /** One step with its losses read back as numbers. */
  async step(realA: tf.Tensor4D, realB: tf.Tensor4D): Promise<LossRecord> {
    const stacked = this.trainStep(realA, realB);
    try {
      return lossRecord(await stacked.data());
    } finally {
      stacked.dispose();
    }
  }

  /** Translates a batch in [-1, 1]; the result belongs to the caller. */
  translate(images: tf.Tensor4D, direction: Direction): tf.Tensor4D {
    const model = this.generator(direction);
    if (!model) throw new Error(`This ${this.kind} model does not translate ${direction}`);
    return tf.tidy(() => model.apply(images) as tf.Tensor4D);
  }

  /** Translates a batch and reads each image and its translation back as pixels, as previews show them. */
  async translatePairs(inputs: tf.Tensor4D, direction: Direction): Promise<{ input: RgbaImage; output: RgbaImage }[]> {
    const outputs = this.translate(inputs, direction);
    try {
      const pairs: { input: RgbaImage; output: RgbaImage }[] = [];
      for (let i = 0; i < inputs.shape[0]; i++) {
        const [input, output] = tf.tidy(() => [inputs, outputs].map((t) => t.slice(i, 1).squeeze([0]) as tf.Tensor3D));
        pairs.push({ input: await tensorToRgba(input), output: await tensorToRgba(output) });
        tf.dispose([input, output]);
      }
      return pairs;
    } finally {
      outputs.dispose();
    }
  }

  /** Copies the whole learned state out of the backend (see {@link GanState}). */
  async getState(): Promise<GanState> {
    const networks: GanState['networks'] = {};
    for (const [name, model] of this.namedNetworks()) {
      networks[name] = await readAll(model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })));
    }
    const optimizers = { g: await this.readOptimizer(this.optG), d: await this.readOptimizer(this.optD) };
    return { stepCount: this.stepCount, networks, optimizers };
  }

  /**
   * Loads a state taken from a model of the same kind and architecture, on any backend, into a
   * freshly built one (tfjs's Adam would leak moments it already had). Shapes are checked before
   * anything changes, so a mismatched state leaves this one untouched.
   */
  async setState(state: GanState): Promise<void> {
    if (this.stepCount !== 0) throw new Error('setState needs a freshly built model, but this one has trained');
    const named = this.namedNetworks();
    for (const [name, model] of named) {
      const weights = model.weights;
      const saved = state.networks[name];
      if (!saved) throw new Error(`Expected weights for ${name} (a ${this.kind} model), found none`);
      if (saved.length !== weights.length) throw new Error(`Expected ${weights.length} weight tensors for ${name}, got ${saved.length}`);
      weights.forEach((w, i) => {
        if (saved[i].shape.join('x') !== w.shape.join('x')) {
          throw new Error(`Expected ${name} weight ${w.originalName} of shape [${w.shape}], got [${saved[i].shape}]`);
        }
      });
    }
    for (const [name, model] of named) {
      const tensors = (state.networks[name] ?? []).map((t) => tf.tensor(t.values, t.shape));
      model.setWeights(tensors);
      tf.dispose(tensors);
    }
    for (const [optimizer, saved] of [[this.optG, state.optimizers.g], [this.optD, state.optimizers.d]] as const) {
      const tensors = saved.map((t) => ({ name: t.name, tensor: tf.tensor(t.values, t.shape, t.name === 'iter' ? 'int32' : 'float32') }));
      await optimizer.setWeights(tensors);
      tf.dispose(tensors.map((n) => n.tensor));
    }
    this.stepCount = state.stepCount;
  }

  dispose(): void {
    for (const [, model] of this.namedNetworks()) model.dispose();
    this.optG.dispose();
    this.optD.dispose();
    if (this.colourReference) disposeColourReference(this.colourReference);
  }

  /** Gives the model the sets its colour loss compares (see colourReferenceOf); it owns them from here. */
  useColourReference(reference: ColourReference): void {
    if (this.colourReference) disposeColourReference(this.colourReference);
    this.colourReference = reference;
  }

  /**
   * The frame of every training step: both optimisers on this step's scheduled learning rates,
   * one tidy scope around `body`, the step counted and its losses stacked. Tensors passed to
   * `keep` live until the step ends.
   */
  protected runStep(body: (keep: Keep) => Partial<Record<LossName, tf.Scalar>>): tf.Tensor1D {
    const rates = this.learningRates();
    this.optG.setLearningRate(rates.g);
    this.optD.setLearningRate(rates.d);
    const kept: tf.Tensor[] = [];
    const keep: Keep = (tensor) => {
      kept.push(tf.keep(tensor));
      return tensor;
    };
    try {
      return withSharedSaves(() =>
        tf.tidy(() => {
          const losses = body(keep);
          this.stepCount += 1;
          return stackLosses(losses);
        }),
      );
    } finally {
      for (const t of kept) t.dispose();
    }
  }

  /** Applies gradients to the generators' (`g`) or discriminators' (`d`) variables. */
  protected applyGradients(which: 'g' | 'd', grads: tf.NamedTensorMap): void {
    (which === 'g' ? this.optG : this.optD).applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
  }

  private namedNetworks(): [NetworkName, tf.LayersModel][] {
    const networks = this.networks();
    return networksOf(this.kind).map((name) => {
      const model = networks[name];
      if (!model) throw new Error(`A ${this.kind} model needs a ${name} network`);
      return [name, model];
    });
  }

  private async readOptimizer(optimizer: ScheduledAdam): Promise<TensorData[]> {
    // A fresh optimizer has no moments yet; its state is then just the iteration count.
    const named = await optimizer.getWeights();
    try {
      return await readAll(named);
    } finally {
      // getWeights hands out the moment variables themselves plus a new 'iter' scalar.
      named.filter((n) => n.name === 'iter').forEach((n) => n.tensor.dispose());
    }
  }
}
