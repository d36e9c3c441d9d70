// The web desk (src/web/) built into dist/web/, which `opd serve` serves (src/api/web.ts).
// `npm run dev:web` serves it with hot reload on port 5173 and sends /api to a server on port 3000.

import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
