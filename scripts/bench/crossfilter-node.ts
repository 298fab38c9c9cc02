/**
 * Cross-filter latency in duckdb-wasm's node build (the engine the tab runs, without the
 * worker round trips and the map): the scripted interaction sequence of interactions.ts on the
 * generated 100k / 1M-call cities, every view (total, heatmap, time series, type bars, area
 * table) until all have answered, three ways:
 *   raw     each view's SQL (views.ts via viewQuery) one after another, as the controller does;
 *   clicks  the interaction cache on the same sequence (each step a new source: batched + memo,
 *           cubes only from a source's second change in a row);
 *   drags   every step played as a drag of --frames positions of the same source ending on the
 *           scripted value, the cache told which source moves (cubes from the first frame),
 *           against the raw SQL on the same frames.
 * The map's point layer (every matching lon/lat) is not a cube view and is left out of both.
 *   columns the typed-array columns (src/state/call-columns.ts) read once, then every view
 *           (and the map's points) from one pass per step, as the tab's controller does.
 *
 *   nice -n 19 npx tsx scripts/bench/crossfilter-node.ts [--rows 100000,1000000] [--steps 60] [--frames 6] [--drag-steps 20] [--batch]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TierMap } from '../../src/analysis/tiers';
import { openNodeDb } from '../../src/data/db-node';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { loadAreas } from '../../src/data/load-geo';
import { toRows } from '../../src/data/rows';
import type { ColumnMapping } from '../../src/data/types';
import type { Clause } from '../../src/state/clauses';
import { loadCallColumns, loadTierColumn, selectionViews } from '../../src/state/call-columns';
import { createInteractionCache, DASHBOARD_VIEWS } from '../../src/state/interaction-cache';
import { Selection } from '../../src/state/selection';
import { VIEW_IDS, type ViewContext, viewQuery } from '../../src/state/view-clients';
import { REPO_ROOT } from './cache';
import { clausesOfCubeFilters } from './crossfilter-clauses';
import { ensureDataset } from './generate';
import { type Interaction, type InteractionContext, interactionSequence, quantile } from './interactions';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
};
const SIZES = arg('rows', '100000,1000000').split(',').map(Number);
const STEPS = Number(arg('steps', '60'));
const FRAMES = Number(arg('frames', '6'));
const DRAG_STEPS = Number(arg('drag-steps', '20'));
/** all reads of a run as one statement (InteractionCacheOptions.batch) */
const BATCH = process.argv.includes('--batch');

const SOURCE: Record<Interaction['kind'], string> = { hours: VIEW_IDS.heatmap, types: VIEW_IDS.typeBars, 'map-area': VIEW_IDS.map, period: VIEW_IDS.timeSeries, clear: '' };
type Filters = Interaction['filters'];

const addDays = (iso: string, d: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + d * 86_400_000).toISOString().slice(0, 10);

/** Intermediate positions of the step's source, ending on the scripted value (a drag or a run of clicks). */
function frames(step: Interaction, ctx: InteractionContext, k: number): Filters[] {
  const f = step.filters;
  const out: Filters[] = [];
  for (let j = 1; j < k; j++) {
    const t = j / k;
    if (step.kind === 'hours' && f.hourOfWeek) {
      const span = (f.hourOfWeek.hourTo - f.hourOfWeek.hourFrom + 24) % 24;
      out.push({ ...f, hourOfWeek: { ...f.hourOfWeek, hourTo: (f.hourOfWeek.hourFrom + Math.round(span * t)) % 24 } });
    } else if (step.kind === 'period' && f.dates) {
      const days = Math.round((Date.parse(`${f.dates[1]}T00:00:00Z`) - Date.parse(`${f.dates[0]}T00:00:00Z`)) / 86_400_000);
      out.push({ ...f, dates: [f.dates[0], addDays(f.dates[0], Math.max(1, Math.round(days * t)))] });
    } else if (step.kind === 'types') {
      out.push({ ...f, types: ctx.types.slice(j % 6, (j % 6) + 1 + (j % 3)) });
    } else if (step.kind === 'map-area' && f.bbox) {
      const [w, s, e, n] = f.bbox;
      out.push({ ...f, bbox: [w, s, w + (e - w) * (0.3 + 0.7 * t), s + (n - s) * (0.3 + 0.7 * t)] });
    }
  }
  out.push(f);
  return out;
}

const stats = (ms: number[]) => {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: Math.round(quantile(s, 0.5)), p95: Math.round(quantile(s, 0.95)), max: Math.round(s.at(-1) ?? Number.NaN) };
};

