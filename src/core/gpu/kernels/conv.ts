import { bindings, decl, grid, type GTensor, type Plan, type View } from '../plan';
import { activate, slope, type Activation } from './activation';
import { gemm, gemmTiles } from './gemm';
import { reductionLanes, treeSum } from './reduce';

/**
 * One convolution as the tfjs models run it: optional nearest-neighbour upsampling ×2, then
 * reflection or zero padding, then a k×k convolution with a stride (HWIO kernel, NHWC images).
 * tfjs's 'same' padding with stride 2 pads only the bottom and right: padTop 0, padBottom 1.
 */
export interface ConvGeometry {
  n: number;
  h: number;
  w: number;
  ci: number;
  co: number;
  k: number;
  stride: number;
  padTop: number;
  padBottom: number;
  pad: 'reflect' | 'zero';
  up: 1 | 2;
}

export function outputSize(g: ConvGeometry): { ho: number; wo: number } {
  const size = (s: number) => Math.floor((s * g.up + g.padTop + g.padBottom - g.k) / g.stride) + 1;
  return { ho: size(g.h), wo: size(g.w) };
}

/** Where a gradient goes: written over, or added to what earlier terms left there. */
export interface GradTarget {
  view: View;
  accumulate: boolean;
}

/** WGSL: `srcY`/`srcX` map a coordinate of the padded, upsampled image back to a pixel (-1 in zero padding); `im2col` reads X. */
function patchReader(g: ConvGeometry): string {
  const { ho, wo } = outputSize(g);
  const src = (name: string, size: number) => /* wgsl */ `
fn ${name}(v: i32) -> i32 {
  var u = v;
  ${g.pad === 'reflect' ? `if (u < 0) { u = -u; } if (u >= ${size}) { u = ${2 * size - 2} - u; }` : `if (u < 0 || u >= ${size}) { return -1; }`}
  return u / ${g.up};
}`;
  return /* wgsl */ `
${src('srcY', g.h * g.up)}
${src('srcX', g.w * g.up)}
fn rowA(m: u32) -> vec4<i32> {
  let ox = m % ${wo}u; let t2 = m / ${wo}u; let oy = t2 % ${ho}u; let n = t2 / ${ho}u;
  return vec4<i32>(i32(n * ${g.h}u), i32(oy) * ${g.stride} - ${g.padTop}, i32(ox) * ${g.stride} - ${g.padTop}, 0);
}
fn loadRowA(r: vec4<i32>, k: u32) -> f32 {
  let ci = k % ${g.ci}u; let t = k / ${g.ci}u; let kx = i32(t % ${g.k}u); let ky = i32(t / ${g.k}u);
  let iy = srcY(r.y + ky);
  let ix = srcX(r.z + kx);
  if (iy < 0 || ix < 0) { return 0.0; }
  return X[((u32(r.x + iy)) * ${g.w}u + u32(ix)) * ${g.ci}u + ci];
}
fn im2col(m: u32, k: u32) -> f32 {
  let ci = k % ${g.ci}u; let t = k / ${g.ci}u; let kx = i32(t % ${g.k}u); let ky = i32(t / ${g.k}u);
  let ox = m % ${wo}u; let t2 = m / ${wo}u; let oy = t2 % ${ho}u; let n = t2 / ${ho}u;
  let iy = srcY(i32(oy) * ${g.stride} + ky - ${g.padTop});
  let ix = srcX(i32(ox) * ${g.stride} + kx - ${g.padTop});
  if (iy < 0 || ix < 0) { return 0.0; }
  return X[((n * ${g.h}u + u32(iy)) * ${g.w}u + u32(ix)) * ${g.ci}u + ci];
}`;
}

/**
 * A GPU needs a few hundred workgroups in flight: products with fewer tiles (the paper-size
 * residual blocks: 4096 × 256 at 64 px is 64 tiles) split K across workgroups instead.
 */
const TARGET_WORKGROUPS = 256;
/** Floats of partial sums a K-split GEMM may spread over its chunks. */
const PARTIAL_BUDGET = 1 << 22;
/** The shortest K chunk worth a workgroup of its own. */
const MIN_CHUNK = 64;

