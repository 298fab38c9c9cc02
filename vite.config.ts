/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite';

/**
 * The app's Content-Security-Policy as a <meta> tag, so it also holds on hosts that cannot set
 * headers (GitHub Pages). Same policy as SECURITY.md minus `frame-ancestors`, which browsers
 * ignore in a meta tag. `'wasm-unsafe-eval'` is for DuckDB-wasm and parquet-wasm only; every
 * worker is a same-origin file, so no `blob:`. A meta CSP cannot change at runtime: a remote
 * tile style needs its origin added to connect-src and img-src when deploying (SECURITY.md).
 */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

// Build only: the dev server injects inline scripts (react-refresh preamble, HMR client) that
// this policy would block, and the e2e harness runs on the dev server.
function contentSecurityPolicy(): Plugin {
  return {
    name: 'callsight-csp',
    apply: 'build',
    // Vite inlines small `?url` assets as data: URLs; the demo's small GTFS files are then
    // fetch()ed from data: URLs, which `connect-src 'self'` refuses (seen in the csp e2e test).
    // Only images may be inlined (img-src allows data:); everything else stays a same-origin file.
    config: () => ({ build: { assetsInlineLimit: (file: string) => (/\.(png|jpe?g|gif|webp|svg)$/i.test(file) ? undefined : false) } }),
    // Right after <meta charset>: the charset must come first, and the policy must precede every
    // script and stylesheet it governs.
    transformIndexHtml: {
      order: 'post',
      handler: (html) => {
        const charset = /<meta charset="UTF-8" \/>/;
        if (!charset.test(html)) throw new Error('index.html lost its <meta charset="UTF-8" />: the CSP meta tag goes right after it.');
        return html.replace(charset, (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${APP_CSP}" />`);
      },
    },
  };
}

/**
 * Build only: `<link rel="modulepreload">` for the lazily loaded map chunk and the chunks it
 * imports. The map is split out of the entry (issue #8) but is wanted at once; without the
 * hint its download starts only after the entry chunk has been fetched, parsed and run.
 * Same-origin files, so the CSP (script-src 'self') allows them.
 */
export function preloadLazyChunks(entries: readonly string[]): Plugin {
  return {
    name: 'callsight-preload-lazy-chunks',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: (html, ctx) => {
        const chunks = Object.values(ctx.bundle ?? {}).flatMap((c) => (c.type === 'chunk' ? [c] : []));
        const byFile = new Map(chunks.map((c) => [c.fileName, c]));
        const files = new Set<string>();
        const add = (file: string) => {
          const chunk = byFile.get(file);
          if (!chunk || files.has(file) || chunk.isEntry) return;
          files.add(file);
          for (const i of chunk.imports) add(i);
        };
        for (const entry of entries) {
          const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(entry));
          // a missing hint costs speed, not correctness: say so instead of failing the build
          if (chunk) add(chunk.fileName);
          else console.warn(`preloadLazyChunks: no chunk for ${entry} (renamed or merged?); update vite.config.ts.`);
        }
        const tags: HtmlTagDescriptor[] = [...files].filter((f) => !html.includes(f)).map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `./${f}` }, injectTo: 'head' }));
        return { html, tags };
      },
    },
  };
}

// Relative base so the built app (and briefings) work under any sub-path of a static host.
export default defineConfig({
  base: './',
  plugins: [react(), contentSecurityPolicy(), preloadLazyChunks(['src/map/map-view-gl.tsx', '@deck.gl/aggregation-layers/dist/index.js'])],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  optimizeDeps: {
    exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'],
    // Pre-bundled when the dev server starts, not when the first page asks: the map's packages
    // are reached only through import() and the layer registry, so discovery found them late.
    include: ['react', 'react-dom', 'react-dom/client', 'react/jsx-dev-runtime', 'maplibre-gl', '@deck.gl/core', '@deck.gl/layers', '@deck.gl/aggregation-layers', '@deck.gl/mapbox', '@turf/turf', 'd3', 'h3-js', 'proj4', 'apache-arrow', 'kdbush', 'fflate'],
  },
  // `npm start` transforms the first screen's modules while the browser is still opening.
  server: { warmup: { clientFiles: ['./src/main.tsx', './src/map/map-view-gl.tsx', './src/state/db.ts'] } },
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: '.ci/out/vitest-report.json' }]],
  },
});