async function loadCity(rows: number): Promise<{ db: Db; ctx: ViewContext; ictx: InteractionContext; loadMs: number }> {
  const demo = path.join(REPO_ROOT, 'data/demo');
  const config = JSON.parse(readFileSync(path.join(demo, 'config.json'), 'utf8'));
  const { areas } = loadAreas({ name: 'areas.geojson', bytes: readFileSync(path.join(demo, 'areas.geojson')) }, { idProperty: 'area_id', nameProperty: 'name' });
  const d = await ensureDataset(rows, { log: console.log });
  const db = await openNodeDb({ memoryLimit: '6GB' });
  const t0 = performance.now();
  await importDataset(db, [{ name: path.basename(d.parquet), bytes: new Uint8Array(readFileSync(d.parquet)) }], { mapping: config.expectedMapping as ColumnMapping, areas });
  const loadMs = performance.now() - t0;
  const tierMap: TierMap = { version: 1, rules: Object.entries(config.tierMap as Record<string, { tier: 1 | 2 | 3 }>).map(([code, v]) => ({ typeCode: code, tier: v.tier })) };
  const ctx: ViewContext = { tierMap, population: Object.fromEntries(areas.map((a) => [a.id, Number(a.properties.population)])) };
  const types = toRows(await db.query('SELECT type_code AS t FROM calls WHERE type_code IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 20')).map((r) => String(r.t));
  const [b] = toRows(
    await db.query(`SELECT quantile_cont(lon, 0.01) AS w, quantile_cont(lat, 0.01) AS s, quantile_cont(lon, 0.99) AS e, quantile_cont(lat, 0.99) AS n,
      strftime(min(received_at), '%Y-%m-%d') AS lo, strftime(CAST(max(received_at) AS DATE) + INTERVAL 1 DAY, '%Y-%m-%d') AS hi FROM calls WHERE lon IS NOT NULL`),
  );
  const ictx: InteractionContext = { types, bbox: [Number(b!.w), Number(b!.s), Number(b!.e), Number(b!.n)], span: [String(b!.lo), String(b!.hi)] };
  return { db, ctx, ictx, loadMs };
}

async function rawAll(db: Db, s: Selection, ctx: ViewContext): Promise<number> {
  const t = performance.now();
  for (const id of DASHBOARD_VIEWS) await db.query(viewQuery(id, ctx)(s.predicate(id), s));
  return performance.now() - t;
}

