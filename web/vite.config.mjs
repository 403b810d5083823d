// Vite build of the web UI into web/dist, which `vigil up` serves. JSX goes through esbuild's
// automatic runtime (no React plugin: the plugin needs a newer Vite than Node 20 allows).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));

export default {
  root,
  base: './',
  logLevel: 'warn',
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, reportCompressedSize: true, chunkSizeWarningLimit: 400 },
};
