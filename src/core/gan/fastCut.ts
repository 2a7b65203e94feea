import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../config';
import { applySplit, GanModel, variablesOf } from './ganModel';
import { colourWindow } from './colourReference';
import { colourLoss, discriminatorLoss, generatorAdversarialLoss, l1 } from './losses';
import { buildDiscriminator } from '../networks/discriminator';
import { buildGenerator, encoderTaps, gradeOf } from '../networks/generator';
import { buildNceHead, nceDimensions, patchNceLoss, samplePatchIds } from './patchNce';
import { makeRng } from '../data/random';
import type { Direction, LossName, NetworkName } from './state';

/**
 * CUT and FastCUT (Park et al. 2020, "Contrastive Learning for Unpaired Image-to-Image
 * Translation"): one generator G: A→B, one discriminator D_B and a projection head. Instead of a
 * second generator and a cycle, PatchNCE keeps the content: each patch of G(a) must be
 * recognisable as the patch at the same place in a among the other patches of a.
 *  fastcut  λ_NCE·NCE(a, G(a)); the paper's λ_NCE is 10.
 *  cut      also the identity term NCE(b, G(b)), both halved; the paper's λ_NCE is 1.
 * Owns its networks and optimisers; `dispose` releases all of them.
 */
export class FastCut extends GanModel {
  readonly genAB: tf.LayersModel;
  private readonly grade: tf.LayersModel | null;
  readonly discB: tf.LayersModel;
  readonly nceHead: tf.LayersModel;
  /** The generator's encoder layers alone, and the whole generator with them as extra outputs; both share its weights. */
  private readonly encoder: tf.LayersModel;
  private readonly withFeatures: tf.LayersModel;

  constructor(config: TrainingConfig) {
    if (config.model === 'cyclegan') throw new Error('FastCut trains the one-sided models cut and fastcut, not cyclegan');
    super(config);
    const init = makeRng(`${config.seed}:init`);
    this.genAB = buildGenerator({ filters: config.genFilters, resBlocks: config.genResBlocks, upsampling: config.upsampling, start: config.generatorStart, name: 'G_AtoB' }, init);
    this.grade = gradeOf(this.genAB);
    this.discB = buildDiscriminator({ filters: config.discFilters, layers: config.discLayers, name: 'D_B' }, init);
    const taps = encoderTaps(this.genAB);
    this.encoder = tf.model({ inputs: this.genAB.inputs, outputs: taps, name: 'G_AtoB_encoder' });
    this.withFeatures = tf.model({ inputs: this.genAB.inputs, outputs: [...taps, ...this.genAB.outputs], name: 'G_AtoB_with_features' });
    // Layer 0 of the comparison is the image itself, as in CUT.
    this.nceHead = buildNceHead([3, ...taps.map((t) => t.shape[3] as number)], nceDimensions(config.genFilters), init);
  }

  networks(): Partial<Record<NetworkName, tf.LayersModel>> {
    return { genAB: this.genAB, discB: this.discB, nceHead: this.nceHead };
  }

  generator(direction: Direction): tf.LayersModel | null {
    return direction === 'AtoB' ? this.genAB : null;
  }

  /** G and the head with D_B fixed, then D_B on the new fakes (CUT keeps no image pool). */
  trainStep(realA: tf.Tensor4D, realB: tf.Tensor4D): tf.Tensor1D {
    const { adversarialLoss: kind, lambdaNce, lambdaColour, lambdaChange } = this.config;
    const identity = this.kind === 'cut';
    return this.runStep((keep) => {
      const parts: Partial<Record<LossName, tf.Scalar>> = {};
      let fakeB: tf.Tensor4D | undefined;
      const g = tf.variableGrads(() => {
        // The identity images ride in the same batch: one pass of the generator for both.
        const input = identity ? tf.concat([realA, realB], 0) : realA;
        const outputs = this.withFeatures.apply(input) as tf.Tensor4D[];
        const generated = outputs[outputs.length - 1];
        const keys = [input, ...outputs.slice(0, -1)];
        const queries = [generated, ...(this.encoder.apply(generated) as tf.Tensor4D[])];
        // Patches drawn from the seed and step alone, so a restored run samples what the original would have.
        const ids = samplePatchIds(keys, makeRng(`${this.config.seed}:patches:${this.stepCount}`));
        const perImage = patchNceLoss(this.nceHead, queries, keys, ids);
        const sizes = [realA.shape[0], realB.shape[0]];
        const fake = (identity ? tf.split(generated, sizes, 0)[0] : generated) as tf.Tensor4D;
        const [perA, perB] = identity ? tf.split(perImage, sizes, 0) : [perImage];
        const weight = identity ? lambdaNce / 2 : lambdaNce;
        parts.advG = keep(generatorAdversarialLoss(kind, this.discB.apply(fake) as tf.Tensor));
        parts.nce = keep(perA.mean().mul(weight) as tf.Scalar);
        if (perB) parts.nceIdt = keep(perB.mean().mul(weight) as tf.Scalar);
        const colour = lambdaColour > 0 ? this.colourReference : null;
        if (colour && this.grade) parts.colourG = keep(colourLoss(this.grade.apply(colourWindow(colour.content, this.stepCount)) as tf.Tensor4D, colour.styleStats).mul(lambdaColour) as tf.Scalar);
        if (lambdaChange > 0 && this.grade) parts.changeG = keep(l1(fake, this.grade.apply(realA) as tf.Tensor).mul(lambdaChange) as tf.Scalar);
        fakeB = keep(fake);
        return tf.addN([parts.advG, parts.nce, ...[parts.nceIdt, parts.colourG, parts.changeG].filter((p): p is tf.Scalar => p !== undefined)]) as tf.Scalar;
      }, variablesOf(this.genAB, this.nceHead));
      parts.totalG = g.value;
      this.applyGradients('g', g.grads);

      if (!fakeB) throw new Error('generator pass produced no images');
      const fake = fakeB;
      const d = tf.variableGrads(() => {
        const [realLogits, fakeLogits] = applySplit(this.discB, [realB, fake]);
        parts.dB = keep(discriminatorLoss(kind, realLogits, fakeLogits).mul(0.5) as tf.Scalar);
        return parts.dB;
      }, variablesOf(this.discB));
      this.applyGradients('d', d.grads);
      return parts;
    });
  }
}
