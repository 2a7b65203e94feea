import type { GpuDevice } from '../gpu/device';
import { Plan, type GTensor } from '../gpu/plan';
import { readViews, writeView } from '../gpu/transfer';

/** A plan with tensors filled from arrays: what the kernel tests build on. */
export function planWith(gpu: GpuDevice): { plan: Plan; input: (shape: number[], values: ArrayLike<number>) => GTensor } {
  const plan = new Plan(gpu);
  return {
    plan,
    input(shape, values) {
      const t = plan.tensor(shape);
      writeView(gpu, t, values);
      return t;
    },
  };
}

/** Runs the plan once and reads the given tensors back. */
export async function runPlan(gpu: GpuDevice, plan: Plan, outputs: GTensor[]): Promise<Float32Array[]> {
  const encoder = gpu.device.createCommandEncoder();
  plan.encode(encoder);
  gpu.device.queue.submit([encoder.finish()]);
  return readViews(gpu, outputs);
}
