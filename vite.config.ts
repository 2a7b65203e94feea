import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

/**
 * The built page's Content-Security-Policy: everything from its own origin, nothing from any other.
 * wasm needs 'wasm-unsafe-eval'; blob: workers are wasm threads and fflate's zip workers.
 * No 'unsafe-eval' and no inline scripts: imported files can never run as code.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self' blob: data:",
  "img-src 'self' blob: data:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Puts the policy into the built index.html (the dev server's hot reload needs inline scripts). */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'content-security-policy',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }],
  };
}

/** Builds import the parts of tfjs the app uses (src/worker/tfjsSlim.ts), not the converter and tf.data. */
export const tfjsSlim = { find: /^@tensorflow\/tfjs$/, replacement: fileURLToPath(new URL('./src/worker/tfjsSlim.ts', import.meta.url)) };

/** Cross-origin isolation, which SharedArrayBuffer and so wasm threads require. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative asset paths let dist/ be served from any sub-path of any static host.
  base: './',
  plugins: [react(), tfjsWasmThreads(), contentSecurityPolicy()],
  resolve: { alias: [tfjsSlim] },
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
    // Relaxed SIMD, as Chromium has it: the heap kernels' gemm then runs its fused multiply-add
    // build, the one the page runs (wasmGemm.test.ts checks the plain build's gemm directly).
    execArgv: ['--experimental-wasm-relaxed-simd'],
  },
});
