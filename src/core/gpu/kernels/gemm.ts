/**
 * A tiled matrix product C[M×N] = Σ_k A(m,k)·B(k,n) in WGSL, whose operands are read through
 * `loadA`/`loadB` functions: convolutions become implicit GEMMs by reading A as the image
 * patches (im2col) straight from the activation, with padding, stride and upsampling folded
 * into the indexing. Each thread keeps a TM×TN block of C in registers; A and B pass through
 * workgroup memory BK columns at a time (the layout of tfjs-backend-webgpu's matmul and the
 * classic SGEMM write-ups). `splits` cuts K into chunks for separate workgroups (z), for
 * products with a long K and a small C, such as weight gradients.
 */
export interface GemmSpec {
  M: number;
  N: number;
  K: number;
  /** WGSL declarations of the bindings and any helpers the functions use. */
  header: string;
  /** `fn loadA(m: u32, k: u32) -> f32`, called only in range. */
  loadA: string;
  /** `fn loadB(k: u32, n: u32) -> f32`, called only in range. */
  loadB: string;
  /** `fn store(m: u32, n: u32, z: u32, v: f32)`, z being the K chunk. */
  store: string;
  splits?: number;
}

interface Tile {
  wx: number;
  wy: number;
  tm: number;
  tn: number;
  bk: number;
}

/** Narrow outputs (3 colours, 1 logit, 16 filters) get narrow tiles so few lanes idle. */
function tileFor(n: number): Tile {
  if (n <= 4) return { wx: 1, wy: 64, tm: 4, tn: 4, bk: 8 };
  if (n <= 16) return { wx: 4, wy: 32, tm: 4, tn: 4, bk: 16 };
  if (n <= 32) return { wx: 8, wy: 16, tm: 4, tn: 4, bk: 16 };
  if (n <= 64) return { wx: 16, wy: 16, tm: 4, tn: 4, bk: 16 };
  return { wx: 16, wy: 16, tm: 8, tn: 8, bk: 8 };
}

export function gemm(spec: GemmSpec): { code: string; groups: [number, number, number] } {
  const { M, N, K } = spec;
  const { wx, wy, tm, tn, bk } = tileFor(N);
  const bm = wy * tm;
  const bn = wx * tn;
  const splits = Math.max(1, Math.min(spec.splits ?? 1, Math.ceil(K / bk)));
  const chunk = Math.ceil(K / splits / bk) * bk;
  const used = Math.ceil(K / chunk);
  const code = /* wgsl */ `
${spec.header}
${spec.loadA}
${spec.loadB}
${spec.store}
var<workgroup> As: array<f32, ${bk * bm}>;
var<workgroup> Bs: array<f32, ${bk * bn}>;
@compute @workgroup_size(${wx}, ${wy}, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let tid = lid.y * ${wx}u + lid.x;
  let m0 = wid.y * ${bm}u;
  let n0 = wid.x * ${bn}u;
  ${used > 1 ? `let kBegin = wid.z * ${chunk}u;\n  let kEnd = min(${K}u, kBegin + ${chunk}u);` : `let kBegin = 0u;\n  let kEnd = ${K}u;`}
  var acc: array<f32, ${tm * tn}>;
  for (var k0 = kBegin; k0 < kEnd; k0 += ${bk}u) {
    for (var e = tid; e < ${bm * bk}u; e += ${wx * wy}u) {
      let mm = e / ${bk}u; let kk = e % ${bk}u; let m = m0 + mm; let k = k0 + kk;
      var v = 0.0;
      if (m < ${M}u && k < kEnd) { v = loadA(m, k); }
      As[kk * ${bm}u + mm] = v;
    }
    for (var e = tid; e < ${bk * bn}u; e += ${wx * wy}u) {
      let kk = e / ${bn}u; let nn = e % ${bn}u; let n = n0 + nn; let k = k0 + kk;
      var v = 0.0;
      if (n < ${N}u && k < kEnd) { v = loadB(k, n); }
      Bs[kk * ${bn}u + nn] = v;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${bk}u; kk++) {
      var a: array<f32, ${tm}>;
      var b: array<f32, ${tn}>;
      for (var i = 0u; i < ${tm}u; i++) { a[i] = As[kk * ${bm}u + lid.y + i * ${wy}u]; }
      for (var j = 0u; j < ${tn}u; j++) { b[j] = Bs[kk * ${bn}u + lid.x + j * ${wx}u]; }
      for (var i = 0u; i < ${tm}u; i++) {
        for (var j = 0u; j < ${tn}u; j++) { acc[i * ${tn}u + j] = fma(a[i], b[j], acc[i * ${tn}u + j]); }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < ${tm}u; i++) {
    for (var j = 0u; j < ${tn}u; j++) {
      let m = m0 + lid.y + i * ${wy}u;
      let n = n0 + lid.x + j * ${wx}u;
      if (m < ${M}u && n < ${N}u) { store(m, n, wid.z, acc[i * ${tn}u + j]); }
    }
  }
}`;
  return { code, groups: [Math.ceil(N / bn), Math.ceil(M / bm), used] };
}
