import type { HeapKernelExports } from './heapKernels';

/** One call of a heap kernel: its export's name, then its arguments. */
export type HeapCall = { [K in keyof HeapKernelExports]: [K, ...Parameters<HeapKernelExports[K]>] }[keyof HeapKernelExports];

/** What the helpers need of a worker: a browser Worker and Node's worker_threads Worker both fit. */
export interface HelperWorker {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

/**
 * The control block all threads share, in Int32 words: the job's number (helpers wait on it; −1
 * ends them), the claim and finish counters (job number << 8 | chunks so far, so that a helper
 * that wakes late can never take a chunk of the next job), the chunk count, the first chunk that
 * threw (+1), the helpers started; then each chunk's kernel, and from argsByte each chunk's
 * arguments as float64.
 */
const LAYOUT = { posted: 0, claimed: 1, finished: 2, chunks: 3, failed: 4, started: 5, kernels: 8, argsByte: 256, maxChunks: 16, maxArgs: 20 } as const;
const CONTROL_BYTES = LAYOUT.argsByte + LAYOUT.maxChunks * LAYOUT.maxArgs * 8;

/** What a helper is sent once: the kernels' module, tfjs's shared heap and the control block. */
export interface HelperStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  names: string[];
  layout: typeof LAYOUT;
}

/**
 * A helper's whole life: instantiate the kernels on the shared heap, then, each time a job is
 * posted, claim and run its chunks until none is left. Blocks in Atomics.wait between jobs.
 * Self-contained (it refers to nothing outside), so that a test can start it from its source text.
 */
export function serveHeapKernels({ module, memory, control, names, layout }: HelperStart): void {
  const words = new Int32Array(control, 0, layout.argsByte / 4);
  const args = new Float64Array(control, layout.argsByte, layout.maxChunks * layout.maxArgs);
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...a: number[]) => unknown>;
  const kernels = names.map((name) => exports[name]);
  Atomics.add(words, layout.started, 1);
  for (let seen = 0; ; ) {
    Atomics.wait(words, layout.posted, seen);
    seen = Atomics.load(words, layout.posted);
    if (seen < 0) return;
    const tag = (seen & 0x7fffff) << 8;
    const chunks = Atomics.load(words, layout.chunks);
    for (let claim = Atomics.load(words, layout.claimed); (claim & ~0xff) === tag && (claim & 0xff) < chunks; claim = Atomics.load(words, layout.claimed)) {
      if (Atomics.compareExchange(words, layout.claimed, claim, claim + 1) !== claim) continue;
      const chunk = claim & 0xff;
      const at = chunk * layout.maxArgs;
      try {
        kernels[words[layout.kernels + chunk]](...Array.from(args.subarray(at + 1, at + 1 + args[at])));
      } catch {
        Atomics.compareExchange(words, layout.failed, 0, chunk + 1);
      }
      if (Atomics.add(words, layout.finished, 1) + 1 === tag + chunks) Atomics.notify(words, layout.finished);
    }
  }
}

/** The least work worth a chunk: 64 KB of floats, ~15 µs of copying on a laptop core. */
const CHUNK_FLOATS = 16_384;

/**
 * [from, to) ranges that split [0, units) into chunks of at least CHUNK_FLOATS floats of work
 * (`floatsPerUnit` each), at most 16: small enough that threads share work evenly, large enough
 * that claiming one costs little. They depend on the work alone, never on the threads.
 */
export function chunksOf(units: number, floatsPerUnit: number): [number, number][] {
  const chunks = Math.max(1, Math.min(LAYOUT.maxChunks, units, Math.floor((units * floatsPerUnit) / CHUNK_FLOATS)));
  return Array.from({ length: chunks }, (_, c) => [Math.round((c * units) / chunks), Math.round(((c + 1) * units) / chunks)]);
}

/**
 * How long a job spins on the helpers' last chunks before it sleeps on them. In Chromium on two
 * threads, switched every other step, a step took 0.95–1.00 of its time without the spin
 * (CycleGAN at 64 and 128 px, FastCUT at 64 px; median of 20–30 pairs).
 */
const HELPER_SPIN_MS = 0.5;

/** How long a job waits on a helper's chunk before it calls the helper lost. */
const HELPER_TIMEOUT_MS = 30_000;

/**
 * Runs the kernels' work in chunks on `threads` threads: this one and threads − 1 helper workers
 * on the same heap, each claiming the next chunk until none is left. A helper that is slow to
 * wake, or shares its core, just takes fewer chunks. Chunks depend on the work alone, never on the
 * threads, so results are the same on any number of them.
 */
export class HeapThreads {
  private readonly words: Int32Array | null = null;
  private readonly args: Float64Array | null = null;
  private readonly workers: HelperWorker[] = [];
  private readonly names: (keyof HeapKernelExports)[];
  private job = 0;

