import type { TrainingConfig } from '../config';

/** Whether the engine can train a config, and why not when it cannot (shown where tfjs takes over). */
export function engineSupport(config: TrainingConfig): { ok: true } | { ok: false; reason: string } {
  if (config.model !== 'cyclegan') return { ok: false, reason: `the WebGPU engine trains CycleGAN only; ${config.model === 'cut' ? 'CUT' : 'FastCUT'} (PatchNCE) trains on tfjs-webgpu` };
  if (config.upsampling !== 'resize-conv') return { ok: false, reason: 'the WebGPU engine upsamples by resize + convolution only; transposed convolutions train on tfjs-webgpu' };
  return { ok: true };
}
