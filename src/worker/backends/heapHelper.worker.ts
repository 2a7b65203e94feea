import { serveHeapKernels, type HelperStart } from '../../core/backends/simd/heapHelpers';

// A helper thread of the SIMD heap kernels (see HeapThreads): one message starts it for good.
self.onmessage = ({ data }: MessageEvent<HelperStart>) => serveHeapKernels(data);
