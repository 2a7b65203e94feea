import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from './config';
import { ImagePool } from './imagePool';
import { discriminatorLoss, generatorAdversarialLoss, l1 } from './losses';
import { buildDiscriminator } from './models/discriminator';
import { buildGenerator } from './models/generator';
import { makeRng } from './random';
import { learningRateAt } from './schedule';
import { LOSS_NAMES, NETWORK_NAMES, type CycleGanState, type Direction, type LossName, type LossRecord, type NetworkName, type TensorData } from './state';

export { LOSS_NAMES, NETWORK_NAMES, type CycleGanState, type Direction, type LossName, type LossRecord, type NetworkName, type TensorData } from './state';

async function readAll(named: { name: string; tensor: tf.Tensor }[]): Promise<TensorData[]> {
  return Promise.all(
    named.map(async ({ name, tensor }) => ({ name, shape: [...tensor.shape], values: Float32Array.from(await tensor.data()) })),
  );
}

/** Adam whose learning rate can follow a schedule (tfjs reads it on every update). */
class ScheduledAdam extends tf.AdamOptimizer {
  setLearningRate(rate: number): void {
    this.learningRate = rate;
  }
}

/** Runs a model once over several batches stacked together and splits its output back. */
function applySplit(model: tf.LayersModel, batches: tf.Tensor4D[]): tf.Tensor4D[] {
  if (batches.length === 1) return [model.apply(batches[0]) as tf.Tensor4D];
  const out = model.apply(tf.concat(batches, 0)) as tf.Tensor4D;
  return tf.split(out, batches.map((b) => b.shape[0]), 0);
}

function asNamed(grads: tf.NamedTensorMap): { name: string; tensor: tf.Tensor }[] {
  return Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
}

function variablesOf(...models: tf.LayersModel[]): tf.Variable[] {
  return models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
}

/**
 * CycleGAN: generators G: A→B and F: B→A, discriminators D_A (judges domain A) and D_B.
 * Owns its networks, optimisers and image pools; `dispose` releases all of them.
 */
export class CycleGan {
  readonly genAB: tf.LayersModel;
  readonly genBA: tf.LayersModel;
  readonly discA: tf.LayersModel;
  readonly discB: tf.LayersModel;
  /** Steps taken so far; drives the learning-rate schedule. */
  stepCount = 0;
  private config: TrainingConfig;
  private readonly optG: ScheduledAdam;
  private readonly optD: ScheduledAdam;
  private readonly poolA: ImagePool;
  private readonly poolB: ImagePool;

  constructor(config: TrainingConfig) {
    this.config = { ...config };
    const init = makeRng(`${config.seed}:init`);
    const gen = { filters: config.genFilters, resBlocks: config.genResBlocks, upsampling: config.upsampling };
    const disc = { filters: config.discFilters, layers: config.discLayers };
    this.genAB = buildGenerator({ ...gen, name: 'G_AtoB' }, init);
    this.genBA = buildGenerator({ ...gen, name: 'F_BtoA' }, init);
    this.discA = buildDiscriminator({ ...disc, name: 'D_A' }, init);
    this.discB = buildDiscriminator({ ...disc, name: 'D_B' }, init);
    this.optG = new ScheduledAdam(config.learningRateG, config.beta1, config.beta2);
    this.optD = new ScheduledAdam(config.learningRateD, config.beta1, config.beta2);
    const poolRng = makeRng(`${config.seed}:pool`);
    this.poolA = new ImagePool(config.poolSize, poolRng);
    this.poolB = new ImagePool(config.poolSize, poolRng);
  }

