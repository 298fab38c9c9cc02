import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomLcg } from 'd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suggestCrs } from '../../src/data/coordinates';
import type { Db } from '../../src/data/db-types';
import { chooseCodeText } from '../../src/data/detect-code-text';
import { detectMapping } from '../../src/data/detect-mapping';
import { profileColumn } from '../../src/data/column-profile';
import { importDataset } from '../../src/data/import-dataset';
import { stageParquet } from '../../src/data/load-parquet';
import { toRows } from '../../src/data/rows';
import { ident, sql } from '../../src/data/sql';
import type { ColumnMapping } from '../../src/data/types';
import { detectTimestampFormat, parseTimestamp, TIMESTAMP_CANDIDATES, timestampSql } from '../../src/data/timestamp-formats';
import { newOrleansDir, openTestDb, skipReason } from '../engine';
import { DEMO_DIR, demoReady, readDemoAreas } from './demo-city';

const dir = newOrleansDir();
skipReason('New Orleans data pack', dir);

function columnsOf(rows: Record<string, string | null>[]): [string[], Record<string, (string | null)[]>] {
  const cols = Object.keys(rows[0]!);
  return [cols, Object.fromEntries(cols.map((c) => [c, rows.map((r) => r[c] ?? null)]))];
}

/** A synthetic call log in a vocabulary no preset or rule was written for. */
function generated(seed: number, n: number, names: Record<string, string>): Record<string, string | null>[] {
  const rnd = randomLcg(seed);
  const pad = (v: number) => String(v).padStart(2, '0');
  const fmt = (ms: number) => {
    const d = new Date(ms);
    const h = d.getUTCHours();
    return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
  };
  const out: Record<string, string | null>[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = Date.UTC(2023, 0, 1) + Math.floor(rnd() * 300 * 86400e3);
    const t1 = t0 + Math.floor(rnd() * 3600e3);
    out.push({
      [names.id!]: `E23-${String(100000 + i)}`,
      [names.recv!]: fmt(t0),
      [names.close!]: fmt(t1 + 7200e3),
      [names.lat!]: (41.8 + rnd() * 0.2).toFixed(6),
      [names.lon!]: (-87.7 + rnd() * 0.2).toFixed(6),
      [names.type!]: ['DISTURBANCE', 'THEFT', 'WELFARE CHECK', 'ALARM'][Math.floor(rnd() * 4)]!,
      [names.prio!]: String(1 + Math.floor(rnd() * 4)),
      [names.self!]: rnd() < 0.2 ? 'true' : 'false',
      [names.addr!]: `${Math.floor(rnd() * 90) + 1}00 BLOCK OF W MAIN ST`,
    });
  }
  return out;
}

describe('timestamp formats', () => {
  it('chooses the format that parses the most values and uses days > 12 to tell D/M from M/D', () => {
    expect(detectTimestampFormat(['1/5/2022 7:03', '12/31/2022 23:59'])?.format).toBe('%m/%d/%Y %H:%M');
    const dm = detectTimestampFormat(['13/5/2022 7:03', '12/11/2022 23:59', '31/1/2022 0:00']);
    expect(dm?.format).toBe('%d/%m/%Y %H:%M');
    expect(dm?.ambiguousWith).toBeUndefined();
    expect(detectTimestampFormat(['1/5/2022 7:03'])?.ambiguousWith).toBe('%d/%m/%Y %H:%M');
    expect(detectTimestampFormat(['1/5/2022 7:03:09 PM', '01/05/2022 12:03:09 AM'])?.format).toBe('%m/%d/%Y %I:%M:%S %p');
    expect(detectTimestampFormat(['2022-01-05 07:03:00', '2022-01-05T07:03:00Z'])?.format).toBe('iso');
    expect(detectTimestampFormat(['1641366180'])).toBeNull();
    expect(detectTimestampFormat(['1641366180'], { allowEpoch: true })?.format).toBe('epoch-s');
    expect(detectTimestampFormat(['1641366180123'], { allowEpoch: true })?.format).toBe('epoch-ms');
    expect(parseTimestamp('2/29/2022 1:00', '%m/%d/%Y %H:%M')).toBeNull();
    expect(parseTimestamp('12/5/2022 12:30 AM', '%m/%d/%Y %I:%M %p')).toBe(Date.UTC(2022, 11, 5, 0, 30));
  });

  describe('agrees with DuckDB strptime on the same values', () => {
    let db: Db;
    beforeAll(async () => {
      db = await openTestDb();
    });
    afterAll(async () => db.close());
    const values = ['1/5/2022 7:03', '01/05/2022 07:03:09', '24/13/2022 7:03', '2/30/2022 7:03', '1/5/2022 7:03:09 PM', '12/5/2022 12:30 am', '2022-03-01 10:00:00', '1/5/22 7:03', '20220105070309', '1641366180', ' 1/5/2022 7:03 ', 'junk'];
    for (const c of TIMESTAMP_CANDIDATES) {
      it(c.label, async () => {
        for (const v of values) {
          const [row] = toRows(await db.query(sql`SELECT epoch_ms(${timestampSql(sql`${v}`, c.format)}) AS ms`));
          expect([v, row?.ms ?? null]).toEqual([v, parseTimestamp(v, c.format)]);
        }
      });
    }
  });
});

