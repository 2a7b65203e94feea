import { util, type KernelConfig, type NamedAttrMap, type PadV2Attrs, type TensorInfo } from '@tensorflow/tfjs';
import type { WasmHeap } from './heapKernel';

/** Runs shorter than this go to tfjs's kernel: copying them one by one from JavaScript costs more. */
const MIN_RUN = 16;

/**
 * PadV2 on wasm as a fill and one copy per contiguous run of the input, heap to heap; a run spans
 * the trailing axes left unpadded and the one before. tfjs-wasm's own walks every element:
 * ~0.3 ms for the discriminator's [2,64,64,3] → [2,66,66,3] in Node, here 128 copies of 192
 * floats. Padding that leaves short runs (the channels of an RGB image) and other dtypes than
 * float32 and int32 go to the original.
 */
export function wasmPadConfig(original: KernelConfig): KernelConfig {
  return {
    ...original,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: TensorInfo };
      const { paddings, constantValue } = args.attrs as NamedAttrMap as unknown as PadV2Attrs;
      const rank = x.shape.length;
      let axis = rank - 1;
      while (axis > 0 && paddings[axis][0] === 0 && paddings[axis][1] === 0) axis--;
      const inner = util.sizeFromShape(x.shape.slice(axis + 1));
      const run = (x.shape[axis] ?? 0) * inner;
      if ((x.dtype !== 'float32' && x.dtype !== 'int32') || rank === 0 || run < MIN_RUN) return original.kernelFunc(args);
      const outShape = x.shape.map((size, i) => paddings[i][0] + size + paddings[i][1]);
      const backend = args.backend as unknown as WasmHeap;
      const out = backend.makeOutput(outShape, x.dtype as 'float32');
      // Views only now: makeOutput may have grown the heap.
      const from = backend.typedArrayFromHeap(x);
      const to = backend.typedArrayFromHeap(out);
      to.fill(constantValue);
      const outStrides = util.computeStrides(outShape);
      const index = new Array<number>(axis).fill(0);
      for (let at = 0; at < from.length; at += run) {
        let offset = paddings[axis][0] * inner;
        for (let d = 0; d < axis; d++) offset += (paddings[d][0] + index[d]) * outStrides[d];
        to.set(from.subarray(at, at + run), offset);
        for (let d = axis - 1; d >= 0 && ++index[d] === x.shape[d]; d--) index[d] = 0;
      }
      return out;
    },
  };
}
