import type { Db } from './db-types';
import { ImportError } from './errors';
import { castToText, planColumns, type StagedColumn, stagingSelect } from './parquet-columns';
import { formatBytes, type ParquetFooter, readParquetFooter } from './parquet-footer';
import { isHalfFloat, widenFloat16 } from './parquet-float16';
import { getParquetWasm, type ParquetWasm } from './parquet-wasm';
import { toRows } from './rows';
import { ident, join, type Sql, sql } from './sql';
import type { FileImportReport } from './types';

/**
 * Parquet → staging table with the CSV loader's contract: every source column as VARCHAR,
 * plus `_source_file` and `_source_line` (1-based row number in the file).
 *
 * Path (toolchain.md): parquet-wasm decodes row groups to an Arrow IPC stream, DuckDB
 * ingests it and casts to text. DuckDB's own read_parquet is not in our wasm build.
 * Rows go to a private table first and reach `table` in one statement at the end, so a
 * file that fails half-way leaves nothing behind.
 */
export interface ParquetImportOptions {
  table: string;
  append: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: { rowsDone: number; rowsTotal: number }) => void;
  /** Refuse files that would expand beyond this when decompressed (default 1.5 GB). */
  maxUncompressedBytes?: number;
  /** Decode about this much per batch, between which progress is reported (default 64 MB). */
  batchUncompressedBytes?: number;
  /**
   * Keep plain scalar columns (numbers, dates, timestamps, booleans) in their Parquet type
   * instead of VARCHAR. buildCalls casts them to text where it reads them, with the same
   * DuckDB cast the text staging uses, so the result is identical; the staging table is a
   * fraction of the size (a DOUBLE is 8 bytes, its text 17–20 and heap-allocated). The
   * import uses it when every file is Parquet; the default keeps the all-text contract.
   */
  typed?: boolean;
}

const DEFAULT_MAX_BYTES = 1.5e9;
const DEFAULT_BATCH_BYTES = 64e6;
let tableCounter = 0;

export async function stageParquet(
  db: Db,
  file: { name: string; bytes: Uint8Array },
  options: ParquetImportOptions,
): Promise<FileImportReport> {
  const pw = await getParquetWasm();
  const footer = await readParquetFooter(pw, file.name, file.bytes);
  const warnings = footerWarnings(footer);
  checkBudget(file.name, file.bytes.length, footer, options.maxUncompressedBytes ?? DEFAULT_MAX_BYTES);
  const widen = await needsFloat16Widening(pw, file.bytes);
  if (widen) warnings.push('Half-precision (16-bit) float columns were widened to 32-bit floats.');

  const id = ++tableCounter;
  const batchTable = `_callsight_pq_batch_${id}`;
  const stageTable = `_callsight_pq_stage_${id}`;
  const rowsTotal = footer.rowGroups.reduce((s, g) => s + g.rows, 0);
  let columns: StagedColumn[] | undefined;
  let rowsDone = 0;
  const select = (cols: StagedColumn[], firstLine: number) => (options.typed ? typedStagingSelect(cols, file.name, firstLine) : stagingSelect(cols, file.name, firstLine));
  try {
    for (const batch of planBatches(footer, options.batchUncompressedBytes ?? DEFAULT_BATCH_BYTES)) {
      options.signal?.throwIfAborted();
      let ipc = decode(pw, file.name, file.bytes, batch.rowGroups);
      if (widen) ipc = widenFloat16(ipc);
      await db.insertArrowIpc(batchTable, ipc, true);
      if (!columns) {
        const planned = planColumns(await describe(db, batchTable));
        columns = planned.columns;
        warnings.push(...planned.warnings);
        await db.query(sql`CREATE TABLE ${ident(stageTable)} AS SELECT ${select(columns, rowsDone + 1)} FROM ${ident(batchTable)}`);
      } else {
        await db.query(sql`INSERT INTO ${ident(stageTable)} SELECT ${select(columns, rowsDone + 1)} FROM ${ident(batchTable)}`);
      }
      const decoded = toRows(await db.query(sql`SELECT count(*) AS n FROM ${ident(batchTable)}`))[0]?.n as number;
      await db.query(sql`DROP TABLE ${ident(batchTable)}`);
      if (decoded !== batch.rows) throw rowCountError(file.name, batch, decoded);
      rowsDone += decoded;
      options.onProgress?.({ rowsDone, rowsTotal });
    }
    options.signal?.throwIfAborted();
    if (columns) await publish(db, stageTable, options.table, options.append);
    else await publishEmpty(db, options.table, options.append);
  } finally {
    await db.query(sql`DROP TABLE IF EXISTS ${ident(batchTable)}`);
    await db.query(sql`DROP TABLE IF EXISTS ${ident(stageTable)}`);
  }
  return {
    file: file.name,
    format: 'parquet',
    bytes: file.bytes.length,
    inputRows: rowsTotal,
    stagedRows: rowsDone,
    rejected: [],
    // The Parquet spec stores all text as UTF-8; there is nothing to sniff.
    encoding: 'utf-8',
    warnings,
    columns: (columns ?? []).map((c) => c.target),
  };
}

