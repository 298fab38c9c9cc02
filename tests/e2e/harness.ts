/**
 * End-to-end harness: our own Vite dev server on 127.0.0.1 and Debian's Chromium driven by
 * playwright-core (never a downloaded browser). Every request the page and its workers make
 * is recorded so a test can assert that nothing left the machine.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';

export const CHROMIUM_PATH = process.env.CALLSIGHT_CHROMIUM ?? '/usr/bin/chromium';
const here = path.dirname(new URL(import.meta.url).pathname);
export const REPO_ROOT = path.resolve(here, '../..');
export const SCREENSHOT_DIR = path.join(here, 'screenshots');

/** Debian Chromium headless with SwiftShader WebGL and no background traffic (toolchain.md). */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** Null when the browser can run; otherwise the reason the e2e tests skip (printed once). */
export function e2eSkipReason(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const reason = `Chromium not found at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CALLSIGHT_CHROMIUM); skipping browser tests.`;
  console.warn(reason);
  return reason;
}

export interface AppSession {
  page: Page;
  baseUrl: string;
  /** every URL requested so far (page, workers, fetches) */
  requests: string[];
  consoleErrors: string[];
  close(): Promise<void>;
}

export async function startApp(options: { viewport?: { width: number; height: number } } = {}): Promise<AppSession> {
  const server: ViteDevServer = await createServer({
    root: REPO_ROOT,
    configFile: path.join(REPO_ROOT, 'vite.config.ts'),
    logLevel: 'error',
    clearScreen: false,
    server: { port: 0, host: '127.0.0.1', strictPort: false, hmr: false },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('Vite did not report a TCP port');
  const baseUrl = `http://127.0.0.1:${address.port}/`;

  const userDataDir = mkdtempSync(path.join(tmpdir(), 'callsight-e2e-'));
  let context: BrowserContext;
  try {
    // A persistent context on a fresh temp dir: no profile, cache or service worker survives a run.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1440, height: 900 },
      deviceScaleFactor: 1,
      acceptDownloads: true,
    });
  } catch (e) {
    await server.close();
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  // The first start in a fresh checkout (CI) has Vite pre-bundle its dependencies before the
  // page's load event: 30-60 s on a loaded 2-core machine, beyond playwright's 30 s default.
  await page.goto(baseUrl, { timeout: 100_000 });
  return {
    page,
    baseUrl,
    requests,
    consoleErrors,
    close: async () => {
      await context.close().catch(() => {});
      await server.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * One app for a describe block, started and ready before its first test and closed after its
 * last: `const app = useReadyApp(); … app().page`. For blocks that need nothing else around
 * the start-up (the others keep their own beforeAll).
 */
export function useReadyApp(options: { viewport?: { width: number; height: number }; readyMs?: number } = {}): () => AppSession {
  let app: AppSession | undefined;
  beforeAll(async () => {
    app = await startApp(options.viewport ? { viewport: options.viewport } : {});
    await waitForReady(app.page, options.readyMs ?? 90_000);
  }, 180_000);
  afterAll(async () => app?.close());
  return () => {
    if (!app) throw new Error('useReadyApp: the app is read before its beforeAll ran');
    return app;
  };
}

/** Requests to anything but our own server; data:/blob: URLs never touch the network. */
export function externalRequests(requests: readonly string[]): string[] {
  return requests.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:')) return false;
    try {
      const host = new URL(u).hostname;
      return !(host === '127.0.0.1' || host === 'localhost' || host === '[::1]');
    } catch {
      return true;
    }
  });
}

type ReadyState = { ready: boolean; phase: string; mapIdle: boolean; deckFrames: number; counts: Record<string, number>; callsMode: string };

export async function readState(page: Page): Promise<ReadyState | null> {
  return page.evaluate(() => (window as unknown as { __callsight?: ReadyState }).__callsight ?? null);
}

/** Waits for the app's own readiness flag (map idle + a deck.gl frame + no import running). */
export async function waitForReady(page: Page, timeoutMs = 60_000): Promise<ReadyState> {
  await page.waitForFunction(() => (window as unknown as { __callsight?: { ready: boolean } }).__callsight?.ready === true, undefined, {
    timeout: timeoutMs,
    polling: 100,
  });
  return (await readState(page))!;
}

/** Saves a screenshot for reviewers and returns the PNG bytes. */
export async function screenshot(page: Page, name: string, selector?: string): Promise<Buffer> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  return selector ? page.locator(selector).screenshot({ path: file }) : page.screenshot({ path: file });
}

/**
 * Pixels that differ from the dominant colour (the background) by more than `tolerance` per
 * channel: a blank or single-colour map scores ~0.
 */
export function nonBackgroundPixels(png: Buffer, tolerance = 12): { count: number; total: number; background: [number, number, number] } {
  const img = PNG.sync.read(png);
  const counts = new Map<number, number>();
  const { data } = img;
  for (let i = 0; i < data.length; i += 4) {
    const key = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let bgKey = 0;
  let bgCount = -1;
  for (const [k, n] of counts) if (n > bgCount) [bgKey, bgCount] = [k, n];
  const bg: [number, number, number] = [(bgKey >> 16) & 255, (bgKey >> 8) & 255, bgKey & 255];
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i]! - bg[0]) > tolerance || Math.abs(data[i + 1]! - bg[1]) > tolerance || Math.abs(data[i + 2]! - bg[2]) > tolerance) count++;
  }
  return { count, total: img.width * img.height, background: bg };
}

/** Pixels within `tolerance` of a given colour (e.g. the calls' Okabe–Ito blue). */
export function pixelsNear(png: Buffer, rgb: [number, number, number], tolerance = 40): number {
  const { data } = PNG.sync.read(png);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i]! - rgb[0]) <= tolerance && Math.abs(data[i + 1]! - rgb[1]) <= tolerance && Math.abs(data[i + 2]! - rgb[2]) <= tolerance) n++;
  }
  return n;
}