  constructor(
    private readonly exports: HeapKernelExports,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    readonly threads: number,
    spawn?: () => HelperWorker,
  ) {
    this.names = (Object.keys(exports) as (keyof HeapKernelExports)[]).filter((name) => typeof exports[name] === 'function').sort();
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    if (!shared || !spawn || threads < 2) return;
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    this.words = new Int32Array(control, 0, LAYOUT.argsByte / 4);
    this.args = new Float64Array(control, LAYOUT.argsByte, LAYOUT.maxChunks * LAYOUT.maxArgs);
    for (let h = 1; h < threads; h++) {
      const worker = spawn();
      worker.postMessage({ module, memory, control, names: this.names, layout: LAYOUT } satisfies HelperStart);
      this.workers.push(worker);
    }
  }

  /** Runs the calls, each one chunk, on every thread that claims one; returns when all are done. */
  runAll(calls: HeapCall[]): void {
    if (calls.length === 1 || this.helpersStarted() === 0) {
      calls.forEach((call) => this.call(call));
      return;
    }
    const words = this.words!;
    const tag = this.post(calls);
    let error: unknown = null;
    for (let claim = Atomics.load(words, LAYOUT.claimed); (claim & 0xff) < calls.length; claim = Atomics.load(words, LAYOUT.claimed)) {
      if (Atomics.compareExchange(words, LAYOUT.claimed, claim, claim + 1) !== claim) continue;
      try {
        this.call(calls[claim & 0xff]);
      } catch (e) {
        error ??= e;
      }
      Atomics.add(words, LAYOUT.finished, 1);
    }
    // Every chunk is claimed; wait for those still running on helpers.
    const done = tag + calls.length;
    // Spun on first: a helper's last chunk is usually done within a fraction of a millisecond, about
    // what waking from Atomics.wait can take.
    for (const until = performance.now() + HELPER_SPIN_MS; Atomics.load(words, LAYOUT.finished) !== done && performance.now() < until; );
    for (let finished = Atomics.load(words, LAYOUT.finished); finished !== done; finished = Atomics.load(words, LAYOUT.finished)) {
      if (Atomics.wait(words, LAYOUT.finished, finished, HELPER_TIMEOUT_MS) === 'timed-out') throw new Error(`a heap kernel helper has not finished ${calls[0][0]} in ${HELPER_TIMEOUT_MS / 1000} s`);
    }
    const failed = Atomics.load(words, LAYOUT.failed);
    if (error) throw error;
    if (failed > 0) throw new Error(`${calls[failed - 1][0]} failed on a helper thread (chunk ${failed} of ${calls.length})`);
  }

  /** How many helpers have started and claim chunks. */
  helpersStarted(): number {
    return this.words ? Atomics.load(this.words, LAYOUT.started) : 0;
  }

  /**
   * Resolves once every helper has started, or after `timeoutMs` (until then, fewer threads share
   * the chunks). A worker's helpers load only while its event loop turns, which a training loop of
   * promises alone never lets it do: so the backend waits here as it starts.
   */
  async started(timeoutMs: number): Promise<number> {
    const end = performance.now() + timeoutMs;
    while (this.helpersStarted() < this.workers.length && performance.now() < end) await new Promise((resolve) => setTimeout(resolve, 5));
    return this.helpersStarted();
  }

  /** Ends the helpers. */
  stop(): void {
    if (this.words) {
      Atomics.store(this.words, LAYOUT.posted, -1);
      Atomics.notify(this.words, LAYOUT.posted);
    }
    this.workers.forEach((worker) => worker.terminate());
    this.workers.length = 0;
  }

  private call([kernel, ...args]: HeapCall): void {
    (this.exports[kernel] as (...a: number[]) => unknown)(...args);
  }

  /** Writes the calls as the next job and wakes the helpers; returns the job's tag. */
  private post(calls: HeapCall[]): number {
    if (calls.length > LAYOUT.maxChunks) throw new Error(`${calls.length} chunks; the helpers take at most ${LAYOUT.maxChunks}`);
    const words = this.words!;
    const args = this.args!;
    // Closed first, so that a helper still reading the last job claims nothing of this one.
    Atomics.store(words, LAYOUT.claimed, 0xff);
    calls.forEach(([kernel, ...values], c) => {
      if (values.length >= LAYOUT.maxArgs) throw new Error(`${kernel} takes ${values.length} arguments; the helpers take at most ${LAYOUT.maxArgs - 1}`);
      words[LAYOUT.kernels + c] = this.names.indexOf(kernel);
      args[c * LAYOUT.maxArgs] = values.length;
      args.set(values, c * LAYOUT.maxArgs + 1);
    });
    this.job = (this.job % 0x7fffff) + 1;
    const tag = this.job << 8;
    Atomics.store(words, LAYOUT.chunks, calls.length);
    Atomics.store(words, LAYOUT.failed, 0);
    Atomics.store(words, LAYOUT.finished, tag);
    Atomics.store(words, LAYOUT.claimed, tag);
    Atomics.store(words, LAYOUT.posted, this.job);
    Atomics.notify(words, LAYOUT.posted);
    return tag;
  }
}