/** Types kept as they are in typed staging: scalars whose CAST to VARCHAR is the text staging. */
const PLAIN_TYPE =
  /^(VARCHAR|BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\)|DATE|TIME|TIMESTAMP|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS)$/;

export function isPlainStagingType(duckdbType: string): boolean {
  return PLAIN_TYPE.test(duckdbType);
}

function typedStagingSelect(columns: StagedColumn[], fileName: string, firstLine: number): Sql {
  const parts: Sql[] = columns.map((c) => sql`${isPlainStagingType(c.duckdbType) ? sql`${ident(c.source)}` : castToText(c)} AS ${ident(c.target)}`);
  parts.push(sql`CAST(${fileName} AS VARCHAR) AS _source_file`);
  parts.push(sql`CAST(rowid + ${firstLine} AS BIGINT) AS _source_line`);
  return join(parts, ', ');
}

interface Batch {
  rowGroups: number[];
  rows: number;
}

/** Consecutive row groups up to the byte target; a big row group is a batch of its own. */
export function planBatches(footer: ParquetFooter, batchBytes: number): Batch[] {
  const batches: Batch[] = [];
  let current: Batch & { bytes: number } = { rowGroups: [], rows: 0, bytes: 0 };
  footer.rowGroups.forEach((g, i) => {
    if (current.rowGroups.length > 0 && current.bytes + g.uncompressedBytes > batchBytes) {
      batches.push(current);
      current = { rowGroups: [], rows: 0, bytes: 0 };
    }
    current.rowGroups.push(i);
    current.rows += g.rows;
    current.bytes += g.uncompressedBytes;
  });
  // Zero row groups still yields one (empty) batch so the schema reaches the staging table.
  if (current.rowGroups.length > 0 || batches.length === 0) batches.push(current);
  return batches;
}

function decode(pw: ParquetWasm, name: string, bytes: Uint8Array, rowGroups: number[]): Uint8Array {
  try {
    const table = pw.readParquet(bytes, rowGroups.length > 0 ? { rowGroups } : { limit: 0 });
    return table.intoIPCStream();
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    const where = rowGroups.length === 1 ? `row group ${rowGroups[0]! + 1}` : `row groups ${rowGroups[0]! + 1}–${rowGroups.at(-1)! + 1}`;
    throw new ImportError(
      name,
      `has corrupt or unsupported data in ${where}, so it could not be decoded (reader said: ${detail.replace(/^Error: /, '')}). Nothing from this file was loaded.`,
      'Re-export the file from the source system, or export it as CSV and load that instead.',
    );
  }
}

function footerWarnings(footer: ParquetFooter): string[] {
  const sum = footer.rowGroups.reduce((s, g) => s + g.rows, 0);
  if (sum === footer.fileRows) return [];
  return [
    `The file header claims ${footer.fileRows.toLocaleString('en-US')} rows but its row groups hold ${sum.toLocaleString('en-US')}; the row-group counts are used.`,
  ];
}

function checkBudget(name: string, fileBytes: number, footer: ParquetFooter, maxBytes: number): void {
  const total = footer.rowGroups.reduce((s, g) => s + g.uncompressedBytes, 0);
  // One row group is decoded in one piece, and the Arrow copy handed to DuckDB doubles it.
  const largest = Math.max(0, ...footer.rowGroups.map((g) => g.uncompressedBytes));
  if (total <= maxBytes && largest <= maxBytes / 3) return;
  const what = total > maxBytes ? `would expand to ${formatBytes(total)} when decompressed` : `has a single row group of ${formatBytes(largest)} uncompressed`;
  throw new ImportError(
    name,
    `${what} (from ${formatBytes(fileBytes)} on disk), more than a browser tab can safely decode (limit ${formatBytes(maxBytes)} in total, ${formatBytes(maxBytes / 3)} per row group). Nothing was decoded.`,
    'Export fewer columns, a shorter date range or smaller row groups, or split the file, and import the parts.',
  );
}

