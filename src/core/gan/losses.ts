import * as tf from '@tensorflow/tfjs';
import type { AdversarialLoss } from '../config';
import { colourStats } from '../data/colourStats';

/*
 * All discriminator outputs are raw logits (PatchGAN maps), averaged over every patch.
 *  bce   — Goodfellow et al. 2014: D minimises -log σ(real) - log(1 - σ(fake)); the generator
 *          uses the non-saturating form -log σ(fake), which keeps gradients alive early on.
 *  lsgan — Mao et al. 2017 (CycleGAN's default): (real - 1)² + fake², generator (fake - 1)².
 *  hinge — Lim & Ye 2017: relu(1 - real) + relu(1 + fake), generator -fake.
 */

/** Discriminator loss for one real and one fake batch of patch logits. */
export function discriminatorLoss(kind: AdversarialLoss, realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (kind) {
      case 'bce':
        return tf.losses
          .sigmoidCrossEntropy(tf.onesLike(realLogits), realLogits)
          .add(tf.losses.sigmoidCrossEntropy(tf.zerosLike(fakeLogits), fakeLogits)) as tf.Scalar;
      case 'lsgan':
        return realLogits.sub(1).square().mean().add(fakeLogits.square().mean()) as tf.Scalar;
      case 'hinge':
        return tf.relu(tf.sub(1, realLogits)).mean().add(tf.relu(fakeLogits.add(1)).mean()) as tf.Scalar;
    }
  });
}

/** Generator's adversarial loss: how far the discriminator is from calling its fakes real. */
export function generatorAdversarialLoss(kind: AdversarialLoss, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (kind) {
      case 'bce':
        return tf.losses.sigmoidCrossEntropy(tf.onesLike(fakeLogits), fakeLogits) as tf.Scalar;
      case 'lsgan':
        return fakeLogits.sub(1).square().mean() as tf.Scalar;
      case 'hinge':
        return fakeLogits.mean().neg() as tf.Scalar;
    }
  });
}

/** Mean absolute error, used for both cycle-consistency and identity losses. */
export function l1(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.tidy(() => a.sub(b).abs().mean() as tf.Scalar);
}

/**
 * How far the colour statistics of `graded` (a whole image set through a generator's global
 * grade) are from `target` (the other set's): squared differences summed over the channels'
 * means and log spreads of value and detail. Over whole sets, not one photo against another,
 * this is a steady signal about the style from the first step, where the discriminator still
 * knows nothing.
 */
export function colourLoss(graded: tf.Tensor4D, target: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => colourStats(graded).sub(target).square().sum() as tf.Scalar);
}
