/**
 * Measurements inside the real app: import through the file input (and the mapping review),
 * cross-filter through the dashboard's own Selection (setSourceClauses, the call its charts make), view SQL
 * timed through the app's Db, and the analysis worker. Page code imports the app's modules by
 * their dev-server URLs, so it gets the very instances the app runs.
 */
import type { Page } from 'playwright-core';
import type { CubeFilters as DashboardFilters } from '../../src/data/queries/cube-index';
import { VIEW_IDS } from '../../src/state/view-clients';
import type { BenchSession } from './app-session';
import type { Interaction, InteractionContext } from './interactions';

/** An app module fetched in the page (readiness().load, src/state/bench-modules.ts): untyped across page.evaluate. */
// biome-ignore lint/suspicious/noExplicitAny: the page's modules have no types on this side of page.evaluate
type PageModule = any;

export interface ImportTiming {
  /** file chosen → mapping review on screen (column detection) */
  reviewMs: number | null;
  /** file chosen → calls drawn and every view settled (the first map of the new data) */
  firstMapMs: number;
  counts: Record<string, number>;
  /**
   * Where the first map's time went, from the import's User Timing marks (import-flow.ts):
   * ms from the previous mark to each step's mark, in order (db, backup, review, stage, map,
   * build, done, cache-read, points), then `views` = last mark → first map.
   */
  stagesMs?: Record<string, number>;
  /**
   * first map → the dataset cache's read of the new calls finished (import-flow.ts reads it
   * once the views have drawn). Awaited here so the measurements that follow are not queued
   * behind it on DuckDB's one connection; null when the import keeps no cache copy.
   */
  cacheReadMs?: number | null;
}

export async function importInApp(s: BenchSession, file: string, rows: number, timeoutMs = 1_800_000): Promise<ImportTiming> {
  const { page } = s;
  await page.evaluate(() => performance.clearMarks());
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
  const stagesMs = await page.evaluate(() => {
    const marks = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('callsight:import:') && m.name !== 'callsight:import:cache-read');
    const out: Record<string, number> = {};
    for (let i = 1; i < marks.length; i++) out[marks[i]!.name.slice('callsight:import:'.length)] = Math.round(marks[i]!.startTime - marks[i - 1]!.startTime);
    if (marks.length) out.views = Math.round(performance.now() - marks[marks.length - 1]!.startTime);
    return out;
  });
  // Only imports with a mapping review are kept (import-flow.ts), and only where storage is available.
  const cacheReadMs =
    reviewMs === null
      ? null
      : await page
          .waitForFunction(() => performance.getEntriesByName('callsight:import:cache-read').length > 0, undefined, { timeout: timeoutMs, polling: 100 })
          .then(() => Math.round(performance.now() - t0 - firstMapMs))
          .catch(() => null);
  return { reviewMs, firstMapMs, counts, stagesMs, cacheReadMs };
}

export async function sqlInPage(page: Page, text: string): Promise<Record<string, unknown>[]> {
  return page.evaluate(async (t) => {
    const hook = window.__callsight?.sql;
    if (!hook) throw new Error('window.__callsight.sql is missing (dev builds only)');
    return hook(t);
  }, text);
}