async function needsFloat16Widening(pw: ParquetWasm, bytes: Uint8Array): Promise<boolean> {
  try {
    const { tableFromIPC } = await import('apache-arrow');
    const schema = tableFromIPC(pw.readSchema(bytes).intoIPCStream()).schema;
    return schema.fields.some(isHalfFloat);
  } catch {
    // Arrow JS cannot parse every Arrow type (e.g. LargeList); those files have no float16
    // widening to do here and any real problem surfaces when decoding.
    return false;
  }
}

async function describe(db: Db, table: string): Promise<{ name: string; type: string }[]> {
  const rows = toRows(await db.query(sql`DESCRIBE ${ident(table)}`));
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
}

function rowCountError(name: string, batch: Batch, decoded: number): ImportError {
  const groups = batch.rowGroups.map((g) => g + 1).join(', ');
  return new ImportError(
    name,
    `is inconsistent: row group(s) ${groups} should hold ${batch.rows.toLocaleString('en-US')} rows according to the file footer, but ${decoded.toLocaleString('en-US')} could be decoded. Nothing from this file was loaded, so no rows are silently lost.`,
    'Re-export the file from the source system, or export it as CSV and load that instead.',
  );
}

async function tableColumns(db: Db, table: string): Promise<string[] | null> {
  const rows = toRows(await db.query(sql`SELECT column_name FROM duckdb_columns() WHERE table_name = ${table} ORDER BY column_index`));
  return rows.length === 0 ? null : rows.map((r) => String(r.column_name));
}

async function tableTypes(db: Db, table: string): Promise<Map<string, string>> {
  const rows = toRows(await db.query(sql`SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ${table}`));
  return new Map(rows.map((r) => [String(r.column_name), String(r.data_type)]));
}

async function publish(db: Db, stageTable: string, target: string, append: boolean): Promise<void> {
  const existing = append ? await tableColumns(db, target) : null;
  if (!existing) {
    // A rename, not a copy: copying held the whole text staging twice at the import's start.
    await db.query('BEGIN TRANSACTION');
    try {
      await db.query(sql`DROP TABLE IF EXISTS ${ident(target)}`);
      await db.query(sql`ALTER TABLE ${ident(stageTable)} RENAME TO ${ident(target)}`);
      await db.query('COMMIT');
    } catch (e) {
      await db.query('ROLLBACK');
      throw e;
    }
    return;
  }
  const staged = (await tableColumns(db, stageTable)) ?? [];
  await db.query('BEGIN TRANSACTION');
  try {
    // Files appended to one staging table may differ in columns; absent ones are NULL.
    for (const col of staged.filter((c) => !existing.includes(c))) {
      await db.query(sql`ALTER TABLE ${ident(target)} ADD COLUMN ${ident(col)} VARCHAR`);
    }
    // Typed staging: a column typed differently in two files becomes text in both (the same
    // CAST the text staging applies), rather than one file's values being coerced to the other's type.
    const [targetTypes, stagedTypes] = [await tableTypes(db, target), await tableTypes(db, stageTable)];
    for (const [col, type] of stagedTypes) {
      const have = targetTypes.get(col);
      if (have && have !== type && have !== 'VARCHAR') await db.query(sql`ALTER TABLE ${ident(target)} ALTER COLUMN ${ident(col)} SET DATA TYPE VARCHAR`);
    }
    await db.query(sql`INSERT INTO ${ident(target)} BY NAME SELECT * FROM ${ident(stageTable)}`);
    await db.query('COMMIT');
  } catch (e) {
    await db.query('ROLLBACK');
    throw e;
  }
}

async function publishEmpty(db: Db, target: string, append: boolean): Promise<void> {
  if (append && (await tableColumns(db, target))) return;
  await db.query(sql`CREATE OR REPLACE TABLE ${ident(target)} (_source_file VARCHAR, _source_line BIGINT)`);
}
