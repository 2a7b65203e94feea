import { slice_util, type KernelConfig, type SliceAttrs, type TensorInfo } from '@tensorflow/tfjs';
import { copyBox, copyBoxFits } from './copyBox';
import { heapKernelOr } from './heapKernel';

/**
 * Slice on wasm, reading the input in place. tfjs-wasm's own (4.22) first copies the *whole* input
 * out of the heap (readSync) and then copies the slice from that copy: taking one image of a
 * batch, or one window of the colour loss, cost a copy of them all. Here each contiguous run is
 * copied once, heap to heap (copyBox). Other dtypes than float32 and int32 go to the original.
 */
export function wasmSliceConfig(original: KernelConfig): KernelConfig {
  return heapKernelOr<SliceAttrs>(original, (inputs, backend, attrs) => {
    const { x } = inputs as { x: TensorInfo };
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return null;
    const { begin, size } = attrs;
    const [start, extent] = slice_util.parseSliceParams(x, begin, size);
    if (!copyBoxFits(extent, x.shape, extent)) return null;
    const out = backend.makeOutput(extent, x.dtype as 'float32');
    copyBox(backend, x, start, out, new Array<number>(extent.length).fill(0), extent);
    return out;
  });
}
