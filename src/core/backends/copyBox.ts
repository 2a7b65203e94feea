import { util } from '@tensorflow/tfjs';

/**
 * Where a box copy between two row-major tensors runs contiguously: from `axis`, the last axis
 * that the box, its source and its target do not all hold whole, on; `run` floats at a time.
 */
export function boxRun(extent: readonly number[], fromShape: readonly number[], toShape: readonly number[]): { axis: number; run: number } {
  let axis = extent.length - 1;
  while (axis > 0 && extent[axis] === fromShape[axis] && extent[axis] === toShape[axis]) axis--;
  return { axis, run: util.sizeFromShape(extent.slice(axis)) };
}

const stridesOf = (shape: readonly number[]) => shape.map((_, d) => util.sizeFromShape(shape.slice(d + 1)));

/**
 * Copies the box of `extent` at `fromStart` in `from` (shaped `fromShape`) to `toStart` in `to`
 * (shaped `toShape`), one contiguous run at a time (see boxRun), walking the axes before the run
 * like an odometer: Slice's and PadV2's copy on wasm. [1,130,130,3] → [1,128,128,3] is 128 runs of
 * 384 floats, not 16384 of 3.
 */
export function copyBox(
  from: Float32Array | Int32Array,
  fromShape: readonly number[],
  fromStart: readonly number[],
  to: Float32Array | Int32Array,
  toShape: readonly number[],
  toStart: readonly number[],
  extent: readonly number[],
): void {
  const { axis, run } = boxRun(extent, fromShape, toShape);
  const [fromStrides, toStrides] = [stridesOf(fromShape), stridesOf(toShape)];
  const runs = run === 0 ? 0 : util.sizeFromShape([...extent]) / run;
  // The axes after `axis` are whole on both sides, so they start at 0 and add nothing.
  const index = new Array<number>(axis + 1).fill(0);
  for (let r = 0; r < runs; r++) {
    let fromAt = 0;
    let toAt = 0;
    for (let d = 0; d <= axis; d++) {
      fromAt += (fromStart[d] + index[d]) * fromStrides[d];
      toAt += (toStart[d] + index[d]) * toStrides[d];
    }
    to.set(from.subarray(fromAt, fromAt + run), toAt);
    for (let d = axis - 1; d >= 0 && ++index[d] === extent[d]; d--) index[d] = 0;
  }
}