/** Forward: Y = act(conv(X, W) + bias). */
export function convForward(plan: Plan, x: GTensor, weight: View, bias: View | null, g: ConvGeometry, act: Activation): GTensor {
  const { ho, wo } = outputSize(g);
  const y = plan.tensor([g.n, ho, wo, g.co]);
  const M = g.n * ho * wo;
  const K = g.k * g.k * g.ci;
  const size = M * g.co;
  const wanted = plan.gpu.software ? 1 : Math.ceil(TARGET_WORKGROUPS / gemmTiles(M, g.co));
  const splits = Math.max(1, Math.min(wanted, Math.floor(K / MIN_CHUNK), Math.floor(PARTIAL_BUDGET / size)));
  const partial = splits > 1 ? plan.scratch('K-split partials', [splits, size]) : null;
  const b = bindings([['X', x], ['W', weight], ['Y', partial ?? y, true], ['B', partial ? null : bias]]);
  const { code, groups } = gemm({
    direct: plan.gpu.software,
    M,
    N: g.co,
    K,
    splits,
    header: `${b.header}\n${patchReader(g)}`,
    loadA: 'fn loadA(m: u32, k: u32) -> f32 { return im2col(m, k); }',
    rowA: true,
    loadB: `fn loadB(k: u32, n: u32) -> f32 { return W[k * ${g.co}u + n]; }`,
    store: partial
      ? `fn store(m: u32, n: u32, z: u32, v: f32) { Y[z * ${size}u + m * ${g.co}u + n] = v; }`
      : `fn store(m: u32, n: u32, z: u32, v: f32) { let s = v${bias ? ' + B[n]' : ''}; Y[m * ${g.co}u + n] = ${activate(act, 's')}; }`,
  });
  plan.dispatch(code, b.views, groups);
  if (partial) {
    const sum = bindings([['P', partial], ['B', bias], ['Y', y, true]]);
    const grid1 = grid(size);
    plan.dispatch(
      `${sum.header}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${grid1.index}
  var s = ${bias ? `B[i % ${g.co}u]` : '0.0'};
  for (var z = 0u; z < ${groups[2]}u; z++) { s += P[z * ${size}u + i]; }
  Y[i] = ${activate(act, 's')};
}`,
      sum.views,
      grid1.groups,
    );
  }
  return y;
}

/** WGSL: the gradient at the pre-activation of output element `i` (from DY and the output Y). */
function preActGrad(act: Activation): string {
  return act === 'none' ? 'fn dpre(i: u32) -> f32 { return DY[i]; }' : `fn dpre(i: u32) -> f32 { let y = Y[i]; return DY[i] * ${slope(act, 'y')}; }`;
}

/**
 * Gradient to the input: the patch gradients dCols = dPre · Wᵀ as a GEMM, then each input pixel
 * gathers what every patch position that read it (through padding, mirror and upsampling) received.
 */
export function convBackwardInput(plan: Plan, dy: GTensor, y: GTensor, weight: View, g: ConvGeometry, act: Activation, dx: GradTarget): void {
  const { ho, wo } = outputSize(g);
  const M = g.n * ho * wo;
  const K = g.k * g.k * g.ci;
  const cols = plan.scratch('patch gradients', [M, K]);
  const b = bindings([['DY', dy], ['Y', act === 'none' ? null : y], ['W', weight], ['DC', cols, true]]);
  const mm = gemm({
    direct: plan.gpu.software,
    M,
    N: K,
    K: g.co,
    header: `${b.header}\n${preActGrad(act)}`,
    loadA: `fn loadA(m: u32, k: u32) -> f32 { return dpre(m * ${g.co}u + k); }`,
    loadB: `fn loadB(k: u32, n: u32) -> f32 { return W[n * ${g.co}u + k]; }`,
    store: `fn store(m: u32, n: u32, z: u32, v: f32) { DC[m * ${K}u + n] = v; }`,
  });
  plan.dispatch(mm.code, b.views, mm.groups);

  const count = g.n * g.h * g.w * g.ci;
  const { groups, index } = grid(count);
  const cap = g.up * 3 * g.k;
  const taps = (axis: 'y' | 'x', size: number, out: number) => /* wgsl */ `
  var t${axis}: array<vec2<i32>, ${cap}>;
  var n${axis} = 0;
  for (var up = 0; up < ${g.up}; up++) {
    let u = i${axis} * ${g.up} + up;
    for (var r = 0; r < 3; r++) {
      var v = u;
      if (r == 1) { if (${g.pad === 'zero'} || u == 0) { continue; } v = -u; }
      if (r == 2) { if (${g.pad === 'zero'} || u == ${size - 1}) { continue; } v = ${2 * size - 2} - u; }
      for (var kk = 0; kk < ${g.k}; kk++) {
        let t = v + ${g.padTop} - kk;
        if (t >= 0 && t % ${g.stride} == 0 && t / ${g.stride} < ${out}) { t${axis}[n${axis}] = vec2<i32>(t / ${g.stride}, kk); n${axis}++; }
      }
    }
  }`;
  const code = /* wgsl */ `
${decl(0, 'DC')}
${decl(1, 'DX', true)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${index}
  let ci = i % ${g.ci}u; let p = i / ${g.ci}u;
  let ix = i32(p % ${g.w}u); let q = p / ${g.w}u; let iy = i32(q % ${g.h}u); let n = q / ${g.h}u;
  ${taps('y', g.h * g.up, ho)}
  ${taps('x', g.w * g.up, wo)}
  var s = 0.0;
  for (var a = 0; a < ny; a++) {
    for (var b = 0; b < nx; b++) {
      let m = (n * ${ho}u + u32(ty[a].x)) * ${wo}u + u32(tx[b].x);
      let k = (u32(ty[a].y) * ${g.k}u + u32(tx[b].y)) * ${g.ci}u + ci;
      s += DC[m * ${K}u + k];
    }
  }
  DX[i] = ${dx.accumulate ? 'DX[i] + ' : ''}s;
}`;
  plan.dispatch(code, [cols, dx.view], groups);
}

