import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECURRENCE_DEFINITIONS, type RecurrenceBin, recurrenceFromHistogram } from '../../src/analysis/recurrence';
import type { TierMap } from '../../src/analysis/tiers';
import type { Db } from '../../src/data/db-types';
import preset from '../../src/data/presets/tiers-nopd.json';
import { recurrenceHistogram } from '../../src/data/queries/outcomes';
import { tieredCalls } from '../../src/data/queries/tiers';
import { type Row, toRows } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import { parseTierMap } from '../../src/data/tier-map';
import { newOrleansDir, openTestDb, skipReason } from '../engine';
import { createCallsTable, isoMinutes, useNolaCalls, type SyntheticCall, syntheticCalls } from './tiers-fixtures';

const MAP: TierMap = {
  version: 1,
  rules: [
    { typeCode: '21N', tier: 1, referral: true, category: 'noise' },
    { typeCode: 'NZ', tier: 1, referral: true, category: 'noise' },
    { typeCode: '64G', tier: 3, category: 'robbery' },
  ],
  default: 2,
};

const T0 = Date.UTC(2023, 0, 1) / 60_000;
const at = (days: number, minutes = 0) => isoMinutes(T0 + days * 1440 + minutes);
const call = (id: string, t: string, type: string, block: string | null, lon: number | null = null, lat: number | null = null): Partial<SyntheticCall> => ({
  call_id: id,
  received_at: t,
  type_code: type,
  type_text: type,
  priority: '1A',
  block_address: block,
  lon,
  lat,
  area_id: 'A1',
  area_name: 'Area 1',
});

/** Hand-built log; expected numbers are worked out in the comments. */
const HAND = [
  call('c1', at(0), '21N', '100XX MAIN ST'), // next noise at MAIN ≥ 60 min later: c3, 10 days
  call('c2', at(0, 30), 'NZ', '100XX MAIN ST'), // same category, 30 min later: same incident for c1; its own next is c3 (9.98 d)
  call('c3', at(10), '21N', '100XX MAIN ST'), // next: c4, 90 days
  call('c4', at(100), '21N', '100XX MAIN ST'), // none; 20 days of follow-up
  call('c5', at(5), '107', '100XX MAIN ST'), // different problem: never recurs
  call('c6', at(0), '107', '200xx Oak St '), // c7 is the same place after normalising: 45 days
  call('c7', at(45), '107', '200XX OAK ST'), // none; 75 days of follow-up
  call('c8', at(0), '21N', null, -90.07, 29.9504), // no address: ~100 m cell; c9 a metre away, 20 days later
  call('c9', at(20), '21N', null, -90.07, 29.95041),
  call('c10', at(3), '21N', null), // no address and no point: cannot be judged
  call('c11', at(120), '64G', '999XX END ST'), // sets the end of the data: day 120
];

const binsOf = (rows: Row[]): RecurrenceBin[] =>
  rows.map((r) => ({
    key: r.key as string | null,
    hasPlace: r.has_place as boolean,
    followBin: r.follow_bin as number,
    recurBin: r.recur_bin as number | null,
    n: r.n as number,
  }));

describe('recurrenceFromHistogram + recurrenceHistogram on a hand-built log', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
    await createCallsTable(db, HAND);
  });
  afterAll(async () => db.close());

  it('gives the hand-computed 30/60/90-day rates with right-censoring', async () => {
    const [all] = recurrenceFromHistogram(binsOf(toRows(await db.query(recurrenceHistogram(MAP)))));
    expect(all!.calls).toBe(11);
    expect(all!.noPlace).toBe(1);
    const h = Object.fromEntries(all!.horizons.map((x) => [x.days, x]));
    // 30 d: judged c1 c2 c3 c5 c6 c7 c8 c9 (c4, c11 too recent); recurred c1 c2 c8.
    expect(h[30]).toMatchObject({ judged: 8, recurred: 3, tooRecent: 2 });
    expect(h[30]!.resolutionRate).toBeCloseTo(5 / 8, 15);
    // 60 d: same calls judged; c6 (45 d) now recurred too.
    expect(h[60]).toMatchObject({ judged: 8, recurred: 4, tooRecent: 2 });
    // 90 d: c7 (75 d of data) leaves the denominator; c3 (exactly 90 d) recurs.
    expect(h[90]).toMatchObject({ judged: 7, recurred: 5, tooRecent: 3 });
    expect(all!.curve[0]).toMatchObject({ judged: 10, recurred: 0 });
    expect(all!.curve[9]!.recurred).toBe(0);
    expect(all!.curve[10]!.recurred).toBe(2);
    expect(all!.curve.length).toBe(91);
  });

  it('searches follow-ups outside the filter, and groups by type', async () => {
    const where = sql`type_code = ${'21N'} AND received_at < ${at(50)}::TIMESTAMP`;
    const [f] = recurrenceFromHistogram(binsOf(toRows(await db.query(recurrenceHistogram(MAP, { where })))));
    // index calls c1, c3, c8, c9, c10; c3's recurrence (c4, day 100) lies outside the filter but counts.
    expect(f!.calls).toBe(5);
    expect(f!.horizons.find((x) => x.days === 90)).toMatchObject({ judged: 4, recurred: 3 });
    const byType = recurrenceFromHistogram(binsOf(toRows(await db.query(recurrenceHistogram(MAP, { by: 'type' })))));
    expect(byType.map((g) => [g.key, g.calls])).toEqual([
      ['107', 3],
      ['21N', 6],
      ['64G', 1],
      ['NZ', 1],
    ]);
  });

  it('treats a shorter same-incident window and a data end as options', async () => {
    const rows = toRows(await db.query(recurrenceHistogram(MAP, { sameIncidentMinutes: 10, dataEnd: at(200) })));
    const [all] = recurrenceFromHistogram(binsOf(rows));
    // c1's next is now c2 (30 min, rounds up to day 1); with data to day 200 nothing is too recent at 30 d.
    expect(all!.curve[1]!.recurred).toBe(1);
    expect(all!.horizons[0]).toMatchObject({ days: 30, tooRecent: 0, judged: 10 });
  });

  it('exports the definitions shown next to the numbers', () => {
    expect(RECURRENCE_DEFINITIONS.censoring).toMatch(/last N days/);
    expect(RECURRENCE_DEFINITIONS.place).toMatch(/100 m/);
  });
});

