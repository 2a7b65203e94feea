import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * tfjs-backend-wasm starts its pthreads from a Blob made of `wasmFactoryThreadedSimd.toString()`.
 * After bundling and minification that function refers to renamed outer variables, and every
 * thread dies with "e is not defined". This swaps the call for the factory's original source
 * text, which needs nothing from outside, so the threaded build survives minification.
 */
export function tfjsWasmThreads(): Plugin {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  return {
    name: 'tfjs-wasm-threads',
    transform(code, id) {
      if (!id.includes('tfjs-backend-wasm') || !code.includes('wasmFactoryThreadedSimd.toString()')) return null;
      const source = readFileSync(file, 'utf8');
      const start = source.indexOf('(() => {');
      const end = source.indexOf('})();', start);
      if (start < 0 || end < 0) throw new Error(`tfjs-wasm-threads: unexpected layout of ${file}`);
      return code.replace('wasmFactoryThreadedSimd.toString()', JSON.stringify(source.slice(start, end + '})()'.length)));
    },
  };
}

/** Cross-origin isolation, which SharedArrayBuffer and so wasm threads require. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative asset paths let dist/ be served from any sub-path of any static host.
  base: './',
  plugins: [react(), tfjsWasmThreads()],
  worker: { format: 'es', plugins: () => [tfjsWasmThreads()] },
  server: { headers: isolationHeaders },
  // The workers import these; found only when a worker starts, they would force a re-optimise and a page reload.
  optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'fflate', 'seedrandom'] },
  preview: { headers: isolationHeaders },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Each file gets its own process: tfjs keeps global engine state per process.
    pool: 'forks',
  },
});
