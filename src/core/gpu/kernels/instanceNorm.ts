import { bindings, grid, type GTensor, type Plan, type View } from '../plan';
import { activate, slope, type Activation } from './activation';
import type { GradTarget } from './conv';
import { reductionLanes, treeSum } from './reduce';

const EPSILON = 1e-5;

/** An instance norm's saved statistics (mean, 1/σ per image and channel) and its output. */
export interface NormSaved {
  x: GTensor;
  y: GTensor;
  stats: GTensor;
  act: Activation;
}

/** Instance norm with its affine and activation fused: statistics per image and channel (two passes, one workgroup each), then the normalisation. */
export function instanceNormForward(plan: Plan, x: GTensor, gamma: View, beta: View, act: Activation): NormSaved {
  const [n, h, w, c] = x.shape;
  const pixels = h * w;
  const stats = plan.tensor([n, c, 2]);
  const s = bindings([['X', x], ['ST', stats, true]]);
  const lanes = reductionLanes(plan);
  plan.dispatch(
    `${s.header}
${treeSum(lanes)}
@compute @workgroup_size(${lanes})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let c = wid.x; let n = wid.y;
  let base = n * ${pixels * c}u + c;
  var sum = 0.0;
  for (var p = lid.x; p < ${pixels}u; p += ${lanes}u) { sum += X[base + p * ${c}u]; }
  let mean = treeSum(lid.x, sum) / ${pixels}.0;
  var sq = 0.0;
  for (var p = lid.x; p < ${pixels}u; p += ${lanes}u) { let d = X[base + p * ${c}u] - mean; sq += d * d; }
  let variance = treeSum(lid.x, sq) / ${pixels}.0;
  if (lid.x == 0u) { ST[(n * ${c}u + c) * 2u] = mean; ST[(n * ${c}u + c) * 2u + 1u] = inverseSqrt(variance + ${EPSILON}); }
}`,
    s.views,
    [c, n, 1],
  );
  const y = plan.tensor(x.shape);
  const { groups, index } = grid(x.length);
  const a = bindings([['X', x], ['ST', stats], ['G', gamma], ['B', beta], ['Y', y, true]]);
  plan.dispatch(
    `${a.header}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${index}
  let c = i % ${c}u; let n = i / ${pixels * c}u;
  let j = (n * ${c}u + c) * 2u;
  let v = (X[i] - ST[j]) * ST[j + 1u] * G[c] + B[c];
  Y[i] = ${activate(act, 'v')};
}`,
    a.views,
    groups,
  );
  return { x, y, stats, act };
}

/**
 * Backward: per channel, the sums Σdy' and Σdy'·x̂ over each image's pixels (dy' being the
 * gradient before the activation) give γ's and β's gradients; then
 * dx = γ/σ · (dy' − mean(dy') − x̂ · mean(dy'·x̂)).
 */
export function instanceNormBackward(plan: Plan, saved: NormSaved, dy: GTensor, gamma: View, dgamma: View, dbeta: View, dx: GradTarget): void {
  const { x, y, stats, act } = saved;
  const [n, h, w, c] = x.shape;
  const pixels = h * w;
  const sums = plan.tensor([n, c, 2]);
  const dpre = `fn dpre(i: u32) -> f32 { let yv = Y[i]; return DY[i] * ${slope(act, 'yv')}; }`;
  const lanes = reductionLanes(plan);
  const r = bindings([['X', x], ['Y', act === 'none' ? null : y], ['DY', dy], ['ST', stats], ['SB', sums, true], ['DG', dgamma, true], ['DB', dbeta, true]]);
  plan.dispatch(
    `${r.header}
${act === 'none' ? 'fn dpre(i: u32) -> f32 { return DY[i]; }' : dpre}
${treeSum(lanes)}
@compute @workgroup_size(${lanes})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let c = wid.x;
  var g = 0.0;
  var b = 0.0;
  for (var n = 0u; n < ${n}u; n++) {
    let j = (n * ${c}u + c) * 2u;
    let mean = ST[j]; let rstd = ST[j + 1u];
    var s1 = 0.0;
    var s2 = 0.0;
    for (var p = lid.x; p < ${pixels}u; p += ${lanes}u) {
      let i = n * ${pixels * c}u + p * ${c}u + c;
      let d = dpre(i);
      s1 += d;
      s2 += d * (X[i] - mean) * rstd;
    }
    let t1 = treeSum(lid.x, s1);
    let t2 = treeSum(lid.x, s2);
    if (lid.x == 0u) { SB[j] = t1; SB[j + 1u] = t2; }
    b += t1;
    g += t2;
  }
  if (lid.x == 0u) { DG[c] = DG[c] + g; DB[c] = DB[c] + b; }
}`,
    r.views,
    [c, 1, 1],
  );
  const { groups, index } = grid(x.length);
  const a = bindings([['X', x], ['Y', act === 'none' ? null : y], ['DY', dy], ['ST', stats], ['SB', sums], ['G', gamma], ['DX', dx.view, true]]);
  plan.dispatch(
    `${a.header}
${act === 'none' ? 'fn dpre(i: u32) -> f32 { return DY[i]; }' : dpre}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${index}
  let c = i % ${c}u; let n = i / ${pixels * c}u;
  let j = (n * ${c}u + c) * 2u;
  let rstd = ST[j + 1u];
  let xhat = (X[i] - ST[j]) * rstd;
  let v = G[c] * rstd * (dpre(i) - SB[j] / ${pixels}.0 - xhat * SB[j + 1u] / ${pixels}.0);
  DX[i] = ${dx.accumulate ? 'DX[i] + ' : ''}v;
}`,
    a.views,
    groups,
  );
}
