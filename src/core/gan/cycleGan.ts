import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../config';
import { applySplit, GanModel, variablesOf } from './ganModel';
import { colourWindow } from './colourReference';
import { ImagePool } from './imagePool';
import { colourLoss, discriminatorLoss, generatorAdversarialLoss, l1 } from './losses';
import { buildDiscriminator } from '../networks/discriminator';
import { buildGenerator, gradeOf } from '../networks/generator';
import { makeRng } from '../data/random';
import type { Direction, LossName, NetworkName } from './state';

/**
 * CycleGAN: generators G: A→B and F: B→A, discriminators D_A (judges domain A) and D_B.
 * Owns its networks, optimisers and image pools; `dispose` releases all of them.
 */
export class CycleGan extends GanModel {
  readonly genAB: tf.LayersModel;
  readonly genBA: tf.LayersModel;
  readonly discA: tf.LayersModel;
  readonly discB: tf.LayersModel;
  private readonly grades: { AtoB: tf.LayersModel | null; BtoA: tf.LayersModel | null };
  private readonly poolA: ImagePool;
  private readonly poolB: ImagePool;

  constructor(config: TrainingConfig) {
    super({ ...config, model: 'cyclegan' });
    const init = makeRng(`${config.seed}:init`);
    const gen = { filters: config.genFilters, resBlocks: config.genResBlocks, upsampling: config.upsampling, start: config.generatorStart };
    const disc = { filters: config.discFilters, layers: config.discLayers };
    this.genAB = buildGenerator({ ...gen, name: 'G_AtoB' }, init);
    this.genBA = buildGenerator({ ...gen, name: 'F_BtoA' }, init);
    this.discA = buildDiscriminator({ ...disc, name: 'D_A' }, init);
    this.discB = buildDiscriminator({ ...disc, name: 'D_B' }, init);
    this.grades = { AtoB: gradeOf(this.genAB), BtoA: gradeOf(this.genBA) };
    const poolRng = makeRng(`${config.seed}:pool`);
    this.poolA = new ImagePool(config.poolSize, poolRng);
    this.poolB = new ImagePool(config.poolSize, poolRng);
  }

  networks(): Partial<Record<NetworkName, tf.LayersModel>> {
    return { genAB: this.genAB, genBA: this.genBA, discA: this.discA, discB: this.discB };
  }

  generator(direction: Direction): tf.LayersModel {
    return direction === 'AtoB' ? this.genAB : this.genBA;
  }

  /** G and F together with the discriminators fixed, then D_A and D_B on pooled fakes. */
  trainStep(realA: tf.Tensor4D, realB: tf.Tensor4D): tf.Tensor1D {
    const { adversarialLoss: kind, lambdaCycle, lambdaIdentity, lambdaColour, lambdaChange } = this.config;
    const lambdaIdt = lambdaCycle * lambdaIdentity;
    const colour = lambdaColour > 0 ? this.colourReference : null;
    return this.runStep((keep) => {
      const parts: Partial<Record<LossName, tf.Scalar>> = {};
      let fakeA: tf.Tensor4D | undefined;
      let fakeB: tf.Tensor4D | undefined;
      const g = tf.variableGrads(() => {
        // Three generator calls instead of four or six: identity inputs ride with the real ones,
        // and F's cycle input G(a) rides with F's real input, since G runs first. One larger call
        // costs less than two (fewer kernels, and convolutions that see more than one image);
        // instance norm keeps images independent, so the results are unchanged.
        const idt = lambdaIdt > 0;
        const [fB, idtB] = applySplit(this.genAB, idt ? [realA, realB] : [realA]);
        const [fA, recA, idtA] = applySplit(this.genBA, idt ? [realB, fB, realA] : [realB, fB]);
        const terms = {
          advG: generatorAdversarialLoss(kind, this.discB.apply(fB) as tf.Tensor),
          advF: generatorAdversarialLoss(kind, this.discA.apply(fA) as tf.Tensor),
          cycleA: l1(recA, realA).mul(lambdaCycle) as tf.Scalar,
          cycleB: l1(this.genAB.apply(fA) as tf.Tensor, realB).mul(lambdaCycle) as tf.Scalar,
          idtG: idt ? (l1(idtB, realB).mul(lambdaIdt) as tf.Scalar) : tf.scalar(0),
          idtF: idt ? (l1(idtA, realA).mul(lambdaIdt) as tf.Scalar) : tf.scalar(0),
          colourG: colour && this.grades.AtoB ? (colourLoss(this.grades.AtoB.apply(colourWindow(colour.content, this.stepCount)) as tf.Tensor4D, colour.styleStats).mul(lambdaColour) as tf.Scalar) : tf.scalar(0),
          changeG: lambdaChange > 0 && this.grades.AtoB ? (l1(fB, this.grades.AtoB.apply(realA) as tf.Tensor).mul(lambdaChange) as tf.Scalar) : tf.scalar(0),
          changeF: lambdaChange > 0 && this.grades.BtoA ? (l1(fA, this.grades.BtoA.apply(realB) as tf.Tensor).mul(lambdaChange) as tf.Scalar) : tf.scalar(0),
          colourF: colour && this.grades.BtoA ? (colourLoss(this.grades.BtoA.apply(colourWindow(colour.style, this.stepCount)) as tf.Tensor4D, colour.contentStats).mul(lambdaColour) as tf.Scalar) : tf.scalar(0),
        };
        fakeA = keep(fA);
        fakeB = keep(fB);
        for (const [name, value] of Object.entries(terms)) parts[name as LossName] = keep(value);
        // Added in pairs: tfjs-webgpu's AddN binds every term, more than WebGPU's default 8 storage buffers.
        return Object.values(terms).reduce((sum, term) => sum.add(term)) as tf.Scalar;
      }, variablesOf(this.genAB, this.genBA));
      parts.totalG = g.value;
      this.applyGradients('g', g.grads);

      if (!fakeA || !fakeB) throw new Error('generator pass produced no images');
      const pooledA = this.poolA.query(fakeA);
      const pooledB = this.poolB.query(fakeB);
      const d = tf.variableGrads(() => {
        const [realLogitsA, fakeLogitsA] = applySplit(this.discA, [realA, pooledA]);
        const [realLogitsB, fakeLogitsB] = applySplit(this.discB, [realB, pooledB]);
        const dA = keep(discriminatorLoss(kind, realLogitsA, fakeLogitsA).mul(0.5) as tf.Scalar);
        const dB = keep(discriminatorLoss(kind, realLogitsB, fakeLogitsB).mul(0.5) as tf.Scalar);
        Object.assign(parts, { dA, dB });
        return dA.add(dB) as tf.Scalar;
      }, variablesOf(this.discA, this.discB));
      this.applyGradients('d', d.grads);
      return parts;
    });
  }

  override dispose(): void {
    super.dispose();
    this.poolA.dispose();
    this.poolB.dispose();
  }
}