  /** Settings that take effect on the next step without rebuilding anything. */
  updateHyperparameters(update: Partial<Pick<TrainingConfig, 'learningRateG' | 'learningRateD' | 'lambdaCycle' | 'lambdaIdentity' | 'adversarialLoss' | 'totalSteps' | 'decayStartStep'>>): void {
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
   * One optimisation step: G and F together with the discriminators fixed, then D_A and D_B on
   * pooled fakes. Inputs are batches in [-1, 1] owned by the caller. Returns the losses stacked
   * in LOSS_NAMES order, owned by the caller; no other tensor outlives the call except network,
   * optimiser and pool state. Reading the result is left to the caller so it can be asynchronous.
   */
  trainStep(realA: tf.Tensor4D, realB: tf.Tensor4D): tf.Tensor1D {
    const { adversarialLoss: kind, lambdaCycle, lambdaIdentity } = this.config;
    const lambdaIdt = lambdaCycle * lambdaIdentity;
    const rates = this.learningRates();
    this.optG.setLearningRate(rates.g);
    this.optD.setLearningRate(rates.d);
    const kept: tf.Tensor[] = [];
    const keep = <T extends tf.Tensor>(t: T): T => {
      kept.push(tf.keep(t));
      return t;
    };
    try {
      return tf.tidy(() => {
        const parts = {} as Record<LossName, tf.Scalar>;
        let fakeA: tf.Tensor4D | undefined;
        let fakeB: tf.Tensor4D | undefined;
        const g = tf.variableGrads(() => {
          // Identity inputs ride in the same batch as the real ones: one larger call instead of
          // two (instance norm keeps images independent, so the results are unchanged).
          const idt = lambdaIdt > 0;
          const [fB, idtB] = applySplit(this.genAB, idt ? [realA, realB] : [realA]);
          const [fA, idtA] = applySplit(this.genBA, idt ? [realB, realA] : [realB]);
          parts.advG = generatorAdversarialLoss(kind, this.discB.apply(fB) as tf.Tensor);
          parts.advF = generatorAdversarialLoss(kind, this.discA.apply(fA) as tf.Tensor);
          parts.cycleA = l1(this.genBA.apply(fB) as tf.Tensor, realA).mul(lambdaCycle);
          parts.cycleB = l1(this.genAB.apply(fA) as tf.Tensor, realB).mul(lambdaCycle);
          parts.idtG = idt ? l1(idtB, realB).mul(lambdaIdt) : tf.scalar(0);
          parts.idtF = idt ? l1(idtA, realA).mul(lambdaIdt) : tf.scalar(0);
          fakeA = keep(fA);
          fakeB = keep(fB);
          const total = tf.addN([parts.advG, parts.advF, parts.cycleA, parts.cycleB, parts.idtG, parts.idtF]) as tf.Scalar;
          for (const name of ['advG', 'advF', 'cycleA', 'cycleB', 'idtG', 'idtF'] as const) keep(parts[name]);
          return total;
        }, variablesOf(this.genAB, this.genBA));
        parts.totalG = g.value;
        this.optG.applyGradients(asNamed(g.grads));

        if (!fakeA || !fakeB) throw new Error('generator pass produced no images');
        const pooledA = this.poolA.query(fakeA);
        const pooledB = this.poolB.query(fakeB);
        const d = tf.variableGrads(() => {
          const [realLogitsA, fakeLogitsA] = applySplit(this.discA, [realA, pooledA]);
          const [realLogitsB, fakeLogitsB] = applySplit(this.discB, [realB, pooledB]);
          parts.dA = keep(discriminatorLoss(kind, realLogitsA, fakeLogitsA).mul(0.5));
          parts.dB = keep(discriminatorLoss(kind, realLogitsB, fakeLogitsB).mul(0.5));
          return parts.dA.add(parts.dB) as tf.Scalar;
        }, variablesOf(this.discA, this.discB));
        this.optD.applyGradients(asNamed(d.grads));
        this.stepCount += 1;
        return tf.stack(LOSS_NAMES.map((name) => parts[name])) as tf.Tensor1D;
      });
    } finally {
      for (const t of kept) t.dispose();
    }
  }

  /** One step with its losses read back as numbers. */
  async step(realA: tf.Tensor4D, realB: tf.Tensor4D): Promise<LossRecord> {
    const stacked = this.trainStep(realA, realB);
    try {
      return lossRecord(await stacked.data());
    } finally {
      stacked.dispose();
    }
  }

  /** Copies the whole learned state out of the backend (see {@link CycleGanState}). */
  async getState(): Promise<CycleGanState> {
    const networks = {} as Record<NetworkName, TensorData[]>;
    for (const name of NETWORK_NAMES) {
      networks[name] = await readAll(this[name].weights.map((w) => ({ name: w.originalName, tensor: w.read() })));
    }
    const optimizers = { g: await this.readOptimizer(this.optG), d: await this.readOptimizer(this.optD) };
    return { stepCount: this.stepCount, networks, optimizers };
  }

  /**
   * Loads a state taken from a CycleGan of the same architecture, on any backend, into a freshly
   * built one (tfjs's Adam would leak moments it already had). Shapes are checked before
   * anything changes, so a mismatched state leaves this one untouched.
   */
  async setState(state: CycleGanState): Promise<void> {
    if (this.stepCount !== 0) throw new Error('setState needs a freshly built CycleGan, but this one has trained');
    for (const name of NETWORK_NAMES) {
      const weights = this[name].weights;
      const saved = state.networks[name];
      if (saved.length !== weights.length) throw new Error(`Expected ${weights.length} weight tensors for ${name}, got ${saved.length}`);
      weights.forEach((w, i) => {
        if (saved[i].shape.join('x') !== w.shape.join('x')) {
          throw new Error(`Expected ${name} weight ${w.originalName} of shape [${w.shape}], got [${saved[i].shape}]`);
        }
      });
    }
    for (const name of NETWORK_NAMES) {
      const tensors = state.networks[name].map((t) => tf.tensor(t.values, t.shape));
      this[name].setWeights(tensors);
      tf.dispose(tensors);
    }
    for (const [optimizer, saved] of [[this.optG, state.optimizers.g], [this.optD, state.optimizers.d]] as const) {
      const named = saved.map((t) => ({ name: t.name, tensor: tf.tensor(t.values, t.shape, t.name === 'iter' ? 'int32' : 'float32') }));
      await optimizer.setWeights(named);
      tf.dispose(named.map((n) => n.tensor));
    }
    this.stepCount = state.stepCount;
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

  /** Translates a batch in [-1, 1]; the result belongs to the caller. */
  translate(images: tf.Tensor4D, direction: Direction): tf.Tensor4D {
    const model = direction === 'AtoB' ? this.genAB : this.genBA;
    return tf.tidy(() => model.apply(images) as tf.Tensor4D);
  }

  dispose(): void {
    for (const m of [this.genAB, this.genBA, this.discA, this.discB]) m.dispose();
    this.optG.dispose();
    this.optD.dispose();
    this.poolA.dispose();
    this.poolB.dispose();
  }
}

/** Names the values of a stacked loss tensor read back from `trainStep`. */
export function lossRecord(values: ArrayLike<number>): LossRecord {
  return Object.fromEntries(LOSS_NAMES.map((name, i) => [name, values[i]])) as LossRecord;
}
