import type { Plan } from '../plan';

/**
 * Threads per workgroup of the reduction kernels: 256 on a GPU; 1 on a software adapter, where
 * a workgroup barrier switches every invocation's fibre (SwiftShader) and one thread summing
 * alone, many workgroups side by side, is several times faster.
 */
export function reductionLanes(plan: Plan): number {
  return plan.gpu.software ? 1 : 256;
}

/**
 * WGSL for a workgroup of `lanes` threads summing one value per thread: `treeSum(lid, v)`
 * returns the total to every thread. Call it from uniform control flow (it has barriers).
 */
export function treeSum(lanes: number): string {
  if (lanes === 1) return 'fn treeSum(lid: u32, v: f32) -> f32 { return v; }';
  return /* wgsl */ `
var<workgroup> treePart: array<f32, ${lanes}>;
fn treeSum(lid: u32, v: f32) -> f32 {
  treePart[lid] = v;
  workgroupBarrier();
  for (var w = ${lanes / 2}u; w > 0u; w = w / 2u) {
    if (lid < w) { treePart[lid] += treePart[lid + w]; }
    workgroupBarrier();
  }
  let total = treePart[0];
  workgroupBarrier();
  return total;
}`;
}
