import * as tf from '@tensorflow/tfjs';
import { normalInit } from '../networks/init';
import type { Rng } from '../data/random';

/**
 * Kernels a backend may register for PatchNCE (the wasm backend does, wasmPatchNce.ts):
 *  unitRows      x [rows, d] and attr epsilon → x / √(Σx² + ε) per row; its backward kernel takes
 *                x and dy.
 *  crossEntropy  logits [batch, p, p] (query·key products) and attr temperature → [batch], each
 *                image's mean over rows i of log Σ_j e^(l_ij/τ) − l_ii/τ; backward: logits, dy.
 * Composed from tfjs ops the two are ~50 kernels a layer, forward and back; FastCUT compares six.
 */
export const UNIT_ROWS_KERNELS = { forward: 'GanStudioUnitRows', backward: 'GanStudioUnitRowsGrad' };
export const NCE_CROSS_ENTROPY_KERNELS = { forward: 'GanStudioNceCrossEntropy', backward: 'GanStudioNceCrossEntropyGrad' };

/** CUT's defaults: 256 patches per layer and temperature 0.07. */
export const NCE_PATCHES = 256;
export const NCE_TEMPERATURE = 0.07;

/**
 * Width of the projections: CUT's 256 belongs to its 64-filter generator, so it scales with the
 * generator's width here (64 for the default 16 filters), which keeps the head cheap next to
 * the small generators a browser trains.
 */
export function nceDimensions(genFilters: number): number {
  return Math.min(256, 4 * genFilters);
}

/**
 * CUT's projection head: for each encoder layer a two-layer MLP (C → 256, ReLU, 256 → 256) that
 * maps a patch's feature vector to the space where PatchNCE compares them. One model with one
 * input and one output per layer, so it trains and saves like the other networks.
 */
export function buildNceHead(channels: readonly number[], dimensions: number, rng: Rng, name = 'H_nce'): tf.LayersModel {
  const inputs = channels.map((c, i) => tf.input({ shape: [c], name: `${name}_in${i}` }));
  const outputs = inputs.map((input, i) => {
    const hidden = tf.layers.dense({ units: dimensions, activation: 'relu', kernelInitializer: normalInit(rng), name: `${name}_fc${i}a` }).apply(input);
    return tf.layers.dense({ units: dimensions, kernelInitializer: normalInit(rng), name: `${name}_fc${i}b` }).apply(hidden) as tf.SymbolicTensor;
  });
  return tf.model({ inputs, outputs, name });
}

/** For each feature map, which spatial positions to sample: the same for query and key, and for every image of the batch. */
export function samplePatchIds(features: readonly tf.Tensor4D[], rng: Rng, patches = NCE_PATCHES): tf.Tensor1D[] {
  return features.map((f) => {
    const positions = f.shape[1] * f.shape[2];
    const order = new Int32Array(positions);
    for (let i = 0; i < positions; i++) order[i] = i;
    // A partial Fisher–Yates shuffle draws `patches` distinct positions.
    const count = Math.min(patches, positions);
    for (let i = 0; i < count; i++) {
      const j = i + rng.int(positions - i);
      const drawn = order[j];
      order[j] = order[i];
      order[i] = drawn;
    }
    return tf.tensor1d(order.slice(0, count), 'int32');
  });
}

/** Added to a projection's squared length before the square root: a zero vector stays finite. */
const UNIT_EPSILON = 1e-12;

/** Gathers the sampled positions of each map, projects them with the head and L2-normalises: [batch, patches, dimensions] per layer. */
function project(head: tf.LayersModel, features: readonly tf.Tensor4D[], ids: readonly tf.Tensor1D[]): tf.Tensor3D[] {
  const batch = features[0].shape[0];
  const sampled = features.map((f, l) => {
    const [, height, width, channels] = f.shape;
    // Gather's gradient is UnsortedSegmentSum, which the project registers for wasm.
    return tf.gather(f.reshape([batch, height * width, channels]), ids[l], 1).reshape([-1, channels]);
  });
  const projected = head.apply(sampled) as tf.Tensor[] | tf.Tensor;
  return (Array.isArray(projected) ? projected : [projected]).map((p) => {
    const unit = tf.getKernel(UNIT_ROWS_KERNELS.forward, tf.getBackend())
      ? (tf.engine().runKernel(UNIT_ROWS_KERNELS.forward, { x: p }, { epsilon: UNIT_EPSILON }) as tf.Tensor)
      : // rsqrt of the squared length: the same unit vectors as dividing by norm(), with a cheaper gradient.
        p.mul(p.square().sum(-1, true).add(UNIT_EPSILON).rsqrt());
    return unit.reshape([batch, -1, p.shape[p.shape.length - 1]]) as tf.Tensor3D;
  });
}

/**
 * The value of `t` as a constant: CUT treats the keys as fixed targets. A custom gradient whose
 * only input is a placeholder, so that backpropagation never visits the ops that made `t` (with
 * `t` itself as the input, every step ran the key side's head and gather backwards on zeros).
 */
function detached(t: tf.Tensor): tf.Tensor {
  const placeholder = tf.scalar(0);
  return tf.customGrad((_: tf.Tensor | tf.GradSaveFunc) => ({ value: t.clone(), gradFunc: () => tf.zerosLike(placeholder) }))(placeholder);
}

/**
 * PatchNCE (Park et al. 2020): a patch of the output (query) should be closer to the patch at the
 * same place in the input (positive key) than to the other sampled patches of that input
 * (negatives). Cross-entropy over cosine similarities / τ, averaged over patches and then over
 * layers, one value per image. `queries` are the encoder features of the translated images,
 * `keys` of their sources.
 */
export function patchNceLoss(head: tf.LayersModel, queries: readonly tf.Tensor4D[], keys: readonly tf.Tensor4D[], ids: readonly tf.Tensor1D[]): tf.Tensor1D {
  return tf.tidy(() => {
    const q = project(head, queries, ids);
    const k = project(head, keys, ids).map((t) => detached(t) as tf.Tensor3D);
    const perLayer = q.map((ql, l) => {
      // Row i: similarity of query i with every key; the right answer is key i.
      const products = tf.matMul(ql, k[l], false, true);
      if (tf.getKernel(NCE_CROSS_ENTROPY_KERNELS.forward, tf.getBackend())) {
        return tf.engine().runKernel(NCE_CROSS_ENTROPY_KERNELS.forward, { logits: products }, { temperature: NCE_TEMPERATURE }) as tf.Tensor1D;
      }
      const logits = products.div(NCE_TEMPERATURE);
      const positive = ql.mul(k[l]).sum(-1).div(NCE_TEMPERATURE);
      // Unit vectors bound the logits to ±1/τ ≈ ±14.3, so exp cannot overflow float32 and the
      // max-shift of logSumExp (whose gradient costs more than the rest of the loss) is not needed.
      return logits.exp().sum(-1).log().sub(positive).mean(1);
    });
    return tf.addN(perLayer).div(perLayer.length) as tf.Tensor1D;
  });
}
