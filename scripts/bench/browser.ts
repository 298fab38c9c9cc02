/**
 * Measurements inside the real app: import through the file input (and the mapping review),
 * cross-filter through the dashboard's own store (the same call its charts make), view SQL
 * timed through the app's Db, and the analysis worker. Page code imports the app's modules by
 * their dev-server URLs, so it gets the very instances the app runs.
 */
import type { Page } from 'playwright-core';
import type { CubeFilters as DashboardFilters } from '../../src/data/queries/cube-index';
import type { BenchSession } from './app-session';
import type { Interaction, InteractionContext } from './interactions';

export interface ImportTiming {
  /** file chosen → mapping review on screen (column detection) */
  reviewMs: number | null;
  /** file chosen → calls drawn and every view settled (the first map of the new data) */
  firstMapMs: number;
  counts: Record<string, number>;
}

export async function importInApp(s: BenchSession, file: string, rows: number, timeoutMs = 1_800_000): Promise<ImportTiming> {
  const { page } = s;
  const t0 = performance.now();
  await page.getByTestId('file-input').first().setInputFiles(file);
  const dialog = page.getByTestId('mapping-dialog');
  // The header names the new file only once its calls are in: a previous import of the same row count cannot satisfy this.
  const name = file.split('/').pop()!;
  const loaded = page.waitForFunction(
    ([n, f]) => window.__callsight?.counts.input === n && window.__callsight.ready && (document.querySelector('[data-testid="dataset-name"]')?.textContent ?? '').includes(f as string),
    [rows, name] as const,
    { timeout: timeoutMs, polling: 50 },
  );
  const first = await Promise.race([dialog.waitFor({ state: 'visible', timeout: timeoutMs }).then(() => 'review' as const), loaded.then(() => 'loaded' as const)]);
  let reviewMs: number | null = null;
  if (first === 'review') {
    reviewMs = performance.now() - t0;
    await dialog.getByRole('button', { name: 'Import with this mapping' }).click();
  }
  await loaded;
  const firstMapMs = performance.now() - t0;
  const counts = await page.evaluate(() => ({ ...window.__callsight!.counts }));
  return { reviewMs, firstMapMs, counts };
}

export async function sqlInPage(page: Page, text: string): Promise<Record<string, unknown>[]> {
  return page.evaluate(async (t) => {
    const hook = window.__callsight?.sql;
    if (!hook) throw new Error('window.__callsight.sql is missing (dev builds only)');
    return hook(t);
  }, text);
}

export async function interactionContext(page: Page): Promise<InteractionContext> {
  const types = await sqlInPage(page, 'SELECT type_text AS t, count(*) AS n FROM calls WHERE type_text IS NOT NULL GROUP BY 1 ORDER BY n DESC LIMIT 20');
  const [b] = await sqlInPage(
    page,
    `SELECT quantile_cont(lon, 0.01) AS w, quantile_cont(lat, 0.01) AS s, quantile_cont(lon, 0.99) AS e, quantile_cont(lat, 0.99) AS n,
      strftime(min(received_at), '%Y-%m-%d') AS lo, strftime(CAST(max(received_at) AS DATE) + INTERVAL 1 DAY, '%Y-%m-%d') AS hi
     FROM calls WHERE lon IS NOT NULL AND lat IS NOT NULL AND lon <> 0`,
  );
  return {
    types: types.map((r) => String(r.t)),
    bbox: [Number(b!.w), Number(b!.s), Number(b!.e), Number(b!.n)],
    span: [String(b!.lo), String(b!.hi)],
  };
}

/** ms from setFilters to every view's result applied and one frame painted, per interaction. */
export async function runInteractions(page: Page, seq: readonly Interaction[]): Promise<{ kind: string; ms: number; matching: number }[]> {
  const out: { kind: string; ms: number; matching: number }[] = [];
  for (const step of seq) {
    const r = await page.evaluate(async (filters) => {
      const store = await import(/* @vite-ignore */ '/src/state/dashboard-store.ts' as string);
      const g0 = store.getDashboard().generation;
      const t = performance.now();
      const settled = new Promise<void>((resolve) => {
        const off = store.subscribeDashboard(() => {
          const d = store.getDashboard();
          if (d.generation > g0 && !d.loading) {
            off();
            resolve();
          }
        });
      });
      store.setFilters(filters);
      await settled;
      await new Promise((res) => requestAnimationFrame(() => res(null)));
      return { ms: performance.now() - t, matching: store.getDashboard().results?.count ?? -1, error: store.getDashboard().error as string | null };
    }, step.filters);
    if (r.error) throw new Error(`cross-filter step ${out.length + 1} (${step.kind}) failed in the app: ${r.error}`);
    out.push({ kind: step.kind, ms: r.ms, matching: r.matching });
  }
  return out;
}

export interface CapturedQuery {
  view: string;
  text: string;
  params: unknown[];
  ms: number;
  rows: number;
}

/**
 * The dashboard's view functions (src/data/queries/dashboard.ts) run one after another on
 * the app's own DuckDB through a timing wrapper: each statement's text, parameters and
 * in-tab time, for the native replay of the same SQL.
 */
