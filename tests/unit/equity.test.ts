import { distance } from '@turf/turf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initiationShares, type ResponseRow, ratesPer1000, sharesByArea, slowAreas } from '../../src/analysis/equity';
import { averageRanks, quantiles, spearman } from '../../src/analysis/quantiles';
import { assignTier } from '../../src/analysis/tiers';
import type { Db } from '../../src/data/db-types';
import preset from '../../src/data/presets/tiers-nopd.json';
import {
  channelMixByArea,
  initiationByArea,
  responseByDistanceBand,
  responseDistanceSpearman,
  responseTimes,
} from '../../src/data/queries/equity';
import { type Row, toRows } from '../../src/data/rows';
import { parseTierMap } from '../../src/data/tier-map';
import { newOrleansDir, openTestDb, skipReason } from '../engine';
import { AREAS, CENTRE, createCallsTable, useNolaCalls, syntheticCalls } from './tiers-fixtures';

const NOPD = parseTierMap(preset);
const responseRows = (rows: Row[]): ResponseRow[] =>
  rows.map((r) => ({
    measure: r.measure as string,
    grouping: r.grouping as ResponseRow['grouping'],
    tier: r.tier as number | null,
    areaId: r.area_id as string | null,
    areaName: r.area_name as string | null,
    calls: r.calls as number,
    missing: r.missing as number,
    negative: r.negative as number,
    implausible: r.implausible as number,
    valid: r.valid as number,
    medianMinutes: r.median_minutes as number | null,
    p90Minutes: r.p90_minutes as number | null,
  }));

describe('quantiles and Spearman against R and numpy', () => {
  const x = [12, 3.5, 7, 7, 1, 44, 9.25, 0, 15, 2];
  it('type 7 = R quantile(type = 7) = numpy percentile(method = "linear")', () => {
    const got = quantiles(x, [0, 0.1, 0.25, 0.5, 0.9, 0.99, 1]);
    const expected = [0, 0.9, 2.375, 7, 17.9, 41.39, 44];
    for (const [i, v] of got.entries()) expect(v).toBeCloseTo(expected[i]!, 12);
    expect(quantiles([], [0.5])[0]).toBeNaN();
    expect(quantiles([5, Number.NaN], [0.9])).toEqual([5]);
  });

  it('Spearman = R cor(method = "spearman") with mid-ranks for ties', () => {
    expect(spearman(x, [5, 1, 8, 8, 2, 20, 6, 0.5, 14, 3])).toBeCloseTo(0.853658536585366, 12);
    expect(spearman(x, [3, 1, 4, 1, 5, 9, 2, 6, 5, 3])).toBeCloseTo(0.0828236445561349, 12);
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
  });
});

