import { defineConfig } from 'vite';

// The build goes straight into the Go package that embeds it. Names carry
// content hashes and nothing else varies between runs, so CI can rebuild
// and compare with what is committed.
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../internal/web/dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/avatar': 'http://127.0.0.1:3000',
      '/file-upload': 'http://127.0.0.1:3000',
      '/websocket': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
});
