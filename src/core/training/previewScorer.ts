import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../config';
import { ImageSet } from '../data/imageSet';
import type { RgbaImage } from '../data/pixels';
import { psnr } from '../evaluation/psnr';
import { SwdReference } from '../evaluation/swd';
import type { GanModel } from '../gan/ganModel';
import type { PreviewScores } from './reports';

/** Content images translated for the SWD score, and style images it compares them with. */
const SWD_INPUTS = 16;
const SWD_STYLE = 64;

export interface ScorerOptions {
  config: TrainingConfig;
  /** Training sets: SWD translates the first content images and compares with the first style images. */
  content: ImageSet;
  style: ImageSet;
  /** Steps between SWD scores (and the first step); 0 or absent: none. */
  qualityEvery?: number;
  /** Held-out inputs and what a perfect A→B generator would make of them, for a PSNR score. */
  evaluation?: { inputs: readonly RgbaImage[]; targets: readonly RgbaImage[] };
}

/** Scores the A→B generator on previews: PSNR against a known mapping, SWD to the style set. */
export class PreviewScorer {
  private readonly evaluation: { inputs: tf.Tensor4D; targets: tf.Tensor4D } | null = null;
  private readonly swd: { inputs: tf.Tensor4D; reference: Promise<SwdReference> } | null = null;

  constructor(private readonly options: ScorerOptions) {
    const { config, content, style, evaluation } = options;
    if ((options.qualityEvery ?? 0) > 0) {
      const firstOf = (set: ImageSet, n: number) => set.batch(Array.from({ length: Math.min(n, set.length) }, (_, i) => i), null);
      const styleBatch = firstOf(style, SWD_STYLE);
      const reference = SwdReference.of(styleBatch, `${config.seed}:swd`);
      void reference.finally(() => styleBatch.dispose()).catch(() => undefined);
      this.swd = { inputs: firstOf(content, SWD_INPUTS), reference };
    }
    if (evaluation && evaluation.inputs.length > 0) {
      this.evaluation = { inputs: ImageSet.centredBatch(evaluation.inputs, config.resolution), targets: ImageSet.centredBatch(evaluation.targets, config.resolution) };
    }
  }

  async score(gan: GanModel, step: number): Promise<PreviewScores> {
    const scores: PreviewScores = {};
    if (this.evaluation) {
      const { inputs, targets } = this.evaluation;
      const both = tf.tidy(() => tf.stack([psnr(gan.translate(inputs, 'AtoB'), targets), psnr(inputs, targets)]));
      const [generator, identity] = await both.data();
      both.dispose();
      scores.psnr = { generator, identity };
    }
    const every = this.options.qualityEvery ?? 0;
    if (this.swd && (step % every === 0 || step === 1)) {
      const outputs = gan.translate(this.swd.inputs, 'AtoB');
      try {
        scores.swd = (await (await this.swd.reference).distance(outputs)).mean;
      } finally {
        outputs.dispose();
      }
    }
    return scores;
  }

  /** Settles once everything disposed is freed (the SWD reference may still be on its way). */
  released: Promise<void> = Promise.resolve();

  dispose(): void {
    if (this.evaluation) tf.dispose([this.evaluation.inputs, this.evaluation.targets]);
    if (this.swd) {
      this.swd.inputs.dispose();
      this.released = this.swd.reference.then((r) => r.dispose()).catch(() => undefined);
    }
  }
}
