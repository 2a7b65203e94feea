/**
 * WGSL for a workgroup of 256 summing one value per thread: `treeSum(lid, v)` returns the total
 * to every thread. Call it from uniform control flow (it has barriers).
 */
export const TREE_SUM = /* wgsl */ `
var<workgroup> treePart: array<f32, 256>;
fn treeSum(lid: u32, v: f32) -> f32 {
  treePart[lid] = v;
  workgroupBarrier();
  for (var w = 128u; w > 0u; w = w / 2u) {
    if (lid < w) { treePart[lid] += treePart[lid + w]; }
    workgroupBarrier();
  }
  let total = treePart[0];
  workgroupBarrier();
  return total;
}`;
