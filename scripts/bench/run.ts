/**
 * npm run bench [-- --quick | --sizes 100k,1m,5m | --sizes none (start-up and bundle only) | --archive [--archive-reuse] | --skip-start | --skip-analysis | --formats parquet | --server build|dev | --report-only]
 * Generates seeded demo-city datasets (cache outside git), loads each in the real app in
 * headless Chromium and in native DuckDB, and writes tests/bench/results.json plus the
 * README's Performance section. --quick: 100k only, no production build (a few minutes). --archive: also the
 * 20M-row prepare-archive benchmark and the app loading a date range of it (slow; opt-in);
 * --archive-reuse times only the in-app load on the archive an earlier --archive run left in the cache.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type BenchSession, startBenchApp, warmStart } from './app-session';
import { allMonthsInApp, benchArchive } from './archive';
import { analysisInApp, captureViewQueries, heapAndDuckDb, importInApp, interactionContext, runInteractions, sqlInPage } from './browser';
import { measureBundle } from './bundle';
import { REPO_ROOT, sizeLabel } from './cache';
import { ensureDataset } from './generate';
import { interactionSequence, quantile } from './interactions';
import { memorySampler } from './memory';
import { NOTES } from './notes';
import { nativeAreas, nativeLoad, openNative, replay } from './native';
import { type Json, RESULTS_PATH, type Results, type SizeResult, writeResults } from './report';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    archive: { type: 'boolean', default: false },
    'archive-rows': { type: 'string', default: '20000000' },
    // time only the in-app range load on an archive an earlier --archive run prepared
    'archive-reuse': { type: 'boolean', default: false },
    'skip-start': { type: 'boolean', default: false },
    // cross-filter work: leave out the hot spots + clusters step (minutes at 1M, not what is being tuned)
    'skip-analysis': { type: 'boolean', default: false },
    // which app the dataset sizes run against: the production build (what a static host
    // serves; React in production mode) or the dev server (React's dev checks, unbundled modules)
    // (--quick defaults to dev: no build, to stay within its few minutes)
    server: { type: 'string' },
    interactions: { type: 'string', default: '60' },
    // rewrite the README tables and targets from results.json (e.g. after notes change), measure nothing
    'report-only': { type: 'boolean', default: false },
    // e.g. --formats parquet: a 5M CSV through the file input can hold the run for most of an hour
    formats: { type: 'string', default: 'parquet,csv' },
  },
});
const parseSize = (s: string) => {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
  if (!m) throw new Error(`--sizes: "${s}" is not a size; write e.g. 100k,1m,5m.`);
  return Math.round(Number(m[1]) * (m[2]!.toLowerCase() === 'm' ? 1e6 : m[2]!.toLowerCase() === 'k' ? 1e3 : 1));
};
const sizes = values.quick ? [100_000] : values.sizes === 'none' ? [] : (values.sizes ?? '100k,1m,5m').split(',').map(parseSize);
const formats = new Set(values.formats.split(',').map((f) => f.trim().toLowerCase()));
for (const f of formats) if (f !== 'csv' && f !== 'parquet') throw new Error(`--formats: "${f}" is not csv or parquet.`);
const log = (s: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);
/** a stuck import is recorded as not finished instead of holding the run for half an hour */
const IMPORT_TIMEOUT_MS = (rows: number) => Math.max(240_000, rows * 0.6);
const round = (v: number) => Math.round(v * 10) / 10;
const pkg = (name: string) => (JSON.parse(readFileSync(path.join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

const server = values.server ?? (values.quick ? 'dev' : 'build');
if (server !== 'build' && server !== 'dev') throw new Error(`--server: "${server}" is not build or dev.`);
/** the production build the dataset sizes run against, made once per run */
let sizesBuildDir: string | null = null;
async function sizesBuild(): Promise<string | undefined> {
  if (server === 'dev') return undefined;
  if (sizesBuildDir) return sizesBuildDir;
  // With the test hooks (src/state/test-hooks.ts): the bench checks counts and drags map
  // areas through them. The initial-JS figure comes from measureBundle's own build without them.
  process.env.VITE_CALLSIGHT_TEST_HOOKS = '1';
  try {
    log('production build with test hooks for the dataset sizes');
    sizesBuildDir = (await measureBundle({ keep: true })).outDir!;
  } finally {
    delete process.env.VITE_CALLSIGHT_TEST_HOOKS;
  }
  return sizesBuildDir;
}

async function benchSize(rows: number): Promise<SizeResult> {
  const errors: string[] = [];
  const result: SizeResult = { rows, date: new Date().toISOString(), loadAverageAtStart: loadavg().map(round), errors };
  const d = await ensureDataset(rows, { log });
  result.files = { csvBytes: d.csvBytes, parquetBytes: d.parquetBytes, seed: d.seed, spanYears: d.spanYears };
  const native = await openNative();
  let s: BenchSession | null = null;
  try {
    log(`${rows}: native loads`);
    const nativeParquet = await nativeLoad(native, d, 'parquet');
    const nativeCsv = await nativeLoad(native, d, 'csv');
    result.native = { parquet: nativeParquet, csv: nativeCsv, version: native.version };
    log(`${rows}: starting the app`);
    const outDir = await sizesBuild();
    result.server = outDir ? 'production build (vite build with test hooks, vite preview)' : 'dev server';
    s = await startBenchApp(outDir ? { previewOutDir: outDir } : {});
    result.chromium = s.chromiumVersion;
    const mem = memorySampler(s.userDataDir);
    const browser: Json = {};
    result.browser = browser;
    const importFormat = async (fmt: 'csv' | 'parquet') => {
      mem.mark(`import-${fmt}`);
      log(`${rows}: importing ${fmt} in the app`);
      try {
        // The app may refuse the file or fail part-way (it says so in its alert region and stops
        // importing): stop waiting then instead of at the timeout.
        const before = await s!.page.evaluate(() => document.querySelector('[data-testid="alert"]')?.textContent ?? '');
        const gaveUp = s!.page
          .waitForFunction(
            (earlier) => {
              const alert = document.querySelector('[data-testid="alert"]')?.textContent ?? '';
              return alert && alert !== earlier && window.__callsight?.phase !== 'importing' && !document.querySelector('[data-testid="mapping-dialog"]') ? alert.replace(/Dismiss$/, '') : false;
            },
            before,
            { timeout: IMPORT_TIMEOUT_MS(rows), polling: 1000 },
          )
          .then(async (h) => {
            throw new Error(`the app said: ${String(await h.jsonValue())}`);
          });
        gaveUp.catch(() => {});
        const t = await Promise.race([importInApp(s!, fmt === 'csv' ? d.csv : d.parquet, rows, IMPORT_TIMEOUT_MS(rows)), gaveUp]);
        browser[fmt] = { ...t, callsPerSecond: Math.round((rows / t.firstMapMs) * 1000) };
      } catch (e) {
        const state = await s!.page.evaluate(() => JSON.stringify({ phase: window.__callsight?.phase, counts: window.__callsight?.counts })).catch(() => '?');
        // The app's own sentence (why it refused or failed) is the finding: keep all of it.
        errors.push(`${fmt} import did not finish (${String(e).split('\n')[0]!.slice(0, 700)}); app state ${state}`);
      }
    };
    // Parquet first: the dashboard measurements run on it; CSV (slower, riskier) last.
    if (formats.has('parquet')) await importFormat('parquet');
    if (formats.has('parquet') && !browser.parquet) {
      // Refused or failed as one file: the same calls as an archive of months, every month chosen.
      log(`${rows}: the Parquet file did not load; trying every month of it as an archive`);
      browser.parquetAllMonths = await allMonthsInApp(d.parquet, `${sizeLabel(rows)}-y${d.spanYears}`, log).catch((e: unknown) => ({ error: String(e).split('\n')[0]!.slice(0, 400) }));
    }
    const native1 = nativeParquet.totalMs;
    const loadRatio = () => ({
      csv: browser.csv ? (browser.csv as { firstMapMs: number }).firstMapMs / nativeCsv.totalMs : null,
      parquet: browser.parquet ? (browser.parquet as { firstMapMs: number }).firstMapMs / native1 : null,
      note: 'tab: file chosen → mapping review → import (staging, parsing, de-duplication, area assignment) → map and every view drawn; native: read the same file + build the canonical calls table',
    });
    // A tab that ran out of memory on import leaves nothing to measure: record that and move on.
    const loadedRows = Number(await s.page.evaluate(() => window.__callsight?.counts.input ?? 0).catch(() => 0));
    if (loadedRows !== rows) errors.push(`dashboard measurements skipped: the tab holds ${loadedRows} of ${rows} calls`);
    else
      try {
        mem.mark('cross-filter');
        await nativeAreas(native, await sqlInPage(s.page, 'SELECT area_id, name, area_km2 FROM areas'));
        const ctx = await interactionContext(s.page);
        const seq = interactionSequence(ctx, Number(values.interactions));
        log(`${rows}: ${seq.length} cross-filter interactions`);
        try {
          const steps = await runInteractions(s.page, seq);
          const sorted = steps.map((x) => x.ms).sort((a, b) => a - b);
          const byKind: Json = {};
          for (const k of new Set(steps.map((x) => x.kind))) {
            const ks = steps.filter((x) => x.kind === k).map((x) => x.ms).sort((a, b) => a - b);
            byKind[k] = { n: ks.length, p50Ms: round(quantile(ks, 0.5)), p95Ms: round(quantile(ks, 0.95)) };
          }
          result.crossFilter = {
            n: steps.length,
            p50Ms: round(quantile(sorted, 0.5)),
            p95Ms: round(quantile(sorted, 0.95)),
            maxMs: round(sorted[sorted.length - 1]!),
            byKind,
            // per step, in order: total ms and the controller's split (typed-array pass, interaction-cache SQL, positions query)
            perInteraction: steps.map((x) => ({ ...x, ms: round(x.ms), ...(x.columnsMs != null ? { columnsMs: round(x.columnsMs) } : {}), ...(x.sqlMs != null ? { sqlMs: round(x.sqlMs) } : {}), ...(x.positionsMs != null ? { positionsMs: round(x.positionsMs) } : {}) })),
            measuredAs: "dashboard-store setSourceClauses for the view the step moves (what the charts call) → every view's result applied through the interaction cache (generation settled) → one animation frame",
          };
        } catch (e) {
          result.crossFilter = { error: String(e).slice(0, 400) };
          errors.push(`cross-filter: ${String(e).slice(0, 400)}`);
        }
        mem.mark('view-sql');
        log(`${rows}: view SQL in the tab vs native`);
        const captured = [];
        for (const step of seq.slice(0, 12)) captured.push(...(await captureViewQueries(s.page, step.filters)));
        const replayed = await replay(native, captured);
        const perView: Json = {};
        for (const v of new Set(replayed.map((q) => q.view))) {
          const qs = replayed.filter((q) => q.view === v);
          const b = qs.reduce((n, q) => n + q.ms, 0);
          const nat = qs.reduce((n, q) => n + q.nativeMs, 0);
          perView[v] = { statements: qs.length, browserMs: round(b), nativeMs: round(nat), ratio: round((b / nat) * 100) / 100 };
        }
        const bTotal = replayed.reduce((n, q) => n + q.ms, 0);
        const nTotal = replayed.reduce((n, q) => n + q.nativeMs, 0);
        result.viewSql = { statements: replayed.length, interactions: 12, browserMs: round(bTotal), nativeMs: round(nTotal), ratio: round((bTotal / nTotal) * 100) / 100, perView, rowMismatches: replayed.filter((q) => q.rows !== q.nativeRows).map((q) => ({ view: q.view, tab: q.rows, native: q.nativeRows })).slice(0, 5) };
        mem.mark('analysis');
        if (!values['skip-analysis']) log(`${rows}: hot spots and clusters`);
        if (!values['skip-analysis']) try {
          const a = await analysisInApp(s.page);
          const r = await replay(native, a.captured);
          const { captured: _c, ...rest } = a;
          result.analysis = { ...rest, sqlBrowserMs: round(r.reduce((n, q) => n + q.ms, 0)), sqlNativeMs: round(r.reduce((n, q) => n + q.nativeMs, 0)), callsPerSecond: Math.round((rows / a.totalMs) * 1000) };
        } catch (e) {
          errors.push(`analysis: ${String(e).slice(0, 400)}`);
        }
      } catch (e) {
        errors.push(`dashboard measurements stopped: ${String(e).split('\n')[0]!.slice(0, 400)}`);
      }
    const heap = await heapAndDuckDb(s).catch(() => null);
    if (formats.has('csv')) await importFormat('csv');
    result.loadRatio = loadRatio();
    const peaks = mem.stop();
    result.memory = {
      peakRendererBytes: Math.max(...Object.values(peaks).map((p) => p.rendererBytes)),
      peakAllChromiumBytes: Math.max(...Object.values(peaks).map((p) => p.totalBytes)),
      byPhase: peaks,
      ...(heap ?? {}),
      note: 'renderer RSS (page + DuckDB worker + wasm heap + analysis worker), sampled every 250 ms from /proc; JS heap of the main thread from CDP Performance.getMetrics; DuckDB bytes from duckdb_memory()',
    };
  } finally {
    await s?.close();
    native.close();
  }
  return result;
}

async function main(): Promise<void> {
  if (values['report-only']) {
    const last = JSON.parse(readFileSync(RESULTS_PATH, 'utf8')) as Results;
    writeResults({ ...last, notes: NOTES });
    log('rewrote tests/bench/README-performance.md and the README Performance section from results.json');
    return;
  }
  const started = new Date().toISOString();
  const results: Results = {
    date: started,
    mode: values.quick ? 'quick' : 'full',
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryBytes: totalmem(),
      node: process.version,
      chromium: 'unknown',
      duckdbWasm: `${pkg('@duckdb/duckdb-wasm')} (DuckDB 1.4.3)`,
      duckdbNative: `@duckdb/node-api ${pkg('@duckdb/node-api')}`,
      loadAverage: loadavg().map(round),
    },
    sizes: [],
  };
  // --quick keeps to 100k and skips the production build (minutes on a busy machine); the
  // last full run's start-up and bundle figures stay in results.json.
  if (!values['skip-start'] && !values.quick) {
    log('initial JS (vite build) and start-up');
    const bundle = await measureBundle({ keep: true });
    const { outDir, ...size } = bundle;
    results.bundle = size;
    const dev = await startBenchApp();
    (results.machine as Json).chromium = dev.chromiumVersion;
    const devWarm = await warmStart(dev.page);
    await dev.close();
    const prod = await startBenchApp({ previewOutDir: outDir! });
    const previewWarm = await warmStart(prod.page);
    await prod.close();
    rmSync(outDir!, { recursive: true, force: true });
    results.startup = { devCold: dev.coldStart, devWarm, previewCold: prod.coldStart, previewWarm, note: 'cold: server start → first map (MapLibre idle + a deck.gl frame that drew the demo areas and routes); callsDrawnMs: first frame with the demo calls; warm: page reload on the running server. readyMs: demo calls drawn and every view settled.' };
  }
  for (const rows of sizes) {
    const r = await benchSize(rows);
    results.sizes.push(r);
    // written after every size: a long 5M run that dies still leaves the smaller figures
    writeResults(results);
    log(`${rows}: ${JSON.stringify({ crossFilter: r.crossFilter, loadRatio: r.loadRatio, errors: r.errors })}`);
  }
  if (sizesBuildDir) rmSync(sizesBuildDir, { recursive: true, force: true });
  const seen = results.sizes.find((x) => typeof x.chromium === 'string');
  if (seen && (results.machine as Json).chromium === 'unknown') (results.machine as Json).chromium = seen.chromium;
  if (values.archive) {
    const previous = existsSync(RESULTS_PATH) ? ((JSON.parse(readFileSync(RESULTS_PATH, 'utf8')) as Results).archive as Json | undefined) : undefined;
    results.archive = await benchArchive(Number(values['archive-rows']), log, { reuse: values['archive-reuse'], ...(previous ? { previous } : {}) });
  }
  results.notes = NOTES;
  writeResults(results);
  log(`wrote tests/bench/results.json and tests/bench/README-performance.md`);
}



main().catch((e) => {
  console.error(e);
  process.exit(1);
});
