// SIMD kernels over tfjs-wasm's own heap, compiled by `npm run build:kernels` (AssemblyScript) into
// src/core/backends/simd/heapKernelsWasm.ts. Pointers are byte offsets into that heap.

/** The first two floats of four, as doubles. */
@inline function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

/** The last two floats of four, as doubles. */
@inline function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
}

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
    for (let p = offset, e = end - x; p < e; p += stride) {
      const v = v128.load(x + p), lo = low(v), hi = high(v);
      s0 = f64x2.add(s0, lo);
      s1 = f64x2.add(s1, hi);
      q0 = f64x2.add(q0, f64x2.mul(lo, lo));
      q1 = f64x2.add(q1, f64x2.mul(hi, hi));
      if (dy != 0) {
        const d = v128.load(dy + p), dlo = low(d), dhi = high(d);
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
    // Pixel by pixel, the coefficients read from L1: a pass per four channels would stream the
    // whole tensor channels/4 times (2× slower for 16 channels at 128 px).
    const m = coefficients, a = m + plane, k = a + plane, b = k + plane;
    for (let p: usize = 0; p < total; p += plane) {
      for (let c: usize = 0; c < plane; c += 16) {
        let y = f32x4.add(f32x4.mul(f32x4.sub(v128.load(x + p + c), v128.load(m + c)), v128.load(a + c)), v128.load(k + c));
        if (dy != 0) y = f32x4.add(y, f32x4.mul(v128.load(dy + p + c), v128.load(b + c)));
        v128.store(out + p + c, y);
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

/**
 * One Adam update of `count` floats, every operation rounded to float32 in tfjs's order (so the
 * result is tfjs's to the bit): m' = m·β1 + g·(1 − β1), v' = v·β2 + g²·(1 − β2),
 * value' = ((m'/c1) / (√(v'/c2) + ε))·(−lr) + value. `constants` holds β1, β2, 1 − β1, 1 − β2,
 * c1, c2, ε, −lr as f32.
 */
export function adam(value: usize, m: usize, v: usize, grad: usize, newValue: usize, newM: usize, newV: usize, count: i32, constants: usize): void {
  const b1 = load<f32>(constants), b2 = load<f32>(constants, 4), o1 = load<f32>(constants, 8), o2 = load<f32>(constants, 12);
  const c1 = load<f32>(constants, 16), c2 = load<f32>(constants, 20), eps = load<f32>(constants, 24), negLr = load<f32>(constants, 28);
  const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2), vo1 = f32x4.splat(o1), vo2 = f32x4.splat(o2);
  const vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2), veps = f32x4.splat(eps), vlr = f32x4.splat(negLr);
  const bytes = <usize>count << 2;
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) {
    const g = v128.load(grad + i);
    const m1 = f32x4.add(f32x4.mul(v128.load(m + i), vb1), f32x4.mul(g, vo1));
    const v1 = f32x4.add(f32x4.mul(v128.load(v + i), vb2), f32x4.mul(f32x4.mul(g, g), vo2));
    const step = f32x4.div(f32x4.div(m1, vc1), f32x4.add(f32x4.sqrt(f32x4.div(v1, vc2)), veps));
    v128.store(newM + i, m1);
    v128.store(newV + i, v1);
    v128.store(newValue + i, f32x4.add(f32x4.mul(step, vlr), v128.load(value + i)));
  }
  for (; i < bytes; i += 4) {
    const g = load<f32>(grad + i);
    const m1 = load<f32>(m + i) * b1 + g * o1;
    const v1 = load<f32>(v + i) * b2 + g * g * o2;
    const step = m1 / c1 / (Mathf.sqrt(v1 / c2) + eps);
    store<f32>(newM + i, m1);
    store<f32>(newV + i, v1);
    store<f32>(newValue + i, step * negLr + load<f32>(value + i));
  }
}

/** Where padded coordinate `u` of an axis padded by `pad` reads from in a source of `n` entries. */
function reflected(u: i32, pad: i32, n: i32): i32 {
  const v = u - pad;
  if (v < 0) return -v;
  if (v >= n) return 2 * n - 2 - v;
  return v;
}

/** Reflection padding of H and W by `pad` (NHWC, n×h×w×c unpadded): each padded pixel copies the source pixel it reflects. */
export function reflectionPad(x: usize, out: usize, n: i32, h: i32, w: i32, c: i32, pad: i32): void {
  const hp = h + 2 * pad, wp = w + 2 * pad;
  const pixel = <usize>c << 2;
  let o = out;
  for (let b = 0; b < n; b++) {
    for (let u = 0; u < hp; u++) {
      const row = x + <usize>((b * h + reflected(u, pad, h)) * w) * pixel;
      for (let k = 0; k < pad; k++, o += pixel) memory.copy(o, row + <usize>reflected(k, pad, w) * pixel, pixel);
      memory.copy(o, row, <usize>w * pixel);
      o += <usize>w * pixel;
      for (let k = pad + w; k < wp; k++, o += pixel) memory.copy(o, row + <usize>reflected(k, pad, w) * pixel, pixel);
    }
  }
}

/**
 * The gradient of reflection padding H and W by `pad` (NHWC, n×h×w×c unpadded): each source pixel
 * collects the gradient of every padded position that copies it. Writes the source rows rowFrom …
 * rowTo − 1 (of all n·h) only, so that threads can share the image.
 */
export function reflectionPadGrad(dy: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, pad: i32, rowFrom: i32, rowTo: i32): void {
  const hp = h + 2 * pad, wp = w + 2 * pad;
  const pixel = <usize>c << 2;
  memory.fill(dx + <usize>(rowFrom * w) * pixel, 0, <usize>((rowTo - rowFrom) * w) * pixel);
  for (let b = 0; b < n; b++) {
    for (let u = 0; u < hp; u++) {
      const row = b * h + reflected(u, pad, h);
      if (row < rowFrom || row >= rowTo) continue;
      const from = (b * hp + u) * wp;
      for (let x = 0; x < wp; x++) {
        const target = dx + <usize>(row * w + reflected(x, pad, w)) * pixel;
        const origin = dy + <usize>(from + x) * pixel;
        let k: usize = 0;
        for (; k + 16 <= pixel; k += 16) v128.store(target + k, f32x4.add(v128.load(target + k), v128.load(origin + k)));
        for (; k < pixel; k += 4) store<f32>(target + k, load<f32>(target + k) + load<f32>(origin + k));
      }
    }
  }
}

/** Of a filter tap's column j, the first output column whose source column x·sw + j − left lies inside the image. */
@inline function firstColumnInside(j: i32, sw: i32, left: i32, outWidth: i32): i32 {
  const x0 = left - j > 0 ? (left - j + sw - 1) / sw : 0;
  return x0 > outWidth ? outWidth : x0;
}

/** One past the last output column whose source column lies inside the image; never before x0. */
@inline function pastColumnsInside(j: i32, sw: i32, left: i32, width: i32, outWidth: i32, x0: i32): i32 {
  let x1 = width - 1 + left - j >= 0 ? (width - 1 + left - j) / sw + 1 : 0;
  if (x1 > outWidth) x1 = outWidth;
  return x1 < x0 ? x0 : x1;
}

/**
 * The transposed im2col matrix of a convolution's input: from x in [batch, channels, H, W],
 * rows[(i·kw + j)·channels + c, (b·outH + y)·outW + x] = x[b, c, y·sh + i − top, x·sw + j − left],
 * zero in the padding. Its product with dy as [positions, out channels] is the filter gradient.
 * Writes rows rowFrom … rowTo − 1 only, so that threads can share the matrix.
 */
export function patchRows(x: usize, rows: usize, batch: i32, channels: i32, height: i32, width: i32, kh: i32, kw: i32, sh: i32, sw: i32, top: i32, left: i32, outHeight: i32, outWidth: i32, rowFrom: i32, rowTo: i32): void {
  const run = <usize>outWidth << 2;
  let o = rows + <usize>rowFrom * <usize>(batch * outHeight) * run;
  for (let r = rowFrom; r < rowTo; r++) {
    const c = r % channels, tap = r / channels;
    const i = tap / kw, j = tap % kw;
    const x0 = firstColumnInside(j, sw, left, outWidth);
    const x1 = pastColumnsInside(j, sw, left, width, outWidth, x0);
    for (let b = 0; b < batch; b++) {
      const plane = (b * channels + c) * height;
      for (let y = 0; y < outHeight; y++) {
        const sy = y * sh + i - top;
        if (sy < 0 || sy >= height || x1 == x0) {
          memory.fill(o, 0, run);
          o += run;
          continue;
        }
        const from = x + ((<usize>(plane + sy) * width + x0 * sw + j - left) << 2);
        if (x0 > 0) memory.fill(o, 0, <usize>x0 << 2);
        const inside = <usize>(x1 - x0) << 2;
        if (sw == 1) {
          memory.copy(o + (<usize>x0 << 2), from, inside);
        } else {
          const step = <usize>sw << 2;
          for (let k: usize = 0, s = from; k < inside; k += 4, s += step) store<f32>(o + (<usize>x0 << 2) + k, load<f32>(s));
        }
        if (x1 < outWidth) memory.fill(o + (<usize>x1 << 2), 0, <usize>(outWidth - x1) << 2);
        o += run;
      }
    }
  }
}

/**
 * patchRows from x in [batch, H, W, channels] (NHWC) with channels a multiple of 4, transposing
 * 4 channels × 4 output positions at a time in registers: each matrix row still holds one tap and
 * channel over all positions. Writes the rows of taps tapFrom … tapTo − 1 only.
 */
export function patchRowsChannelsLast(x: usize, rows: usize, batch: i32, channels: i32, height: i32, width: i32, kh: i32, kw: i32, sh: i32, sw: i32, top: i32, left: i32, outHeight: i32, outWidth: i32, tapFrom: i32, tapTo: i32): void {
  const rowBytes = (<usize>batch * <usize>outHeight * <usize>outWidth) << 2;
  const pixel = <usize>channels << 2;
  const step = <usize>sw * pixel;
  const run = <usize>outWidth << 2;
  for (let tap = tapFrom; tap < tapTo; tap++) {
    const i = tap / kw, j = tap % kw;
    const x0 = firstColumnInside(j, sw, left, outWidth);
    const x1 = pastColumnsInside(j, sw, left, width, outWidth, x0);
    const tapRows = rows + <usize>(tap * channels) * rowBytes;
    for (let b = 0; b < batch; b++) {
      for (let y = 0; y < outHeight; y++) {
        const column = (<usize>(b * outHeight + y) * <usize>outWidth) << 2;
        const sy = y * sh + i - top;
        if (sy < 0 || sy >= height || x1 == x0) {
          for (let c = 0; c < channels; c++) memory.fill(tapRows + <usize>c * rowBytes + column, 0, run);
          continue;
        }
        const first = x + (<usize>(b * height + sy) * <usize>width) * pixel + <usize>(x0 * sw + j - left) * pixel;
        for (let c = 0; c < channels; c += 4) {
          const r0 = tapRows + <usize>c * rowBytes + column;
          const r1 = r0 + rowBytes, r2 = r1 + rowBytes, r3 = r2 + rowBytes;
          if (x0 > 0) {
            const bytes = <usize>x0 << 2;
            memory.fill(r0, 0, bytes);
            memory.fill(r1, 0, bytes);
            memory.fill(r2, 0, bytes);
            memory.fill(r3, 0, bytes);
          }
          let s = first + (<usize>c << 2);
          let xx = x0;
          for (; xx + 4 <= x1; xx += 4, s += 4 * step) {
            const a = v128.load(s), e = v128.load(s + step), f = v128.load(s + 2 * step), g = v128.load(s + 3 * step);
            const ae0 = i32x4.shuffle(a, e, 0, 4, 1, 5), ae1 = i32x4.shuffle(a, e, 2, 6, 3, 7);
            const fg0 = i32x4.shuffle(f, g, 0, 4, 1, 5), fg1 = i32x4.shuffle(f, g, 2, 6, 3, 7);
            const at = <usize>xx << 2;
            v128.store(r0 + at, i32x4.shuffle(ae0, fg0, 0, 1, 4, 5));
            v128.store(r1 + at, i32x4.shuffle(ae0, fg0, 2, 3, 6, 7));
            v128.store(r2 + at, i32x4.shuffle(ae1, fg1, 0, 1, 4, 5));
            v128.store(r3 + at, i32x4.shuffle(ae1, fg1, 2, 3, 6, 7));
          }
          for (; xx < x1; xx++, s += step) {
            const at = <usize>xx << 2;
            store<f32>(r0 + at, load<f32>(s));
            store<f32>(r1 + at, load<f32>(s, 4));
            store<f32>(r2 + at, load<f32>(s, 8));
            store<f32>(r3 + at, load<f32>(s, 12));
          }
          if (x1 < outWidth) {
            const at = <usize>x1 << 2, bytes = <usize>(outWidth - x1) << 2;
            memory.fill(r0 + at, 0, bytes);
            memory.fill(r1 + at, 0, bytes);
            memory.fill(r2 + at, 0, bytes);
            memory.fill(r3 + at, 0, bytes);
          }
        }
      }
    }
  }
}

/**
 * The inverse layout of patchRows, summed: from cols in [positions, kh·kw·channels] (one row of
 * patch gradients per output position, NHWC order), dx[b, y·sh + i − top, x·sw + j − left, c] +=
 * cols[(b·outH + y)·outW + x, (i·kw + j)·channels + c], skipping the padding. dx is NHWC. Writes
 * dx's rows rowFrom … rowTo − 1 of each image only, so that threads can share dx.
 */
export function patchColumnsAdd(cols: usize, dx: usize, batch: i32, channels: i32, height: i32, width: i32, kh: i32, kw: i32, sh: i32, sw: i32, top: i32, left: i32, outHeight: i32, outWidth: i32, rowFrom: i32, rowTo: i32): void {
  const pixel = <usize>channels << 2;
  const imageRow = <usize>width * pixel;
  const tapRow = <usize>kw * pixel;
  const position = <usize>kh * tapRow;
  for (let b = 0; b < batch; b++) {
    memory.fill(dx + <usize>(b * height + rowFrom) * imageRow, 0, <usize>(rowTo - rowFrom) * imageRow);
    for (let y = 0; y < outHeight; y++) {
      // The taps i0 … i1 − 1 of this output row land on rows inside rowFrom … rowTo − 1.
      const i0 = max(0, rowFrom + top - y * sh);
      const i1 = min(kh, rowTo + top - y * sh);
      if (i1 <= i0) continue;
      let p = cols + <usize>((b * outHeight + y) * outWidth) * position;
      for (let x = 0; x < outWidth; x++, p += position) {
        // Taps j0 … j1 − 1 of a tap row fall inside the image, on neighbouring pixels, and their
        // gradients lie side by side: one run of (j1 − j0)·channels floats.
        const sx0 = x * sw - left;
        const j0 = sx0 < 0 ? min(-sx0, kw) : 0;
        const j1 = sx0 + kw > width ? max(width - sx0, j0) : kw;
        const run = <usize>(j1 - j0) * pixel;
        for (let i = i0; i < i1; i++) {
          const sy = y * sh + i - top;
          const target = dx + <usize>((b * height + sy) * width + sx0 + j0) * pixel;
          const from = p + <usize>i * tapRow + <usize>j0 * pixel;
          let k: usize = 0;
          for (; k + 16 <= run; k += 16) v128.store(target + k, f32x4.add(v128.load(target + k), v128.load(from + k)));
          for (; k < run; k += 4) store<f32>(target + k, load<f32>(target + k) + load<f32>(from + k));
        }
      }
    }
  }
}

/** The first `outs` lanes of v at `at`. */
@inline function storeOuts(at: usize, outs: i32, v: v128): void {
  store<f32>(at, f32x4.extract_lane(v, 0));
  if (outs > 1) store<f32>(at, f32x4.extract_lane(v, 1), 4);
  if (outs > 2) store<f32>(at, f32x4.extract_lane(v, 2), 8);
  if (outs > 3) store<f32>(at, f32x4.extract_lane(v, 3), 12);
}

/**
 * Four channels' sums for up to four outputs, a0…a3 (one output each, a channel a lane), stored
 * as dw[row + k, o] for channel k (rows of `outs` floats): a 4×4 transpose, then each channel's
 * outputs.
 */
@inline function storeChannels(dw: usize, row: usize, outs: i32, a0: v128, a1: v128, a2: v128, a3: v128): void {
  const t0 = i32x4.shuffle(a0, a1, 0, 4, 1, 5), t1 = i32x4.shuffle(a2, a3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(a0, a1, 2, 6, 3, 7), t3 = i32x4.shuffle(a2, a3, 2, 6, 3, 7);
  const rowBytes = <usize>outs << 2;
  const at = dw + row * rowBytes;
  storeOuts(at, outs, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
  storeOuts(at + rowBytes, outs, i32x4.shuffle(t0, t1, 2, 3, 6, 7));
  storeOuts(at + 2 * rowBytes, outs, i32x4.shuffle(t2, t3, 0, 1, 4, 5));
  storeOuts(at + 3 * rowBytes, outs, i32x4.shuffle(t2, t3, 2, 3, 6, 7));
}

/**
 * The filter gradient of a convolution with at most four outputs, straight from NHWC x and dy4
 * (dy with its outputs padded to four): dw[i, j, c, o] = Σ_{b,y,x} x[b, y·sh + i − top,
 * x·sw + j − left, c] · dy4[b, y, x, o], skipping the padding, written for the first `outs`
 * outputs in tfjs's [kh, kw, channels, outs] layout. `channels` is a multiple of 4. A product
 * of patches would lay out kh·kw·channels floats per position for at most four multiplications
 * each; here each pixel is read once per tap and eight channels. Sums taps tapFrom … tapTo − 1
 * (i·kw + j) only, so that threads can share dw.
 */
export function thinFilterGrad(x: usize, dy4: usize, dw: usize, batch: i32, channels: i32, height: i32, width: i32, kh: i32, kw: i32, sh: i32, sw: i32, top: i32, left: i32, outHeight: i32, outWidth: i32, outs: i32, tapFrom: i32, tapTo: i32): void {
  const pixel = <usize>channels << 2;
  const step = <usize>sw * pixel;
  for (let tap = tapFrom; tap < tapTo; tap++) {
    const i = tap / kw, j = tap % kw;
    const x0 = firstColumnInside(j, sw, left, outWidth);
    const x1 = pastColumnsInside(j, sw, left, width, outWidth, x0);
    const tapRow = <usize>(i * kw + j) * <usize>channels;
    for (let c = 0; c < channels; c += 8) {
      const wide = c + 8 <= channels;
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
      for (let b = 0; b < batch; b++) {
        for (let y = 0; y < outHeight; y++) {
          const sy = y * sh + i - top;
          if (sy < 0 || sy >= height || x1 <= x0) continue;
          let px = x + <usize>((b * height + sy) * width + x0 * sw + j - left) * pixel + (<usize>c << 2);
          let pd = dy4 + (<usize>((b * outHeight + y) * outWidth + x0) << 4);
          const end = dy4 + (<usize>((b * outHeight + y) * outWidth + x1) << 4);
          if (wide) {
            for (; pd < end; pd += 16, px += step) {
              const d = v128.load(pd), v = v128.load(px), w = v128.load(px, 16);
              const d0 = i32x4.shuffle(d, d, 0, 0, 0, 0), d1 = i32x4.shuffle(d, d, 1, 1, 1, 1);
              const d2 = i32x4.shuffle(d, d, 2, 2, 2, 2), d3 = i32x4.shuffle(d, d, 3, 3, 3, 3);
              a0 = f32x4.add(a0, f32x4.mul(v, d0));
              a1 = f32x4.add(a1, f32x4.mul(v, d1));
              a2 = f32x4.add(a2, f32x4.mul(v, d2));
              a3 = f32x4.add(a3, f32x4.mul(v, d3));
              b0 = f32x4.add(b0, f32x4.mul(w, d0));
              b1 = f32x4.add(b1, f32x4.mul(w, d1));
              b2 = f32x4.add(b2, f32x4.mul(w, d2));
              b3 = f32x4.add(b3, f32x4.mul(w, d3));
            }
          } else {
            for (; pd < end; pd += 16, px += step) {
              const d = v128.load(pd), v = v128.load(px);
              a0 = f32x4.add(a0, f32x4.mul(v, i32x4.shuffle(d, d, 0, 0, 0, 0)));
              a1 = f32x4.add(a1, f32x4.mul(v, i32x4.shuffle(d, d, 1, 1, 1, 1)));
              a2 = f32x4.add(a2, f32x4.mul(v, i32x4.shuffle(d, d, 2, 2, 2, 2)));
              a3 = f32x4.add(a3, f32x4.mul(v, i32x4.shuffle(d, d, 3, 3, 3, 3)));
            }
          }
        }
      }
      storeChannels(dw, tapRow + <usize>c, outs, a0, a1, a2, a3);
      if (wide) storeChannels(dw, tapRow + <usize>c + 4, outs, b0, b1, b2, b3);
    }
  }
}

/**
 * GlobalGrade's per-pixel part (see src/core/backends/wasmGrade.ts), over `pixels` RGB pixels:
 * t = (x + 1)·(K − 1)/2, curved = x + Σₖ relu(1 − |t − k|)·curves[c, k], g = curved·scale[c] +
 * shift[c], out = g + g·mix. Rounded to float32 where tfjs's ops would, as the JavaScript was.
 * `params` holds curves (3·K), scale (3), shift (3) and mix (9) as f32.
 */
export function gradeForward(x: usize, out: usize, pixels: i32, knots: i32, params: usize): void {
  const half = <f32>(knots - 1) / 2;
  const scale = params + (<usize>(3 * knots) << 2), shift = scale + 12, mix = shift + 12;
  const curves1 = params + (<usize>knots << 2), curves2 = params + (<usize>(2 * knots) << 2);
  const scale0 = load<f32>(scale), scale1 = load<f32>(scale, 4), scale2 = load<f32>(scale, 8);
  const shift0 = load<f32>(shift), shift1 = load<f32>(shift, 4), shift2 = load<f32>(shift, 8);
  const m0 = <f64>load<f32>(mix), m1 = <f64>load<f32>(mix, 4), m2 = <f64>load<f32>(mix, 8);
  const m3 = <f64>load<f32>(mix, 12), m4 = <f64>load<f32>(mix, 16), m5 = <f64>load<f32>(mix, 20);
  const m6 = <f64>load<f32>(mix, 24), m7 = <f64>load<f32>(mix, 28), m8 = <f64>load<f32>(mix, 32);
  const end = x + (<usize>pixels * 12);
  for (let p = x, o = out; p < end; p += 12, o += 12) {
    const g0 = <f64>(curvedF32(load<f32>(p), half, knots, params) * scale0 + shift0);
    const g1 = <f64>(curvedF32(load<f32>(p, 4), half, knots, curves1) * scale1 + shift1);
    const g2 = <f64>(curvedF32(load<f32>(p, 8), half, knots, curves2) * scale2 + shift2);
    store<f32>(o, <f32>(g0 + (g0 * m0 + g1 * m3 + g2 * m6)));
    store<f32>(o, <f32>(g1 + (g0 * m1 + g1 * m4 + g2 * m7)), 4);
    store<f32>(o, <f32>(g2 + (g0 * m2 + g1 * m5 + g2 * m8)), 8);
  }
}

/** One channel's curve in float32: v + Σₖ relu(1 − |t − k|)·curve[k], t = (v + 1)·half. */
@inline function curvedF32(v: f32, half: f32, knots: i32, curve: usize): f32 {
  const t = (v + 1) * half;
  let curved = v;
  let first = <i32>Mathf.floor(t);
  if (first < 0) first = 0;
  for (let k = first; k <= first + 1 && k < knots; k++) {
    const hat = <f32>1 - Mathf.abs(t - <f32>k);
    if (hat > 0) curved = curved + hat * load<f32>(curve + (<usize>k << 2));
  }
  return curved;
}

/**
 * Gradients of gradeForward, in float64 as the JavaScript was, with tfjs's |x|′ = −1 at 0 and
 * relu′(0) = 0: dx written per pixel; the weights' gradients summed into `sums` (f64: curves 3·K,
 * gain 3, offset 3, mix 9). `params` holds curves (3·K), gain (3), offset (3) and mix (9) as f32.
 * The 15 sums that do not depend on a pixel's knot stay in locals until the end: summed through
 * memory, each pixel waited on the last one's stores.
 */
export function gradeBackward(x: usize, dy: usize, dx: usize, pixels: i32, knots: i32, rate: f64, params: usize, sums: usize): void {
  const half = <f64>(knots - 1) / 2;
  const gain = params + (<usize>(3 * knots) << 2), offset = gain + 12, mix = offset + 12;
  const curves1 = params + (<usize>knots << 2), curves2 = params + (<usize>(2 * knots) << 2);
  const sums1 = sums + (<usize>knots << 3), sums2 = sums + (<usize>(2 * knots) << 3);
  const sc0 = <f64>load<f32>(gain) * rate + 1, sc1 = <f64>load<f32>(gain, 4) * rate + 1, sc2 = <f64>load<f32>(gain, 8) * rate + 1;
  const sh0 = rate * <f64>load<f32>(offset), sh1 = rate * <f64>load<f32>(offset, 4), sh2 = rate * <f64>load<f32>(offset, 8);
  const m0 = <f64>load<f32>(mix), m1 = <f64>load<f32>(mix, 4), m2 = <f64>load<f32>(mix, 8);
  const m3 = <f64>load<f32>(mix, 12), m4 = <f64>load<f32>(mix, 16), m5 = <f64>load<f32>(mix, 20);
  const m6 = <f64>load<f32>(mix, 24), m7 = <f64>load<f32>(mix, 28), m8 = <f64>load<f32>(mix, 32);
  let gain0: f64 = 0, gain1: f64 = 0, gain2: f64 = 0, offset0: f64 = 0, offset1: f64 = 0, offset2: f64 = 0;
  let mix0: f64 = 0, mix1: f64 = 0, mix2: f64 = 0, mix3: f64 = 0, mix4: f64 = 0, mix5: f64 = 0, mix6: f64 = 0, mix7: f64 = 0, mix8: f64 = 0;
  memory.fill(sums, 0, <usize>(3 * knots) << 3);
  const end = <usize>pixels * 12;
  for (let p: usize = 0; p < end; p += 12) {
    const x0 = <f64>load<f32>(x + p), x1 = <f64>load<f32>(x + p, 4), x2 = <f64>load<f32>(x + p, 8);
    const curved0 = curvedF64(x0, half, knots, params), slope0 = slopeOfCurve;
    const curved1 = curvedF64(x1, half, knots, curves1), slope1 = slopeOfCurve;
    const curved2 = curvedF64(x2, half, knots, curves2), slope2 = slopeOfCurve;
    const dy0 = <f64>load<f32>(dy + p), dy1 = <f64>load<f32>(dy + p, 4), dy2 = <f64>load<f32>(dy + p, 8);
    const g0 = curved0 * sc0 + sh0, g1 = curved1 * sc1 + sh1, g2 = curved2 * sc2 + sh2;
    const dg0 = dy0 + m0 * dy0 + m1 * dy1 + m2 * dy2;
    const dg1 = dy1 + m3 * dy0 + m4 * dy1 + m5 * dy2;
    const dg2 = dy2 + m6 * dy0 + m7 * dy1 + m8 * dy2;
    mix0 += g0 * dy0; mix1 += g0 * dy1; mix2 += g0 * dy2;
    mix3 += g1 * dy0; mix4 += g1 * dy1; mix5 += g1 * dy2;
    mix6 += g2 * dy0; mix7 += g2 * dy1; mix8 += g2 * dy2;
    offset0 += rate * dg0; offset1 += rate * dg1; offset2 += rate * dg2;
    gain0 += rate * curved0 * dg0; gain1 += rate * curved1 * dg1; gain2 += rate * curved2 * dg2;
    const dCurved0 = dg0 * sc0, dCurved1 = dg1 * sc1, dCurved2 = dg2 * sc2;
    addToCurve(x0, half, knots, sums, dCurved0);
    addToCurve(x1, half, knots, sums1, dCurved1);
    addToCurve(x2, half, knots, sums2, dCurved2);
    store<f32>(dx + p, <f32>(dCurved0 * slope0));
    store<f32>(dx + p, <f32>(dCurved1 * slope1), 4);
    store<f32>(dx + p, <f32>(dCurved2 * slope2), 8);
  }
  const rest = sums + (<usize>(3 * knots) << 3);
  store<f64>(rest, gain0); store<f64>(rest, gain1, 8); store<f64>(rest, gain2, 16);
  store<f64>(rest, offset0, 24); store<f64>(rest, offset1, 32); store<f64>(rest, offset2, 40);
  store<f64>(rest, mix0, 48); store<f64>(rest, mix1, 56); store<f64>(rest, mix2, 64);
  store<f64>(rest, mix3, 72); store<f64>(rest, mix4, 80); store<f64>(rest, mix5, 88);
  store<f64>(rest, mix6, 96); store<f64>(rest, mix7, 104); store<f64>(rest, mix8, 112);
}

/** The slope of the last curve curvedF64 evaluated (AssemblyScript returns one value). */
let slopeOfCurve: f64 = 0;

/** One channel's curve in float64 (see curvedF32), its slope left in slopeOfCurve. */
@inline function curvedF64(v: f64, half: f64, knots: i32, curve: usize): f64 {
  const t = (v + 1) * half;
  let curved = v;
  let slope: f64 = 1;
  let first = <i32>Math.floor(t);
  if (first < 0) first = 0;
  for (let k = first; k <= first + 1 && k < knots; k++) {
    const d = t - <f64>k;
    if (1 - Math.abs(d) > 0) {
      const w = <f64>load<f32>(curve + (<usize>k << 2));
      curved += (1 - Math.abs(d)) * w;
      slope -= (d > 0 ? 1 : -1) * half * w;
    }
  }
  slopeOfCurve = slope;
  return curved;
}

/** Adds relu(1 − |t − k|)·amount to the f64 cells[k] of the (at most two) knots around v. */
@inline function addToCurve(v: f64, half: f64, knots: i32, cells: usize, amount: f64): void {
  const t = (v + 1) * half;
  let first = <i32>Math.floor(t);
  if (first < 0) first = 0;
  for (let k = first; k <= first + 1 && k < knots; k++) {
    const hat = 1 - Math.abs(t - <f64>k);
    if (hat > 0) {
      const cell = cells + (<usize>k << 3);
      store<f64>(cell, load<f64>(cell) + hat * amount);
    }
  }
}

/**
 * A gather along one axis of x seen as [outer, axisSize, inner]: out[o, k, :] = x[o, indices[k], :]
 * for `count` int32 indices, 4-byte elements. Returns the position of the first index outside
 * [0, axisSize), or −1 when all were inside (then every row is written).
 */
export function gatherRows(x: usize, indices: usize, out: usize, outer: i32, axisSize: i32, count: i32, inner: i32): i32 {
  for (let k = 0; k < count; k++) {
    const index = load<i32>(indices + (<usize>k << 2));
    if (index < 0 || index >= axisSize) return k;
  }
  const row = <usize>inner << 2;
  let o = out;
  for (let b = 0; b < outer; b++) {
    const base = x + <usize>b * <usize>axisSize * row;
    for (let k = 0; k < count; k++, o += row) memory.copy(o, base + <usize>load<i32>(indices + (<usize>k << 2)) * row, row);
  }
  return -1;
}

/**
 * Tile of 4-byte elements in six dimensions: out[i0…i5] = x[i0 mod s0, …, i5 mod s5], where
 * `dims` holds the shape s (6 × i32) then the repeats (6 × i32); lower ranks pad both with
 * leading 1s. A broadcast is a tile from size-1 axes.
 */
export function tile(x: usize, out: usize, dims: usize): void {
  const s0 = load<i32>(dims), s1 = load<i32>(dims, 4), s2 = load<i32>(dims, 8), s3 = load<i32>(dims, 12), s4 = load<i32>(dims, 16), s5 = load<i32>(dims, 20);
  const n0 = s0 * load<i32>(dims, 24), n1 = s1 * load<i32>(dims, 28), n2 = s2 * load<i32>(dims, 32), n3 = s3 * load<i32>(dims, 36), n4 = s4 * load<i32>(dims, 40);
  const reps5 = load<i32>(dims, 44);
  const run = <usize>s5 << 2;
  let o = out;
  // j0…j4: each output index modulo its input size, kept by counting (no division per run).
  for (let i0 = 0, j0 = 0; i0 < n0; i0++, j0 = j0 + 1 == s0 ? 0 : j0 + 1) {
    for (let i1 = 0, j1 = 0; i1 < n1; i1++, j1 = j1 + 1 == s1 ? 0 : j1 + 1) {
      const a1 = j0 * s1 + j1;
      for (let i2 = 0, j2 = 0; i2 < n2; i2++, j2 = j2 + 1 == s2 ? 0 : j2 + 1) {
        const a2 = a1 * s2 + j2;
        for (let i3 = 0, j3 = 0; i3 < n3; i3++, j3 = j3 + 1 == s3 ? 0 : j3 + 1) {
          const a3 = a2 * s3 + j3;
          for (let i4 = 0, j4 = 0; i4 < n4; i4++, j4 = j4 + 1 == s4 ? 0 : j4 + 1) {
            const from = x + <usize>(a3 * s4 + j4) * run;
            if (s5 == 1) {
              // One value spread along the last axis.
              const value = load<i32>(from);
              const splat = i32x4.splat(value);
              let k = 0;
              for (; k + 4 <= reps5; k += 4, o += 16) v128.store(o, splat);
              for (; k < reps5; k++, o += 4) store<i32>(o, value);
            } else if (s5 < 16) {
              for (let r = 0; r < reps5; r++) for (let k: usize = 0; k < run; k += 4, o += 4) store<i32>(o, load<i32>(from + k));
            } else {
              for (let r = 0; r < reps5; r++, o += run) memory.copy(o, from, run);
            }
          }
        }
      }
    }
  }
}

/** x op y for four floats: op 0 adds, 1 subtracts, 2 multiplies, 3 divides. */
@inline function arithmetic(op: i32, x: v128, y: v128): v128 {
  if (op == 0) return f32x4.add(x, y);
  if (op == 1) return f32x4.sub(x, y);
  if (op == 2) return f32x4.mul(x, y);
  return f32x4.div(x, y);
}

/**
 * out = a op b over `count` floats (op as in arithmetic); `scalar` 1 takes a's first float for
 * every element, 2 b's, 0 neither. Add, Sub, Multiply and RealDiv on one thread: they only
 * stream memory.
 */
export function binary(op: i32, a: usize, b: usize, out: usize, count: i32, scalar: i32): void {
  const end = <usize>count << 2;
  const aStep: usize = scalar == 1 ? 0 : 16, bStep: usize = scalar == 2 ? 0 : 16;
  let x = a, y = b;
  let i: usize = 0;
  for (; i + 16 <= end; i += 16, x += aStep, y += bStep) {
    const va = scalar == 1 ? v128.load32_splat(x) : v128.load(x);
    const vb = scalar == 2 ? v128.load32_splat(y) : v128.load(y);
    v128.store(out + i, arithmetic(op, va, vb));
  }
  for (; i < end; i += 4, x += aStep >> 2, y += bStep >> 2) {
    store<f32>(out + i, f32x4.extract_lane(arithmetic(op, f32x4.splat(load<f32>(x)), f32x4.splat(load<f32>(y))), 0));
  }
}

/** `count` 4-byte words at `out` set to `value` (a float's bits, or an int). */
export function fillWords(out: usize, count: i32, value: i32): void {
  const splat = i32x4.splat(value);
  const end = out + (<usize>count << 2);
  let o = out;
  for (; o + 16 <= end; o += 16) v128.store(o, splat);
  for (; o < end; o += 4) store<i32>(o, value);
}

/**
 * Runs of `run` bytes from `from` to `to`, one for each index of six outer axes: `dims` holds
 * their extents (6 × i32), then the source's strides and the target's in bytes (6 × i32 each);
 * lower ranks pad with extents of 1. Slice's and PadV2's copy: memory.copy stays fast on the
 * threaded build's shared memory, where a typed array's set is ~3× slower.
 */
export function copyRuns(from: usize, to: usize, run: i32, dims: usize): void {
  const e0 = load<i32>(dims), e1 = load<i32>(dims, 4), e2 = load<i32>(dims, 8), e3 = load<i32>(dims, 12), e4 = load<i32>(dims, 16), e5 = load<i32>(dims, 20);
  const f0 = <usize>load<i32>(dims, 24), f1 = <usize>load<i32>(dims, 28), f2 = <usize>load<i32>(dims, 32), f3 = <usize>load<i32>(dims, 36), f4 = <usize>load<i32>(dims, 40), f5 = <usize>load<i32>(dims, 44);
  const t0 = <usize>load<i32>(dims, 48), t1 = <usize>load<i32>(dims, 52), t2 = <usize>load<i32>(dims, 56), t3 = <usize>load<i32>(dims, 60), t4 = <usize>load<i32>(dims, 64), t5 = <usize>load<i32>(dims, 68);
  const bytes = <usize>run;
  for (let i0 = 0, a0 = from, b0 = to; i0 < e0; i0++, a0 += f0, b0 += t0) {
    for (let i1 = 0, a1 = a0, b1 = b0; i1 < e1; i1++, a1 += f1, b1 += t1) {
      for (let i2 = 0, a2 = a1, b2 = b1; i2 < e2; i2++, a2 += f2, b2 += t2) {
        for (let i3 = 0, a3 = a2, b3 = b2; i3 < e3; i3++, a3 += f3, b3 += t3) {
          for (let i4 = 0, a4 = a3, b4 = b3; i4 < e4; i4++, a4 += f4, b4 += t4) {
            for (let i5 = 0, a5 = a4, b5 = b4; i5 < e5; i5++, a5 += f5, b5 += t5) memory.copy(b5, a5, bytes);
          }
        }
      }
    }
  }
}

/** Columns per panel of transpose: at most this many output rows are written at once, all in cache. */
const PANEL = 64;

/**
 * out[b, c, r] = x[b, r, c] for x in [batch, rows, cols], 4-byte elements: 4×4 blocks swapped in
 * registers, a panel of columns at a time. One thread: memory-bound, it gained nothing from
 * two in Node (16900×32: 119 µs on one, 137 µs in chunks on two).
 */
export function transpose(x: usize, out: usize, batch: i32, rows: i32, cols: i32): void {
  const inRow = <usize>cols << 2;
  const outRow = <usize>rows << 2;
  const plane = <usize>rows * inRow;
  for (let b = 0; b < batch; b++) {
    const xb = x + <usize>b * plane;
    const ob = out + <usize>b * plane;
    for (let c0 = 0; c0 < cols; c0 += PANEL) {
      const c1 = min(c0 + PANEL, cols);
      const c4 = c0 + ((c1 - c0) & ~3);
      let r = 0;
      for (; r + 4 <= rows; r += 4) {
        const src = xb + <usize>r * inRow;
        const dst = ob + (<usize>r << 2);
        for (let c = c0; c < c4; c += 4) {
          const s = src + (<usize>c << 2);
          const a = v128.load(s), e = v128.load(s + inRow), f = v128.load(s + 2 * inRow), g = v128.load(s + 3 * inRow);
          const ae0 = i32x4.shuffle(a, e, 0, 4, 1, 5), ae1 = i32x4.shuffle(a, e, 2, 6, 3, 7);
          const fg0 = i32x4.shuffle(f, g, 0, 4, 1, 5), fg1 = i32x4.shuffle(f, g, 2, 6, 3, 7);
          const d = dst + <usize>c * outRow;
          v128.store(d, i32x4.shuffle(ae0, fg0, 0, 1, 4, 5));
          v128.store(d + outRow, i32x4.shuffle(ae0, fg0, 2, 3, 6, 7));
          v128.store(d + 2 * outRow, i32x4.shuffle(ae1, fg1, 0, 1, 4, 5));
          v128.store(d + 3 * outRow, i32x4.shuffle(ae1, fg1, 2, 3, 6, 7));
        }
        for (let c = c4; c < c1; c++) {
          const s = src + (<usize>c << 2);
          const d = dst + <usize>c * outRow;
          store<i32>(d, load<i32>(s));
          store<i32>(d + 4, load<i32>(s + inRow));
          store<i32>(d + 8, load<i32>(s + 2 * inRow));
          store<i32>(d + 12, load<i32>(s + 3 * inRow));
        }
      }
      for (; r < rows; r++) {
        const src = xb + <usize>r * inRow;
        const dst = ob + (<usize>r << 2);
        for (let c = c0; c < c1; c++) store<i32>(dst + <usize>c * outRow, load<i32>(src + (<usize>c << 2)));
      }
    }
  }
}

// The colour statistics of RGB images (src/core/data/colourStats.ts): each channel's moments and
// those of its detail, the image minus its 3×3 mean over the pixels inside the image (tfjs's
// 'same' average pool). Rows are laid out [w, 3] interleaved; `rowFrom` … `rowTo` − 1 index the
// rows of all n images, so that threads can share them. Each call works in its own `scratch`:
// four rows of 3w floats.

/** to[i] += from[i] over `bytes`. */
@inline function addInto(to: usize, from: usize, bytes: usize): void {
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(to + i, f32x4.add(v128.load(to + i), v128.load(from + i)));
  for (; i < bytes; i += 4) store<f32>(to + i, load<f32>(to + i) + load<f32>(from + i));
}

/** out[i] = column[i − 3] + column[i] + column[i + 3] over a row of w interleaved RGB pixels, those outside the row left out. */
function horizontalSum(column: usize, out: usize, w: i32): void {
  const run = <usize>(w * 3) << 2;
  if (w == 1) {
    memory.copy(out, column, run);
    return;
  }
  const pixel: usize = 12;
  const last = run - pixel;
  for (let k: usize = 0; k < pixel; k += 4) {
    store<f32>(out + k, load<f32>(column + k) + load<f32>(column + k + pixel));
    store<f32>(out + last + k, load<f32>(column + last + k) + load<f32>(column + last - pixel + k));
  }
  let i: usize = pixel;
  for (; i + 16 <= last; i += 16) v128.store(out + i, f32x4.add(f32x4.add(v128.load(column + i - pixel), v128.load(column + i)), v128.load(column + i + pixel)));
  for (; i < last; i += 4) store<f32>(out + i, load<f32>(column + i - pixel) + load<f32>(column + i) + load<f32>(column + i + pixel));
}

/** Row y's 3×3 window sums (inside the image) of the [h, w, 3] image at `src` into `out`, summing rows into `column` first. */
function boxRow(src: usize, h: i32, w: i32, y: i32, column: usize, out: usize): void {
  const run = <usize>(w * 3) << 2;
  const y0 = max(y - 1, 0), y1 = min(y + 1, h - 1);
  memory.copy(column, src + <usize>y0 * run, run);
  for (let r = y0 + 1; r <= y1; r++) addInto(column, src + <usize>r * run, run);
  horizontalSum(column, out, w);
}

/** How many rows the 3×3 windows of row y span, inside an image of h rows. */
@inline function windowRows(y: i32, h: i32): f32 {
  return <f32>(min(y + 1, h - 1) - max(y - 1, 0) + 1);
}

/**
 * Row y of the transpose of the 3×3 mean: Σ g[q]/count(q) over the windows q that hold each
 * pixel, into `out`, g being the [h, w, 3] image at `src`; `inverses` as columnCounts writes them.
 */
function spreadRow(src: usize, h: i32, w: i32, y: i32, column: usize, inverses: usize, out: usize): void {
  const run = <usize>(w * 3) << 2;
  const y0 = max(y - 1, 0), y1 = min(y + 1, h - 1);
  memory.fill(column, 0, run);
  for (let r = y0; r <= y1; r++) {
    const weight = f32x4.splat(<f32>1 / windowRows(r, h));
    const from = src + <usize>r * run;
    let i: usize = 0;
    for (; i + 16 <= run; i += 16) v128.store(column + i, f32x4.add(v128.load(column + i), f32x4.mul(f32x4.mul(v128.load(from + i), weight), v128.load(inverses + i))));
    for (; i < run; i += 4) store<f32>(column + i, load<f32>(column + i) + (load<f32>(from + i) / windowRows(r, h)) * load<f32>(inverses + i));
  }
  horizontalSum(column, out, w);
}

/** Per float of a row, how many columns its 3×3 window spans (`counts`) and the inverse (`inverses`). */
function columnCounts(w: i32, counts: usize, inverses: usize): void {
  for (let x = 0; x < w; x++) {
    const n = <f32>(min(x + 1, w - 1) - max(x - 1, 0) + 1);
    for (let k: usize = 0; k < 12; k += 4) {
      store<f32>(counts + <usize>x * 12 + k, n);
      store<f32>(inverses + <usize>x * 12 + k, 1 / n);
    }
  }
}

/**
 * Row `row` (of all n images' rows) of x's detail, x minus its 3×3 mean inside the image, into the
 * second of the `scratch` rows; the first is summed through, the fourth holds columnCounts'
 * inverses.
 */
function detailOfRow(x: usize, h: i32, w: i32, row: i32, scratch: usize): void {
  const run = <usize>(w * 3) << 2;
  const y = row % h;
  const image = x + <usize>(row / h) * <usize>h * run;
  const box = scratch + run, inverses = scratch + 3 * run;
  boxRow(image, h, w, y, scratch, box);
  const xr = image + <usize>y * run;
  const rowInverse = <f32>1 / windowRows(y, h);
  const r = f32x4.splat(rowInverse);
  let i: usize = 0;
  for (; i + 16 <= run; i += 16) v128.store(box + i, f32x4.sub(v128.load(xr + i), f32x4.mul(f32x4.mul(v128.load(box + i), v128.load(inverses + i)), r)));
  for (; i < run; i += 4) store<f32>(box + i, load<f32>(xr + i) - load<f32>(box + i) * load<f32>(inverses + i) * rowInverse);
}

/** The sum over an interleaved row's channel c of three phase accumulators (lane k of a_j is channel (4j + k) mod 3). */
@inline function phaseSum(a0: v128, a1: v128, a2: v128, c: i32): f64 {
  if (c == 0) return <f64>f32x4.extract_lane(a0, 0) + <f64>f32x4.extract_lane(a0, 3) + <f64>f32x4.extract_lane(a1, 2) + <f64>f32x4.extract_lane(a2, 1);
  if (c == 1) return <f64>f32x4.extract_lane(a0, 1) + <f64>f32x4.extract_lane(a1, 0) + <f64>f32x4.extract_lane(a1, 3) + <f64>f32x4.extract_lane(a2, 2);
  return <f64>f32x4.extract_lane(a0, 2) + <f64>f32x4.extract_lane(a1, 1) + <f64>f32x4.extract_lane(a2, 0) + <f64>f32x4.extract_lane(a2, 3);
}

/** Three values as the phase vectors of an interleaved row: [v0 v1 v2 v0], [v1 v2 v0 v1], [v2 v0 v1 v2]. */
@inline function phase(at: usize, j: i32): v128 {
  const v0 = load<f32>(at), v1 = load<f32>(at, 4), v2 = load<f32>(at, 8);
  if (j == 0) return f32x4(v0, v1, v2, v0);
  if (j == 1) return f32x4(v1, v2, v0, v1);
  return f32x4(v2, v0, v1, v2);
}

/**
 * Per image and channel, Σx, Σx², Σd and Σd² of the detail d, over the rows given: written as
 * float64 to `sums` ([n][4][3], zero for images outside the rows; each row's sums are float32 first).
 */
export function colourMoments(x: usize, n: i32, h: i32, w: i32, rowFrom: i32, rowTo: i32, scratch: usize, sums: usize): void {
  const run = <usize>(w * 3) << 2;
  const box = scratch + run;
  columnCounts(w, scratch + 2 * run, scratch + 3 * run);
  memory.fill(sums, 0, <usize>n * 96);
  for (let row = rowFrom; row < rowTo; row++) {
    const b = row / h;
    const xr = x + <usize>row * run;
    detailOfRow(x, h, w, row, scratch);
    const zero = f32x4.splat(0);
    let s0 = zero, s1 = zero, s2 = zero, q0 = zero, q1 = zero, q2 = zero;
    let e0 = zero, e1 = zero, e2 = zero, f0 = zero, f1 = zero, f2 = zero;
    let i: usize = 0;
    for (; i + 48 <= run; i += 48) {
      const v0 = v128.load(xr + i), v1 = v128.load(xr + i + 16), v2 = v128.load(xr + i + 32);
      const d0 = v128.load(box + i), d1 = v128.load(box + i + 16), d2 = v128.load(box + i + 32);
      s0 = f32x4.add(s0, v0);
      s1 = f32x4.add(s1, v1);
      s2 = f32x4.add(s2, v2);
      q0 = f32x4.add(q0, f32x4.mul(v0, v0));
      q1 = f32x4.add(q1, f32x4.mul(v1, v1));
      q2 = f32x4.add(q2, f32x4.mul(v2, v2));
      e0 = f32x4.add(e0, d0);
      e1 = f32x4.add(e1, d1);
      e2 = f32x4.add(e2, d2);
      f0 = f32x4.add(f0, f32x4.mul(d0, d0));
      f1 = f32x4.add(f1, f32x4.mul(d1, d1));
      f2 = f32x4.add(f2, f32x4.mul(d2, d2));
    }
    const at = sums + <usize>b * 96;
    for (let c = 0; c < 3; c++) {
      let sx = phaseSum(s0, s1, s2, c), sxx = phaseSum(q0, q1, q2, c), sd = phaseSum(e0, e1, e2, c), sdd = phaseSum(f0, f1, f2, c);
      // The pixels past the last whole four.
      for (let k = i + (<usize>c << 2); k < run; k += 12) {
        const v = <f64>load<f32>(xr + k), d = <f64>load<f32>(box + k);
        sx += v;
        sxx += v * v;
        sd += d;
        sdd += d * d;
      }
      const o = at + (<usize>c << 3);
      store<f64>(o, load<f64>(o) + sx);
      store<f64>(o + 24, load<f64>(o + 24) + sxx);
      store<f64>(o + 48, load<f64>(o + 48) + sd);
      store<f64>(o + 72, load<f64>(o + 72) + sdd);
    }
  }
}

/**
 * The first half of the colour moments' gradient: g = (A[c] + B[c]·d)/count, the gradient
 * reaching each pixel's detail d over its window's pixel count, into `g` ([n, h, w, 3]), where
 * `coefficients` holds per image 4 runs of 3 f32: Aₓ, Bₓ, A_d, B_d (see backward in
 * src/core/backends/wasmColourMoments.ts).
 */
export function colourDetailGradient(x: usize, g: usize, n: i32, h: i32, w: i32, rowFrom: i32, rowTo: i32, coefficients: usize, scratch: usize): void {
  const run = <usize>(w * 3) << 2;
  const box = scratch + run, inverses = scratch + 3 * run;
  columnCounts(w, scratch + 2 * run, inverses);
  for (let row = rowFrom; row < rowTo; row++) {
    const b = row / h;
    const offset = <usize>row * run;
    const rowInverse = <f32>1 / windowRows(row % h, h);
    detailOfRow(x, h, w, row, scratch);
    const k = coefficients + <usize>b * 48 + 24;
    const a0 = phase(k, 0), a1 = phase(k, 1), a2 = phase(k, 2);
    const b0 = phase(k + 12, 0), b1 = phase(k + 12, 1), b2 = phase(k + 12, 2);
    const r = f32x4.splat(rowInverse);
    const out = g + offset;
    let i: usize = 0;
    for (; i + 48 <= run; i += 48) {
      v128.store(out + i, f32x4.mul(f32x4.mul(f32x4.add(a0, f32x4.mul(b0, v128.load(box + i))), v128.load(inverses + i)), r));
      v128.store(out + i + 16, f32x4.mul(f32x4.mul(f32x4.add(a1, f32x4.mul(b1, v128.load(box + i + 16))), v128.load(inverses + i + 16)), r));
      v128.store(out + i + 32, f32x4.mul(f32x4.mul(f32x4.add(a2, f32x4.mul(b2, v128.load(box + i + 32))), v128.load(inverses + i + 32)), r));
    }
    for (; i < run; i += 4) {
      const c = <usize>((i >> 2) % 3) << 2;
      store<f32>(out + i, (load<f32>(k + c) + load<f32>(k + 12 + c) * load<f32>(box + i)) * load<f32>(inverses + i) * rowInverse);
    }
  }
}

/**
 * The second half: dx = Aₓ[c] + Bₓ[c]·x + g·count − Σ g over the pixel's 3×3 window, with g
 * from colourDetailGradient (the detail's gradient, less what each window's mean passed back).
 */
export function colourInputGradient(x: usize, g: usize, dx: usize, n: i32, h: i32, w: i32, rowFrom: i32, rowTo: i32, coefficients: usize, scratch: usize): void {
  const run = <usize>(w * 3) << 2;
  const column = scratch, box = scratch + run, counts = scratch + 2 * run, inverses = scratch + 3 * run;
  columnCounts(w, counts, inverses);
  for (let row = rowFrom; row < rowTo; row++) {
    const b = row / h, y = row % h;
    const offset = (<usize>b * <usize>h + <usize>y) * run;
    const rows = windowRows(y, h);
    boxRow(g + <usize>b * <usize>h * run, h, w, y, column, box);
    const k = coefficients + <usize>b * 48;
    const a0 = phase(k, 0), a1 = phase(k, 1), a2 = phase(k, 2);
    const b0 = phase(k + 12, 0), b1 = phase(k + 12, 1), b2 = phase(k + 12, 2);
    const r = f32x4.splat(rows);
    const xr = x + offset, gr = g + offset, out = dx + offset;
    let i: usize = 0;
    for (; i + 48 <= run; i += 48) {
      v128.store(out + i, f32x4.sub(f32x4.add(f32x4.add(a0, f32x4.mul(b0, v128.load(xr + i))), f32x4.mul(f32x4.mul(v128.load(gr + i), v128.load(counts + i)), r)), v128.load(box + i)));
      v128.store(out + i + 16, f32x4.sub(f32x4.add(f32x4.add(a1, f32x4.mul(b1, v128.load(xr + i + 16))), f32x4.mul(f32x4.mul(v128.load(gr + i + 16), v128.load(counts + i + 16)), r)), v128.load(box + i + 16)));
      v128.store(out + i + 32, f32x4.sub(f32x4.add(f32x4.add(a2, f32x4.mul(b2, v128.load(xr + i + 32))), f32x4.mul(f32x4.mul(v128.load(gr + i + 32), v128.load(counts + i + 32)), r)), v128.load(box + i + 32)));
    }
    for (; i < run; i += 4) {
      const c = <usize>((i >> 2) % 3) << 2;
      store<f32>(out + i, load<f32>(k + c) + load<f32>(k + 12 + c) * load<f32>(xr + i) + load<f32>(gr + i) * load<f32>(counts + i) * rows - load<f32>(box + i));
    }
  }
}

// GlobalGrade's detail term (src/core/networks/layers/customLayers.js): out = x + k[c]·d, d being
// x minus its 3×3 mean inside the image. Rows and scratch as for the colour statistics, with five
// scratch rows for the gradient.

/** out = x + k[c]·d over the rows given; `k` holds 3 f32. */
export function localDetail(x: usize, out: usize, k: usize, n: i32, h: i32, w: i32, rowFrom: i32, rowTo: i32, scratch: usize): void {
  const run = <usize>(w * 3) << 2;
  const box = scratch + run;
  columnCounts(w, scratch + 2 * run, scratch + 3 * run);
  const k0 = phase(k, 0), k1 = phase(k, 1), k2 = phase(k, 2);
  for (let row = rowFrom; row < rowTo; row++) {
    const offset = <usize>row * run;
    const xr = x + offset, o = out + offset;
    detailOfRow(x, h, w, row, scratch);
    let i: usize = 0;
    for (; i + 48 <= run; i += 48) {
      v128.store(o + i, f32x4.add(v128.load(xr + i), f32x4.mul(k0, v128.load(box + i))));
      v128.store(o + i + 16, f32x4.add(v128.load(xr + i + 16), f32x4.mul(k1, v128.load(box + i + 16))));
      v128.store(o + i + 32, f32x4.add(v128.load(xr + i + 32), f32x4.mul(k2, v128.load(box + i + 32))));
    }
    for (; i < run; i += 4) store<f32>(o + i, load<f32>(xr + i) + load<f32>(k + (<usize>((i >> 2) % 3) << 2)) * load<f32>(box + i));
  }
}

/**
 * Its gradient over the rows given: dx = dy + k[c]·(dy − Σ dy[q]/count(q) over the windows q
 * that hold the pixel), and Σ dy·d per channel written as float64 to `sums` (3 f64).
 */
export function localDetailGradient(x: usize, dy: usize, dx: usize, k: usize, n: i32, h: i32, w: i32, rowFrom: i32, rowTo: i32, scratch: usize, sums: usize): void {
  const run = <usize>(w * 3) << 2;
  const box = scratch + run, inverses = scratch + 3 * run, spread = scratch + 4 * run;
  columnCounts(w, scratch + 2 * run, inverses);
  const k0 = phase(k, 0), k1 = phase(k, 1), k2 = phase(k, 2);
  let total0: f64 = 0, total1: f64 = 0, total2: f64 = 0;
  for (let row = rowFrom; row < rowTo; row++) {
    const imageOffset = <usize>(row / h) * <usize>h * run;
    const offset = <usize>row * run;
    const g = dy + offset, o = dx + offset;
    detailOfRow(x, h, w, row, scratch);
    spreadRow(dy + imageOffset, h, w, row % h, scratch, inverses, spread);
    const zero = f32x4.splat(0);
    let s0 = zero, s1 = zero, s2 = zero;
    let i: usize = 0;
    for (; i + 48 <= run; i += 48) {
      const g0 = v128.load(g + i), g1 = v128.load(g + i + 16), g2 = v128.load(g + i + 32);
      s0 = f32x4.add(s0, f32x4.mul(g0, v128.load(box + i)));
      s1 = f32x4.add(s1, f32x4.mul(g1, v128.load(box + i + 16)));
      s2 = f32x4.add(s2, f32x4.mul(g2, v128.load(box + i + 32)));
      v128.store(o + i, f32x4.add(g0, f32x4.mul(k0, f32x4.sub(g0, v128.load(spread + i)))));
      v128.store(o + i + 16, f32x4.add(g1, f32x4.mul(k1, f32x4.sub(g1, v128.load(spread + i + 16)))));
      v128.store(o + i + 32, f32x4.add(g2, f32x4.mul(k2, f32x4.sub(g2, v128.load(spread + i + 32)))));
    }
    let t0 = phaseSum(s0, s1, s2, 0), t1 = phaseSum(s0, s1, s2, 1), t2 = phaseSum(s0, s1, s2, 2);
    for (; i < run; i += 4) {
      const c = (i >> 2) % 3;
      const gi = load<f32>(g + i);
      const product = <f64>(gi * load<f32>(box + i));
      if (c == 0) t0 += product;
      else if (c == 1) t1 += product;
      else t2 += product;
      store<f32>(o + i, gi + load<f32>(k + (<usize>c << 2)) * (gi - load<f32>(spread + i)));
    }
    total0 += t0;
    total1 += t1;
    total2 += t2;
  }
  store<f64>(sums, total0);
  store<f64>(sums + 8, total1);
  store<f64>(sums + 16, total2);
}

/** The gradient of a (leaky) ReLU over `count` floats: dx = dy where x > 0, else alpha·dy. */
export function reluGradient(x: usize, dy: usize, dx: usize, count: i32, alpha: f32): void {
  const bytes = <usize>count << 2;
  const zero = f32x4.splat(0), slope = f32x4.splat(alpha);
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) {
    const g = v128.load(dy + i);
    v128.store(dx + i, v128.bitselect(g, f32x4.mul(g, slope), f32x4.gt(v128.load(x + i), zero)));
  }
  for (; i < bytes; i += 4) {
    const g = load<f32>(dy + i);
    store<f32>(dx + i, load<f32>(x + i) > 0 ? g : g * alpha);
  }
}

/** A (leaky) ReLU over `count` floats: out = x where x > 0, else alpha·x (max(x, 0) for alpha 0, so that no −0 appears). */
export function leakyRelu(x: usize, out: usize, count: i32, alpha: f32): void {
  const bytes = <usize>count << 2;
  const zero = f32x4.splat(0), slope = f32x4.splat(alpha);
  let i: usize = 0;
  if (alpha == 0) {
    for (; i + 16 <= bytes; i += 16) v128.store(out + i, f32x4.max(v128.load(x + i), zero));
    for (; i < bytes; i += 4) store<f32>(out + i, max(load<f32>(x + i), <f32>0));
    return;
  }
  for (; i + 16 <= bytes; i += 16) {
    const v = v128.load(x + i);
    v128.store(out + i, v128.bitselect(v, f32x4.mul(v, slope), f32x4.gt(v, zero)));
  }
  for (; i < bytes; i += 4) {
    const v = load<f32>(x + i);
    store<f32>(out + i, v > 0 ? v : v * alpha);
  }
}

/** Nearest-neighbour upsampling of NHWC x (n×h×w, `pixelBytes` a pixel) by whole factors fh × fw: each pixel copied to its block. */
export function upsample(x: usize, out: usize, n: i32, h: i32, w: i32, pixelBytes: i32, fh: i32, fw: i32): void {
  const pixel = <usize>pixelBytes;
  const inRow = <usize>w * pixel;
  const outRow = inRow * <usize>fw;
  let o = out;
  for (let r = 0; r < n * h; r++) {
    const row = o;
    for (let s = x + <usize>r * inRow, end = s + inRow; s < end; s += pixel) {
      for (let j = 0; j < fw; j++, o += pixel) memory.copy(o, s, pixel);
    }
    for (let i = 1; i < fh; i++, o += outRow) memory.copy(o, row, outRow);
  }
}

/**
 * e^x for four floats (Cephes' expf): x = n·ln 2 + r with |r| ≤ ln 2 / 2, e^r by a degree-6
 * polynomial, 2^n from exponent bits; within ~2 ulp of Math.exp over the clamped range.
 */
@inline function exp4(x: v128): v128 {
  // pmin/pmax: single instructions (min/max order NaN and −0, which these logits never are).
  const clamped = f32x4.pmax(f32x4.pmin(x, f32x4.splat(88.37626)), f32x4.splat(-87.33654));
  // Adding 1.5·2²³ rounds x·log₂e to the nearest integer n and leaves n in the low mantissa bits.
  const shifted = f32x4.add(f32x4.mul(clamped, f32x4.splat(1.44269504)), f32x4.splat(12582912));
  const n = f32x4.sub(shifted, f32x4.splat(12582912));
  // ln 2 in two parts, so that n·ln 2 is exact enough.
  const r = f32x4.sub(f32x4.sub(clamped, f32x4.mul(n, f32x4.splat(0.693359375))), f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.add(f32x4.mul(f32x4.splat(1.9875691500e-4), r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const e = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // 2ⁿ: n + 127 into the exponent field (the shift drops the bits of 1.5·2²³ above n).
  return f32x4.mul(e, i32x4.shl(i32x4.add(shifted, i32x4.splat(127)), 23));
}

/**
 * e^(l·s) for one row of `count` logits (s = 1/τ), written to `out` (which may be `row`), and
 * their sum as a double (four float lanes, then the leftovers one at a time). A product, not a
 * quotient: a division took about as long as the exponential.
 */
@inline function expRow(row: usize, out: usize, count: i32, scale: f32): f64 {
  const bytes = <usize>count << 2;
  const t = f32x4.splat(scale);
  let lanes = f32x4.splat(0);
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) {
    const e = exp4(f32x4.mul(v128.load(row + i), t));
    v128.store(out + i, e);
    lanes = f32x4.add(lanes, e);
  }
  let sum = <f64>f32x4.extract_lane(lanes, 0) + <f64>f32x4.extract_lane(lanes, 1) + <f64>f32x4.extract_lane(lanes, 2) + <f64>f32x4.extract_lane(lanes, 3);
  for (; i < bytes; i += 4) {
    const e = f32x4.extract_lane(exp4(f32x4.splat(load<f32>(row + i) * scale)), 0);
    store<f32>(out + i, e);
    sum += e;
  }
  return sum;
}

/**
 * PatchNCE's cross-entropy (see patchNceLoss), all but its logarithms: `logits` holds `batch`
 * square matrices of `patches`² query·key products; for each row, Σ_j e^(l_ij/τ) is written as a
 * double to `sums` (JavaScript takes the logs: AssemblyScript's Math.log would bring a table into
 * the module's data, which instantiating it would write over tfjs's heap). No max is subtracted:
 * products of unit vectors bound l/τ to ±1/τ. `scratch` holds one row.
 */
export function nceExpSums(logits: usize, sums: usize, batch: i32, patches: i32, temperature: f32, scratch: usize): void {
  const rowBytes = <usize>patches << 2;
  const scale = <f32>1 / temperature;
  for (let r = 0; r < batch * patches; r++) store<f64>(sums + (<usize>r << 3), expRow(logits + <usize>r * rowBytes, scratch, patches, scale));
}

/**
 * The gradient of PatchNCE's cross-entropy (nceExpSums, then the logs in wasmPatchNce.ts):
 * dl_ij = g_b·(softmax_ij − [i = j])/τ with g_b = dy_b / patches, each row's exponentials
 * written first, then scaled in place.
 */
export function nceCrossEntropyGrad(logits: usize, dy: usize, dx: usize, batch: i32, patches: i32, temperature: f32): void {
  const rowBytes = <usize>patches << 2;
  for (let b = 0; b < batch; b++) {
    const g = <f64>load<f32>(dy + (<usize>b << 2)) / patches / temperature;
    for (let i = 0; i < patches; i++) {
      const offset = (<usize>(b * patches + i)) * rowBytes;
      const out = dx + offset;
      const share = <f32>(g / expRow(logits + offset, out, patches, <f32>1 / temperature));
      const s = f32x4.splat(share);
      let j: usize = 0;
      for (; j + 16 <= rowBytes; j += 16) v128.store(out + j, f32x4.mul(v128.load(out + j), s));
      for (; j < rowBytes; j += 4) store<f32>(out + j, load<f32>(out + j) * share);
      const diagonal = out + (<usize>i << 2);
      store<f32>(diagonal, load<f32>(diagonal) - <f32>g);
    }
  }
}

/** Each of `rows` rows of `width` floats scaled to unit length: x / √(Σx² + ε), the sum in float64. */
export function unitRows(x: usize, out: usize, rows: i32, width: i32, epsilon: f64): void {
  const bytes = <usize>width << 2;
  for (let r = 0; r < rows; r++) {
    const row = x + <usize>r * bytes;
    const s = f32x4.splat(<f32>(1 / Math.sqrt(dot(row, row, width) + epsilon)));
    const o = out + <usize>r * bytes;
    let i: usize = 0;
    for (; i + 16 <= bytes; i += 16) v128.store(o + i, f32x4.mul(v128.load(row + i), s));
    for (; i < bytes; i += 4) store<f32>(o + i, load<f32>(row + i) * f32x4.extract_lane(s, 0));
  }
}

/** Σ a·b over `count` floats of each, in float64. */
@inline function dot(a: usize, b: usize, count: i32): f64 {
  const bytes = <usize>count << 2;
  let lanes = f64x2.splat(0);
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) {
    const u = v128.load(a + i), v = v128.load(b + i);
    lanes = f64x2.add(lanes, f64x2.add(f64x2.mul(low(u), low(v)), f64x2.mul(high(u), high(v))));
  }
  let sum = f64x2.extract_lane(lanes, 0) + f64x2.extract_lane(lanes, 1);
  for (; i < bytes; i += 4) sum += <f64>load<f32>(a + i) * <f64>load<f32>(b + i);
  return sum;
}

/** The gradient of unitRows: with r = 1/√(Σx² + ε), dx = r·dy − r³·(x·dy)·x, the sums in float64. */
export function unitRowsGrad(x: usize, dy: usize, dx: usize, rows: i32, width: i32, epsilon: f64): void {
  const bytes = <usize>width << 2;
  for (let r = 0; r < rows; r++) {
    const offset = <usize>r * bytes;
    const row = x + offset, g = dy + offset, o = dx + offset;
    const rs = 1 / Math.sqrt(dot(row, row, width) + epsilon);
    const a = f32x4.splat(<f32>rs), c = f32x4.splat(<f32>(-rs * rs * rs * dot(row, g, width)));
    let i: usize = 0;
    for (; i + 16 <= bytes; i += 16) v128.store(o + i, f32x4.add(f32x4.mul(v128.load(g + i), a), f32x4.mul(v128.load(row + i), c)));
    for (; i < bytes; i += 4) store<f32>(o + i, load<f32>(g + i) * f32x4.extract_lane(a, 0) + load<f32>(row + i) * f32x4.extract_lane(c, 0));
  }
}

/**
 * c + a·b for four floats: one fused instruction where the module is built with relaxed SIMD
 * (which may round once or twice, as the hardware does), a product and a sum otherwise.
 */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * B, [k, n] (or [n, k] when `transposed`), into panels of 8 columns of k rows each, zero past n,
 * as gemm reads it; then `bias` (n floats; zeros when 0) padded to whole panels.
 */
export function packPanels(b: usize, bias: usize, panels: usize, k: i32, n: i32, transposed: i32): void {
  const count = (n + 7) >> 3;
  let out = panels;
  for (let j = 0; j < count; j++) {
    const col = j << 3;
    const width = min(8, n - col);
    for (let r = 0; r < k; r++, out += 32) {
      if (transposed == 0 && width == 8) {
        const src = b + ((<usize>r * <usize>n + <usize>col) << 2);
        v128.store(out, v128.load(src));
        v128.store(out + 16, v128.load(src + 16));
        continue;
      }
      for (let q = 0; q < 8; q++) {
        const at = transposed != 0 ? <usize>(col + q) * <usize>k + <usize>r : <usize>r * <usize>n + <usize>(col + q);
        store<f32>(out + (<usize>q << 2), q < width ? load<f32>(b + (at << 2)) : 0);
      }
    }
  }
  for (let q = 0; q < count << 3; q++) store<f32>(out + (<usize>q << 2), bias != 0 && q < n ? load<f32>(bias + (<usize>q << 2)) : 0);
}

/** Bias, then the activation (0 none, 1 ReLU, 2 leaky ReLU with slope alpha), on one row's 8 columns. */
@inline function finish(v: v128, bias: v128, activation: i32, alpha: f32): v128 {
  const x = f32x4.add(v, bias);
  if (activation == 1) return f32x4.max(x, f32x4.splat(0));
  if (activation == 2) return v128.bitselect(f32x4.mul(x, f32x4.splat(alpha)), x, f32x4.lt(x, f32x4.splat(0)));
  return x;
}

/** The first `width` (1–8) of a row's 8 columns to c. */
@inline function storeColumns(c: usize, lo: v128, hi: v128, width: i32): void {
  if (width == 8) {
    v128.store(c, lo);
    v128.store(c + 16, hi);
    return;
  }
  let rest = lo;
  if (width >= 4) {
    v128.store(c, lo);
    rest = hi;
    c += 16;
    width -= 4;
  }
  if (width > 0) store<f32>(c, f32x4.extract_lane(rest, 0));
  if (width > 1) store<f32>(c + 4, f32x4.extract_lane(rest, 1));
  if (width > 2) store<f32>(c + 8, f32x4.extract_lane(rest, 2));
}

/** Where row i of gemm's A starts (see gemm). */
@inline function rowStart(a: usize, i: i32, outWidth: i32, perImage: i32, pixelBytes: i32, rowBytes: i32, imageBytes: i32): usize {
  const image = i / perImage;
  const at = i - image * perImage;
  const y = at / outWidth;
  return a + <usize>image * <usize>imageBytes + <usize>y * <usize>rowBytes + <usize>(at - y * outWidth) * <usize>pixelBytes;
}

/**
 * Rows [rowFrom, rowTo) of out [rows, n] = activation(A·B + bias), with B and the bias packed by
 * packPanels. Row i of A is `segments` runs of `run` floats, `segmentBytes` apart: one run of k
 * for a matrix; for a valid convolution over NHWC x, one run of kw·channels per filter row, rows
 * of x apart. Row i starts at a + image·imageBytes + y·rowBytes + x·pixelBytes, where i = (image ·
 * outHeight + y)·outWidth + x and perImage = outHeight·outWidth. Blocks of 6 rows (4 without
 * relaxed SIMD, whose separate product and sum need more registers) × 8 columns stay in
 * registers through the whole sum; each output is summed in the same order by any block.
 */
export function gemm(a: usize, panels: usize, out: usize, n: i32, rowFrom: i32, rowTo: i32, segments: i32, run: i32, segmentBytes: i32, outWidth: i32, perImage: i32, pixelBytes: i32, rowBytes: i32, imageBytes: i32, activation: i32, alpha: f32): void {
  const count = (n + 7) >> 3;
  const rowC = <usize>n << 2;
  const runBytes = <usize>run << 2;
  const panelBytes = <usize>(segments * run) << 5;
  const biasAt = panels + <usize>count * panelBytes;
  const step = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
  let i = rowFrom;
  for (; i + step <= rowTo; i += step) {
    const a0 = rowStart(a, i, outWidth, perImage, pixelBytes, rowBytes, imageBytes);
    const a1 = rowStart(a, i + 1, outWidth, perImage, pixelBytes, rowBytes, imageBytes);
    const a2 = rowStart(a, i + 2, outWidth, perImage, pixelBytes, rowBytes, imageBytes);
    const a3 = rowStart(a, i + 3, outWidth, perImage, pixelBytes, rowBytes, imageBytes);
    // Unused (and removed) without relaxed SIMD.
    const a4 = ASC_FEATURE_RELAXED_SIMD ? rowStart(a, i + 4, outWidth, perImage, pixelBytes, rowBytes, imageBytes) : 0;
    const a5 = ASC_FEATURE_RELAXED_SIMD ? rowStart(a, i + 5, outWidth, perImage, pixelBytes, rowBytes, imageBytes) : 0;
    for (let j = 0; j < count; j++) {
      let b = panels + <usize>j * panelBytes;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let c40 = f32x4.splat(0), c41 = f32x4.splat(0), c50 = f32x4.splat(0), c51 = f32x4.splat(0);
      for (let s = 0; s < segments; s++) {
        const base = <usize>s * <usize>segmentBytes;
        for (let q = base, e = base + runBytes; q < e; q += 4, b += 32) {
          const b0 = v128.load(b), b1 = v128.load(b + 16);
          const x0 = v128.load32_splat(a0 + q), x1 = v128.load32_splat(a1 + q);
          c00 = madd(x0, b0, c00);
          c01 = madd(x0, b1, c01);
          c10 = madd(x1, b0, c10);
          c11 = madd(x1, b1, c11);
          const x2 = v128.load32_splat(a2 + q), x3 = v128.load32_splat(a3 + q);
          c20 = madd(x2, b0, c20);
          c21 = madd(x2, b1, c21);
          c30 = madd(x3, b0, c30);
          c31 = madd(x3, b1, c31);
          if (ASC_FEATURE_RELAXED_SIMD) {
            const x4 = v128.load32_splat(a4 + q), x5 = v128.load32_splat(a5 + q);
            c40 = madd(x4, b0, c40);
            c41 = madd(x4, b1, c41);
            c50 = madd(x5, b0, c50);
            c51 = madd(x5, b1, c51);
          }
        }
      }
      const col = j << 3;
      const width = min(8, n - col);
      const bias0 = v128.load(biasAt + (<usize>col << 2)), bias1 = v128.load(biasAt + (<usize>col << 2) + 16);
      const o = out + <usize>i * rowC + (<usize>col << 2);
      storeColumns(o, finish(c00, bias0, activation, alpha), finish(c01, bias1, activation, alpha), width);
      storeColumns(o + rowC, finish(c10, bias0, activation, alpha), finish(c11, bias1, activation, alpha), width);
      storeColumns(o + 2 * rowC, finish(c20, bias0, activation, alpha), finish(c21, bias1, activation, alpha), width);
      storeColumns(o + 3 * rowC, finish(c30, bias0, activation, alpha), finish(c31, bias1, activation, alpha), width);
      if (ASC_FEATURE_RELAXED_SIMD) {
        storeColumns(o + 4 * rowC, finish(c40, bias0, activation, alpha), finish(c41, bias1, activation, alpha), width);
        storeColumns(o + 5 * rowC, finish(c50, bias0, activation, alpha), finish(c51, bias1, activation, alpha), width);
      }
    }
  }
  for (; i < rowTo; i++) {
    const a0 = rowStart(a, i, outWidth, perImage, pixelBytes, rowBytes, imageBytes);
    for (let j = 0; j < count; j++) {
      let b = panels + <usize>j * panelBytes;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
      for (let s = 0; s < segments; s++) {
        const base = <usize>s * <usize>segmentBytes;
        for (let q = base, e = base + runBytes; q < e; q += 4, b += 32) {
          const x0 = v128.load32_splat(a0 + q);
          c00 = madd(x0, v128.load(b), c00);
          c01 = madd(x0, v128.load(b + 16), c01);
        }
      }
      const col = j << 3;
      const bias0 = v128.load(biasAt + (<usize>col << 2)), bias1 = v128.load(biasAt + (<usize>col << 2) + 16);
      storeColumns(out + <usize>i * rowC + (<usize>col << 2), finish(c00, bias0, activation, alpha), finish(c01, bias1, activation, alpha), min(8, n - col));
    }
  }
}
