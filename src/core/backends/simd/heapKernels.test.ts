import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileHeapKernels, heapKernelsModuleText } from './compileHeapKernels';

describe('the SIMD heap kernels', () => {
  it('ship as compiled from assembly/heapKernels.ts (run npm run build:kernels after changing it)', async () => {
    const shipped = readFileSync(new URL('./heapKernelsWasm.ts', import.meta.url), 'utf8');
    expect(shipped).toBe(heapKernelsModuleText(await compileHeapKernels()));
  }, 60_000);

  it('import tfjs’s memory, plain or shared, and write nothing into it on their own', async () => {
    const { plain, shared } = await compileHeapKernels();
    for (const [bytes, memory] of [
      [plain, new WebAssembly.Memory({ initial: 2 })],
      [shared, new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true })],
    ] as const) {
      const module = new WebAssembly.Module(bytes);
      expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      expect(WebAssembly.Module.exports(module).map((e) => e.kind)).not.toContain('memory');
      const heap = new Uint8Array(memory.buffer).fill(0xab);
      new WebAssembly.Instance(module, { env: { memory } });
      // No data segment or start function touched the heap.
      expect(heap.every((b) => b === 0xab)).toBe(true);
    }
  }, 60_000);
});