describe('detectMapping', () => {
  it.skipIf(!dir)('maps the NOPD RTCC subset from a sample (header + contents)', () => {
    const text = readFileSync(path.join(dir!, 'nopd_cfs_2022_rtcc_subset.csv'), 'utf8').split('\n').slice(0, 400);
    const header = text[0]!.split(',');
    // The first 400 lines have no quoted commas except in the RTCC column, which we do not need: parse simply.
    const rows = text.slice(1).filter(Boolean).map((l) => l.split(','));
    const ok = rows.filter((r) => r.length === header.length);
    const samples = Object.fromEntries(header.map((h, i) => [h, ok.map((r) => r[i] ?? null)]));
    const d = detectMapping(header, samples, { timeZone: 'America/Chicago' });
    expect(d.mapping.columns).toMatchObject({
      call_id: 'item_number', received_at: 'TimeCreate', dispatched_at: 'TimeDispatch', arrived_at: 'TimeArrive', closed_at: 'TimeClosed',
      type_code: 'Type', type_text: 'TypeText', initial_type_code: 'InitialType', priority: 'Priority', initial_priority: 'InitialPriority',
      disposition: 'Disposition', self_initiated: 'SelfInitiated', district: 'PoliceDistrict', beat: 'Beat', block_address: 'BLOCK_ADDRESS',
      initial_type_text: 'InitialTypeText',
    });
    // `Type` alone does not say code or label; the values agree with `TypeText`'s header.
    expect(d.confidence.type_text?.reason).toMatch(/^`TypeText` holds longer, word-like values .* than `Type` /);
    expect(d.mapping.location).toEqual({ kind: 'wkt', column: 'Location' });
    expect(d.mapping.timestampFormats.received_at).toBe('%m/%d/%Y %H:%M');
    expect(d.mapping.selfInitiatedTrue).toEqual(['Y']);
    expect(d.unmapped).toContain('Zip');
    expect(d.problems).toEqual([]);
  });

  it('recognises a header it has never seen (generic vocabulary, AM/PM, true/false)', () => {
    const names = { id: 'Evt No', recv: 'Reported On', close: 'Cleared On', lat: 'Geo Lat', lon: 'Geo Lng', type: 'Call Nature', prio: 'Pri', self: 'Officer Initiated', addr: 'Street Address' };
    const [cols, samples] = columnsOf(generated(7, 300, names));
    const d = detectMapping(cols, samples, { timeZone: 'America/Chicago' });
    expect(d.mapping.columns).toMatchObject({ call_id: 'Evt No', received_at: 'Reported On', closed_at: 'Cleared On', type_code: 'Call Nature', priority: 'Pri', self_initiated: 'Officer Initiated', block_address: 'Street Address' });
    expect(d.mapping.location).toEqual({ kind: 'lonlat', lon: 'Geo Lng', lat: 'Geo Lat' });
    expect(d.mapping.timestampFormats.received_at).toBe('%m/%d/%Y %I:%M:%S %p');
    expect(d.mapping.selfInitiatedTrue).toEqual(['TRUE']);
  });

  it('falls back to contents when headers say nothing, and says so', () => {
    const names = { id: 'c1', recv: 'c2', close: 'c3', lat: 'c4', lon: 'c5', type: 'c6', prio: 'c7', self: 'c8', addr: 'c9' };
    const rows = generated(11, 300, names);
    // put the later timestamp first, so order of columns cannot be what decides
    const [cols, samples] = columnsOf(rows.map((r) => ({ c3: r.c3!, ...r })));
    const d = detectMapping(cols, samples, { timeZone: 'UTC' });
    expect(d.mapping.columns.received_at).toBe('c2');
    expect(d.mapping.columns.closed_at).toBe('c3');
    expect(d.mapping.columns.call_id).toBe('c1');
    expect(d.mapping.location).toEqual({ kind: 'lonlat', lon: 'c5', lat: 'c4' });
    expect(d.confidence.received_at?.score).toBeLessThan(0.9);
  });

  it('detects swapped latitude/longitude headers from value ranges', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: `X${i}`, time: `2024-05-0${1 + (i % 9)} 10:00:00`, latitude: String(151.2 + i / 1000), longitude: String(-33.8 - i / 1000) }));
    const [cols, samples] = columnsOf(rows);
    const d = detectMapping(cols, samples, { timeZone: 'Australia/Sydney' });
    expect(d.mapping.location).toEqual({ kind: 'lonlat', lon: 'latitude', lat: 'longitude' });
    expect(d.problems.join(' ')).toMatch(/swapped/);
  });

  it.skipIf(!dir)('suggests Louisiana South ftUS for NOPD MapX/MapY, decided by the areas when zones tie', () => {
    const lines = readFileSync(path.join(dir!, 'nopd_cfs_2022_rtcc_subset.csv'), 'utf8').split('\n').slice(1, 600).filter(Boolean);
    const xy = lines.map((l) => l.split(',')).filter((r) => r.length === 23).map((r) => [Number(r[9]), Number(r[10])] as const);
    const xs = xy.map((p) => p[0]);
    const ys = xy.map((p) => p[1]);
    const withAreas = suggestCrs(xs, ys, { within: [-90.14, 29.8656, -89.6278, 30.1748] });
    expect(withAreas[0]?.code).toBe('EPSG:3452');
    expect(withAreas[0]!.score).toBeGreaterThan(0.9);
    expect(withAreas[1]?.score ?? 0).toBeLessThan(0.5);
    // Without a hint the metre variant of the same zone must not fit (feet vs metres).
    expect(suggestCrs(xs, ys).map((s) => s.code)).not.toContain('EPSG:26982');
    const rows = xy.map(([x, y], i) => ({ incident_id: `I${i}`, created: '2022-01-01 10:00', x_coord: String(x), y_coord: String(y) }));
    const [cols, samples] = columnsOf(rows);
    const d = detectMapping(cols, samples, { within: [-90.14, 29.8656, -89.6278, 30.1748], timeZone: 'America/Chicago' });
    expect(d.mapping.location).toEqual({ kind: 'projected', x: 'x_coord', y: 'y_coord', crs: 'EPSG:3452' });
  });

  it('suggests the UTM zone from the areas for metre coordinates', () => {
    // Chicago Loop in UTM 16N (EPSG:32616): about 447,900 E, 4,636,000 N
    const xs = Array.from({ length: 50 }, (_, i) => 447_000 + i * 40);
    const ys = Array.from({ length: 50 }, (_, i) => 4_635_000 + i * 40);
    const s = suggestCrs(xs, ys, { within: [-87.95, 41.64, -87.52, 42.03] });
    expect(['EPSG:32616', 'EPSG:26916']).toContain(s[0]?.code);
  });

  it('says clearly when a file is not a call log', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ name: `Item ${i}`, price: String(i * 1.5), colour: i % 2 ? 'red' : 'blue' }));
    const [cols, samples] = columnsOf(rows);
    const d = detectMapping(cols, samples, { timeZone: 'UTC' });
    expect(d.mapping.columns.received_at).toBeUndefined();
    expect(d.problems[0]).toMatch(/does not look like a call log: none of its 3 columns holds dates or times/);
  });

  it('tells a bare `type` header from its code or label partner by the values, and lets explicit headers win', () => {
    const codes = ['BURGR', 'LOIT', 'NOISE', 'ROBB', 'SUSP', 'MVA', 'ALRM', 'DIST'];
    const labels = ['BURGLARY REPORT', 'LOITERING', 'NOISE COMPLAINT', 'ROBBERY', 'SUSPICIOUS PERSON', 'AUTO ACCIDENT', 'ALARM', 'DISTURBANCE'];
    const rows = Array.from({ length: 120 }, (_, i) => ({ k: i % 8, t: `2024-05-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00` }));
    const detect = (cols: Record<string, string[]>) => {
      const table = rows.map((r, i) => ({ id: `C${1000 + i}`, received: r.t, ...Object.fromEntries(Object.entries(cols).map(([c, values]) => [c, values[r.k]!])) }));
      const [names, samples] = columnsOf(table);
      return detectMapping(names, samples, { timeZone: 'UTC' }).mapping.columns;
    };
    const shifted = (values: string[]) => [...values.slice(1), values[0]!];
    // Bare header holds the labels; column order must not matter.
    expect(detect({ 'Call Type Code': codes, 'Call Type': labels })).toMatchObject({ type_code: 'Call Type Code', type_text: 'Call Type' });
    expect(detect({ 'Call Type': labels, 'Call Type Code': codes })).toMatchObject({ type_code: 'Call Type Code', type_text: 'Call Type' });
    // Bare header holds the codes, the partner says Desc.
    expect(detect({ Nature: codes, NatureDesc: labels })).toMatchObject({ type_code: 'Nature', type_text: 'NatureDesc' });
    // Neither header says which: numeric codes vs words.
    expect(detect({ 'Event Type': labels, 'Call Type': codes.map((_, k) => String(100 + k)) })).toMatchObject({ type_code: 'Call Type', type_text: 'Event Type' });
    // Initial pair beside the final pair: each column stays in its own pair.
    expect(detect({ initial_type: shifted(labels), initial_type_code: shifted(codes), type: labels, type_code: codes })).toMatchObject({
      type_code: 'type_code',
      type_text: 'type',
      initial_type_code: 'initial_type_code',
      initial_type_text: 'initial_type',
    });
    // Only an initial code beside a bare final type: the initial code is never taken as the final code.
    expect(detect({ 'Call Type': labels, InitialTypeCode: codes })).toMatchObject({ type_code: 'Call Type', type_text: 'Call Type', initial_type_code: 'InitialTypeCode' });
    // A lone type column is both code and label, as before.
    expect(detect({ Type: codes })).toMatchObject({ type_code: 'Type', type_text: 'Type' });
  });

  it('leaves look-alike columns to the headers instead of guessing from values', () => {
    const p = (name: string, values: string[]) => ({ p: profileColumn(name, values), headerScore: 0.95 });
    // Two bare headers with the same kind of values: no decision.
    expect(chooseCodeText(p('type', ['A1', 'B2', 'C3']), p('calltype', ['X1', 'Y2', 'Z3']))).toBeNull();
    // Explicit header contradicted by values: the header wins (a `…Desc` column of short codes is still the label).
    const c = chooseCodeText(p('typedesc', ['A1', 'B2']), p('type', ['LONG LABEL ONE', 'LONG LABEL TWO']));
    expect([c?.code.name, c?.text.name]).toEqual(['type', 'typedesc']);
  });
});