/** Brute force, independent of the SQL window and the histogram: O(n²) over records. */
function bruteForce(calls: readonly SyntheticCall[], map: TierMap, horizon: number) {
  const cellDeg = 100 / 111_195;
  const place = (c: SyntheticCall) =>
    c.block_address?.trim().toUpperCase() ||
    (c.lat !== null && c.lon !== null
      ? `cell:${Math.floor(c.lat / cellDeg)}:${Math.floor((c.lon * Math.cos((c.lat * Math.PI) / 180)) / cellDeg)}`
      : null);
  const problem = (c: SyntheticCall) => map.rules.find((r) => r.typeCode === c.type_code)?.category ?? `type:${c.type_code}`;
  const t = (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`) / 60_000;
  const end = Math.max(...calls.map((c) => t(c.received_at)));
  const keyed = calls.map((c) => ({ p: place(c), q: problem(c), t: t(c.received_at) }));
  let judged = 0;
  let recurred = 0;
  for (const a of keyed) {
    if (a.p === null || end - a.t < horizon * 1440) continue;
    judged++;
    if (keyed.some((b) => b.p === a.p && b.q === a.q && b.t >= a.t + 60 && b.t <= a.t + horizon * 1440)) recurred++;
  }
  return { judged, recurred };
}

describe('recurrence on synthetic data vs a brute-force recount', () => {
  let db: Db;
  const calls = syntheticCalls(3000, 11);
  beforeAll(async () => {
    db = await openTestDb();
    await createCallsTable(db, calls);
  });
  afterAll(async () => db.close());

  it('matches judged and recurred counts at 7, 30 and 90 days', async () => {
    const [all] = recurrenceFromHistogram(binsOf(toRows(await db.query(recurrenceHistogram(MAP)))), { horizons: [7, 30, 90] });
    for (const h of all!.horizons) expect({ judged: h.judged, recurred: h.recurred }).toEqual(bruteForce(calls, MAP, h.days));
  });
});

describe('recurrence on the real New Orleans file', () => {
  const dir = newOrleansDir();
  const db = useNolaCalls(dir);
  const nopd = parseTierMap(preset);

  it.skipIf(!dir)('30-day recurrence equals an independent self-join count; denominators shrink with the horizon', async () => {
    skipReason('New Orleans data', dir);
    const bins = binsOf(toRows(await db.query(recurrenceHistogram(nopd, { by: 'tier' }))));
    const tiers = recurrenceFromHistogram(bins);
    const [all] = recurrenceFromHistogram(bins.map((b) => ({ ...b, key: 'all' })));
    const [h30, h60, h90] = all!.horizons;
    expect(h30!.judged).toBeGreaterThan(h60!.judged);
    expect(h60!.judged).toBeGreaterThan(h90!.judged);
    expect(all!.calls).toBe(6528);

    await db.query(sql`CREATE TEMP TABLE tc AS SELECT call_id, received_at, coalesce(category, 'type:' || upper(trim(type_code))) AS problem,
      upper(trim(block_address)) AS place FROM ${tieredCalls(nopd)}`);
    const [indep] = toRows(
      await db.query(`SELECT count(*)::INTEGER AS judged, count_if(EXISTS (SELECT 1 FROM tc b WHERE b.place = a.place AND b.problem = a.problem
          AND b.received_at >= a.received_at + INTERVAL 60 MINUTE AND b.received_at <= a.received_at + INTERVAL 30 DAY))::INTEGER AS recurred
        FROM tc a WHERE a.place IS NOT NULL AND a.place <> '' AND a.received_at <= (SELECT max(received_at) FROM tc) - INTERVAL 30 DAY`),
    );
    // Every NOPD row has a block address, so the grid-cell fallback is not exercised here.
    expect(all!.noPlace).toBe(0);
    expect({ judged: h30!.judged, recurred: h30!.recurred }).toEqual({ judged: indep!.judged, recurred: indep!.recurred });
    console.info(
      `NOPD recurrence by tier (resolution at 30/60/90 d): ${tiers
        .map((g) => `L${g.key}: ${g.horizons.map((h) => `${(100 * h.resolutionRate).toFixed(1)}% of ${h.judged}`).join(' / ')}`)
        .join('; ')}`,
    );
  });
});
