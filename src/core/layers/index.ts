import * as tf from '@tensorflow/tfjs';
import { InstanceNorm } from './instanceNorm';
import { ReflectionPad2D } from './reflectionPad';

export { InstanceNorm } from './instanceNorm';
export { ReflectionPad2D, reflectionPad } from './reflectionPad';

let registered = false;

/** Makes saved models that use our custom layers loadable; safe to call more than once. */
export function registerCustomLayers(): void {
  if (registered) return;
  tf.serialization.registerClass(InstanceNorm);
  tf.serialization.registerClass(ReflectionPad2D);
  registered = true;
}
