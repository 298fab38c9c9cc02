import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { importDataset, rejectsToCsv } from '../../src/data/import-dataset';
import { newOrleansDir, openTestDb, skipReason } from '../engine';
import { readNolaAreas, stageCsvForTest } from '../test-areas';

const dir = newOrleansDir();
skipReason('New Orleans data pack', dir);
// The real loaders are teammates' modules; a contract-shaped stager keeps this test about orchestration.
const stagers = { csv: stageCsvForTest, parquet: stageCsvForTest };
const enc = (s: string) => new TextEncoder().encode(s);

describe('importDataset', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it.skipIf(!dir)('imports the NOPD RTCC subset via its preset and reports the documented numbers', async () => {
    const bytes = readFileSync(path.join(dir!, 'nopd_cfs_2022_rtcc_subset.csv'));
    const phases: string[] = [];
    const { report, rejected } = await importDataset(db, [{ name: 'nopd.csv', bytes }], {
      areas: readNolaAreas(dir!),
      stagers,
      onProgress: (p) => phases.push(p.phase),
    });
    expect(report.rows).toEqual({ input: 7476, loaded: 7476, rejected: 0, duplicates: 948 });
    expect(rejected).toEqual([]);
    expect(report.timeRange).toEqual({ start: '2022-01-01T01:07:00', end: '2022-11-22T01:56:00' });
    expect(report.geo).toEqual({ valid: 6326, missing: 0, zero: 202, outside: 0, swapped: 0, outOfRange: 0 });
    expect(report.timestamps).toEqual({ unparseable: 0, outOfRange: 0 });
    expect(report.mapping.preset).toBe('nopd');
    expect(report.timeZone).toBe('America/Chicago');
    expect([...new Set(phases)]).toEqual(['stage', 'map', 'build', 'done']);
  });

  it('detects the mapping of an unknown export, stacks same-schema files and keeps per-file accounting', async () => {
    const head = 'Incident Number,Call Received,Nature Code,Lat,Lon\n';
    const jan = `${head}C-1,2023-01-03 08:00:00,THEFT,41.88,-87.63\nC-2,2023-01-04 09:30:00,ALARM,41.89,-87.62\nC-3,not a date,ALARM,41.89,-87.62\n`;
    const feb = `${head}C-4,2023-02-01 22:15:00,THEFT,,\nC-2,2023-02-02 10:00:00,ALARM,41.89,-87.62\n`;
    const { report, rejected, detection } = await importDataset(db, [{ name: 'jan.csv', bytes: enc(jan) }, { name: 'feb.csv', bytes: enc(feb) }], { stagers, timeZone: 'America/Chicago' });
    expect(detection?.mapping.columns).toMatchObject({ call_id: 'Incident Number', received_at: 'Call Received', type_code: 'Nature Code' });
    expect(report.rows).toEqual({ input: 5, loaded: 4, rejected: 1, duplicates: 1 });
    expect(rejected).toEqual([{ file: 'jan.csv', line: 4, reason: expect.stringContaining('value `not a date` is not a date in format YYYY-MM-DD'), raw: expect.any(String) }]);
    expect(report.geo).toMatchObject({ valid: 2, missing: 1 });
  });

  it('refuses a file that is not a call log, saying so', async () => {
    await expect(importDataset(db, [{ name: 'prices.csv', bytes: enc('name,price\napple,1.5\npear,2\n') }], { stagers, timeZone: 'UTC' })).rejects.toThrow(/prices\.csv: This file does not look like a call log/);
  });
});

describe('rejectsToCsv', () => {
  it('quotes fields and defuses spreadsheet formulas', () => {
    const csv = rejectsToCsv([
      { file: 'a.csv', line: 3, reason: 'Column `t` value `=HYPERLINK("x")` is not a date', raw: '=cmd|calc,"q"' },
      { file: '+b.csv', line: 4, reason: '@SUM(1)', raw: '\t-1' },
    ]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('file,line,reason,raw');
    expect(lines[1]).toBe('a.csv,3,"Column `t` value `=HYPERLINK(""x"")` is not a date","\'=cmd|calc,""q"""');
    expect(lines[2]).toBe('"\'+b.csv",4,"\'@SUM(1)","\'\t-1"');
  });
});
