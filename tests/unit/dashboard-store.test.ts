/**
 * The dashboard's one Selection as the store holds it: a view's brush replaces only its own
 * clauses, the older filter shape (bench, triage e2e) maps onto clauses that count exactly the
 * calls the old WHERE counted (real DuckDB, seeded random filters), the shareable view state
 * round-trips through url.ts, and the playback's week steps and the area ranking's sort.
 */
import { randomLcg } from 'd3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sortAreas } from '../../src/charts/area-table';
import { layoutLines } from '../../src/charts/type-bars';
import type { Db } from '../../src/data/db-types';
import { type CubeFilters, cubeFiltersWhere } from '../../src/data/queries/cube-index';
import { scalar } from '../../src/data/rows';
import { type Sql, sql } from '../../src/data/sql';
import { hoursClause, timeClause, typesClause, weekdaysClause } from '../../src/state/clauses';
import { DEFAULT_LAYERS, getDashboard, getSelection, setFilters, setSourceClauses, updateDashboard } from '../../src/state/dashboard-store';
import { applyViewState, currentViewState, layersFromView, layersToView } from '../../src/state/dashboard-view';
import { parseViewState, serializeViewState } from '../../src/state/url';
import { weekStarts } from '../../src/ui/playback';
import { openTestDb } from '../engine';

const sel = getSelection();
beforeEach(() => sel.replaceAll([]));

describe('setSourceClauses', () => {
  it('swaps one view’s clauses in place, in one notification, leaving the others', () => {
    sel.replaceAll([timeClause('time-series', '2026-07-01', '2026-08-01'), weekdaysClause('heatmap', [0, 1]), typesClause('type-bars', ['A'])]);
    let notified = 0;
    const off = sel.subscribe(() => notified++);
    setSourceClauses('heatmap', [hoursClause('heatmap', 20, 2)]);
    off();
    expect(notified).toBe(1);
    expect(sel.clauses().map((c) => `${c.source}:${c.spec.kind}`)).toEqual(['time-series:time', 'heatmap:hours', 'type-bars:types']);
    expect(getDashboard().clauses.map((c) => c.id)).toEqual(['time', 'hours', 'types']);
    setSourceClauses('heatmap', []);
    expect(sel.clauses().map((c) => c.source)).toEqual(['time-series', 'type-bars']);
  });
});

describe('the older filter shape on the Selection (bench and triage e2e drivers)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
    // 3,000 deterministic calls over 13 weeks, 12 types, 5 areas + some outside every area
    await db.query(`CREATE TABLE calls AS SELECT call_id, received_at, (isodow(received_at) - 1)::INTEGER AS dow, hour(received_at)::INTEGER AS hour,
        code AS type_code, 'Text of ' || code AS type_text, area_id, lon, lat FROM (
      SELECT i::VARCHAR AS call_id, TIMESTAMP '2026-06-29' + to_seconds((hash(i) % 7862400)::BIGINT) AS received_at,
        'T' || (hash(i * 7) % 12)::VARCHAR AS code,
        CASE WHEN hash(i * 3) % 10 = 0 THEN NULL ELSE 'A' || (hash(i * 3) % 5)::VARCHAR END AS area_id,
        -89.6 + (hash(i * 11) % 1000) / 10000.0 AS lon, 35.4 + (hash(i * 13) % 1000) / 10000.0 AS lat
      FROM range(3000) t(i))`);
    updateDashboard({ typeNames: new Map(Array.from({ length: 12 }, (_, k) => [`T${k}`, `Text of T${k}`])) });
  });
  afterAll(async () => db?.close());

  const count = async (where: Sql) => scalar(await db.query(sql`SELECT count(*) FROM calls WHERE ${where}`));

  it('counts exactly the calls the one-slot-per-view WHERE counted (40 seeded filters)', async () => {
    const rnd = randomLcg(20261126);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    let nonEmpty = 0;
    for (let k = 0; k < 40; k++) {
      const dowFrom = int(0, 6);
      const start = int(0, 80);
      const day = (d: number) => new Date(Date.UTC(2026, 5, 29 + d)).toISOString().slice(0, 10);
      const f: CubeFilters = {
        dates: rnd() < 0.5 ? [day(start), day(start + int(1, 20))] : null,
        hourOfWeek: rnd() < 0.6 ? { dowFrom, dowTo: int(dowFrom, 6), hourFrom: int(0, 23), hourTo: int(0, 23) } : null,
        types: rnd() < 0.5 ? Array.from({ length: int(1, 3) }, () => `Text of T${int(0, 11)}`) : [],
        areas: rnd() < 0.3 ? [`A${int(0, 4)}`] : [],
        bbox: rnd() < 0.3 ? [-89.6 + rnd() * 0.05, 35.4 + rnd() * 0.05, -89.54 + rnd() * 0.04, 35.46 + rnd() * 0.04] : null,
      };
      setFilters(f);
      const expected = await count(cubeFiltersWhere(f));
      expect(await count(sel.predicate(null)), JSON.stringify(f)).toBe(expected);
      if (expected > 0 && expected < 3000) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(12);
  });

  it('a type text no call carries adds no clause rather than hiding every call', () => {
    setFilters({ types: ['No such type'] });
    expect(sel.clauses()).toEqual([]);
    setFilters({ types: ['Text of T3'] });
    expect(sel.clauses().map((c) => c.spec)).toEqual([{ kind: 'types', codes: ['T3'] }]);
  });
});