describe.skipIf(!demoReady)('detectMapping on the demo city Parquet', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it('reaches config.expectedMapping for every field (importDataset without a mapping)', async () => {
    const config = JSON.parse(readFileSync(path.join(DEMO_DIR, 'config.json'), 'utf8')) as { expectedMapping: ColumnMapping; timeZone: string };
    const expected = config.expectedMapping;
    const bytes = new Uint8Array(readFileSync(path.join(DEMO_DIR, 'calls.parquet')));
    const { detection, build } = await importDataset(db, [{ name: 'calls.parquet', bytes }], { areas: readDemoAreas(), timeZone: config.timeZone });
    expect(detection).toBeDefined();
    const got = detection!.mapping;
    const fields = Object.keys(expected.columns) as (keyof ColumnMapping['columns'])[];
    expect(fields).toHaveLength(17);
    for (const f of fields) expect([f, got.columns[f]]).toEqual([f, expected.columns[f]]);
    expect(Object.keys(got.columns).sort()).toEqual([...fields].sort());
    expect(got.location).toEqual(expected.location);
    expect(got.selfInitiatedTrue).toEqual(expected.selfInitiatedTrue);
    // The zone is a dataset setting, not in the file: it is whatever the caller passed.
    expect(got.timeZone).toBe(expected.timeZone);
    expect(detection!.unmapped).toEqual([]);
    expect(detection!.problems).toEqual([]);
    expect(detection!.confidence.type_text?.reason).toMatch(/`call_type` holds longer, word-like values .* than `call_type_code`/);
    expect(build.rows.rejected).toBe(0);

    // Documented difference: the detector names the layout `iso` (DuckDB's own cast, tried first)
    // where the config spells out %Y-%m-%d %H:%M:%S. Both must read every value identically.
    await stageParquet(db, { name: 'calls.parquet', bytes }, { table: 'demo_stage', append: false });
    for (const [field, format] of Object.entries(expected.timestampFormats)) {
      const column = expected.columns[field as 'received_at']!;
      expect([field, got.timestampFormats[field as 'received_at']]).toEqual([field, 'iso']);
      const col = sql`${ident(column)}`;
      const [r] = toRows(
        await db.query(sql`SELECT count(*) AS n, count(${timestampSql(col, format)}) AS parsed,
          count(*) FILTER (WHERE ${timestampSql(col, 'iso')} IS DISTINCT FROM ${timestampSql(col, format)}) AS differ
          FROM demo_stage WHERE ${col} IS NOT NULL`),
      );
      expect([field, Number(r?.differ)]).toEqual([field, 0]);
      expect(Number(r?.parsed)).toBe(Number(r?.n));
      expect(Number(r?.n)).toBeGreaterThan(1000);
    }
  }, 120_000);
});

