import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { chunksOf, HeapThreads, serveHeapKernels, type HeapCall, type HelperWorker } from './heapHelpers';
import type { HeapKernelExports } from './heapKernels';
import { HEAP_KERNELS_WASM } from './heapKernelsWasm';

// The helpers on Node's worker_threads, over a shared heap of our own: the browser starts the same
// function in a Worker (src/worker/backends/heapHelper.worker.ts).
const workers: Worker[] = [];
const spawn = (): HelperWorker => {
  const source = `require('node:worker_threads').parentPort.once('message', (start) => (${serveHeapKernels.toString()})(start));`;
  const worker = new Worker(source, { eval: true });
  workers.push(worker);
  return worker;
};

afterEach(() => {
  workers.splice(0).forEach((w) => void w.terminate());
});

function sharedHeap() {
  const memory = new WebAssembly.Memory({ initial: 64, maximum: 1024, shared: true });
  const module = new WebAssembly.Module(Buffer.from(HEAP_KERNELS_WASM.shared, 'base64'));
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as HeapKernelExports;
  return { memory, module, exports };
}

/** Waits for the helpers however long a busy machine takes to start them (a hang meets the test's timeout). */
async function started(threads: HeapThreads, count: number): Promise<void> {
  while (threads.helpersStarted() < count) await new Promise((r) => setTimeout(r, 10));
  expect(threads.helpersStarted()).toBe(count);
}

// A 3×3 filter over a 40×40 image of 16 channels: 144 patch rows of 1600 floats, 14 chunks.
const [channels, size, taps] = [16, 40, 9];
const xAt = 1024;
const rowsAt = xAt + channels * size * size * 4;
const rowCount = taps * channels;
const rowBytes = size * size * 4;
const patchRows = (from: number, to: number, x = xAt): HeapCall => ['patchRows', x, rowsAt, 1, channels, size, size, 3, 3, 1, 1, 1, 1, size, size, from, to];

describe('heap kernel helpers', () => {
  it('run their parts on other threads, on the same heap, with the one-thread result', async () => {
    const { memory, module, exports } = sharedHeap();
    const x = new Float32Array(memory.buffer, xAt, channels * size * size);
    x.forEach((_, i) => (x[i] = Math.sin(i * 0.37)));
    new HeapThreads(exports, module, memory, 1).runAll([patchRows(0, rowCount)]);
    const expected = new Float32Array(memory.buffer, rowsAt, rowCount * size * size).slice();
    new Float32Array(memory.buffer, rowsAt, rowCount * size * size).fill(NaN);

    const threads = new HeapThreads(exports, module, memory, 3, spawn);
    await started(threads, 2);
    const chunks = chunksOf(rowCount, size * size);
    expect(chunks.length).toBe(14);
    // Many jobs in a row: a helper that wakes late must never take a chunk of the next one.
    const rows = new Float32Array(memory.buffer, rowsAt, rowCount * size * size);
    let wrong = 0;
    for (let job = 0; job < 200; job++) {
      rows.fill(NaN);
      threads.runAll(chunks.map(([from, to]) => patchRows(from, to)));
      for (let i = 0; i < rows.length; i++) if (!(rows[i] === expected[i])) wrong++;
    }
    expect(wrong).toBe(0);
    threads.stop();
  });

  it('report a chunk that failed on a helper, after every chunk has finished', async () => {
    const { memory, module, exports } = sharedHeap();
    const threads = new HeapThreads(exports, module, memory, 2, spawn);
    await started(threads, 1);
    // Every chunk but the first reads past the end of the heap: WebAssembly traps wherever it runs.
    const calls = Array.from({ length: 16 }, (_, c) => patchRows(c, c + 1, c === 0 ? xAt : memory.buffer.byteLength));
    new Float32Array(memory.buffer, rowsAt, rowCount * size * size).fill(NaN);
    expect(() => threads.runAll(calls)).toThrow(/out of bounds|patchRows failed on a helper thread/);
    // The first chunk was written all the same.
    expect(new Float32Array(memory.buffer, rowsAt, size * size).some(Number.isNaN)).toBe(false);
    // The helper still answers.
    threads.runAll([patchRows(0, 1), patchRows(1, 2), patchRows(2, 3)]);
    threads.stop();
  });

  it('end when stopped', async () => {
    const { memory, module, exports } = sharedHeap();
    const threads = new HeapThreads(exports, module, memory, 2, spawn);
    await started(threads, 1);
    const exited = new Promise<number>((resolve) => workers[0].once('exit', resolve));
    threads.stop();
    await expect(exited).resolves.toBeTypeOf('number');
  });

  it('split work into chunks by its size alone', () => {
    expect(chunksOf(144, rowBytes / 4)).toHaveLength(14);
    expect(chunksOf(1000, 1e6)).toHaveLength(16);
    expect(chunksOf(10, 7000)).toEqual([[0, 3], [3, 5], [5, 8], [8, 10]]);
    expect(chunksOf(10, 100)).toEqual([[0, 10]]);
    expect(chunksOf(2, 1e6)).toEqual([[0, 1], [1, 2]]);
  });
});
