/**
 * The real app for the benchmark: our Vite dev server and Debian's Chromium with the same
 * flags as tests/e2e/harness.ts (WebGL on SwiftShader). Its own profile prefix lets the
 * memory sampler find exactly this browser's processes, not another engineer's e2e run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, type CDPSession, chromium, type Page } from 'playwright-core';
import { createServer, preview } from 'vite';
import { CHROMIUM_ARGS as E2E_CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/e2e/harness';
import { REPO_ROOT } from './cache';

// The e2e harness's flags, plus real (not bucketed) heap sizes from performance.memory.
const CHROMIUM_ARGS = [...E2E_CHROMIUM_ARGS, '--enable-precise-memory-info'];

export interface BenchSession {
  page: Page;
  cdp: CDPSession;
  baseUrl: string;
  userDataDir: string;
  chromiumVersion: string;
  /** ms from "server starting" to the first drawn map and to the demo data shown */
  coldStart: StartTimes;
  close(): Promise<void>;
}

export interface StartTimes {
  firstMapMs: number;
  /** ms to the first deck.gl frame that drew the demo's calls (before every view has settled) */
  callsDrawnMs: number;
  readyMs: number;
  /** the page's own start-up marks (src/state/boot-marks.ts), ms after navigation start: where the time went */
  marks?: Record<string, number>;
}

/** `dev` is `npm start` (Vite dev server); `preview` serves a production build from `outDir`. */
export async function startBenchApp(o: { previewOutDir?: string } = {}): Promise<BenchSession> {
  const t0 = performance.now();
  const common = { root: REPO_ROOT, configFile: path.join(REPO_ROOT, 'vite.config.ts'), logLevel: 'error' as const, clearScreen: false };
  const server = o.previewOutDir
    ? await preview({ ...common, build: { outDir: o.previewOutDir }, preview: { port: 0, host: '127.0.0.1', strictPort: false } })
    : await createServer({ ...common, server: { port: 0, host: '127.0.0.1', strictPort: false, hmr: false } });
  if ('listen' in server) await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('Vite did not report a TCP port');
  const baseUrl = `http://127.0.0.1:${address.port}/`;
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'callsight-bench-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      viewport: { width: 1440, height: 900 },
      deviceScaleFactor: 1,
    });
  } catch (e) {
    await server.close();
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.warn(`  page error: ${String(e).slice(0, 300)}`));
  // tsx/esbuild may wrap functions passed to page.evaluate in its __name helper
  await page.addInitScript('globalThis.__name = globalThis.__name || ((f) => f);');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const version = (await cdp.send('Browser.getVersion').catch(() => null)) as { product?: string } | null;
  await page.goto(baseUrl);
  const firstMapMs = await waitFirstMap(page, t0);
  const callsDrawnMs = await waitCallsDrawn(page, t0);
  await waitReady(page, 180_000);
  const readyMs = performance.now() - t0;
  const marks = await pageMarks(page);
  return {
    page,
    cdp,
    baseUrl,
    userDataDir,
    chromiumVersion: version?.product ?? 'unknown',
    coldStart: { firstMapMs, callsDrawnMs, readyMs, marks },
    close: async () => {
      await context.close().catch(() => {});
      await server.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A drawn map of the demo: MapLibre idle (its style and any tiles drawn) and a deck.gl frame
 * that drew the demo's context (area fills and outlines, transit routes; src/map/layers/
 * context-layers.ts). Any deck.gl frame is not enough: the first one can be empty.
 */
export async function waitFirstMap(page: Page, t0: number, timeoutMs = 120_000): Promise<number> {
  await page.waitForFunction(() => {
    const r = window.__callsight;
    return Boolean(r?.mapIdle && r.deckFrames > 0 && performance.getEntriesByName('callsight:first-context-frame').length > 0);
  }, undefined, { timeout: timeoutMs, polling: 20 });
  return performance.now() - t0;
}

/** The demo's calls drawn by deck.gl (the dashboard's views may still be settling). */
export async function waitCallsDrawn(page: Page, t0: number, timeoutMs = 180_000): Promise<number> {
  await page.waitForFunction(() => performance.getEntriesByName('callsight:first-calls-frame').length > 0, undefined, { timeout: timeoutMs, polling: 20 });
  return performance.now() - t0;
}

export async function waitReady(page: Page, timeoutMs = 600_000): Promise<void> {
  await page.waitForFunction(() => window.__callsight?.ready === true, undefined, { timeout: timeoutMs, polling: 50 });
}

/** Reload with a warm server and measure the demo's first map and data again (what a returning analyst sees). */
export async function warmStart(page: Page): Promise<StartTimes> {
  const t0 = performance.now();
  await page.reload();
  const firstMapMs = await waitFirstMap(page, t0);
  const callsDrawnMs = await waitCallsDrawn(page, t0);
  await waitReady(page, 180_000);
  const readyMs = performance.now() - t0;
  return { firstMapMs, callsDrawnMs, readyMs, marks: await pageMarks(page) };
}

/** `callsight:*` User Timing marks plus the navigation's own milestones, ms after navigation start. */
async function pageMarks(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    if (nav) {
      out.responseEnd = Math.round(nav.responseEnd);
      out.domContentLoaded = Math.round(nav.domContentLoadedEventEnd);
    }
    for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('callsight:')) out[m.name.slice('callsight:'.length)] = Math.round(m.startTime);
    return out;
  });
}