export async function interactionContext(page: Page): Promise<InteractionContext> {
  // Codes, not texts: the types clause filters type_code (crossfilter-clauses.ts), as the chart's picks do.
  const types = await sqlInPage(page, 'SELECT type_code AS t, count(*) AS n FROM calls WHERE type_code IS NOT NULL GROUP BY 1 ORDER BY n DESC, 1 LIMIT 20');
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

/**
 * ms from a view's `setSourceClauses` (what a chart calls when its brush or pick moves) to
 * every view's result applied and one frame painted, per interaction. The step's filters become
 * clauses (crossfilter-clauses.ts) and only the sources whose clauses changed are replaced, one
 * call each, as on screen: a step moves one view, so the interaction cache sees one moving
 * source. A step that changes nothing (clearing an empty filter) still re-sets its view, which
 * re-runs the views as a repeated click would.
 */
export interface InteractionTiming {
  kind: string;
  ms: number;
  matching: number;
  /** the controller's own split of the settled refresh (dashboard-controller lastRefreshTimings) */
  columnsMs?: number | null;
  sqlViews?: number;
  sqlMs?: number;
  positionsMs?: number;
}

export async function runInteractions(page: Page, seq: readonly Interaction[]): Promise<InteractionTiming[]> {
  const out: InteractionTiming[] = [];
  for (const step of seq) {
    const r = await page.evaluate(
      async ({ filters, kindSource }) => {
        const store = await window.__callsight!.load!('/src/state/dashboard-store.ts') as PageModule;
        const controller = await window.__callsight!.load!('/src/state/dashboard-controller.ts') as PageModule;
        const { clausesOfCubeFilters } = await window.__callsight!.load!('/scripts/bench/crossfilter-clauses.ts') as PageModule;
        type C = { source: string; spec: unknown };
        const next = clausesOfCubeFilters(filters) as C[];
        const current = store.getSelection().clauses() as C[];
        // (no named functions in here: tsx's keepNames would wrap them in a helper the page lacks)
        const bySource = new Map<string, [string, string]>();
        for (const [i, list] of [next, current].entries())
          for (const c of list) {
            const entry = bySource.get(c.source) ?? ['', ''];
            entry[i] += `${JSON.stringify(c.spec)};`;
            bySource.set(c.source, entry);
          }
        const moved = [...bySource].filter(([, [a, b]]) => a !== b).map(([source]) => source);
        if (moved.length === 0) moved.push(kindSource);
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
        for (const s of moved)
          store.setSourceClauses(
            s,
            next.filter((c) => c.source === s),
          );
        await settled;
        await new Promise((res) => requestAnimationFrame(() => res(null)));
        const split = controller.lastRefreshTimings?.() as { generation: number; columnsMs: number | null; sqlViews: number; sqlMs: number; positionsMs: number } | null;
        const mine = split && split.generation === store.getDashboard().generation ? split : null;
        return {
          ms: performance.now() - t,
          matching: store.getDashboard().results?.count ?? -1,
          error: store.getDashboard().error as string | null,
          ...(mine ? { columnsMs: mine.columnsMs, sqlViews: mine.sqlViews, sqlMs: mine.sqlMs, positionsMs: mine.positionsMs } : {}),
        };
      },
      { filters: step.filters, kindSource: SOURCE_OF_STEP[step.kind] },
    );
    if (r.error) throw new Error(`cross-filter step ${out.length + 1} (${step.kind}) failed in the app: ${r.error}`);
    const { error: _e, ...timing } = r;
    out.push({ kind: step.kind, ...timing });
  }
  return out;
}

// The view a step's brush or pick belongs to (a clear re-sets the time series when nothing moved).
const SOURCE_OF_STEP: Record<Interaction['kind'], string> = {
  hours: VIEW_IDS.heatmap,
  types: VIEW_IDS.typeBars,
  'map-area': VIEW_IDS.map,
  period: VIEW_IDS.timeSeries,
  clear: VIEW_IDS.timeSeries,
};

export interface CapturedQuery {
  view: string;
  text: string;
  params: unknown[];
  ms: number;
  rows: number;
}

/**
 * The SQL each view runs for a step's selection, one statement after another on the app's own
 * DuckDB through a timing wrapper: each statement's text, parameters and in-tab time, for the
 * native replay of the same SQL. These are the raw view queries (viewQuery in
 * src/state/view-clients.ts, with the controller's tier map and population context, plus the
 * map positions), i.e. what the interaction cache runs when no cube answers: the work the
 * engines are compared on, not the cache's shortcuts.
 */
export async function captureViewQueries(page: Page, filters: DashboardFilters): Promise<CapturedQuery[]> {
  return page.evaluate(async (f) => {
    const { getDb } = await window.__callsight!.load!('/src/state/db.ts') as PageModule;
    const { Selection } = await window.__callsight!.load!('/src/state/selection.ts') as PageModule;
    const { VIEW_IDS: V, viewQuery } = await window.__callsight!.load!('/src/state/view-clients.ts') as PageModule;
    const { locatedPoints } = await window.__callsight!.load!('/src/data/queries/views.ts') as PageModule;
    const { getDashboard } = await window.__callsight!.load!('/src/state/dashboard-store.ts') as PageModule;
    const { getSession } = await window.__callsight!.load!('/src/state/session-store.ts') as PageModule;
    const { populationOf } = await window.__callsight!.load!('/src/state/triage-report.ts') as PageModule;
    const { clausesOfCubeFilters } = await window.__callsight!.load!('/scripts/bench/crossfilter-clauses.ts') as PageModule;
    const db = await getDb();
    const selection = new Selection();
    selection.replaceAll(clausesOfCubeFilters(f));
    const { tierMap } = getDashboard();
    const population = populationOf(getSession().areaFeatures ?? []);
    const ctx = { ...(tierMap ? { tierMap } : {}), ...(Object.keys(population).length > 0 ? { population } : {}) };
    const captured: { view: string; text: string; params: unknown[]; ms: number; rows: number }[] = [];
    // Same view names as earlier results.json files, so per-view figures stay comparable.
    // (no named functions in here: tsx's keepNames would wrap them in a helper the page lacks)
    const statements: [string, { text: string; params: unknown[] }][] = [
      ...(
        [
          ['count', V.total],
          ['hour-of-week', V.heatmap],
          ['daily', V.timeSeries],
          ['types', V.typeBars],
          ['areas', V.areaTable],
        ] as [string, string][]
      ).map(([name, id]): [string, { text: string; params: unknown[] }] => [name, viewQuery(id, ctx)(selection.predicate(id), selection)]),
      ['map-positions', locatedPoints({ where: selection.predicate(V.total) })],
    ];
    for (const [view, s] of statements) {
      const t = performance.now();
      const r = await db.query(s);
      captured.push({ view, text: s.text, params: [...s.params], ms: performance.now() - t, rows: r.numRows });
    }
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
  /** longest gap between animation frames on the main thread from the first statement to the results */
  maxFrameGapMs: number;
  /** both again on the same selection: the per-selection cache */
  reopenMs: number;
  captured: CapturedQuery[];
}

/**
 * Hot spots and repeat clusters as the app runs them (dashboard-controller onChange starts both
 * at once): hotspotCells and repeatClusters with the session's areas and transit sites, the
 * pipelines in analysis workers. SQL per step is the sum of its statements; "worker" is the
 * rest of that step (waiting for the other step's statements on the single DuckDB worker
 * included). reopenMs: both again on the same selection (the per-selection cache).
 */
export async function analysisInApp(page: Page): Promise<AnalysisTiming> {
  return page.evaluate(async () => {
    const { getDb } = await window.__callsight!.load!('/src/state/db.ts') as PageModule;
    const { hotspotCells } = await window.__callsight!.load!('/src/state/hotspot-cells.ts') as PageModule;
    const { repeatClusters } = await window.__callsight!.load!('/src/state/repeat-clusters-run.ts') as PageModule;
    const { findHubs } = await window.__callsight!.load!('/src/analysis/hubs.ts') as PageModule;
    const { sql } = await window.__callsight!.load!('/src/data/sql.ts') as PageModule;
    const { getSession } = await window.__callsight!.load!('/src/state/session-store.ts') as PageModule;
    const db = await getDb();
    const captured: { view: string; text: string; params: unknown[]; ms: number; rows: number }[] = [];
    const timedAs = (view: string) => ({
      ...db,
      query: async (s: string | { text: string; params: unknown[] }) => {
        const t = performance.now();
        const r = await db.query(s);
        captured.push({ view, text: typeof s === 'string' ? s : s.text, params: typeof s === 'string' ? [] : [...s.params], ms: performance.now() - t, rows: r.numRows });
        return r;
      },
    });
    const cellsDb = timedAs('hotspot-cells');
    const candidatesDb = timedAs('cluster-candidates');
    const feed = getSession().transit as { stops: { id: string; name: string; lon: number; lat: number }[] } | null;
    const hubs = feed ? (findHubs(feed).hubs as { id: string; name: string; lon: number; lat: number }[]).map((h) => ({ id: h.id, name: h.name, lon: h.lon, lat: h.lat })) : [];
    const stops = (feed?.stops ?? []).map((s) => ({ id: s.id, name: s.name, lon: s.lon, lat: s.lat }));
    let maxGap = 0;
    let watching = true;
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      if (watching) requestAnimationFrame(tick);
    };
    const sqlMs = (view: string) => captured.filter((q) => q.view === view).reduce((n, q) => n + q.ms, 0);
    try {
      last = performance.now();
      requestAnimationFrame(tick);
      const t0 = performance.now();
      let hotEnd = 0;
      let clusterEnd = 0;
      // in the order dashboard-controller onChange starts them: clusters, then hot spots
      const [clusters, hot] = await Promise.all([
        repeatClusters(candidatesDb, sql`TRUE`, { hubs, stops }).then((r: { clusters: unknown[] }) => {
          clusterEnd = performance.now();
          return r;
        }),
        hotspotCells(cellsDb, sql`TRUE`).then((r: { cells: unknown[] }) => {
          hotEnd = performance.now();
          return r;
        }),
      ]);
      const t1 = performance.now();
      // one more frame so a long task right after the results lands in the gap
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const gapMs = maxGap;
      const r0 = performance.now();
      await Promise.all([repeatClusters(candidatesDb, sql`TRUE`, { hubs, stops }), hotspotCells(cellsDb, sql`TRUE`)]);
      const reopenMs = performance.now() - r0;
      const cellQueryMs = sqlMs('hotspot-cells');
      const candidateQueryMs = sqlMs('cluster-candidates');
      return {
        cellQueryMs,
        hotspotsWorkerMs: hotEnd - t0 - cellQueryMs,
        cells: hot.cells.length,
        candidateQueryMs,
        clustersWorkerMs: clusterEnd - t0 - candidateQueryMs,
        // the candidate statement is the last of its step (matched kinds first)
        candidates: captured.filter((q) => q.view === 'cluster-candidates').at(-1)?.rows ?? 0,
        clusters: clusters.clusters.length,
        totalMs: t1 - t0,
        maxFrameGapMs: gapMs,
        reopenMs,
        captured,
      };
    } finally {
      watching = false;
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
