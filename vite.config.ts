// The web app (src/web/) built into dist/web/, which `opd serve` serves (src/api/web.ts): the desk
// (index.html) and, as its own small entry, the patient's page (patient.html, served at /t/<code>),
// so a phone loads only what that page shows. `npm run dev:web` serves it with hot reload on port
// 5173 and sends /api to a server on port 3000.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const entry = (file: string) => fileURLToPath(new URL(`./src/web/${file}`, import.meta.url));

/**
 * The patient's page on a slow phone connection: its style sheet goes into the HTML as a <style>
 * element, so the first paint waits for the HTML alone, not for a second round trip (the page's
 * Content-Security-Policy allows inline styles, not inline scripts).
 */
function inlinePatientCss(): Plugin {
  return {
    name: 'opd-inline-patient-css',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = bundle['patient.html'];
      if (!html || html.type !== 'asset') return;
      let text = String(html.source);
      text = text.replace(/<link rel="stylesheet" crossorigin href="\/assets\/([^"]+\.css)">/g, (link, file: string) => {
        const css = bundle[`assets/${file}`];
        if (!css || css.type !== 'asset') return link;
        return `<style>${String(css.source)}</style>`;
      });
      html.source = text;
    },
  };
}

/**
 * A gzip copy beside each script and style sheet (name.js.gz), which the server sends to browsers that
 * accept it (@fastify/static's preCompressed): a phone on a slow line downloads a third of the bytes.
 * Made from the files as written (writeBundle), after every plugin has finished them: a copy made
 * earlier would miss Vite's last rewrites (the preload helper of a lazily loaded screen).
 */
function gzipCopies(): Plugin {
  return {
    name: 'opd-gzip-copies',
    apply: 'build',
    enforce: 'post',
    writeBundle(options, bundle) {
      const dir = options.dir!;
      for (const name of Object.keys(bundle)) {
        if (!/\.(js|css)$/.test(name)) continue;
        writeFileSync(join(dir, `${name}.gz`), gzipSync(readFileSync(join(dir, name)), { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: 'src/web',
  plugins: [react(), inlinePatientCss(), gzipCopies()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      input: { index: entry('index.html'), patient: entry('patient.html') },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
