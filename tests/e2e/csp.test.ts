/**
 * The BUILT app under its own Content-Security-Policy (the meta tag vite.config.ts adds in
 * `vite build` only). Built into a temp folder, served by a tiny static server on 127.0.0.1,
 * opened in Debian's Chromium: the demo loads and the map is drawn with no
 * `securitypolicyviolation` event, no CSP console error and no request off this machine.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_CSP } from '../../vite.config';
import { CHROMIUM_PATH, e2eSkipReason, externalRequests, nonBackgroundPixels, REPO_ROOT, screenshot, waitForReady } from './harness';

const skip = e2eSkipReason();
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.parquet': 'application/octet-stream',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

interface Violation {
  directive: string;
  blocked: string;
  source: string;
}

describe.skipIf(skip !== null)('built app under its Content-Security-Policy', () => {
  let outDir: string;
  let server: Server;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'callsight-csp-'));
    await build({ root: REPO_ROOT, configFile: path.join(REPO_ROOT, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true } });
    // No CSP header here: the meta tag alone must carry the policy, as on GitHub Pages.
    server = createServer(async (req, res) => {
      const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = path.join(outDir, rel.endsWith('/') ? `${rel}index.html` : rel);
      if (!file.startsWith(outDir)) return res.writeHead(403).end();
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('static server did not report a port');
    baseUrl = `http://127.0.0.1:${address.port}/`;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    context.on('request', (r) => requests.push(r.url()));
    // Before any page script: violations in workers surface on the document too in Chromium, and
    // anything blocked before React mounts would otherwise be missed.
    await context.addInitScript(() => {
      const w = window as unknown as { __cspViolations: Violation[] };
      w.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__cspViolations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, source: `${e.sourceFile}:${e.lineNumber}` }));
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(null)));
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('ships the policy in the built index.html only', async () => {
    const html = await readFile(path.join(outDir, 'index.html'), 'utf8');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${APP_CSP}" />`);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const source = await readFile(path.join(REPO_ROOT, 'index.html'), 'utf8');
    expect(source).not.toContain('Content-Security-Policy');
  });

  it('loads the demo and draws the map with no violation and nothing leaving the machine', async () => {
    await page.goto(baseUrl);
    const meta = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'));
    expect(meta).toBe(APP_CSP);
    const state = await waitForReady(page, 150_000);
    expect(state.counts.shown).toBeGreaterThan(0);
    const png = await screenshot(page, 'csp-built-app-map', '.map-area');
    const { count, total } = nonBackgroundPixels(png);
    expect(count / total).toBeGreaterThan(0.05);
    // The side panels run their own queries and workers after the map: give them a moment.
    await page.getByRole('tab', { name: 'Triage' }).click();
    await page.getByTestId('under-triage-count').waitFor({ timeout: 60_000 });
    const violations = await page.evaluate(() => (window as unknown as { __cspViolations: Violation[] }).__cspViolations);
    expect(violations).toEqual([]);
    expect(consoleErrors.filter((t) => /Content.Security.Policy|Refused to/i.test(t))).toEqual([]);
    expect(externalRequests(requests)).toEqual([]);
    expect(requests.some((u) => u.endsWith('.wasm'))).toBe(true);
  }, 240_000);
});
