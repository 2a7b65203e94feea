import { HeapThreads, type HeapCall, type HelperWorker } from './heapHelpers';
import { HEAP_KERNELS_WASM } from './heapKernelsWasm';

/** The exports of assembly/heapKernels.ts; pointers are byte offsets into tfjs's heap. */
export interface HeapKernelExports {
  instanceNormSums(x: number, dy: number, pixels: number, channels: number, sums: number): void;
  instanceNormAffine(out: number, x: number, dy: number, pixels: number, channels: number, coefficients: number): void;
  adam(value: number, m: number, v: number, grad: number, newValue: number, newM: number, newV: number, count: number, constants: number): void;
  reflectionPad(x: number, out: number, n: number, h: number, w: number, c: number, pad: number): void;
  reflectionPadGrad(dy: number, dx: number, n: number, h: number, w: number, c: number, pad: number, rowFrom: number, rowTo: number): void;
  patchRows(x: number, rows: number, batch: number, channels: number, height: number, width: number, kh: number, kw: number, sh: number, sw: number, top: number, left: number, outHeight: number, outWidth: number, rowFrom: number, rowTo: number): void;
  patchRowsChannelsLast(x: number, rows: number, batch: number, channels: number, height: number, width: number, kh: number, kw: number, sh: number, sw: number, top: number, left: number, outHeight: number, outWidth: number, tapFrom: number, tapTo: number): void;
  gradeForward(x: number, out: number, pixels: number, knots: number, params: number): void;
  gradeBackward(x: number, dy: number, dx: number, pixels: number, knots: number, rate: number, params: number, sums: number): void;
  gatherRows(x: number, indices: number, out: number, outer: number, axisSize: number, count: number, inner: number): number;
  patchColumnsAdd(cols: number, dx: number, batch: number, channels: number, height: number, width: number, kh: number, kw: number, sh: number, sw: number, top: number, left: number, outHeight: number, outWidth: number, rowFrom: number, rowTo: number): void;
  tile(x: number, out: number, dims: number): void;
  thinFilterGrad(x: number, dy4: number, dw: number, batch: number, channels: number, height: number, width: number, kh: number, kw: number, sh: number, sw: number, top: number, left: number, outHeight: number, outWidth: number, outs: number, tapFrom: number, tapTo: number): void;
  transpose(x: number, out: number, batch: number, rows: number, cols: number): void;
  colourMoments(x: number, n: number, h: number, w: number, rowFrom: number, rowTo: number, scratch: number, sums: number): void;
  colourDetailGradient(x: number, g: number, n: number, h: number, w: number, rowFrom: number, rowTo: number, coefficients: number, scratch: number): void;
  localDetail(x: number, out: number, k: number, n: number, h: number, w: number, rowFrom: number, rowTo: number, scratch: number): void;
  localDetailGradient(x: number, dy: number, dx: number, k: number, n: number, h: number, w: number, rowFrom: number, rowTo: number, scratch: number, sums: number): void;
  upsample(x: number, out: number, n: number, h: number, w: number, pixelBytes: number, fh: number, fw: number): void;
  leakyRelu(x: number, out: number, count: number, alpha: number): void;
  reluGradient(x: number, dy: number, dx: number, count: number, alpha: number): void;
  colourInputGradient(x: number, g: number, dx: number, n: number, h: number, w: number, rowFrom: number, rowTo: number, coefficients: number, scratch: number): void;
  nceExpSums(logits: number, sums: number, batch: number, patches: number, temperature: number, scratch: number): void;
  nceCrossEntropyGrad(logits: number, dy: number, dx: number, batch: number, patches: number, temperature: number): void;
  unitRows(x: number, out: number, rows: number, width: number, epsilon: number): void;
  unitRowsGrad(x: number, dy: number, dx: number, rows: number, width: number, epsilon: number): void;
  fillWords(out: number, count: number, value: number): void;
  binary(op: number, a: number, b: number, out: number, count: number, scalar: number): void;
  copyRuns(from: number, to: number, run: number, dims: number): void;
  packPanels(b: number, bias: number, panels: number, k: number, n: number, transposed: number): void;
  gemm(a: number, panels: number, out: number, n: number, rowFrom: number, rowTo: number, segments: number, run: number, segmentBytes: number, outWidth: number, perImage: number, pixelBytes: number, rowBytes: number, imageBytes: number, activation: number, alpha: number): void;
}

/** What the kernels need of tfjs-wasm's Emscripten module: its memory and its allocator. */
export interface EmscriptenHeap {
  /** Set by the threaded build. */
  wasmMemory?: WebAssembly.Memory;
  /** The plain builds' exports, the memory among them. */
  asm?: { memory?: WebAssembly.Memory };
  _malloc(bytes: number): number;
  _free(pointer: number): void;
}

export interface HeapKernels extends HeapKernelExports {
  memory: WebAssembly.Memory;
  /** Scratch space in the heap for `bytes`, handed to `run` and freed after, even if it throws. */
  withScratch<T>(bytes: number, run: (pointer: number) => T): T;
  /** Scratch space holding `runs` as consecutive float32s, then `extraBytes` more: `run` gets both addresses. */
  withFloats<T>(runs: ArrayLike<number>[], extraBytes: number, run: (floats: number, extra: number) => T): T;
  /** Runs the calls, one per chunk (see chunksOf), on every thread there is; returns when all are done. */
  runAll(calls: HeapCall[]): void;
  /** The sum of `parts` runs of `count` float64s, `stride` bytes apart from `at`: what chunks summed apart. */
  sumParts(at: number, stride: number, parts: number, count: number): Float64Array;
}