describe('the shareable view state', () => {
  it('layers round-trip through the link words, opacity kept', () => {
    const mine = { ...DEFAULT_LAYERS, calls: { visible: true, opacity: 0.4, mode: 'density' as const }, hotspots: { visible: true, opacity: 0.5 }, areas: { visible: true, opacity: 1, choropleth: 'change' as const } };
    const v = layersToView(mine);
    expect(v.areaFill).toBe('change');
    expect(v.layers).toMatchObject({ density: true, hotspots: true, clusters: false, stops: true });
    // the link carries what is shown, not how strongly: opacities stay as this analyst has them
    expect(layersFromView(v, DEFAULT_LAYERS)).toEqual({
      ...DEFAULT_LAYERS,
      calls: { ...DEFAULT_LAYERS.calls, mode: 'density' },
      hotspots: { ...DEFAULT_LAYERS.hotspots, visible: true },
      areas: { ...DEFAULT_LAYERS.areas, choropleth: 'change' },
    });
    expect(layersFromView(layersToView(DEFAULT_LAYERS), mine).calls.mode).toBe('auto');
  });

  it('the selection and layers survive serialise → parse → apply', () => {
    sel.replaceAll([timeClause('time-series', '2026-07-01', '2026-07-08'), weekdaysClause('heatmap', [0, 1, 2, 3, 4]), hoursClause('heatmap', 20, 2), typesClause('type-bars', ['<img src=x onerror=alert(1)>', null])]);
    updateDashboard({ layers: { ...DEFAULT_LAYERS, hotspots: { visible: true, opacity: 0.85 }, areas: { ...DEFAULT_LAYERS.areas, choropleth: 'rate' } } });
    const before = currentViewState({ lon: -89.6, lat: 35.45, zoom: 13 });
    const specs = sel.clauses().map((c) => c.spec);
    sel.replaceAll([]);
    updateDashboard({ layers: DEFAULT_LAYERS });
    const { state, messages } = parseViewState(serializeViewState(before));
    expect(messages).toEqual([]);
    expect(applyViewState(state)).toEqual([]);
    // a link lists filters by kind, so the order may change; the set of specs and their owners may not
    const byKind = <T extends { kind: string }>(list: T[]) => [...list].sort((a, b) => a.kind.localeCompare(b.kind));
    expect(byKind(sel.clauses().map((c) => c.spec))).toEqual(byKind(specs));
    expect(Object.fromEntries(sel.clauses().map((c) => [c.spec.kind, c.source]))).toEqual({ time: 'time-series', weekdays: 'heatmap', hours: 'heatmap', types: 'type-bars' });
    expect(getDashboard().layers.hotspots.visible).toBe(true);
    expect(getDashboard().layers.areas.choropleth).toBe('rate');
    expect(state.camera).toEqual({ lon: -89.6, lat: 35.45, zoom: 13 });
  });
});

describe('playback steps', () => {
  it('covers the data span in 7-day steps', () => {
    expect(weekStarts({ start: '2026-06-29', end: '2026-09-28' })).toHaveLength(13);
    expect(weekStarts({ start: '2026-06-29', end: '2026-07-07' })).toEqual(['2026-06-29', '2026-07-06']);
  });
});

describe('area ranking sort and tier groups', () => {
  const rows = [
    { area_id: 'a', area_name: 'Alpha', n: 10, change_pct: 50, previous_complete: true, per_1000: null, per_km2: 4 },
    { area_id: 'b', area_name: 'beta', n: 30, change_pct: -20, previous_complete: true, per_1000: null, per_km2: 2 },
    { area_id: 'c', area_name: 'Gamma', n: 20, change_pct: null, previous_complete: true, per_1000: null, per_km2: null },
    { area_id: null, area_name: null, n: 5, change_pct: 80, previous_complete: false, per_1000: null, per_km2: null },
  ];
  it('sorts by calls, rate and change; missing values last either way', () => {
    const ids = (key: 'area' | 'n' | 'rate' | 'change', descending: boolean) => sortAreas(rows, { key, descending }).map((r) => r.area_id);
    expect(ids('n', true)).toEqual(['b', 'c', 'a', null]);
    expect(ids('n', false)).toEqual([null, 'a', 'c', 'b']);
    expect(ids('rate', true)).toEqual(['a', 'b', 'c', null]);
    expect(ids('rate', false)).toEqual(['b', 'a', 'c', null]);
    // an incomplete previous period is no change at all, not +80 %
    expect(ids('change', true)).toEqual(['a', 'b', 'c', null]);
    expect(ids('area', false)).toEqual(['a', 'b', 'c', null]);
  });

  it('groups bars under their main tier, each group with its total', () => {
    const row = (code: string, byTier: [string, number][]) => ({ code, text: code, n: byTier.reduce((s, [, n]) => s + n, 0), byTier: byTier as never });
    const lines = layoutLines([row('A', [['3', 9]]), row('B', [['1', 2], ['2', 5]]), row('C', [['1', 4]]), row('D', [['unknown', 1]])], 12, true);
    expect(lines.map((l) => (l.kind === 'group' ? `${l.tier}:${l.n}` : l.kind === 'bar' ? l.row.code : 'rest'))).toEqual(['1:4', 'C', '2:7', 'B', '3:9', 'A', 'unknown:1', 'D']);
    expect(layoutLines([row('A', [['unknown', 3]])], 12, true).map((l) => l.kind)).toEqual(['bar']);
  });
});
