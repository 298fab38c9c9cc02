/**
 * The committed demo city (data/demo) against its own recorded truth, measured on the real
 * engine: every planted pattern is re-found by SQL over calls.parquet, and regenerating with
 * the same seed reproduces every file byte for byte.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { area as turfArea, booleanPointInPolygon, lineString, point, pointToLineDistance } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { readParquet } from 'parquet-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { scalar, toRows } from '../../src/data/rows';
import { inList, join, type Sql, sql } from '../../src/data/sql';
import { CALL_TYPES } from '../../scripts/demo/call-types';
import { openTestDb } from '../engine';

const here = path.dirname(new URL(import.meta.url).pathname);
const ROOT = path.resolve(here, '../..');
const DEMO = path.join(ROOT, 'data/demo');
const read = (name: string) => readFileSync(path.join(DEMO, name));
const truth = JSON.parse(read('truth.json').toString('utf8'));
const config = JSON.parse(read('config.json').toString('utf8'));
const P = truth.patterns;

/** Great-circle metres from (lon, lat) to each row, same radius as the generator and Turf. */
const distanceTo = (lon: number, lat: number): Sql =>
  sql`2 * 6371008.8 * asin(least(1, sqrt(pow(sin(radians(latitude - ${lat}) / 2), 2) + cos(radians(${lat})) * cos(radians(latitude)) * pow(sin(radians(longitude - ${lon}) / 2), 2))))`;
const hourIn = (start: number, end: number): Sql =>
  start < end ? sql`hour(call_received) >= ${start} AND hour(call_received) < ${end}` : sql`(hour(call_received) >= ${start} OR hour(call_received) < ${end})`;
const night = sql`CAST(call_received - INTERVAL 12 HOUR AS DATE)`;

