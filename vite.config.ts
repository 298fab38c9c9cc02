/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

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

// Relative base so the built app (and briefings) work under any sub-path of a static host.
export default defineConfig({
  base: './',
  plugins: [react(), contentSecurityPolicy()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'parquet-wasm'] },
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: '.ci/out/vitest-report.json' }]],
  },
});
