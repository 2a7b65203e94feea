import type * as tfjs from '@tensorflow/tfjs';

type Tf = typeof tfjs;

export interface InstanceNormArgs {
  epsilon?: number;
  /** Learn a per-channel scale and offset after normalising (PyTorch's `affine`). */
  affine?: boolean;
  name?: string;
  trainable?: boolean;
}

export interface ReflectionPadArgs {
  padding: number;
  name?: string;
}

export interface GlobalGradeArgs {
  /** Knots of each channel's tone curve, evenly spaced over [-1, 1]. */
  knots?: number;
  /** How much faster than the other weights Adam moves the grade's. */
  rate?: number;
  name?: string;
  trainable?: boolean;
}

export interface CustomLayers {
  InstanceNorm: { new (args?: InstanceNormArgs): tfjs.layers.Layer; className: string };
  ReflectionPad2D: { new (args: ReflectionPadArgs): tfjs.layers.Layer; className: string };
  GlobalGrade: { new (args?: GlobalGradeArgs): tfjs.layers.Layer; className: string };
  ClipRange: { new (args?: { name?: string }): tfjs.layers.Layer; className: string };
  reflectionPad(x: tfjs.Tensor4D, pad: number): tfjs.Tensor4D;
  localMean(x: tfjs.Tensor4D): tfjs.Tensor4D;
}

export const INSTANCE_NORM_KERNELS: { forward: string; backward: string };
export const REFLECTION_PAD_GRAD_KERNEL: string;
export const GRADE_KERNELS: { forward: string; backward: string };
export const LOCAL_DETAIL_KERNELS: { forward: string; backward: string };
export function defineCustomLayers(tf: Tf): CustomLayers;
export function registerGanStudioLayers(tf: Tf): CustomLayers;