async function benchSize(rows: number) {
  const { db, ctx, ictx, loadMs } = await loadCity(rows);
  console.log(`\n${rows.toLocaleString('en-US')} calls loaded through importDataset in ${(loadMs / 1000).toFixed(1)} s`);
  const seq = interactionSequence(ictx, STEPS);
  const states = seq.map((st) => clausesOfCubeFilters(st.filters));
  const set = (s: Selection, clauses: Clause[]) => s.replaceAll(clauses);

  // raw, the scripted clicks
  const s = new Selection();
  const raw: number[] = [];
  for (const c of states) {
    set(s, c);
    raw.push(await rawAll(db, s, ctx));
  }
  // cache, the same clicks (source inferred)
  const cache = createInteractionCache(db, { context: ctx, prefix: 'bench_clicks', batch: BATCH });
  const clicks: number[] = [];
  s.replaceAll([]);
  await cache.run(DASHBOARD_VIEWS, s);
  for (const c of states) {
    set(s, c);
    const t = performance.now();
    await cache.run(DASHBOARD_VIEWS, s);
    clicks.push(performance.now() - t);
  }
  const clickStats = cache.stats();
  await cache.dispose();

  // typed-array columns (src/state/call-columns.ts), what the tab's controller uses for every view when it can
  const tc = performance.now();
  const cols = await loadTierColumn(db, await loadCallColumns(db), ctx.tierMap);
  const columnsLoadMs = performance.now() - tc;
  const columnClicks: number[] = [];
  let columnMisses = 0;
  for (const c of states) {
    set(s, c);
    const t = performance.now();
    const v = selectionViews(cols, s, ctx);
    columnClicks.push(performance.now() - t);
    if (!v?.types || !v.areas || !v.series) columnMisses++;
  }
  const columnDrags: number[] = [];
  for (const step of seq.slice(0, DRAG_STEPS)) {
    for (const f of step.kind === 'clear' ? [step.filters] : frames(step, ictx, FRAMES)) {
      set(s, clausesOfCubeFilters(f));
      const t = performance.now();
      selectionViews(cols, s, ctx);
      columnDrags.push(performance.now() - t);
    }
  }

  // drags: the first DRAG_STEPS steps as FRAMES positions each
  const dragCache = createInteractionCache(db, { context: ctx, prefix: 'bench_drags', batch: BATCH });
  const dragRaw: number[] = [];
  const dragCached: number[] = [];
  const firstFrame: number[] = [];
  const laterFrames: number[] = [];
  /** later positions of cube-able drags (hours, types, period): what the cubes answer */
  const laterCubeFrames: number[] = [];
  const byKind: Record<string, number[]> = {};
  const cubeRows: { kind: string; cubes: number; rows: number; largest: number }[] = [];
  s.replaceAll([]);
  for (const step of seq.slice(0, DRAG_STEPS)) {
    const fs = step.kind === 'clear' ? [step.filters] : frames(step, ictx, FRAMES);
    for (const [j, f] of fs.entries()) {
      set(s, clausesOfCubeFilters(f));
      dragRaw.push(await rawAll(db, s, ctx));
      const t = performance.now();
      await dragCache.run(DASHBOARD_VIEWS, s, SOURCE[step.kind] || null);
      const ms = performance.now() - t;
      dragCached.push(ms);
      (j === 0 ? firstFrame : laterFrames).push(ms);
      if (j > 0 && step.kind !== 'map-area') laterCubeFrames.push(ms);
      if (j === fs.length - 1 && step.kind !== 'map-area' && step.kind !== 'clear') {
        // rows the cubes hold vs the rows each raw view scans: the work saved, without the machine's noise
        const [c] = toRows(await db.query(`SELECT count(*)::INTEGER AS k, coalesce(sum(estimated_size), 0)::BIGINT AS r, coalesce(max(estimated_size), 0)::BIGINT AS m FROM duckdb_tables() WHERE table_name LIKE 'bench_drags_c%'`));
        cubeRows.push({ kind: step.kind, cubes: Number(c!.k), rows: Number(c!.r), largest: Number(c!.m) });
      }
      byKind[step.kind] = [...(byKind[step.kind] ?? []), ms];
    }
  }
  const dragStats = dragCache.stats();
  await dragCache.dispose();
  await db.close();

  const line = (name: string, ms: number[]) => {
    const x = stats(ms);
    console.log(`  ${name.padEnd(44)} n=${String(x.n).padStart(4)}  p50 ${String(x.p50).padStart(6)} ms  p95 ${String(x.p95).padStart(6)} ms  max ${String(x.max).padStart(6)} ms`);
    return x;
  };
  console.log(`scripted sequence, ${STEPS} steps (every step a different source):`);
  const r = { raw: line('raw view SQL, one after another', raw), clicks: line('interaction cache (inferred source)', clicks) };
  console.log(`  cache: ${JSON.stringify(clickStats)}`);
  const col = { clicks: line('typed-array columns, every view', columnClicks), drags: line('typed-array columns, the drag frames', columnDrags) };
  console.log(`  columns read once in ${Math.round(columnsLoadMs)} ms; steps some view of which went to SQL: ${columnMisses}`);
  console.log(`drags: first ${DRAG_STEPS} steps × ${FRAMES} positions of the same source (clear = 1):`);
  const d = {
    raw: line('raw view SQL, one after another', dragRaw),
    cached: line('interaction cache (source given)', dragCached),
    first: line('  first position of a drag (builds cubes)', firstFrame),
    later: line('  later positions', laterFrames),
    laterCube: line('  later positions of hours/types/period drags', laterCubeFrames),
  };
  for (const [k, ms] of Object.entries(byKind)) line(`  ${k}`, ms);
  console.log(`  cache: ${JSON.stringify(dragStats)}`);
  const largest = cubeRows.map((c) => c.largest).sort((a, b) => a - b);
  console.log(
    `  cube tables after each drag (≤ 8 kept): largest cube p50 ${quantile(largest, 0.5)} rows, max ${largest.at(-1)} rows, vs ${rows.toLocaleString('en-US')} calls each raw view scans; per kind: ${JSON.stringify(cubeRows)}`,
  );
  return { rows, loadMs: Math.round(loadMs), clicks: r, drags: d, columns: { ...col, loadMs: Math.round(columnsLoadMs), misses: columnMisses }, largestCubeRows: { p50: quantile(largest, 0.5), max: largest.at(-1) } };
}

const results = [];
for (const n of SIZES) results.push(await benchSize(n));
console.log(`\n${JSON.stringify({ date: new Date().toISOString(), batch: BATCH, steps: STEPS, frames: FRAMES, dragSteps: DRAG_STEPS, results })}`);
