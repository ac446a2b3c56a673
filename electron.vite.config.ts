// Builds the three console bundles into out/: main (ESM, dependencies external), preload (ONE
// CommonJS file: a sandboxed preload can only require('electron')) and the React renderer.
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

/**
 * `electron-vite dev` only: Vite's dev server injects <style> tags and a hot-reload socket, which the
 * shipped policy in index.html forbids. The build keeps the strict policy untouched.
 */
function relaxCspForDevServer(): Plugin {
  return {
    name: 'ventana-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* http://localhost:*"),
  };
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [react(), relaxCspForDevServer()],
    build: {
      minify: true,
      // Loaded from disk by a desktop app, never over a network: one ~550 kB bundle is fine.
      chunkSizeWarningLimit: 800,
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    },
  },
});
