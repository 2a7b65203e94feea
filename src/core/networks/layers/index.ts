import * as tf from '@tensorflow/tfjs';
import { defineCustomLayers } from './customLayers.js';

// The layers live in a plain ES module that is also handed out with exported generators.
export const { InstanceNorm, ReflectionPad2D, GlobalGrade, ClipRange, reflectionPad, localMean } = defineCustomLayers(tf);

let registered = false;

/** Makes saved models that use our custom layers loadable; safe to call more than once. */
export function registerCustomLayers(): void {
  if (registered) return;
  for (const layer of [InstanceNorm, ReflectionPad2D, GlobalGrade, ClipRange]) tf.serialization.registerClass(layer as unknown as tf.serialization.SerializableConstructor<tf.layers.Layer>);
  registered = true;
}
