import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileHeapKernels, heapKernelsModuleText } from './compileHeapKernels';

describe('the SIMD heap kernels', () => {
  it('ship as compiled from assembly/heapKernels.ts (run npm run build:kernels after changing it)', async () => {
    const shipped = readFileSync(new URL('./heapKernelsWasm.ts', import.meta.url), 'utf8');
    expect(shipped).toBe(heapKernelsModuleText(await compileHeapKernels()));
  }, 60_000);

  it('import tfjs’s memory, plain or shared, and write nothing into it on their own', async () => {
    const builds = await compileHeapKernels();
    const plainMemory = () => new WebAssembly.Memory({ initial: 2 });
    const sharedMemory = () => new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
    const cases = [[builds.plain, plainMemory()], [builds.shared, sharedMemory()]] as const;
    const relaxed = [[builds.plainRelaxed, plainMemory()], [builds.sharedRelaxed, sharedMemory()]] as const;
    for (const [bytes, memory] of [...cases, ...(WebAssembly.validate(builds.plainRelaxed) ? relaxed : [])]) {
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