describe('equity queries on synthetic calls (real DuckDB)', () => {
  let db: Db;
  const calls = syntheticCalls(6000, 5);
  const minutes = (a: string, b: string | null) =>
    b === null ? null : (Date.parse(`${b.replace(' ', 'T')}Z`) - Date.parse(`${a.replace(' ', 'T')}Z`)) / 60_000;
  beforeAll(async () => {
    db = await openTestDb();
    await createCallsTable(db, calls);
  });
  afterAll(async () => db.close());

  it('medians and p90s equal JS type-7 quantiles of the generated intervals; exclusions are counted', async () => {
    const rows = responseRows(toRows(await db.query(responseTimes(NOPD))));
    for (const areaId of ['A1', 'A8']) {
      const mine = calls.filter((c) => c.area_id === areaId).map((c) => minutes(c.received_at, c.arrived_at));
      const valid = mine.filter((m): m is number => m !== null && m >= 0 && m <= 1440);
      const row = rows.find((r) => r.measure === 'arrive' && r.grouping === 'area' && r.areaId === areaId)!;
      const [med, p90] = quantiles(valid, [0.5, 0.9]);
      expect(row.valid).toBe(valid.length);
      expect(row.missing).toBe(mine.filter((m) => m === null).length);
      expect(row.negative).toBe(mine.filter((m) => m !== null && m < 0).length);
      expect(row.negative).toBeGreaterThan(0);
      expect(row.medianMinutes).toBeCloseTo(med!, 9);
      expect(row.p90Minutes).toBeCloseTo(p90!, 9);
    }
    const city = rows.find((r) => r.measure === 'dispatch' && r.grouping === 'all')!;
    expect(city.calls).toBe(calls.length);
    const tier3 = calls.filter((c) => assignTier(NOPD, { typeCode: c.type_code, typeText: c.type_text, priority: c.priority }) === 3);
    const t3 = rows.find((r) => r.measure === 'close' && r.grouping === 'tier' && r.tier === 3)!;
    expect(t3.calls).toBe(tier3.length);
  });

  it('flags the far areas as slower than the city p90, and not the centre', async () => {
    const rows = responseRows(toRows(await db.query(responseTimes(NOPD, { measures: ['arrive'] }))));
    const { cityP90Minutes, areas } = slowAreas(rows, { measure: 'arrive' });
    expect(cityP90Minutes).toBeGreaterThan(0);
    const flagged = areas.filter((a) => a.medianAbove || a.p90Above).map((a) => a.areaId);
    expect(flagged).toContain('A8');
    expect(flagged).not.toContain('A1');
    expect(areas[0]!.areaId).toBe('A8');
    const byTier = slowAreas(rows, { measure: 'arrive', tier: 3, minValid: 10 });
    expect(byTier.cityP90Minutes).toBe(rows.find((r) => r.grouping === 'tier' && r.tier === 3)!.p90Minutes);
  });

  it('Spearman in SQL equals JS Spearman over Turf distances; bands rise with distance', async () => {
    const [sqlRho] = toRows(await db.query(responseDistanceSpearman(NOPD, { centre: CENTRE })));
    const pairs = calls
      .map((c) => ({ c, m: minutes(c.received_at, c.arrived_at) }))
      .filter(({ c, m }) => c.lon !== null && c.lat !== null && m !== null && m >= 0 && m <= 1440);
    const km = pairs.map(({ c }) => distance([CENTRE.lon, CENTRE.lat], [c.lon!, c.lat!], { units: 'kilometers' }));
    const rho = spearman(
      km,
      pairs.map((p) => p.m!),
    );
    expect(sqlRho!.n).toBe(pairs.length);
    expect(sqlRho!.rho as number).toBeCloseTo(rho, 9);
    expect(rho).toBeGreaterThan(0.5);

    const bands = toRows(await db.query(responseByDistanceBand(NOPD, { centre: CENTRE })));
    const known = bands.filter((b) => b.band !== null);
    expect(known.reduce((s, b) => s + (b.calls as number), 0)).toBe(pairs.length);
    const medians = known.map((b) => b.median_minutes as number);
    expect([...medians].sort((a, b) => a - b)).toEqual(medians);
  });

  it('measures from district stations; calls in a district without a station have no distance', async () => {
    const stations = ['1', '2', '3'].map((district) => ({ district, ...CENTRE }));
    const bands = toRows(await db.query(responseByDistanceBand(NOPD, { stations })));
    const none = bands.find((b) => b.band === null)!;
    const expected = calls.filter((c) => {
      const m = minutes(c.received_at, c.arrived_at);
      return m !== null && m >= 0 && m <= 1440 && (c.district === '4' || c.lon === null);
    }).length;
    expect(none.calls).toBe(expected);
  });

  it('channel mix and self-initiated shares equal counts over the records', async () => {
    const mix = sharesByArea(
      toRows(await db.query(channelMixByArea())).map((r) => ({ areaId: r.area_id as string, category: r.channel as string | null, n: r.n as number })),
    );
    expect(mix.hasData).toBe(true);
    const far = mix.areas.find((a) => a.areaId === AREAS[7]!.id)!;
    expect(far.items.map((i) => i.label)).toEqual(['phone']);
    const a1 = mix.areas.find((a) => a.areaId === 'A1')!;
    expect(a1.items.find((i) => i.label === 'online')!.n).toBe(calls.filter((c) => c.area_id === 'A1' && c.channel === 'online').length);

    const init = initiationShares(
      toRows(await db.query(initiationByArea())).map((r) => ({
        areaId: r.area_id as string,
        calls: r.calls as number,
        selfInitiated: r.self_initiated as number,
        resident: r.resident as number,
        unknown: r.unknown as number,
      })),
    );
    const a2 = calls.filter((c) => c.area_id === 'A2');
    const self = a2.filter((c) => c.self_initiated === true).length;
    const resident = a2.filter((c) => c.self_initiated === false).length;
    expect(init.find((a) => a.areaId === 'A2')).toMatchObject({ calls: a2.length, unknown: a2.length - self - resident });
    expect(init.find((a) => a.areaId === 'A2')!.selfShare).toBeCloseTo(self / (self + resident), 15);
  });

  it('rates per 1,000 residents; no rate without a population', () => {
    expect(ratesPer1000([{ areaId: 'A', n: 30 }, { areaId: 'B', n: 5 }, { areaId: 'C', n: 2 }], { A: 12_000, C: 0 })).toEqual([
      { areaId: 'A', n: 30, population: 12_000, per1000: 2.5 },
      { areaId: 'B', n: 5, population: null, per1000: Number.NaN },
      { areaId: 'C', n: 2, population: 0, per1000: Number.NaN },
    ]);
  });
});

