import { bindings, grid, type GTensor, type Plan, type View } from '../plan';
import type { GradTarget } from './conv';
import { box3Mean, box3Transposed } from './box3';
import { reductionLanes, treeSum } from './reduce';

/** The weights of one GlobalGrade layer, in its order: detail, curves, gain, offset, mix. */
export interface GradeWeights {
  detail: View;
  curves: View;
  gain: View;
  offset: View;
  mix: View;
}

/** One view over all five weights (consecutive in the flat buffer) and each one's offset in it. */
function span(w: GradeWeights): { view: View; at: Record<keyof GradeWeights, number> } {
  const parts = [w.detail, w.curves, w.gain, w.offset, w.mix];
  const first = w.detail.offset;
  const end = w.mix.offset + w.mix.length;
  if (parts.some((p, i) => p.buffer !== w.detail.buffer || (i > 0 && p.offset < parts[i - 1].offset))) throw new Error('Expected the grade weights in order in one buffer');
  return {
    view: { buffer: w.detail.buffer, offset: first, length: end - first },
    at: { detail: 0, curves: w.curves.offset - first, gain: w.gain.offset - first, offset: w.offset.offset - first, mix: w.mix.offset - first },
  };
}

/** WGSL shared by the grade's kernels: the 3×3 mean (over the pixels inside the image, as tfjs's 'same' average pool) and the forward of one pixel. */
function gradeHelpers(shape: number[], knots: number, rate: number, at: Record<keyof GradeWeights, number>): string {
  const [, h, w] = shape;
  return /* wgsl */ `
${box3Mean(h, w)}
struct Pixel { x0: vec3<f32>, a: vec3<f32>, x1: vec3<f32>, t: vec3<f32>, curved: vec3<f32>, g: vec3<f32> }
fn gradePixel(p: u32) -> Pixel {
  let x = i32(p % ${w}u); let y = i32((p / ${w}u) % ${h}u); let n = p / ${h * w}u;
  var r: Pixel;
  for (var c = 0u; c < 3u; c++) {
    let x0 = X[p * 3u + c];
    let a = avg3(n, y, x, c);
    let x1 = x0 + (x0 - a) * P[${at.detail}u + c] * ${rate}.0;
    let t = (x1 + 1.0) * ${(knots - 1) / 2};
    var curved = x1;
    for (var k = 0u; k < ${knots}u; k++) { curved += max(1.0 - abs(t - f32(k)), 0.0) * P[${at.curves}u + c * ${knots}u + k]; }
    r.x0[c] = x0; r.a[c] = a; r.x1[c] = x1; r.t[c] = t; r.curved[c] = curved;
    r.g[c] = curved * (1.0 + P[${at.gain}u + c] * ${rate}.0) + P[${at.offset}u + c] * ${rate}.0;
  }
  return r;
}`;
}

export interface GradeOptions {
  knots: number;
  rate: number;
}

/** GlobalGrade forward, one thread per pixel. */
export function gradeForward(plan: Plan, x: GTensor, weights: GradeWeights, o: GradeOptions): GTensor {
  const { view, at } = span(weights);
  const out = plan.tensor(x.shape);
  const pixels = x.length / 3;
  const { groups, index } = grid(pixels);
  const b = bindings([['X', x], ['P', view], ['O', out, true]]);
  plan.dispatch(
    `${b.header}
${gradeHelpers(x.shape, o.knots, o.rate, at)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${index}
  let r = gradePixel(i);
  for (var j = 0u; j < 3u; j++) {
    var v = r.g[j];
    for (var c = 0u; c < 3u; c++) { v += r.g[c] * P[${at.mix}u + c * 3u + j]; }
    O[i * 3u + j] = v;
  }
}`,
    b.views,
    groups,
  );
  return out;
}

const MAX_GROUPS = 256;

/**
 * GlobalGrade backward: each workgroup sums the weights' gradients over its pixels (written as
 * partials, then added to `dweights`); with `dx`, the input's gradient follows, including the
 * detail term's 3×3 mean.
 */
