import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { exportParquet } from '../../src/data/export-parquet';
import { importDataset, type Stager } from '../../src/data/import-dataset';
import { stageCsv } from '../../src/data/load-csv';
import { stageParquet } from '../../src/data/load-parquet';
import { toRows } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import type { ColumnMapping } from '../../src/data/types';
import { openTestDb } from '../engine';

/**
 * Typed Parquet staging (issue #8: the text copy of every number and timestamp was most of the
 * import's peak) must give exactly what the all-VARCHAR staging gives: same accounting, same
 * rejects with line and reason, same calls, same quality report.
 */
const mapping: ColumnMapping = {
  columns: { call_id: 'id', received_at: 'received', dispatched_at: 'dispatched', type_text: 'kind' },
  timestampFormats: { received_at: 'iso', dispatched_at: 'iso' },
  location: { kind: 'lonlat', lon: 'lon', lat: 'lat' },
  timeZone: 'America/Chicago',
};

const textOnly: Stager = (db, file, o) => stageParquet(db, file, { ...o, typed: false });

async function snapshot(db: Db) {
  return {
    calls: toRows(await db.query('SELECT * FROM calls ORDER BY _row')),
    raw: toRows(await db.query('SELECT * FROM raw_calls ORDER BY _row')),
  };
}

describe('importDataset with typed Parquet staging', () => {
  let db: Db;
  let files: { name: string; bytes: Uint8Array }[];
  beforeAll(async () => {
    db = await openTestDb();
    // File 1: typed id, timestamps (one 1900 placeholder, one NULL), doubles with 0/0, NaN-free.
    const a = await exportParquet(
      db,
      sql`SELECT CASE WHEN i % 50 = 7 THEN NULL ELSE i % 400 END AS id,
            CASE WHEN i = 3 THEN TIMESTAMP '1900-01-01 00:00:00' WHEN i = 4 THEN NULL
                 ELSE TIMESTAMP '2024-03-01 08:00:00' + INTERVAL (i * 7) MINUTE END AS received,
            CASE WHEN i % 5 = 0 THEN NULL ELSE TIMESTAMP '2024-03-01 08:10:00' + INTERVAL (i * 7) MINUTE END AS dispatched,
            CASE WHEN i % 11 = 0 THEN 0.0 ELSE -90.07 + i / 100000.0 END AS lon,
            CASE WHEN i % 11 = 0 THEN 0.0 ELSE 29.95 + i / 100000.0 END AS lat,
            'Type ' || (i % 9) AS kind
          FROM range(1200) t(i)`,
    );
    // File 2: the same columns, but the id is text and the times are written out: the append
    // must turn the typed columns into the same text, not coerce 'B-12' into a number.
    const b = await exportParquet(
      db,
      sql`SELECT CASE WHEN i = 2 THEN 'not a date' ELSE 'B-' || i END AS id,
            CASE WHEN i = 2 THEN 'not a date' ELSE strftime(TIMESTAMP '2024-04-01 00:00:00' + INTERVAL (i) HOUR, '%Y-%m-%d %H:%M:%S') END AS received,
            CAST(NULL AS VARCHAR) AS dispatched, -90.1 + i / 1000.0 AS lon, 29.9 AS lat, 'Other' AS kind
          FROM range(40) t(i)`,
    );
    files = [
      { name: 'typed.parquet', bytes: a },
      { name: 'text.parquet', bytes: b },
    ];
  });
  afterAll(async () => db.close());

  it('stages numbers and timestamps in their own type, and a mixed column as text', async () => {
    await stageParquet(db, files[0]!, { table: 'probe', append: false, typed: true });
    const types = Object.fromEntries(
      toRows(await db.query(`SELECT column_name AS c, data_type AS t FROM duckdb_columns() WHERE table_name = 'probe'`)).map((r) => [r.c, r.t]),
    );
    expect(types).toMatchObject({ received: 'TIMESTAMP', lon: 'DOUBLE', kind: 'VARCHAR' });
    await stageParquet(db, files[1]!, { table: 'probe', append: true, typed: true });
    const id = toRows(await db.query(`SELECT data_type AS t FROM duckdb_columns() WHERE table_name = 'probe' AND column_name = 'id'`));
    expect(id).toEqual([{ t: 'VARCHAR' }]);
    expect(toRows(await db.query(`SELECT count(*) AS n FROM probe WHERE id = 'B-12' OR id = '399'`))).toEqual([{ n: 4 }]);
    await db.query('DROP TABLE probe');
  });

  it('gives the same rows, rejects and quality report as all-VARCHAR staging', async () => {
    const text = await importDataset(db, files, { mapping, stagers: { csv: stageCsv, parquet: textOnly } });
    const textTables = await snapshot(db);
    const typed = await importDataset(db, files, { mapping });
    const typedTables = await snapshot(db);

    expect(typed.build.rows).toEqual(text.build.rows);
    expect(typed.build.rows.input).toBe(1240);
    expect(typed.rejected).toEqual(text.rejected);
    expect(typed.rejected.map((r) => `${r.file}:${r.line}`)).toEqual(['typed.parquet:4', 'typed.parquet:5', 'text.parquet:3']);
    expect(typed.report).toEqual(text.report);
    expect(typed.build.syntheticIds).toBe(text.build.syntheticIds);
    expect(typed.build.syntheticIds).toBeGreaterThan(0);
    expect(typedTables).toEqual(textTables);
    expect(typedTables.calls.length).toBe(typed.build.rows.calls);
    // The memory shape the size budget counts on: no staging left, no second copy of the text.
    const tables = toRows(await db.query('SELECT table_name AS t FROM duckdb_tables() ORDER BY 1')).map((r) => r.t);
    expect(tables).toEqual(['calls', 'raw_calls']);
    const rawColumns = toRows(await db.query(`SELECT column_name AS c FROM duckdb_columns() WHERE table_name = 'raw_calls'`)).map((r) => r.c);
    expect(rawColumns).not.toContain('type_text');
    expect(rawColumns).not.toContain('call_id');
    expect(toRows(await db.query('SELECT count(_raw_text) AS n FROM raw_calls'))).toEqual([{ n: 3 }]);
  });
});
