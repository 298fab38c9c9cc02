import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/data/db-types';
import { isImportError } from '../../src/data/errors';
import { exportParquet } from '../../src/data/export-parquet';
import { stageParquet } from '../../src/data/load-parquet';
import { toRows } from '../../src/data/rows';
import { sql } from '../../src/data/sql';
import { corporaDir, openTestDb, skipReason } from '../engine';

const corpora = corporaDir();
const pq = (rel: string) => {
  const full = path.join(corpora ?? '', 'parquet-testing', rel);
  return { name: path.basename(full), bytes: new Uint8Array(readFileSync(full)) };
};

async function expectImportError(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(isImportError(e), `expected an ImportError, got ${String(e)}`).toBe(true);
  expect((e as Error).message).toMatch(pattern);
}

describe('stageParquet', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it('round-trips a query through exportParquet into an all-VARCHAR staging table', async () => {
    const bytes = await exportParquet(
      db,
      sql`SELECT i AS call_id, TIMESTAMP '2022-03-01 08:00:00' + INTERVAL (i) MINUTE AS "Time Create",
                 -90.07 + i / 1000.0 AS lon, CASE WHEN i % 3 = 0 THEN NULL ELSE 'Type ' || i END AS type_text
          FROM range(2500) t(i)`,
    );
    const progress: number[] = [];
    const report = await stageParquet(db, { name: 'calls.parquet', bytes }, { table: 'raw_calls', append: false, onProgress: (p) => progress.push(p.rowsDone) });
    expect(report).toMatchObject({ format: 'parquet', inputRows: 2500, stagedRows: 2500, rejected: [], encoding: 'utf-8' });
    expect(report.columns).toEqual(['call_id', 'Time Create', 'lon', 'type_text']);
    expect(progress.at(-1)).toBe(2500);
    const types = toRows(await db.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'raw_calls' ORDER BY ordinal_position`));
    expect(types.map((t) => t.data_type)).toEqual(['VARCHAR', 'VARCHAR', 'VARCHAR', 'VARCHAR', 'VARCHAR', 'BIGINT']);
    const rows = toRows(await db.query(`SELECT * FROM raw_calls WHERE _source_line IN (1, 2, 2500) ORDER BY _source_line`));
    expect(rows[0]).toEqual({ call_id: '0', 'Time Create': '2022-03-01 08:00:00', lon: '-90.07', type_text: null, _source_file: 'calls.parquet', _source_line: 1 });
    expect(rows[1]).toMatchObject({ call_id: '1', type_text: 'Type 1', _source_line: 2 });
    expect(rows[2]).toMatchObject({ call_id: '2499', 'Time Create': '2022-03-03 01:39:00', _source_line: 2500 });
    // The staged text parses back with DuckDB's own cast (the mapping step's 'iso' format).
    const back = toRows(await db.query(`SELECT count(*) AS n FROM raw_calls WHERE TRY_CAST("Time Create" AS TIMESTAMP) IS NULL`));
    expect(back[0]!.n).toBe(0);
  });

  it('numbers rows across several row groups and batches, appending by column name', async () => {
    // Many small row groups and a tiny batch budget force the multi-batch path.
    const { getParquetWasm } = await import('../../src/data/parquet-wasm');
    const pw = await getParquetWasm();
    const first = await exportParquet(db, sql`SELECT i AS id, 'a' AS only_in_first FROM range(1000) t(i)`);
    const rewritten = pw.writeParquet(pw.readParquet(first), new pw.WriterPropertiesBuilder().setMaxRowGroupSize(128).build());
    const report = await stageParquet(db, { name: 'groups.parquet', bytes: rewritten }, { table: 'multi', append: false, batchUncompressedBytes: 1 });
    expect(report.stagedRows).toBe(1000);
    const second = await exportParquet(db, sql`SELECT 5000 + i AS id, 'b' AS only_in_second FROM range(10) t(i)`);
    const r2 = await stageParquet(db, { name: 'second.parquet', bytes: second }, { table: 'multi', append: true });
    expect(r2.stagedRows).toBe(10);
    const rows = toRows(
      await db.query(`SELECT _source_file AS f, count(*) AS n, min(_source_line) AS lo, max(_source_line) AS hi,
                             count(DISTINCT _source_line) AS d, count(only_in_first) AS a, count(only_in_second) AS b,
                             bool_and(CAST(id AS INT) = _source_line - 1 + CASE WHEN _source_file = 'second.parquet' THEN 5000 ELSE 0 END) AS aligned
                      FROM multi GROUP BY 1 ORDER BY 1`),
    );
    expect(rows).toEqual([
      { f: 'groups.parquet', n: 1000, lo: 1, hi: 1000, d: 1000, a: 1000, b: 0, aligned: true },
      { f: 'second.parquet', n: 10, lo: 1, hi: 10, d: 10, a: 0, b: 10, aligned: true },
    ]);
  });

  it('stops between batches when cancelled and leaves no table behind', async () => {
    const bytes = await exportParquet(db, sql`SELECT i AS id FROM range(300) t(i)`);
    const { getParquetWasm } = await import('../../src/data/parquet-wasm');
    const pw = await getParquetWasm();
    const grouped = pw.writeParquet(pw.readParquet(bytes), new pw.WriterPropertiesBuilder().setMaxRowGroupSize(100).build());
    const controller = new AbortController();
    const run = stageParquet(
      db,
      { name: 'cancel.parquet', bytes: grouped },
      { table: 'cancelled', append: false, batchUncompressedBytes: 1, signal: controller.signal, onProgress: () => controller.abort() },
    );
    await expect(run).rejects.toThrow(/abort/i);
    const left = toRows(await db.query(`SELECT table_name FROM duckdb_tables() WHERE table_name = 'cancelled' OR table_name LIKE '_callsight_pq_%'`));
    expect(left).toEqual([]);
  });

  it('rejects non-Parquet, truncated and empty input with an analyst sentence', async () => {
    const text = new TextEncoder().encode('item_number,TimeCreate\nA1,1/1/2022 0:00\n');
    await expectImportError(stageParquet(db, { name: 'calls.csv', bytes: text }, { table: 'x', append: false }), /calls\.csv: is not a Parquet file.*load it as CSV/);
    const bytes = await exportParquet(db, sql`SELECT 1 AS a`);
    await expectImportError(stageParquet(db, { name: 'cut.parquet', bytes: bytes.subarray(0, bytes.length - 10) }, { table: 'x', append: false }), /cut\.parquet: is cut off/);
    await expectImportError(stageParquet(db, { name: 'empty.parquet', bytes: new Uint8Array() }, { table: 'x', append: false }), /not a Parquet file/);
  });

  it.skipIf(!corpora)('refuses a decompression bomb from the footer, before decoding', async () => {
    skipReason('corpora', corpora);
    await expectImportError(stageParquet(db, pq('data/large_string_map.brotli.parquet'), { table: 'x', append: false }), /expand to 2\.1 GB.*Nothing was decoded/);
    // A small budget refuses ordinary files too: the check is on sizes, not on a file name.
    await expectImportError(stageParquet(db, pq('data/alltypes_plain.parquet'), { table: 'x', append: false, maxUncompressedBytes: 100 }), /more than a browser tab/);
  });

  it.skipIf(!corpora)('stages typed Parquet columns as text: timestamps, decimals, binary, float16, nested', async () => {
    const report = await stageParquet(db, pq('data/alltypes_plain.parquet'), { table: 'types', append: false });
    expect(report.inputRows).toBe(8);
    const rows = toRows(await db.query(`SELECT id, bool_col, double_col, string_col, timestamp_col FROM types ORDER BY _source_line LIMIT 2`));
    expect(rows).toEqual([
      { id: '4', bool_col: 'true', double_col: '0.0', string_col: '0', timestamp_col: '2009-03-01 00:00:00' },
      { id: '5', bool_col: 'false', double_col: '10.1', string_col: '1', timestamp_col: '2009-03-01 00:01:00' },
    ]);
    expect(report.warnings.join(' ')).toMatch(/raw bytes.*`string_col`/);

    await stageParquet(db, pq('data/fixed_length_decimal.parquet'), { table: 'dec', append: false });
    expect(toRows(await db.query(`SELECT value FROM dec ORDER BY _source_line LIMIT 2`))).toEqual([{ value: '1.00' }, { value: '2.00' }]);

    const f16 = await stageParquet(db, pq('data/float16_nonzeros_and_nans.parquet'), { table: 'f16', append: false });
    expect(f16.warnings.join(' ')).toMatch(/Half-precision/);
    const halves = toRows(await db.query(`SELECT x FROM f16 ORDER BY _source_line`)).map((r) => r.x);
    expect(halves).toEqual([null, '1.0', '-2.0', 'nan', '0.0', '-1.0', '-0.0', '2.0']);

    const nested = await stageParquet(db, pq('data/list_columns.parquet'), { table: 'nested', append: false });
    expect(nested.warnings.join(' ')).toMatch(/nested values.*`int64_list`/);
    expect(toRows(await db.query(`SELECT int64_list, utf8_list FROM nested ORDER BY _source_line LIMIT 1`))).toEqual([{ int64_list: '[1, 2, 3]', utf8_list: '[abc, efg, hij]' }]);
  });
});
