import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomLcg } from 'd3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suggestCrs } from '../../src/data/coordinates';
import type { Db } from '../../src/data/db-types';
import { detectMapping } from '../../src/data/detect-mapping';
import { toRows } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import { detectTimestampFormat, parseTimestamp, TIMESTAMP_CANDIDATES, timestampSql } from '../../src/data/timestamp-formats';
import { newOrleansDir, openTestDb, skipReason } from '../engine';

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
    });
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
});
