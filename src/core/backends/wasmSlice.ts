import { slice_util, util, type KernelConfig, type NamedAttrMap, type SliceAttrs, type TensorInfo } from '@tensorflow/tfjs';
import type { WasmHeap } from './heapKernel';

/**
 * Slice on wasm, reading the input in place. tfjs-wasm's own (4.22) first copies the *whole* input
 * out of the heap (readSync) and then copies the slice from that copy: taking one image of a
 * batch, or one window of the colour loss, cost a copy of them all. Here each contiguous run is
 * copied once, heap to heap. Other dtypes than float32 and int32 go to the original.
 */
export function wasmSliceConfig(original: KernelConfig): KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      if (x.dtype !== 'float32' && x.dtype !== 'int32') return original.kernelFunc(args);
      const { begin, size } = args.attrs as NamedAttrMap as unknown as SliceAttrs;
      const [start, extent] = slice_util.parseSliceParams(x, begin, size);
      const backend = args.backend as unknown as WasmHeap;
      const out = backend.makeOutput(extent, x.dtype as 'float32');
      // Views only now: makeOutput may have grown the heap.
      const from = backend.typedArrayFromHeap(x);
      const to = backend.typedArrayFromHeap(out);
      const strides = util.computeStrides(x.shape);
      if (slice_util.isSliceContinous(x.shape, start, extent)) {
        const offset = slice_util.computeFlatOffset(start, strides);
        to.set(from.subarray(offset, offset + to.length));
        return out;
      }
      // Copy contiguous runs, walking the axes before them like an odometer. A run spans the
      // trailing axes the slice takes whole and the one before: [1,130,130,3] → [1,128,128,3]
      // copies 128 runs of 384 floats, not 16384 of 3.
      let axis = x.shape.length - 1;
      while (axis > 0 && start[axis] === 0 && extent[axis] === x.shape[axis]) axis--;
      const run = extent[axis] * (axis + 1 < x.shape.length ? strides[axis] : 1);
      const index = new Array<number>(axis).fill(0);
      for (let at = 0; at < to.length; at += run) {
        let offset = start[axis] * (axis + 1 < x.shape.length ? strides[axis] : 1);
        for (let d = 0; d < axis; d++) offset += (start[d] + index[d]) * strides[d];
        to.set(from.subarray(offset, offset + run), at);
        for (let d = axis - 1; d >= 0 && ++index[d] === extent[d]; d--) index[d] = 0;
      }
      return out;
    },
  };
}
