import type { KernelConfig, PadV2Attrs, TensorInfo } from '@tensorflow/tfjs';
import { boxRun, copyBox, copyBoxFits, fillTensor } from './copyBox';
import { heapKernelOr } from './heapKernel';

/** Runs shorter than this go to tfjs's kernel: copying them one by one from JavaScript costs more. */
const MIN_RUN = 16;

/**
 * PadV2 on wasm as a fill and one copy per contiguous run of the input, heap to heap (copyBox); a
 * run spans the trailing axes left unpadded and the one before. tfjs-wasm's own walks every element:
 * ~0.3 ms for the discriminator's [2,64,64,3] → [2,66,66,3] in Node, here 128 copies of 192
 * floats. Padding that leaves short runs (the channels of an RGB image) and other dtypes than
 * float32 and int32 go to the original.
 */
export function wasmPadConfig(original: KernelConfig): KernelConfig {
  return heapKernelOr<PadV2Attrs>(original, (inputs, backend, attrs) => {
    const { x } = inputs as { x: TensorInfo };
    const { paddings, constantValue } = attrs;
    const outShape = x.shape.map((size, i) => paddings[i][0] + size + paddings[i][1]);
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || x.shape.length === 0 || boxRun(x.shape, x.shape, outShape).run < MIN_RUN || !copyBoxFits(x.shape, x.shape, outShape)) return null;
    const out = backend.makeOutput(outShape, x.dtype as 'float32');
    fillTensor(backend, out, constantValue);
    copyBox(backend, x, new Array<number>(x.shape.length).fill(0), out, paddings.map(([before]) => before), x.shape);
    return out;
  });
}
