// Compiles assembly/heapKernels.ts and writes the generated module the wasm backend loads.
import { writeFileSync } from 'node:fs';
import { compileHeapKernels, heapKernelsModuleText } from '../src/core/backends/simd/compileHeapKernels';

const target = new URL('../src/core/backends/simd/heapKernelsWasm.ts', import.meta.url);
writeFileSync(target, heapKernelsModuleText(await compileHeapKernels()));
console.log(`wrote ${target.pathname}`);
