import type * as tf from '@tensorflow/tfjs';
import type { CycleGan } from '../gan/cycleGan';

type Shape = (number | null)[];

/**
 * Floating-point operations (2 per multiply-add) of one forward pass of a functional model at a
 * given input size, counting convolutions and transposed convolutions, which dominate. Shapes
 * are propagated through the layer graph with each layer's own computeOutputShape.
 */
export function forwardFlops(model: tf.LayersModel, height: number, width: number, batch = 1): number {
  const shapes = new Map<string, Shape>();
  let flops = 0;
  for (const layer of model.layers) {
    const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
    const inputs = inbound.map((l) => shapes.get(l.name) as Shape);
    const output = (inbound.length === 0 ? [batch, height, width, 3] : layer.computeOutputShape(inputs.length === 1 ? inputs[0] : inputs)) as Shape;
    shapes.set(layer.name, output);
    const kind = layer.getClassName();
    if (kind === 'Conv2D' || kind === 'Conv2DTranspose') {
      const config = layer.getConfig() as { kernelSize: number[]; filters: number };
      const [kh, kw] = config.kernelSize;
      const input = inputs[0] as number[];
      // A transposed conv does its multiply-adds per *input* pixel.
      const positions = kind === 'Conv2D' ? (output[1] as number) * (output[2] as number) : input[1] * input[2];
      flops += 2 * batch * positions * kh * kw * input[3] * config.filters;
    }
  }
  return flops;
}

/**
 * Approximate FLOPs of one CycleGAN training step at a resolution: a backward pass costs about
 * twice its forward pass (input and weight gradients). Per image: G and F each run on 3 images
 * with full gradients (3×); in the generator phase D_A and D_B judge one fake each and pass
 * input gradients only (2×); in their own phase they see a real and a fake with weight
 * gradients (3×).
 */
export function trainingStepFlops(gan: CycleGan, resolution: number, batch: number): number {
  const g = forwardFlops(gan.genAB, resolution, resolution, batch);
  const d = forwardFlops(gan.discA, resolution, resolution, batch);
  return 3 * 6 * g + 2 * 2 * d + 3 * 4 * d;
}
