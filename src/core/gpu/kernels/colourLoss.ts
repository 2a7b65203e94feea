import { bindings, grid, type GTensor, type Plan, type View } from '../plan';
import type { LossOut } from './losses';
import { box3Mean, box3Transposed } from './box3';
import { reductionLanes, treeSum } from './reduce';

const EPS = 1e-4;

function detailHelpers(h: number, w: number): string {
  return /* wgsl */ `
${box3Mean(h, w)}
fn detail(i: u32) -> f32 {
  let c = i % 3u; let p = i / 3u;
  return X[i] - avg3(p / ${h * w}u, i32((p / ${w}u) % ${h}u), i32(p % ${w}u), c);
}`;
}

/**
 * The colour loss of data/colourStats.ts on a graded batch `x` against the 9 target statistics:
 * weight · Σ(stats − target)², where each image's channel mean, log spread and sharpness (log
 * detail spread − log spread) are averaged over the images. Writes the loss and the gradient
 * to `dx` (overwriting it).
 */
export function colourLoss(plan: Plan, x: GTensor, target: View, dx: GTensor, out: LossOut & { weight: { settings: View; index: number } }): void {
  const [n, h, w] = x.shape;
  const pixels = h * w;
  const moments = plan.tensor([n, 3, 4]);
  const a = bindings([['X', x], ['CS', moments, true]]);
  const lanes = reductionLanes(plan);
  plan.dispatch(
    `${a.header}
${detailHelpers(h, w)}
${treeSum(lanes)}
@compute @workgroup_size(${lanes})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let c = wid.x; let n = wid.y;
  let base = n * ${pixels * 3}u + c;
  var s = 0.0; var se = 0.0;
  for (var p = lid.x; p < ${pixels}u; p += ${lanes}u) { s += X[base + p * 3u]; se += detail(base + p * 3u); }
  let m = treeSum(lid.x, s) / ${pixels}.0;
  let me = treeSum(lid.x, se) / ${pixels}.0;
  var q = 0.0; var qe = 0.0;
  for (var p = lid.x; p < ${pixels}u; p += ${lanes}u) {
    let d = X[base + p * 3u] - m; q += d * d;
    let de = detail(base + p * 3u) - me; qe += de * de;
  }
  let v = treeSum(lid.x, q) / ${pixels}.0;
  let ve = treeSum(lid.x, qe) / ${pixels}.0;
  if (lid.x == 0u) { let j = (n * 3u + c) * 4u; CS[j] = m; CS[j + 1u] = v; CS[j + 2u] = me; CS[j + 3u] = ve; }
}`,
    a.views,
    [3, n, 1],
  );
  // One thread: the 9 statistics, the loss and each image-channel's gradient coefficients.
  const coef = plan.tensor([n, 3, 4]);
  const b = bindings([['CS', moments], ['T', target], ['SET', out.weight.settings], ['COEF', coef, true], ['LOSS', out.losses, true]]);
  plan.dispatch(
    `${b.header}
@compute @workgroup_size(1)
fn main() {
  var stats: array<f32, 9>;
  for (var n = 0u; n < ${n}u; n++) {
    for (var c = 0u; c < 3u; c++) {
      let j = (n * 3u + c) * 4u;
      let spread = 0.5 * log(CS[j + 1u] + ${EPS});
      stats[c] += CS[j] / ${n}.0;
      stats[3u + c] += spread / ${n}.0;
      stats[6u + c] += (0.5 * log(CS[j + 3u] + ${EPS}) - spread) / ${n}.0;
    }
  }
  let weight = SET[${out.weight.index}u];
  var loss = 0.0;
  var d: array<f32, 9>;
  for (var k = 0u; k < 9u; k++) { let diff = stats[k] - T[k]; loss += diff * diff; d[k] = 2.0 * weight * diff / ${n}.0; }
  LOSS[${out.slot}u] = weight * loss;
  for (var n = 0u; n < ${n}u; n++) {
    for (var c = 0u; c < 3u; c++) {
      let j = (n * 3u + c) * 4u;
      COEF[j] = d[c] / ${pixels}.0;
      COEF[j + 1u] = (d[3u + c] - d[6u + c]) / (${pixels}.0 * (CS[j + 1u] + ${EPS}));
      COEF[j + 2u] = d[6u + c] / (${pixels}.0 * (CS[j + 3u] + ${EPS}));
    }
  }
}`,
    b.views,
    [1, 1, 1],
  );
  // E = the detail's gradient; the input's is a + b·(x − m) + E − (3×3 mean)ᵀ E.
  const e = plan.tensor(x.shape);
  const g = grid(x.length);
  const c = bindings([['X', x], ['CS', moments], ['COEF', coef], ['E', e, true]]);
  plan.dispatch(
    `${c.header}
${detailHelpers(h, w)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${g.index}
  let j = ((i / ${pixels * 3}u) * 3u + i % 3u) * 4u;
  E[i] = COEF[j + 2u] * (detail(i) - CS[j + 2u]);
}`,
    c.views,
    g.groups,
  );
  const f = bindings([['X', x], ['CS', moments], ['COEF', coef], ['E', e], ['DX', dx, true]]);
  plan.dispatch(
    `${f.header}
${box3Transposed(h, w, 'E')}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${g.index}
  let c = i % 3u; let p = i / 3u;
  let x = i32(p % ${w}u); let y = i32((p / ${w}u) % ${h}u); let n = p / ${pixels}u;
  let j = (n * 3u + c) * 4u;
  let spread = spreadBack(n, y, x, c);
  DX[i] = COEF[j] + COEF[j + 1u] * (X[i] - CS[j]) + E[i] - spread;
}`,
    f.views,
    g.groups,
  );
}
