// SIMD kernels over tfjs-wasm's own heap, compiled by `npm run build:kernels` (AssemblyScript) into
// src/core/backends/simd/heapKernelsWasm.ts. Pointers are byte offsets into that heap.

/** Per channel, Σx, Σx², and when dy ≠ 0 also Σdy and Σdy·x, over `pixels` NHWC pixels: written as 4 runs of `channels` f64 at `sums`. */
export function instanceNormSums(x: usize, dy: usize, pixels: i32, channels: i32, sums: usize): void {
  const stride = <usize>channels << 2;
  const end = x + <usize>pixels * stride;
  const plane = <usize>channels << 3;
  let c = 0;
  for (; c + 4 <= channels; c += 4) {
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), q0 = f64x2.splat(0), q1 = f64x2.splat(0);
    let g0 = f64x2.splat(0), g1 = f64x2.splat(0), h0 = f64x2.splat(0), h1 = f64x2.splat(0);
    const offset = <usize>c << 2;
    if (dy == 0) {
      for (let p = x + offset; p < end; p += stride) {
        const v = v128.load(p);
        const lo = f64x2.promote_low_f32x4(v);
        const hi = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
        s0 = f64x2.add(s0, lo);
        s1 = f64x2.add(s1, hi);
        q0 = f64x2.add(q0, f64x2.mul(lo, lo));
        q1 = f64x2.add(q1, f64x2.mul(hi, hi));
      }
    } else {
      for (let p = offset, e = end - x; p < e; p += stride) {
        const v = v128.load(x + p);
        const d = v128.load(dy + p);
        const lo = f64x2.promote_low_f32x4(v);
        const hi = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
        const dlo = f64x2.promote_low_f32x4(d);
        const dhi = f64x2.promote_low_f32x4(i32x4.shuffle(d, d, 2, 3, 0, 1));
        s0 = f64x2.add(s0, lo);
        s1 = f64x2.add(s1, hi);
        q0 = f64x2.add(q0, f64x2.mul(lo, lo));
        q1 = f64x2.add(q1, f64x2.mul(hi, hi));
        g0 = f64x2.add(g0, dlo);
        g1 = f64x2.add(g1, dhi);
        h0 = f64x2.add(h0, f64x2.mul(dlo, lo));
        h1 = f64x2.add(h1, f64x2.mul(dhi, hi));
      }
    }
    const at = sums + (<usize>c << 3);
    v128.store(at, s0);
    v128.store(at + 16, s1);
    v128.store(at + plane, q0);
    v128.store(at + plane + 16, q1);
    v128.store(at + 2 * plane, g0);
    v128.store(at + 2 * plane + 16, g1);
    v128.store(at + 3 * plane, h0);
    v128.store(at + 3 * plane + 16, h1);
  }
  for (; c < channels; c++) {
    let s: f64 = 0, q: f64 = 0, g: f64 = 0, h: f64 = 0;
    for (let p = <usize>c << 2, e = end - x; p < e; p += stride) {
      const v = <f64>load<f32>(x + p);
      s += v;
      q += v * v;
      if (dy != 0) {
        const d = <f64>load<f32>(dy + p);
        g += d;
        h += d * v;
      }
    }
    const at = sums + (<usize>c << 3);
    store<f64>(at, s);
    store<f64>(at + plane, q);
    store<f64>(at + 2 * plane, g);
    store<f64>(at + 3 * plane, h);
  }
}

/**
 * out = (x − m[c])·a[c] + k[c] (+ dy·b[c] when dy ≠ 0) over `pixels` NHWC pixels, with m, a, b, k
 * runs of `channels` f32 at `coefficients` (m, a, k, b in that order). Subtracting m first keeps
 * float32 exact where x sits far from 0.
 */
export function instanceNormAffine(out: usize, x: usize, dy: usize, pixels: i32, channels: i32, coefficients: usize): void {
  const plane = <usize>channels << 2;
  const total = <usize>pixels * plane;
  if ((channels & 3) == 0) {
    for (let c = 0; c < channels; c += 4) {
      const at = coefficients + (<usize>c << 2);
      const m = v128.load(at), a = v128.load(at + plane), k = v128.load(at + 2 * plane), b = v128.load(at + 3 * plane);
      for (let p = <usize>c << 2; p < total; p += plane) {
        let y = f32x4.add(f32x4.mul(f32x4.sub(v128.load(x + p), m), a), k);
        if (dy != 0) y = f32x4.add(y, f32x4.mul(v128.load(dy + p), b));
        v128.store(out + p, y);
      }
    }
    return;
  }
  for (let c = 0; c < channels; c++) {
    const at = coefficients + (<usize>c << 2);
    const m = load<f32>(at), a = load<f32>(at + plane), k = load<f32>(at + 2 * plane), b = load<f32>(at + 3 * plane);
    for (let p = <usize>c << 2; p < total; p += plane) {
      let y = (load<f32>(x + p) - m) * a + k;
      if (dy != 0) y += load<f32>(dy + p) * b;
      store<f32>(out + p, y);
    }
  }
}
