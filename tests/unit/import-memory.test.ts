import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNodeDb } from '../../src/data/db-node';
import type { Db } from '../../src/data/db-types';
import { importDataset, type Stager } from '../../src/data/import-dataset';
import { stageCsv } from '../../src/data/load-csv';
import { stageParquet } from '../../src/data/load-parquet';
import { getParquetWasm } from '../../src/data/parquet-wasm';
import { toRows } from '../../src/data/rows';
import { buildCalls } from '../../src/data/schema';
import { openTestDb } from '../engine';
import { DEMO_DIR, demoReady, readDemoAreas } from './demo-city';

/**
 * Issue #8: the import's memory. The canonical tables live in a compressed in-memory database
 * (db-types DATABASE_SETTINGS), and Parquet is staged in batches of row groups; neither may
 * change a single call or reject.
 */

/** Every column of `calls` in a stable order, as text, so two imports compare row for row. */
async function callsText(db: Db): Promise<string[]> {
  const rows = toRows(await db.query('SELECT * EXCLUDE (_row) FROM calls ORDER BY received_at, call_id, _source_line'));
  return rows.map((r) => JSON.stringify(r));
}

/** Parquet with row groups of `rowGroupRows` rows, written by parquet-wasm from a staged table. */
async function toParquet(db: Db, table: string, rowGroupRows: number): Promise<Uint8Array> {
  const pw = await getParquetWasm();
  const { createRequire } = await import('node:module');
  const cjs = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');
  const result = await db.query(`SELECT * EXCLUDE (_source_file, _source_line) FROM ${table} ORDER BY _source_line`);
  const props = new pw.WriterPropertiesBuilder().setMaxRowGroupSize(rowGroupRows).build();
  return pw.writeParquet(pw.Table.fromIPCStream(cjs.tableToIPC(result as never, 'stream')), props);
}

describe.skipIf(!demoReady)('import memory (issue #8)', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => db.close());

  it('keeps the calls in the compressed database: the import grows the wasm heap by well under what it did uncompressed', async () => {
    const bytes = new Uint8Array(readFileSync(path.join(DEMO_DIR, 'calls.parquet')));
    const plainDb = await openNodeDb({ memoryLimit: '2GB', compressed: false });
    const growth = async (d: Db) => {
      const before = d.wasmHeapBytes!();
      const { build } = await importDataset(d, [{ name: 'calls.parquet', bytes }]);
      return { bytes: d.wasmHeapBytes!() - before, build };
    };
    try {
      const plain = await growth(plainDb);
      const compressed = await growth(db);
      expect(toRows(await db.query('SELECT current_database() AS d'))[0]?.d).toBe('callsight');
      expect(compressed.build.rows).toEqual(plain.build.rows);
      expect(compressed.build.rows.calls).toBeGreaterThan(10_000);
      // Measured 33.5 vs 70.3 MB on the demo (0.48); wasm memory never shrinks, so this is the tab's footprint.
      expect(compressed.bytes / plain.bytes, `compressed ${compressed.bytes} B vs plain ${plain.bytes} B`).toBeLessThan(0.65);
      expect(await callsText(db)).toEqual(await callsText(plainDb));
    } finally {
      await plainDb.close();
    }
  });

  it('stages Parquet row group by row group to the same calls and rejects as in one piece, rejects included', async () => {
    // The messy demo export has rejects of every kind; as all-text Parquet with 40-row row groups.
    const csv = new Uint8Array(readFileSync(path.join(DEMO_DIR, 'calls-messy.csv')));
    await stageCsv(db, { name: 'calls-messy.csv', bytes: csv }, { table: 'messy_stage', append: false });
    const parquet = await toParquet(db, 'messy_stage', 40);
    await db.query('DROP TABLE messy_stage');
    const file = { name: 'calls-messy.parquet', bytes: parquet };
    const run = async (batchBytes: number) => {
      const parquetStager: Stager = (d, f, o) => stageParquet(d, f, { ...o, batchUncompressedBytes: batchBytes });
      const r = await importDataset(db, [file], { stagers: { csv: stageCsv, parquet: parquetStager } });
      return { rows: r.build.rows, rejected: r.rejected, calls: await callsText(db) };
    };
    const onePiece = await run(1e12);
    const perRowGroup = await run(1);
    expect(onePiece.rows.rejected).toBeGreaterThan(0);
    expect(onePiece.rows.input).toBe(onePiece.rows.loaded + onePiece.rows.rejected);
    expect(perRowGroup.rows).toEqual(onePiece.rows);
    expect(perRowGroup.rejected).toEqual(onePiece.rejected);
    expect(perRowGroup.calls).toEqual(onePiece.calls);
    // Lines count from the file's first row across row groups: the last reject keeps its place.
    expect(Math.max(...perRowGroup.rejected.map((r) => r.line))).toBeLessThanOrEqual(onePiece.rows.input);
  });

  it('builds raw_calls and calls in ranges to the very same tables, areas, duplicates and rejects included', async () => {
    const csv = { name: 'calls-messy.csv', bytes: new Uint8Array(readFileSync(path.join(DEMO_DIR, 'calls-messy.csv'))) };
    const areas = readDemoAreas();
    const whole = await importDataset(db, [csv], { areas });
    const wholeCalls = await callsText(db);
    const rawText = async () => toRows(await db.query('SELECT * FROM raw_calls ORDER BY rowid')).map((r) => JSON.stringify(r));
    const wholeRaw = await rawText();
    expect(whole.build.rows.duplicates).toBeGreaterThan(0);
    expect(whole.build.rows.rejected).toBeGreaterThan(0);
    await stageCsv(db, csv, { table: 'messy_again', append: false });
    // ~60 rows per range: raw_calls in staged-row ranges and calls in received-time ranges, each a
    // CREATE/INSERT of its own slice.
    const ranged = await buildCalls(db, { staging: 'messy_again', mapping: whole.report.mapping, areas, dropStaging: true, sortChunkCalls: 60 });
    expect(ranged.rows).toEqual(whole.build.rows);
    expect(ranged.rejected).toEqual(whole.build.rejected);
    expect(await callsText(db)).toEqual(wholeCalls);
    expect(await rawText()).toEqual(wholeRaw);
    expect(ranged.geoRows).toEqual(whole.build.geoRows);
    // Physical order too: the dashboard reads columns ORDER BY rowid.
    const inOrder = toRows(await db.query('SELECT count(*) AS n FROM (SELECT received_at < lag(received_at) OVER (ORDER BY rowid) AS back FROM calls) WHERE back'));
    expect(Number(inOrder[0]?.n)).toBe(0);
    expect(toRows(await db.query(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE '\\_callsight\\_keep%' ESCAPE '\\'`))[0]?.n).toBe(0);
  });
});
