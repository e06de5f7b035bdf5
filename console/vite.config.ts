import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * The console (issue 19), built into dist/console and served by the gateway at /console under a
 * strict Content-Security-Policy (src/server/console.ts): nothing may be inlined, neither scripts
 * nor styles nor small assets, and no module-preload polyfill is injected.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [preact({ prerender: { enabled: false } })],
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: true,
    reportCompressedSize: false,
  },
  server: { proxy: { '/graphql': { target: 'http://localhost:4000', ws: true } } },
});