/** Gradient to the weights (added to `dw`, a parameter gradient) and the bias (added to `db`). */
export function convBackwardWeight(plan: Plan, x: GTensor, dy: GTensor, y: GTensor, g: ConvGeometry, act: Activation, dw: View, db: View | null): void {
  const { ho, wo } = outputSize(g);
  const M = g.n * ho * wo;
  const K = g.k * g.k * g.ci;
  const size = K * g.co;
  const splits = Math.max(1, Math.min(Math.floor(M / 256), Math.floor(PARTIAL_BUDGET / size), 64));
  const partial = splits > 1 ? plan.scratch('K-split partials', [splits, size]) : null;
  const b = bindings([['X', x], ['DY', dy], ['Y', act === 'none' ? null : y], ['P', partial ?? dw, true]]);
  const mm = gemm({
    direct: plan.gpu.software,
    M: K,
    N: g.co,
    K: M,
    splits,
    header: `${b.header}\n${patchReader(g)}\n${preActGrad(act)}`,
    loadA: 'fn loadA(m: u32, k: u32) -> f32 { return im2col(k, m); }',
    loadB: `fn loadB(k: u32, n: u32) -> f32 { return dpre(k * ${g.co}u + n); }`,
    store: partial
      ? `fn store(m: u32, n: u32, z: u32, v: f32) { P[z * ${size}u + m * ${g.co}u + n] = v; }`
      : `fn store(m: u32, n: u32, z: u32, v: f32) { let i = m * ${g.co}u + n; P[i] = P[i] + v; }`,
  });
  plan.dispatch(mm.code, b.views, mm.groups);
  if (partial) {
    const { groups, index } = grid(size);
    const used = mm.groups[2];
    plan.dispatch(
      `${decl(0, 'P')}\n${decl(1, 'DW', true)}
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${index}
  var s = 0.0;
  for (var z = 0u; z < ${used}u; z++) { s += P[z * ${size}u + i]; }
  DW[i] = DW[i] + s;
}`,
      [partial, dw],
      groups,
    );
  }
  if (db) {
    const bb = bindings([['DY', dy], ['Y', act === 'none' ? null : y], ['DB', db, true]]);
    const lanes = reductionLanes(plan);
    plan.dispatch(
      `${bb.header}\n${preActGrad(act)}
${treeSum(lanes)}
@compute @workgroup_size(${lanes})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let c = wid.x;
  var s = 0.0;
  for (var m = lid.x; m < ${M}u; m += ${lanes}u) { s += dpre(m * ${g.co}u + c); }
  let total = treeSum(lid.x, s);
  if (lid.x == 0u) { DB[c] = DB[c] + total; }
}`,
      bb.views,
      [g.co, 1, 1],
    );
  }
}
