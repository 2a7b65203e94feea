/*
 * The 3×3 mean of an RGB NHWC image over the pixels inside it (tfjs's 'same' average pool), and
 * its transpose, for the grade's detail term and the colour loss's sharpness: WGSL helpers.
 */

/** `fn avg3(n, y, x, c)`: the 3×3 mean of `source` around a pixel. */
export function box3Mean(h: number, w: number, source = 'X'): string {
  return /* wgsl */ `
fn avg3(n: u32, y: i32, x: i32, c: u32) -> f32 {
  var s = 0.0; var count = 0.0;
  for (var dy = -1; dy <= 1; dy++) {
    for (var dx = -1; dx <= 1; dx++) {
      let yy = y + dy; let xx = x + dx;
      if (yy >= 0 && yy < ${h} && xx >= 0 && xx < ${w}) { s += ${source}[((n * ${h}u + u32(yy)) * ${w}u + u32(xx)) * 3u + c]; count += 1.0; }
    }
  }
  return s / count;
}`;
}

/** `fn spreadBack(n, y, x, c)`: what a pixel gave to its neighbours' 3×3 means, given their gradients in `source`. */
export function box3Transposed(h: number, w: number, source: string): string {
  return /* wgsl */ `
fn windowCount(y: i32, x: i32) -> f32 {
  let rows = f32(min(y + 1, ${h - 1}) - max(y - 1, 0) + 1);
  let cols = f32(min(x + 1, ${w - 1}) - max(x - 1, 0) + 1);
  return rows * cols;
}
fn spreadBack(n: u32, y: i32, x: i32, c: u32) -> f32 {
  var s = 0.0;
  for (var dy = -1; dy <= 1; dy++) {
    for (var dx = -1; dx <= 1; dx++) {
      let yy = y + dy; let xx = x + dx;
      if (yy >= 0 && yy < ${h} && xx >= 0 && xx < ${w}) { s += ${source}[((n * ${h}u + u32(yy)) * ${w}u + u32(xx)) * 3u + c] / windowCount(yy, xx); }
    }
  }
  return s;
}`;
}
