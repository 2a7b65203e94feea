import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { isolationHeaders, tfjsSlim, tfjsWasmThreads } from '../vite.config.ts';

// The benchmark page is built on its own, so it never ships with the app in dist/.
export default defineConfig({
  root: fileURLToPath(new URL('./page', import.meta.url)),
  base: './',
  plugins: [tfjsWasmThreads()],
  resolve: { alias: [tfjsSlim] },
  worker: { format: 'es', plugins: () => [tfjsWasmThreads()] },
  preview: { headers: isolationHeaders },
  build: { outDir: fileURLToPath(new URL('../dist-bench', import.meta.url)), emptyOutDir: true },
});