const instances = new WeakMap<WebAssembly.Memory, HeapKernels>();
/** Each instance's module and raw exports, which helpers instantiate and call again. */
const compiled = new WeakMap<HeapKernels, { module: WebAssembly.Module; exports: HeapKernelExports }>();
/** The one set of kernels whose work splits over threads (tfjs runs one heap at a time), and how. */
let threaded: { kernels: HeapKernels; threads: HeapThreads } | null = null;
let supported: boolean | undefined;
let relaxed: boolean | undefined;

/** Whether this WebAssembly runs the kernels: they need SIMD (Chrome 91, Firefox 89, Safari 16.4 on). */
export function heapKernelsSupported(): boolean {
  supported ??= WebAssembly.validate(decode(HEAP_KERNELS_WASM.plain));
  return supported;
}

/** Whether this WebAssembly has relaxed SIMD, whose fused multiply-add speeds gemm up ~1.4× (Chromium). */
function relaxedSimdSupported(): boolean {
  relaxed ??= WebAssembly.validate(decode(HEAP_KERNELS_WASM.plainRelaxed));
  return relaxed;
}

/** The build for this heap: shared or not, with relaxed SIMD where the engine has it. */
function heapKernelsBuild(shared: boolean): string {
  if (relaxedSimdSupported()) return shared ? HEAP_KERNELS_WASM.sharedRelaxed : HEAP_KERNELS_WASM.plainRelaxed;
  return shared ? HEAP_KERNELS_WASM.shared : HEAP_KERNELS_WASM.plain;
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

/**
 * The SIMD kernels, instantiated once per tfjs heap with that heap as their memory, so that they
 * read and write tensors in place. The module is ~4 KB: compiled synchronously, as any thread may.
 */
export function heapKernelsOf(wasm: EmscriptenHeap): HeapKernels {
  const memory = wasm.wasmMemory ?? wasm.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error('the wasm backend does not expose its memory: the heap kernels cannot run');
  const known = instances.get(memory);
  if (known) return known;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const module = new WebAssembly.Module(decode(heapKernelsBuild(shared)));
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as HeapKernelExports;
  const alone = new HeapThreads(exports, module, memory, 1);
  const threadsOf = (kernels: HeapKernels) => (threaded?.kernels === kernels ? threaded.threads : alone);
  const kernels: HeapKernels = {
    ...exports,
    memory,
    withScratch(bytes, run) {
      const pointer = wasm._malloc(bytes);
      try {
        return run(pointer);
      } finally {
        wasm._free(pointer);
      }
    },
    withFloats(runs, extraBytes, run) {
      const floats = runs.reduce((n, values) => n + values.length, 0);
      // The extra space (for f64) starts on an 8-byte boundary.
      const floatBytes = Math.ceil(floats / 2) * 8;
      return kernels.withScratch(floatBytes + extraBytes, (scratch) => {
        const view = new Float32Array(memory.buffer, scratch, floats);
        let at = 0;
        for (const values of runs) {
          view.set(values, at);
          at += values.length;
        }
        return run(scratch, scratch + floatBytes);
      });
    },
    runAll: (calls) => threadsOf(kernels).runAll(calls),
    sumParts(at, stride, parts, count) {
      const total = new Float64Array(count);
      // Plain loops: a typed array's forEach callback costs tens of µs a call.
      for (let p = 0; p < parts; p++) {
        const part = new Float64Array(memory.buffer, at + p * stride, count);
        for (let k = 0; k < count; k++) total[k] += part[k];
      }
      return total;
    },
  };
  compiled.set(kernels, { module, exports });
  instances.set(memory, kernels);
  return kernels;
}

/** The threads the kernels' work on tfjs's heap is split over now: this one and the helpers that have started. */
export function heapKernelThreads(wasm: EmscriptenHeap): number {
  return threaded?.kernels === heapKernelsOf(wasm) ? 1 + threaded.threads.helpersStarted() : 1;
}

/**
 * Splits the kernels' work on tfjs's heap over `threads` threads from now on: this one and
 * threads − 1 helper workers from `spawn`, which instantiate the kernels on the same shared heap.
 * Without `spawn`, or on a heap that is not shared, every chunk runs here. Ends the helpers of
 * any earlier heap or count; keeps those of this one.
 * Returns the threads (null for one), whose `started` says when the helpers take work.
 */
export function splitHeapKernels(wasm: EmscriptenHeap, threads: number, spawn?: () => HelperWorker): HeapThreads | null {
  const kernels = heapKernelsOf(wasm);
  if (threaded ? threaded.kernels === kernels && threaded.threads.threads === threads : threads <= 1) return threaded?.threads ?? null;
  threaded?.threads.stop();
  const { module, exports } = compiled.get(kernels)!;
  threaded = threads > 1 ? { kernels, threads: new HeapThreads(exports, module, kernels.memory, threads, spawn) } : null;
  return threaded?.threads ?? null;
}