export async function captureViewQueries(page: Page, filters: DashboardFilters): Promise<CapturedQuery[]> {
  return page.evaluate(async (f) => {
    const { getDb } = await import(/* @vite-ignore */ '/src/state/db.ts' as string);
    const q = await import(/* @vite-ignore */ '/src/data/queries/dashboard.ts' as string);
    const db = await getDb();
    const captured: { view: string; text: string; params: unknown[]; ms: number; rows: number }[] = [];
    let view = '';
    const timed = {
      ...db,
      query: async (s: string | { text: string; params: unknown[] }) => {
        const t = performance.now();
        const r = await db.query(s);
        const ms = performance.now() - t;
        captured.push({ view, text: typeof s === 'string' ? s : s.text, params: typeof s === 'string' ? [] : [...s.params], ms, rows: r.numRows });
        return r;
      },
    };
    const span = await q.dataSpan(db);
    const comparison = span ? q.defaultComparison(span) : null;
    view = 'count';
    await q.matchingCount(timed, f);
    view = 'hour-of-week';
    await q.hourOfWeekCounts(timed, f);
    view = 'daily';
    await q.dailyCounts(timed, f);
    view = 'types';
    await q.typeCounts(timed, f);
    view = 'areas';
    await q.areaRows(timed, f, comparison, true);
    view = 'map-positions';
    await q.matchingPositions(timed, f);
    return captured;
  }, filters);
}

export interface AnalysisTiming {
  cellQueryMs: number;
  hotspotsWorkerMs: number;
  cells: number;
  candidateQueryMs: number;
  clustersWorkerMs: number;
  candidates: number;
  clusters: number;
  totalMs: number;
  /** longest gap between animation frames on the main thread while the worker ran */
  maxFrameGapMs: number;
  captured: CapturedQuery[];
}

/** Hot spots (square Gi*) and repeat clusters with the default parameters, pipelines in the analysis worker. */
export async function analysisInApp(page: Page): Promise<AnalysisTiming> {
  return page.evaluate(async () => {
    const { getDb } = await import(/* @vite-ignore */ '/src/state/db.ts' as string);
    const cellsQ = await import(/* @vite-ignore */ '/src/data/queries/cells.ts' as string);
    const candQ = await import(/* @vite-ignore */ '/src/data/queries/candidates.ts' as string);
    const { resolveParams } = await import(/* @vite-ignore */ '/src/analysis/params.ts' as string);
    const { parseHourWindows } = await import(/* @vite-ignore */ '/src/analysis/hour-windows.ts' as string);
    const { createBrowserAnalysisClient } = await import(/* @vite-ignore */ '/src/workers/analysis-client.ts' as string);
    const { getSession } = await import(/* @vite-ignore */ '/src/state/session-store.ts' as string);
    const db = await getDb();
    const captured: { view: string; text: string; params: unknown[]; ms: number; rows: number }[] = [];
    let view = '';
    const timed = {
      ...db,
      query: async (s: string | { text: string; params: unknown[] }) => {
        const t = performance.now();
        const r = await db.query(s);
        captured.push({ view, text: typeof s === 'string' ? s : s.text, params: typeof s === 'string' ? [] : [...s.params], ms: performance.now() - t, rows: r.numRows });
        return r;
      },
    };
    const params = resolveParams();
    const client = createBrowserAnalysisClient();
    let maxGap = 0;
    let watching = true;
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      if (watching) requestAnimationFrame(tick);
    };
    try {
      const t0 = performance.now();
      view = 'hotspot-cells';
      const spec = await cellsQ.fetchSquareGridSpec(timed, params.hotspots.cellMeters);
      const source = await cellsQ.fetchSquareCellCounts(timed, spec, {});
      const t1 = performance.now();
      const areas = getSession().areaFeatures as { geometry: unknown }[] | null;
      last = performance.now();
      requestAnimationFrame(tick);
      const hot = await client.run('hotspots', { source, params: params.hotspots, ...(areas?.length ? { region: areas.map((a) => a.geometry) } : {}) });
      const t2 = performance.now();
      view = 'cluster-candidates';
      const windows = parseHourWindows(params.clusters.windows.join(','));
      const candidates = await candQ.fetchCandidates(timed, params.clusters.types, windows);
      const matchedTypes = await candQ.fetchMatchedTypes(timed, params.clusters.types);
      const t3 = performance.now();
      const nCandidates = candidates.ids.length;
      const clusters = await client.run('clusters', { candidates, params: params.clusters, matchedTypes });
      const t4 = performance.now();
      return {
        cellQueryMs: t1 - t0,
        hotspotsWorkerMs: t2 - t1,
        cells: hot.cells.length,
        candidateQueryMs: t3 - t2,
        clustersWorkerMs: t4 - t3,
        candidates: nCandidates,
        clusters: clusters.clusters.length,
        totalMs: t4 - t0,
        maxFrameGapMs: maxGap,
        captured,
      };
    } finally {
      watching = false;
      client.terminate();
    }
  });
}

/** Main-thread JS heap (CDP) and DuckDB's own accounting of its wasm memory. */
export async function heapAndDuckDb(s: BenchSession): Promise<{ jsHeapUsedBytes: number; jsHeapTotalBytes: number; duckdbBytes: number }> {
  const { metrics } = (await s.cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? 0;
  const [d] = await sqlInPage(s.page, 'SELECT sum(memory_usage_bytes)::DOUBLE AS b FROM duckdb_memory()');
  return { jsHeapUsedBytes: m('JSHeapUsedSize'), jsHeapTotalBytes: m('JSHeapTotalSize'), duckdbBytes: Number(d?.b ?? 0) };
}
