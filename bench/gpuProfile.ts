import type { GpuDevice } from '../src/core/gpu/device';
import type { Plan } from '../src/core/gpu/plan';

/** Names a kernel by what its source does (the plan keeps only sources). */
function kind(c: string): string {
  if (c.includes('var ty:')) return 'conv input grad (gather)';
  if (c.includes('DC[m')) return 'conv input grad (GEMM)';
  if (c.includes('fn im2col') && (c.includes('P[z') || c.includes('P[i]'))) return 'conv weight grad (GEMM)';
  if (c.includes('fn im2col')) return 'conv forward (GEMM)';
  if (c.includes('SB[j] = t1')) return 'instance norm backward sums';
  if (c.includes('ST[(n')) return 'instance norm statistics';
  if (c.includes('SB[j + 1u] /')) return 'instance norm backward';
  if (c.includes('ST[j]')) return 'instance norm';
  if (c.includes('gradePixel') && c.includes('PART')) return 'grade backward';
  if (c.includes('gradePixel')) return 'grade';
  if (c.includes('CS[j] = m') || c.includes('COEF')) return 'colour loss';
  if (c.includes('LOSS[')) return 'losses';
  if (c.includes('M[i] = m')) return 'adam';
  return 'other (sums, elementwise)';
}

/** Runs each dispatch of a plan alone and waits for it: where a step's GPU time goes, by kernel kind. */
export async function profilePlan(gpu: GpuDevice, plan: Plan): Promise<string> {
  const list = plan.dispatchList;
  const totals = new Map<string, { ms: number; n: number }>();
  for (let i = 0; i < list.length; i++) {
    const encoder = gpu.device.createCommandEncoder();
    plan.encodeOne(encoder, i);
    const t0 = performance.now();
    gpu.device.queue.submit([encoder.finish()]);
    await gpu.device.queue.onSubmittedWorkDone();
    const entry = totals.get(kind(list[i].code)) ?? { ms: 0, n: 0 };
    entry.ms += performance.now() - t0;
    entry.n += 1;
    totals.set(kind(list[i].code), entry);
  }
  return [...totals].sort((a, b) => b[1].ms - a[1].ms).map(([k, { ms, n }]) => `  ${k}: ${n} dispatches, ${ms.toFixed(1)} ms`).join('\n');
}