describe('equity on the real New Orleans file', () => {
  const dir = newOrleansDir();
  const db = useNolaCalls(dir);

  it.skipIf(!dir)('create→arrive: 11 min median over raw rows (README), 13 min / p90 173 min per call (numpy)', async () => {
    skipReason('New Orleans data', dir);
    const rows = responseRows(toRows(await db.query(responseTimes(NOPD))));
    const arrive = rows.find((r) => r.measure === 'arrive' && r.grouping === 'all')!;
    const close = rows.find((r) => r.measure === 'close' && r.grouping === 'all')!;
    expect(arrive.calls).toBe(6528);
    // numpy.percentile(..., [50, 90]) over first-row-per-item intervals in [0, 1440] minutes: 13.0, 173.0 (5,909 values).
    expect(arrive.valid).toBe(5909);
    expect(arrive.medianMinutes).toBe(13);
    expect(arrive.p90Minutes).toBe(173);
    expect(close.medianMinutes! / 60).toBeCloseTo(2.3333, 3);
    // The README's 11 min counts every CSV row, duplicates included (one call can have several footage requests).
    await db.query('CREATE TEMP TABLE calls_rows AS SELECT c.* FROM nopd_raw r JOIN calls c ON c.call_id = r.item_number');
    const perRow = responseRows(toRows(await db.query(responseTimes(NOPD, { table: 'calls_rows', measures: ['arrive'] }))));
    expect(perRow.find((r) => r.grouping === 'all')!.medianMinutes).toBe(11);

    // Independent recount of missing arrivals from the raw text (first row per item).
    const [raw] = toRows(
      await db.query(`SELECT count_if(coalesce(trim("TimeArrive"), '') = '')::INTEGER AS missing FROM nopd_raw
        WHERE _line IN (SELECT min(_line) FROM nopd_raw GROUP BY item_number)`),
    );
    expect(arrive.missing).toBe(raw!.missing);

    const channel = sharesByArea(
      toRows(await db.query(channelMixByArea())).map((r) => ({ areaId: r.area_id as string, category: r.channel as string | null, n: r.n as number })),
    );
    expect(channel.hasData).toBe(false);
    const [rho] = toRows(await db.query(responseDistanceSpearman(NOPD)));
    const slow = slowAreas(rows, { measure: 'arrive', tier: 3 });
    console.info(
      `NOPD arrive: median ${arrive.medianMinutes} min, p90 ${arrive.p90Minutes} min (${arrive.valid} valid, ${arrive.missing} missing, ${arrive.negative} negative, ${arrive.implausible} > 24 h); ` +
        `Spearman(distance to centre, minutes) = ${(rho!.rho as number).toFixed(3)} over ${rho!.n}; ` +
        `Level 3 neighbourhoods above city p90 ${slow.cityP90Minutes}: ${slow.areas.filter((a) => a.medianAbove || a.p90Above).map((a) => a.areaId).join(', ') || 'none'}`,
    );
  });
});
