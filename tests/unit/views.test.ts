/**
 * Dashboard view queries on the real engine over the demo city (data/demo/calls.parquet through
 * importDataset): for combined filters every view adds up to the same total as a hand-written
 * COUNT, cross-filtering leaves each view's own clause out, and every generated query EXPLAINs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { booleanPointInPolygon, point, polygon } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TierMap } from '../../src/analysis/tiers';
import type { Db } from '../../src/data/db-types';
import { importDataset } from '../../src/data/import-dataset';
import { loadAreas } from '../../src/data/load-geo';
import { areaRanking, hourOfWeekCounts, timeSeries, totalCount, typeCounts } from '../../src/data/queries/views';
import { type Row, scalar, toRows } from '../../src/data/rows';
import { type Sql, sql } from '../../src/data/sql';
import { bboxClause, hoursClause, polygonClause, timeClause, typesClause, weekdaysClause } from '../../src/state/clauses';
import { Selection } from '../../src/state/selection';
import { areaTableQuery, VIEW_IDS, viewQuery } from '../../src/state/view-clients';
import { openTestDb } from '../engine';

const DEMO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../data/demo');
const ready = existsSync(path.join(DEMO, 'calls.parquet'));
if (!ready) console.warn('data/demo/calls.parquet missing (npm run make-demo-data); skipping the view query tests.');

const config = ready ? JSON.parse(readFileSync(path.join(DEMO, 'config.json'), 'utf8')) : null;
const tierMap: TierMap = {
  version: 1,
  rules: Object.entries((config?.tierMap ?? {}) as Record<string, { tier: 1 | 2 | 3 }>).map(([code, v]) => ({ typeCode: code, tier: v.tier })),
};
const BOX = { west: -89.62, south: 35.43, east: -89.58, north: 35.47 };
const sum = (rows: Row[], key = 'n') => rows.reduce((s, r) => s + Number(r[key] ?? 0), 0);

describe.skipIf(!ready)('dashboard view queries (demo city)', () => {
  let db: Db;
  let population: Record<string, number>;
  const rows = async (s: Sql) => toRows(await db.query(s));

  beforeAll(async () => {
    db = await openTestDb();
    const { areas } = loadAreas({ name: 'areas.geojson', bytes: readFileSync(path.join(DEMO, 'areas.geojson')) });
    population = Object.fromEntries(areas.map((a) => [a.id, Number(a.properties.population)]));
    await importDataset(db, [{ name: 'calls.parquet', bytes: readFileSync(path.join(DEMO, 'calls.parquet')) }], { areas, mapping: config.expectedMapping });
  });
  afterAll(async () => db?.close());

  const combined = () => {
    const s = new Selection();
    s.update(
      typesClause(VIEW_IDS.typeBars, ['LOIT', 'SUSP', 'NOISE', 'DIST']),
      hoursClause(VIEW_IDS.heatmap, 20, 2),
      weekdaysClause(VIEW_IDS.heatmap, [0, 1, 2, 3, 4]),
      bboxClause(VIEW_IDS.map, BOX),
      timeClause(VIEW_IDS.timeSeries, '2026-08-01', '2026-09-15'),
    );
    return s;
  };
  // Written by hand from the canonical columns, not from the clause code.
  const handCount = (o: { hours?: boolean; days?: boolean; time?: boolean; types?: boolean; box?: boolean } = {}) =>
    db.query(`SELECT count(*) FROM calls WHERE TRUE
      ${o.types === false ? '' : "AND type_code IN ('LOIT', 'SUSP', 'NOISE', 'DIST')"}
      ${o.hours === false ? '' : 'AND (hour(received_at) >= 20 OR hour(received_at) < 2)'}
      ${o.days === false ? '' : 'AND isodow(received_at) <= 5'}
      ${o.box === false ? '' : 'AND lon >= -89.62 AND lon <= -89.58 AND lat >= 35.43 AND lat <= 35.47'}
      ${o.time === false ? '' : "AND received_at >= TIMESTAMP '2026-08-01' AND received_at < TIMESTAMP '2026-09-15'"}`).then(scalar);

  it('counts agree across heatmap, time series, type bars, area table and the total', async () => {
    const s = combined();
    const where = s.predicate(null);
    const expected = await handCount();
    expect(expected).toBeGreaterThan(100);
    expect(scalar(await db.query(totalCount({ where })))).toBe(expected);
    expect(sum(await rows(hourOfWeekCounts({ where })))).toBe(expected);
    expect(sum(await rows(timeSeries({ where, interval: 'day' })))).toBe(expected);
    expect(sum(await rows(timeSeries({ where, interval: 'week' })))).toBe(expected);
    expect(sum(await rows(typeCounts({ where, tierMap })))).toBe(expected);
    expect(sum(await rows(areaRanking({ where, population })))).toBe(expected);
    // The area table's own path: time clause out of the predicate, period counted in SQL.
    expect(sum(await rows(areaTableQuery(s, { population })))).toBe(expected);
  });

  it('leaves each view its own clause out (cross-filtering) and the rest in', async () => {
    const s = combined();
    const run = async (id: (typeof VIEW_IDS)[keyof typeof VIEW_IDS]) => rows(viewQuery(id, { tierMap, population })(s.predicate(id), s));
    const heat = await run('heatmap');
    expect(sum(heat)).toBe(await handCount({ hours: false, days: false }));
    // The brushed cells of the unfiltered heatmap hold exactly the fully filtered total.
    const inBrush = heat.filter((r) => Number(r.dow) <= 4 && (Number(r.hour) >= 20 || Number(r.hour) < 2));
    expect(sum(inBrush)).toBe(await handCount());
    expect(new Set(heat.map((r) => Number(r.hour))).size).toBe(24);
    expect(sum(await run('time-series'))).toBe(await handCount({ time: false }));
    expect(sum(await run('type-bars'))).toBe(await handCount({ types: false }));
    expect(sum(await run('map'))).toBe(await handCount({ box: false }));
    expect(sum(await run('area-table'))).toBe(await handCount());
  });

  it('ranks areas with rate per 1,000 residents and change vs the previous period of equal length', async () => {
    const s = new Selection();
    s.update(timeClause(VIEW_IDS.timeSeries, '2026-09-01', '2026-09-15'), typesClause(VIEW_IDS.typeBars, ['NOISE']));
    const ranked = await rows(areaTableQuery(s, { population }));
    const a01 = ranked.find((r) => r.area_id === 'A01')!;
    const hand = (from: string, to: string) =>
      db.query(`SELECT count(*) FROM calls WHERE area_id = 'A01' AND type_code = 'NOISE' AND received_at >= TIMESTAMP '${from}' AND received_at < TIMESTAMP '${to}'`).then(scalar);
    expect(a01.n).toBe(await hand('2026-09-01', '2026-09-15'));
    expect(a01.previous_n).toBe(await hand('2026-08-18', '2026-09-01'));
    expect(a01.change).toBe(Number(a01.n) - Number(a01.previous_n));
    expect(a01.per_1000).toBeCloseTo((1000 * Number(a01.n)) / population.A01!, 10);
    expect(a01.previous_complete).toBe(true);
    expect(ranked.map((r) => Number(r.n))).toEqual([...ranked.map((r) => Number(r.n))].sort((x, y) => y - x));
    // A period whose predecessor starts before the data says so instead of showing a fake rise.
    const early = new Selection();
    early.update(timeClause(VIEW_IDS.timeSeries, '2026-07-01', '2026-07-20'));
    const first = await rows(areaTableQuery(early, { population }));
    expect(first.every((r) => r.previous_complete === false)).toBe(true);
  });

  it('zero-fills the daily series over the whole table span', async () => {
    const series = await rows(timeSeries({ where: sql`type_code = 'SEXA'` }));
    expect(series[0]!.bucket).toBe('2026-06-29');
    expect(series.at(-1)!.bucket).toBe('2026-09-27');
    expect(series).toHaveLength(91);
    expect(series.some((r) => r.n === 0)).toBe(true);
    const weeks = await rows(timeSeries({ interval: 'week' }));
    expect(weeks).toHaveLength(13);
    expect(new Date(`${weeks[0]!.bucket}T00:00:00Z`).getUTCDay()).toBe(1);
  });

  it('groups type counts by tier when a tier map is given', async () => {
    const types = await rows(typeCounts({ tierMap }));
    const loit = types.find((r) => r.type_code === 'LOIT')!;
    expect(loit.tier).toBe(1);
    expect(types.find((r) => r.type_code === 'SHOTS')!.tier).toBe(3);
    expect(sum(types)).toBe(scalar(await db.query('SELECT count(*) FROM calls')));
  });

  it('selects the calls inside a lasso exactly as Turf does', async () => {
    const ring: [number, number][] = [
      [-89.61, 35.44],
      [-89.59, 35.445],
      [-89.585, 35.46],
      [-89.6, 35.452], // concave notch
      [-89.612, 35.465],
      [-89.61, 35.44],
    ];
    const c = polygonClause(VIEW_IDS.map, ring);
    const n = scalar(await db.query(totalCount({ where: c.predicate })));
    const pts = await rows(sql`SELECT lon, lat FROM calls WHERE lon IS NOT NULL`);
    const poly = polygon([ring]);
    const turf = pts.filter((p) => booleanPointInPolygon(point([Number(p.lon), Number(p.lat)]), poly)).length;
    expect(n).toBeGreaterThan(500);
    expect(n).toBe(turf);
  });

  it('keeps hostile type strings as parameters', async () => {
    const hostile = ["'); DROP TABLE calls; --", '<img src=x onerror=alert(1)>', 'O\'Brien "quoted" \\ %_'];
    await db.query('CREATE OR REPLACE TABLE calls_hostile AS SELECT * FROM calls LIMIT 50');
    for (const [i, h] of hostile.entries()) {
      await db.query(sql`UPDATE calls_hostile SET type_code = ${h}, type_text = ${h} WHERE _row = (SELECT min(_row) + ${i} FROM calls_hostile)`);
    }
    const where = typesClause(VIEW_IDS.typeBars, hostile).predicate;
    const types = await rows(typeCounts({ table: 'calls_hostile', where }));
    expect(types.map((r) => r.type_code).sort()).toEqual([...hostile].sort());
    expect(types.every((r) => r.n === 1 && r.type_text === r.type_code)).toBe(true);
    expect(scalar(await db.query('SELECT count(*) FROM calls'))).toBeGreaterThan(50_000);
  });

  it('EXPLAINs every generated query', async () => {
    const s = combined();
    s.update(polygonClause('map', [[-89.61, 35.44], [-89.59, 35.445], [-89.6, 35.46]]));
    const queries: Sql[] = [
      ...Object.values(VIEW_IDS).map((id) => viewQuery(id, { tierMap, population })(s.predicate(id), s)),
      timeSeries({ where: s.predicate(null), interval: 'week' }),
      areaRanking({ where: s.predicate(null) }),
    ];
    for (const q of queries) {
      const plan = toRows(await db.query(sql`EXPLAIN ${q}`));
      expect(plan.length).toBeGreaterThan(0);
      expect(String(plan[0]!.explain_value)).toMatch(/\w/);
      expect(q.text).not.toMatch(/LOIT|2026-08-01/);
    }
  });
});