describe('demo city data (synthetic, data/demo)', () => {
  let db: Db;
  const q = async (s: Sql | string) => toRows(await db.query(s));
  const n = async (s: Sql | string) => scalar(await db.query(s));

  beforeAll(async () => {
    db = await openTestDb();
    const ipc = readParquet(new Uint8Array(read('calls.parquet'))).intoIPCStream();
    await db.insertArrowIpc('demo_raw', ipc, true);
    // One row per incident, keeping the first export (a re-opened copy has a later clear time).
    await db.query(`CREATE TABLE demo AS SELECT * FROM demo_raw QUALIFY row_number() OVER (PARTITION BY incident_number ORDER BY cleared) = 1`);
  });
  afterAll(async () => db?.close());

  it('is labelled synthetic and keeps the Parquet under 3 MB', () => {
    expect(truth.synthetic).toBe(true);
    expect(config.name).toBe('Demo city (synthetic)');
    expect(read('README.md').toString('utf8')).toMatch(/SYNTHETIC/);
    expect(statSync(path.join(DEMO, 'calls.parquet')).size).toBeLessThan(3 * 1024 * 1024);
  });

  it('has the recorded row counts, period, duplicates and unmapped calls', async () => {
    const [r] = await q(sql`SELECT count(*) AS rows, count(DISTINCT incident_number) AS incidents,
      strftime(min(call_received), '%Y-%m-%d %H:%M:%S') AS first, strftime(max(call_received), '%Y-%m-%d %H:%M:%S') AS last,
      count(*) FILTER (WHERE latitude IS NULL) AS missing, count(*) FILTER (WHERE latitude = 0 AND longitude = 0) AS zero
      FROM demo_raw`);
    expect(r).toMatchObject({
      rows: truth.rows.parquetRows,
      incidents: truth.rows.distinctIncidents,
      first: truth.rows.firstReceived,
      last: truth.rows.lastReceived,
      missing: truth.rows.missingCoordinateRows,
      zero: truth.rows.zeroCoordinateRows,
    });
    expect(truth.rows.parquetRows).toBeGreaterThan(45_000);
    expect(truth.rows.parquetRows).toBeLessThan(55_000);
    expect(String(r!.first) >= '2026-06-29 00:00:00' && String(r!.last) <= '2026-09-27 23:59:59').toBe(true);
    const dupShare = (truth.rows.parquetRows - truth.rows.distinctIncidents) / truth.rows.parquetRows;
    expect(dupShare).toBeGreaterThan(0.001);
    expect(dupShare).toBeLessThan(0.006);
    const selfShare = await n(`SELECT avg(CASE WHEN officer_initiated = 'Y' THEN 1 ELSE 0 END) FROM demo`);
    expect(selfShare).toBeGreaterThan(0.1);
    expect(selfShare).toBeLessThan(0.15);
  });

  it('follows hour-of-week rhythms: disorder at night and on weekend nights, traffic by day', async () => {
    const perHour = async (codes: string[], where: Sql) =>
      n(sql`SELECT count(*) FROM demo WHERE call_type_code IN ${inList(codes)} AND ${where}`);
    const disorder: string[] = config.typeGroups.disorder;
    const traffic: string[] = config.typeGroups.traffic;
    const nightHours = sql`(hour(call_received) >= 20 OR hour(call_received) < 4)`;
    const dayHours = sql`hour(call_received) BETWEEN 8 AND 15`;
    // Both bands are 8 hours wide, so counts compare directly.
    expect(await perHour(disorder, nightHours)).toBeGreaterThan(1.8 * (await perHour(disorder, dayHours)));
    expect(await perHour(traffic, dayHours)).toBeGreaterThan(2 * (await perHour(traffic, nightHours)));
    // Friday/Saturday nights (isodow 5/6 from 20:00, 6/7 before 04:00) vs the other five nights, per night.
    const weekendNight = sql`((isodow(call_received) IN (5, 6) AND hour(call_received) >= 20) OR (isodow(call_received) IN (6, 7) AND hour(call_received) < 4))`;
    const weekend = (await perHour(['NOISE', 'DIST'], weekendNight)) / 2;
    const weekday = (await perHour(['NOISE', 'DIST'], sql`${nightHours} AND NOT ${weekendNight}`)) / 5;
    expect(weekend).toBeGreaterThan(1.3 * weekday);
  });

  it('priorities agree with tiers (initial and final)', async () => {
    const bad = await q(sql`SELECT call_type_code, priority, count(*) AS n FROM demo GROUP BY ALL ORDER BY 1`);
    const tierOf = (code: string): number => config.tierMap[code].tier;
    for (const r of bad) {
      const tier = tierOf(String(r.call_type_code));
      const expected = tier === 3 ? ['1'] : tier === 2 ? ['2'] : ['3', '4'];
      expect(expected, `${r.call_type_code} has priority ${r.priority}`).toContain(r.priority);
    }
    const changed = await n(`SELECT avg(CASE WHEN initial_call_type_code <> call_type_code THEN 1 ELSE 0 END) FROM demo WHERE officer_initiated = 'N'`);
    expect(changed).toBeGreaterThan(0.02);
    expect(changed).toBeLessThan(0.12);
  });

  it('contains the planted night-time loitering near the downtown hub, as recorded', async () => {
    const L = P.loiteringNearHub;
    const match = sql`call_type_code IN ${inList(L.types)} AND ${hourIn(L.startHour, L.endHour)}
      AND latitude IS NOT NULL AND ${distanceTo(L.center.lon, L.center.lat)} <= ${L.radiusMeters}`;
    const [last] = await q(sql`SELECT count(*) AS calls, count(DISTINCT ${night}) AS nights FROM demo
      WHERE ${match} AND ${night} >= CAST(${L.firstNight} AS DATE)`);
    const [before] = await q(sql`SELECT count(*) AS calls FROM demo WHERE ${match} AND ${night} < CAST(${L.firstNight} AS DATE)`);
    expect(last).toEqual({ calls: L.observed.calls, nights: L.observed.distinctNights });
    expect(before!.calls).toBe(L.observed.callsBefore);
    expect(L.observed.distinctNights).toBeGreaterThanOrEqual(19);
    expect(L.observed.calls).toBeGreaterThanOrEqual(L.plantedCalls);
    // The first night of "the last 6 weeks" really is 42 nights before the end of the period.
    expect(L.firstNight).toBe('2026-08-17');
    // The pattern sits on a real hub of the feed: the parent station of the downtown transit centre.
    const stops = parseCsv(read('gtfs/stops.txt').toString('utf8'));
    const station = stops.find((s) => s.stop_id === truth.transit.hubs[0].parentStopId)!;
    expect(station.location_type).toBe('1');
    expect(Number(station.stop_lon)).toBeCloseTo(L.center.lon, 6);
    expect(Number(station.stop_lat)).toBeCloseTo(L.center.lat, 6);
  });

  it('contains the repeat-nuisance address and the emerging hotspot, as recorded', async () => {
    const R = P.repeatNuisanceAddress;
    const [rep] = await q(sql`SELECT count(*) AS calls, count(DISTINCT CAST(call_received AS DATE)) AS dates FROM demo
      WHERE block_address = ${R.blockAddress} AND call_type_code IN ${inList(R.types)} AND hour(call_received) >= ${R.startHour}`);
    expect(rep).toEqual({ calls: R.observed.calls, dates: R.observed.distinctDates });
    expect(R.observed.calls).toBeGreaterThanOrEqual(30);

    const E = P.emergingHotspot;
    const weeks = await q(sql`SELECT CAST(floor(date_diff('day', TIMESTAMP '2026-06-29', call_received) / 7) AS INTEGER) + 1 AS week, count(*) AS n
      FROM demo WHERE call_type_code IN ${inList(E.types)} AND latitude IS NOT NULL
      AND ${distanceTo(E.center.lon, E.center.lat)} <= ${E.radiusMeters} GROUP BY 1 ORDER BY 1`);
    const perWeek = Array.from({ length: 13 }, (_, i) => Number(weeks.find((w) => w.week === i + 1)?.n ?? 0));
    expect(perWeek).toEqual(E.observedPerWeek);
    const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(mean(perWeek.slice(9))).toBeGreaterThan(4 * (mean(perWeek.slice(0, 9)) + 1));
  });

  it('responds more slowly in the recorded outskirts areas', async () => {
    const S = P.slowOutskirts;
    const response = sql`date_diff('second', call_received, on_scene) / 60.0`;
    const rows = await q(sql`SELECT beat, median(${response}) AS m FROM demo WHERE officer_initiated = 'N' AND on_scene IS NOT NULL GROUP BY beat`);
    const slowBeats: string[] = S.areas.map((a: { beat: string }) => a.beat);
    const others = await n(sql`SELECT median(${response}) FROM demo WHERE officer_initiated = 'N' AND on_scene IS NOT NULL AND beat NOT IN ${inList(slowBeats)}`);
    expect(others).toBeCloseTo(S.otherAreasMedianResponseMinutes, 2);
    for (const a of S.areas) {
      const m = Number(rows.find((r) => r.beat === a.beat)!.m);
      expect(m).toBeCloseTo(a.medianResponseMinutes, 2);
      expect(m).toBeGreaterThan(1.5 * others);
    }
    // No other beat is as slow as the planted ones: the finding is unambiguous.
    const fastestSlow = Math.min(...S.areas.map((a: { medianResponseMinutes: number }) => a.medianResponseMinutes));
    for (const r of rows.filter((x) => !slowBeats.includes(String(x.beat)))) expect(Number(r.m)).toBeLessThan(fastestSlow);
  });

  it('concentrates under-triage (Level 1 entered, Level 3 final) in the recorded type and hour band', async () => {
    const U = P.underTriage;
    const tiers = Object.entries(config.tierMap as Record<string, { tier: number }>);
    const values = join(tiers.map(([code, v]) => sql`(${code}, ${v.tier})`), ', ');
    await db.query(sql`CREATE OR REPLACE TABLE tier_map AS SELECT * FROM (VALUES ${values}) t(code, tier)`);
    const base = sql`FROM demo d JOIN tier_map i ON i.code = d.initial_call_type_code JOIN tier_map f ON f.code = d.call_type_code WHERE i.tier = 1 AND f.tier = 3`;
    expect(await n(sql`SELECT count(*) ${base}`)).toBe(U.observed.level1ToLevel3);
    const band = sql`d.initial_call_type_code = ${U.initialType} AND ${hourIn(U.startHour, U.endHour)}`;
    expect(await n(sql`SELECT count(*) ${base} AND ${band}`)).toBe(U.observed.inBand);
    expect(U.observed.inBand).toBeGreaterThanOrEqual(U.plantedCalls);
    expect(U.observed.rateInBand).toBeGreaterThan(5 * U.observed.rateOutsideBand);
  });

  it('shows the digital-access gap in the recorded areas', async () => {
    const D = P.lowDigitalAccess;
    const eligible = CALL_TYPES.filter((c) => c.onlineEligible).map((c) => c.code);
    const share = async (beats: Sql) =>
      n(sql`SELECT avg(CASE WHEN call_source IN ('online', 'app') THEN 1 ELSE 0 END) FROM demo
        WHERE officer_initiated = 'N' AND call_type_code IN ${inList(eligible)} AND ${beats}`);
    const lowBeats: string[] = D.areas.map((a: { beat: string }) => a.beat);
    const rest = await share(sql`beat NOT IN ${inList(lowBeats)}`);
    expect(rest).toBeCloseTo(D.otherAreasOnlineOrAppShare, 4);
    for (const a of D.areas) {
      const s = await share(sql`beat = ${a.beat}`);
      expect(s).toBeCloseTo(a.onlineOrAppShare, 4);
      expect(s).toBeLessThan(rest / 3);
    }
  });

  it('has 25–40 neighbourhoods that tile the city, and calls carry the beat of the polygon they fall in', async () => {
    const fc = JSON.parse(read('areas.geojson').toString('utf8')) as FeatureCollection<Polygon | MultiPolygon>;
    expect(fc.features.length).toBeGreaterThanOrEqual(25);
    expect(fc.features.length).toBeLessThanOrEqual(40);
    expect(new Set(fc.features.map((f) => f.properties?.name)).size).toBe(fc.features.length);
    for (const f of fc.features) expect(f.properties?.population).toBeGreaterThan(0);
    const sumKm2 = fc.features.reduce((s, f) => s + turfArea(f) / 1e6, 0);
    // Equal to the boundary's area: no gaps, and (with the point test below) no overlaps.
    expect(sumKm2).toBeCloseTo(truth.city.areaKm2, 0);
    const pts = await q(`SELECT longitude AS lon, latitude AS lat, beat FROM demo WHERE latitude <> 0 USING SAMPLE 2000 ROWS (reservoir, 7)`);
    for (const p of pts) {
      const inside = fc.features.filter((f: Feature<Polygon | MultiPolygon>) => booleanPointInPolygon(point([Number(p.lon), Number(p.lat)]), f));
      expect(inside.length).toBe(1);
      expect(inside[0]!.properties?.beat).toBe(p.beat);
    }
  });

  it('ships a GTFS subset with CRLF, no stop_times, and hubs that route shapes reveal', () => {
    const dir = path.join(DEMO, 'gtfs');
    expect(existsSync(path.join(dir, 'stop_times.txt'))).toBe(false);
    for (const f of ['stops.txt', 'routes.txt', 'trips.txt', 'shapes.txt']) {
      const text = read(`gtfs/${f}`).toString('utf8');
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replaceAll('\r\n', '').includes('\n')).toBe(false);
    }
    const stops = parseCsv(read('gtfs/stops.txt').toString('utf8'));
    const routes = parseCsv(read('gtfs/routes.txt').toString('utf8'));
    const trips = parseCsv(read('gtfs/trips.txt').toString('utf8'));
    const shapes = parseCsv(read('gtfs/shapes.txt').toString('utf8'));
    expect(routes.length).toBeGreaterThanOrEqual(8);
    expect(routes.length).toBeLessThanOrEqual(12);
    expect(stops.length).toBeGreaterThanOrEqual(200);
    expect(stops.length).toBeLessThanOrEqual(400);
    const routeOfShape = new Map(trips.map((t) => [t.shape_id!, t.route_id!]));
    const lines = new Map<string, [number, number][]>();
    for (const s of shapes) {
      const pts = lines.get(s.shape_id!) ?? [];
      pts[Number(s.shape_pt_sequence) - 1] = [Number(s.shape_pt_lon), Number(s.shape_pt_lat)];
      lines.set(s.shape_id!, pts);
    }
    for (const hub of truth.transit.hubs) {
      const near = new Set<string>();
      for (const [shapeId, pts] of lines) {
        if (pointToLineDistance(point([hub.lon, hub.lat]), lineString(pts), { units: 'meters' }) <= 100) near.add(routeOfShape.get(shapeId)!);
      }
      expect([...near].sort()).toEqual([...hub.routeIds].sort());
      expect(near.size).toBeGreaterThanOrEqual(4);
    }
  });

  it('has a messy CSV whose recorded defects DuckDB finds', async () => {
    const M = truth.messyCsv;
    const text = read('calls-messy.csv').toString('utf8');
    const lines = text.split('\n');
    expect(lines[M.defects.htmlInCallType.lines[0] - 1]).toContain('<img src=x onerror=alert(1)>');
    expect(lines[M.defects.formulaInAddress.lines[0] - 1]).toContain('=HYPERLINK(');
    await db.registerFile('calls-messy.csv', new Uint8Array(read('calls-messy.csv')));
    // The two ragged records are structural rejects; everything else must load as text.
    await db.query(`CREATE TABLE messy AS SELECT * FROM read_csv('calls-messy.csv', header = true, all_varchar = true, ignore_errors = true)`);
    expect(await n('SELECT count(*) FROM messy')).toBe(M.records - M.defects.tooManyFields.count - M.defects.tooFewFields.count);
    expect(await n(`SELECT count(*) FROM messy WHERE TRY_CAST(call_received AS TIMESTAMP) IS NULL`)).toBe(M.defects.badDate.count);
    expect(await n(`SELECT count(*) FROM messy WHERE latitude IS NULL`)).toBe(M.defects.blankCoordinates.count);
    expect(await n(`SELECT count(*) FROM messy WHERE TRY_CAST(latitude AS DOUBLE) < -80`)).toBe(M.defects.swappedLatLon.count);
    expect(await n(`SELECT count(*) FROM messy WHERE TRY_CAST(latitude AS DOUBLE) > 90`)).toBe(M.defects.latitudeOutOfRange.count);
    expect(await n(`SELECT count(*) FROM messy WHERE TRY_CAST(latitude AS DOUBLE) = 0`)).toBe(M.defects.zeroCoordinates.count);
    expect(await n(`SELECT count(*) - count(DISTINCT incident_number) FROM messy`)).toBe(M.defects.exactDuplicate.count);
    expect(await n(`SELECT count(*) FROM messy WHERE officer_initiated NOT IN ('Y', 'N')`)).toBe(M.defects.nonStandardFlag.count);
    expect(await n(`SELECT count(*) FROM messy WHERE TRY_CAST(on_scene AS TIMESTAMP) < TRY_CAST(call_received AS TIMESTAMP)`)).toBe(
      M.defects.arrivalBeforeReceived.count,
    );
    expect(await n(`SELECT count(*) FROM messy WHERE block_address LIKE '%' || chr(10) || '%'`)).toBe(1);
  });

  it(
    'regenerates byte-identical files from the same seed, in under 20 s',
    () => {
      const out = mkdtempSync(path.join(tmpdir(), 'callsight-demo-'));
      try {
        const started = performance.now();
        const stdout = execFileSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['scripts/make-demo-data.ts', '--seed', String(truth.seed), '--out', out], {
          cwd: ROOT,
          encoding: 'utf8',
        });
        const wallSeconds = (performance.now() - started) / 1000;
        const m = /wall (\d+(?:\.\d+)?) s, cpu (\d+(?:\.\d+)?) s/.exec(stdout);
        const cpuSeconds = Number(m?.[2]);
        console.info(`make-demo-data: generator wall ${m?.[1]} s, cpu ${cpuSeconds} s; wall incl. tsx start ${wallSeconds.toFixed(1)} s`);
        // CPU, not wall: other jobs share these cores, and the budget is the generator's own work.
        expect(cpuSeconds).toBeLessThan(20);
        const committed = listFiles(DEMO);
        expect(listFiles(out)).toEqual(committed);
        for (const f of committed) expect(sha256(path.join(out, f)), f).toBe(sha256(path.join(DEMO, f)));
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    180_000,
  );
});

/** Minimal RFC 4180 reader for the GTFS checks (no embedded newlines in these files). */
function parseCsv(text: string): Record<string, string>[] {
  const rows = text
    .split(/\r?\n/)
    .filter((l) => l.length > 0)
    .map((line) => {
      const cells: string[] = [];
      let cur = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i]!;
        if (quoted) {
          if (ch === '"' && line[i + 1] === '"') {
            cur += '"';
            i++;
          } else if (ch === '"') quoted = false;
          else cur += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === ',') {
          cells.push(cur);
          cur = '';
        } else cur += ch;
      }
      cells.push(cur);
      return cells;
    });
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}