export function gradeBackward(plan: Plan, x: GTensor, dy: GTensor, weights: GradeWeights, dweights: GradeWeights, o: GradeOptions, dx: GradTarget | null): void {
  const { view, at } = span(weights);
  const dview = span(dweights).view;
  const pixels = x.length / 3;
  const values = 18 + 3 * o.knots;
  const lanes = reductionLanes(plan);
  const groupCount = Math.min(MAX_GROUPS, Math.ceil(pixels / lanes));
  const partial = plan.scratch('grade partials', [groupCount, values]);
  const dx1 = dx ? plan.tensor(x.shape) : null;
  const b = bindings([['X', x], ['P', view], ['DY', dy], ['PART', partial, true], ['DX1', dx1, true]]);
  const half = (o.knots - 1) / 2;
  plan.dispatch(
    `${b.header}
${gradeHelpers(x.shape, o.knots, o.rate, at)}
${treeSum(lanes)}
@compute @workgroup_size(${lanes})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  var sums: array<f32, ${values}>;
  for (var p = wid.x * ${lanes}u + lid.x; p < ${pixels}u; p += ${groupCount * lanes}u) {
    let r = gradePixel(p);
    var dout: vec3<f32>;
    for (var j = 0u; j < 3u; j++) { dout[j] = DY[p * 3u + j]; }
    for (var c = 0u; c < 3u; c++) {
      var dg = dout[c];
      for (var j = 0u; j < 3u; j++) {
        dg += P[${at.mix}u + c * 3u + j] * dout[j];
        sums[${18 + 3 * o.knots - 9}u + c * 3u + j] += r.g[c] * dout[j];
      }
      let dcurved = dg * (1.0 + P[${at.gain}u + c] * ${o.rate}.0);
      sums[${3 + 3 * o.knots}u + c] += dg * r.curved[c] * ${o.rate}.0;
      sums[${6 + 3 * o.knots}u + c] += dg * ${o.rate}.0;
      var slope = 1.0;
      for (var k = 0u; k < ${o.knots}u; k++) {
        let d = r.t[c] - f32(k);
        let hat = max(1.0 - abs(d), 0.0);
        sums[3u + c * ${o.knots}u + k] += dcurved * hat;
        // tfjs's gradients: relu' = 0 at 0, |x|' = −1 at 0.
        if (1.0 - abs(d) > 0.0) { slope -= select(-1.0, 1.0, d > 0.0) * P[${at.curves}u + c * ${o.knots}u + k] * ${half}; }
      }
      let d1 = dcurved * slope;
      sums[c] += d1 * (r.x0[c] - r.a[c]) * ${o.rate}.0;
      ${dx1 ? 'DX1[p * 3u + c] = d1;' : ''}
    }
  }
  for (var v = 0u; v < ${values}u; v++) {
    let total = treeSum(lid.x, sums[v]);
    if (lid.x == 0u) { PART[wid.x * ${values}u + v] = total; }
  }
}`,
    b.views,
    [groupCount, 1, 1],
  );
  // Partial sums in the order detail, curves, gain, offset, mix, added at each weight's place.
  const dAt = span(dweights).at;
  const place = `fn place(v: u32) -> u32 {
  if (v < 3u) { return ${dAt.detail}u + v; }
  if (v < ${3 + 3 * o.knots}u) { return ${dAt.curves}u + v - 3u; }
  if (v < ${6 + 3 * o.knots}u) { return ${dAt.gain}u + v - ${3 + 3 * o.knots}u; }
  if (v < ${9 + 3 * o.knots}u) { return ${dAt.offset}u + v - ${6 + 3 * o.knots}u; }
  return ${dAt.mix}u + v - ${9 + 3 * o.knots}u;
}`;
  const s = bindings([['PART', partial], ['DP', dview, true]]);
  const sg = grid(values);
  plan.dispatch(
    `${s.header}
${place}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${sg.index}
  var total = 0.0;
  for (var g = 0u; g < ${groupCount}u; g++) { total += PART[g * ${values}u + i]; }
  DP[place(i)] += total;
}`,
    s.views,
    sg.groups,
  );
  if (!dx || !dx1) return;
  const [, h, w] = x.shape;
  const e = grid(x.length);
  const d = bindings([['DX1', dx1], ['P', view], ['DX', dx.view, true]]);
  plan.dispatch(
    `${d.header}
${box3Transposed(h, w, 'DX1')}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${e.index}
  let c = i % 3u; let p = i / 3u;
  let x = i32(p % ${w}u); let y = i32((p / ${w}u) % ${h}u); let n = p / ${h * w}u;
  let gain = P[${at.detail}u + c] * ${o.rate}.0;
  // The detail term subtracts each pixel's 3×3 mean, so every neighbour's gradient flows back through it.
  let spread = spreadBack(n, y, x, c);
  let v = DX1[i] * (1.0 + gain) - gain * spread;
  DX[i] = ${dx.accumulate ? 'DX[i] + ' : ''}v;
}`,
    d.views,
    e.groups,
  );
}
