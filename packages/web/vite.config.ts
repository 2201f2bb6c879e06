import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Plain Vite with oxc's automatic JSX runtime (no React plugin: nothing to install, no fast-refresh needed).
// `npm run dev -w packages/web` proxies the API to a server on :8080.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  oxc: { jsx: { runtime: 'automatic', development: false } },
  resolve: { conditions: ['browser'] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: {
    proxy: { '/v1': 'http://127.0.0.1:8080', '/ws': { target: 'ws://127.0.0.1:8080', ws: true } },
  },
});
