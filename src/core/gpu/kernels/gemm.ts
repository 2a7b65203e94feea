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
  /**
   * The header also defines `fn rowA(m: u32) -> vec4<i32>` and `fn loadRowA(r: vec4<i32>, k: u32) -> f32`:
   * A read through a per-row part computed once per row instead of at every k (for
   * convolutions, the patch's image and corner).
   */
  rowA?: boolean;
  /** `fn loadB(k: u32, n: u32) -> f32`, called only in range. */
  loadB: string;
  /** `fn store(m: u32, n: u32, z: u32, v: f32)`, z being the K chunk. */
  store: string;
  splits?: number;
  /**
   * Read A and B straight from memory, without workgroup tiles and their barriers: on a
   * software adapter (SwiftShader) every barrier switches hundreds of fibres, and this runs
   * several times faster there; on a real GPU the tiles win.
   */
  direct?: boolean;
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
  return { wx: 16, wy: 16, tm: 8, tn: 8, bk: 16 };
}

/** Workgroups a product of M×N spreads over before any K split. */
export function gemmTiles(M: number, N: number): number {
  const { wx, wy, tm, tn } = tileFor(N);
  return Math.ceil(N / (wx * tn)) * Math.ceil(M / (wy * tm));
}

export function gemm(spec: GemmSpec): { code: string; groups: [number, number, number] } {
  const { M, N, K } = spec;
  const { wx, wy, tm, tn, bk } = tileFor(N);
  const bm = wy * tm;
  const bn = wx * tn;
  const splits = Math.max(1, Math.min(spec.splits ?? 1, Math.ceil(K / bk)));
  const chunk = Math.ceil(K / splits / bk) * bk;
  const used = Math.ceil(K / chunk);
  if (spec.direct) return { code: directGemm(spec, { wx, wy, tm, tn }, chunk, used), groups: [Math.ceil(N / bn), Math.ceil(M / bm), used] };
  const nt = wx * wy;
  // Each thread loads the same A rows at every k step when the threads divide evenly into rows.
  const rowLoads = spec.rowA && nt % bk === 0 ? (bm * bk) / nt : 0;
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
  ${rowLoads ? `var rows: array<vec4<i32>, ${rowLoads}>;
  for (var j = 0u; j < ${rowLoads}u; j++) { rows[j] = rowA(min(m0 + tid / ${bk}u + j * ${nt / bk}u, ${M - 1}u)); }` : ''}
  for (var k0 = kBegin; k0 < kEnd; k0 += ${bk}u) {
    ${
      rowLoads
        ? `for (var j = 0u; j < ${rowLoads}u; j++) {
      let mm = tid / ${bk}u + j * ${nt / bk}u; let kk = tid % ${bk}u; let k = k0 + kk;
      var v = 0.0;
      if (m0 + mm < ${M}u && k < kEnd) { v = loadRowA(rows[j], k); }
      As[kk * ${bm}u + mm] = v;
    }`
        : `for (var e = tid; e < ${bm * bk}u; e += ${wx * wy}u) {
      let mm = e / ${bk}u; let kk = e % ${bk}u; let m = m0 + mm; let k = k0 + kk;
      var v = 0.0;
      if (m < ${M}u && k < kEnd) { v = loadA(m, k); }
      As[kk * ${bm}u + mm] = v;
    }`
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

function directGemm(spec: GemmSpec, t: Omit<Tile, 'bk'>, chunk: number, used: number): string {
  const { M, N, K } = spec;
  const { wx, wy, tm, tn } = t;
  const is = [...Array(tm).keys()];
  const js = [...Array(tn).keys()];
  // Unrolled by hand into scalars: SwiftShader keeps indexed local arrays in memory.
  return /* wgsl */ `
${spec.header}
${spec.loadA}
${spec.loadB}
${spec.store}
@compute @workgroup_size(${wx}, ${wy}, 1)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let mBase = wid.y * ${wy * tm}u + lid.y;
  let nBase = wid.x * ${wx * tn}u + lid.x;
  ${used > 1 ? `let kBegin = wid.z * ${chunk}u;\n  let kEnd = min(${K}u, kBegin + ${chunk}u);` : `let kBegin = 0u;\n  let kEnd = ${K}u;`}
  ${is.map((i) => `let m${i} = min(mBase + ${i * wy}u, ${M - 1}u);`).join(' ')}
  ${js.map((j) => `let n${j} = min(nBase + ${j * wx}u, ${N - 1}u);`).join(' ')}
  ${is.flatMap((i) => js.map((j) => `var c${i}_${j} = 0.0;`)).join(' ')}
  ${spec.rowA ? is.map((i) => `let r${i} = rowA(m${i});`).join(' ') : ''}
  for (var k = kBegin; k < kEnd; k++) {
    ${is.map((i) => (spec.rowA ? `let a${i} = loadRowA(r${i}, k);` : `let a${i} = loadA(m${i}, k);`)).join(' ')}
    ${js.map((j) => `let b${j} = loadB(k, n${j});`).join(' ')}
    ${is.flatMap((i) => js.map((j) => `c${i}_${j} = fma(a${i}, b${j}, c${i}_${j});`)).join('\n    ')}
  }
  ${is.flatMap((i) => js.map((j) => `if (mBase + ${i * wy}u < ${M}u && nBase + ${j * wx}u < ${N}u) { store(mBase + ${i * wy}u, nBase + ${j * wx}u, wid.z, c${i}_${j}); }`)).join('\n  ')}
}`;
}
