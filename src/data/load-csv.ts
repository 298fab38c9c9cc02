import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { recogniseNonCsv, recogniseNonDelimitedText } from './csv-file-kind';
import { readRejects } from './csv-rejects';
import { CsvRecordScanner, indexOfSorted, type ScanResult } from './csv-scan';
import { type CsvDialect, sniffDialect } from './csv-sniff';
import type { Db } from './db-types';
import { detectEncoding, transcodeToUtf8 } from './detect-encoding';
import { ImportError } from './errors';
import { scalar, toRows } from './rows';
import { ident, join, type Sql, sql } from './sql';
import type { FileImportReport, RejectedRow } from './types';

export interface StageCsvOptions {
  /** Staging table to create (replacing it) or append to. */
  table: string;
  /** true: INSERT into the existing table (same column names required; created if missing). */
  append: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { bytesRead: number; bytesTotal: number; rows: number }) => void;
}

export const SOURCE_COLUMNS = ['_source_file', '_source_line'] as const;

/**
 * Same columns, in any order, names compared exactly (case and spaces included). Order does
 * not matter because appends are `INSERT … BY NAME`: monthly exports that shuffle columns
 * still stack correctly. Anything else (a renamed or extra column) needs the mapping step.
 */
export function sameSchema(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.every((v, i) => v === sb[i]);
}

/** Source columns of a staging table (without _source_file/_source_line); [] if it does not exist. */
export async function csvColumns(db: Db, table: string): Promise<string[]> {
  const rows = toRows(
    await db.query(sql`SELECT column_name FROM duckdb_columns() WHERE table_name = ${table} ORDER BY column_index`),
  );
  return rows.map((r) => String(r.column_name)).filter((c) => !(SOURCE_COLUMNS as readonly string[]).includes(c));
}

let seq = 0;
const SCAN_SLICE_BYTES = 8 << 20;

export async function stageCsv(db: Db, file: { name: string; bytes: Uint8Array }, options: StageCsvOptions): Promise<FileImportReport> {
  const { name, bytes } = file;
  const { signal, onProgress } = options;
  const total = bytes.length;
  const cancelled = () => new ImportError(name, 'Import cancelled.', 'Nothing from this file was added; drop it again to retry.');
  const check = () => {
    if (signal?.aborted) throw cancelled();
  };
  check();
  const warnings: string[] = [];
  if (total === 0) throw new ImportError(name, 'The file is empty (0 bytes).', 'Export the call log again; the download or copy probably failed.');
  const notCsv = recogniseNonCsv(bytes);
  if (notCsv) throw new ImportError(name, `This is ${notCsv.what}, not a CSV file.`, notCsv.next);

  const enc = detectEncoding(bytes);
  let utf8: Uint8Array;
  if (enc.encoding === 'utf-8') {
    utf8 = enc.bomBytes ? bytes.subarray(enc.bomBytes) : bytes;
    if (enc.bomBytes) warnings.push('UTF-8 byte-order mark removed.');
    if (enc.invalidUtf8 > 0) {
      warnings.push(`${enc.invalidUtf8} invalid UTF-8 byte sequence(s) in an otherwise UTF-8 file; the records containing them are rejected, not guessed.`);
    }
  } else {
    utf8 = transcodeToUtf8(bytes, enc.encoding, enc.bomBytes);
    warnings.push(
      enc.encoding === 'windows-1252'
        ? 'The file is not valid UTF-8: decoded as Windows-1252 (Western European). If accented letters look wrong, re-save the file as "CSV UTF-8".'
        : `Decoded from ${enc.encoding.toUpperCase()} (byte-order mark found).`,
    );
  }
  const encoding = enc.encoding;
  if (utf8.length === 0) throw new ImportError(name, 'The file contains only a byte-order mark and no text.', 'Export the call log again.');
  const notText = recogniseNonDelimitedText(utf8);
  if (notText) throw new ImportError(name, `This file looks like ${notText.what}.`, notText.next);

  let dialect: CsvDialect;
  try {
    dialect = await sniffDialect(db, utf8);
  } catch (e) {
    throw new ImportError(name, `The columns could not be recognised (${firstLine(e, name)}).`, 'Check that the file is a comma-, semicolon-, tab- or pipe-separated export.');
  }
  check();
  if (dialect.columns.some((c) => c.includes('\u0000'))) {
    throw new ImportError(name, 'The header row contains NUL bytes (binary data).', 'Check that this is the CSV export and not a damaged or binary file.');
  }
  if (dialect.columns.length === 0) throw new ImportError(name, 'No columns were found.', 'Check that this is the CSV export of the call log.');

  const scan = await scanRecords(utf8, dialect, total, signal, onProgress, cancelled);
  if (options.append) {
    const existing = await csvColumns(db, options.table);
    if (existing.length > 0 && !sameSchema(existing, dialect.columns)) {
      const missing = existing.filter((c) => !dialect.columns.includes(c));
      const extra = dialect.columns.filter((c) => !existing.includes(c));
      throw new ImportError(
        name,
        `Its columns differ from the files already loaded into ${options.table} (missing: ${list(missing)}; new: ${list(extra)}).`,
        'Load it separately and map its columns, or export it with the same columns as the other files.',
      );
    }
  }

  const id = ++seq;
  const fileName = `callsight_csv_${id}.csv`;
  const stage = `_callsight_stage_${id}`;
  const linesTable = `_callsight_lines_${id}`;
  const rejErrors = `_callsight_rejects_${id}`;
  const rejScans = `_callsight_reject_scans_${id}`;
  const onAbort = () => void db.cancel();
  signal?.addEventListener('abort', onAbort);
  try {
    // In the browser this transfers the buffer to the DuckDB worker (no copy, caller's view detached).
    await db.registerFile(fileName, utf8);
    check();
    const columnsStruct = join(
      dialect.columns.map((c) => sql`${ident(c)} := 'VARCHAR'`),
      ', ',
    );
    try {
      await db.query(sql`CREATE TEMP TABLE ${ident(stage)} AS SELECT * FROM read_csv(${fileName},
        auto_detect = false, header = ${dialect.header}, skip = ${dialect.skipRows}, delim = ${dialect.delimiter},
        quote = ${dialect.quote}, escape = ${dialect.escape}, comment = ${dialect.comment},
        columns = struct_pack(${columnsStruct}), allow_quoted_nulls = false,
        store_rejects = true, rejects_table = ${rejErrors}, rejects_scan = ${rejScans})`);
    } catch (e) {
      check();
      throw new ImportError(name, `DuckDB could not read it (${firstLine(e, name)}).`, 'Open it in a text editor to check the delimiter and quotes, or re-export it as "CSV UTF-8".');
    }
    check();
    const staged = scalar(await db.query(sql`SELECT count(*) FROM ${ident(stage)}`));
    const rejects = await readRejects(db, rejErrors, dialect.columns.length);
    const { rejected, lines, agree } = placeRecords(name, scan, rejects, staged);
    if (!agree) {
      warnings.push(
        `Line numbers could not be matched exactly (our scan found ${scan.records} records, DuckDB ${staged + rejects.length}); ` +
          '_source_line is left empty for this file rather than guessed.',
      );
    }
    addScanWarnings(warnings, scan, dialect);
    check();
    const sourceLine = await lineColumn(db, linesTable, lines, staged);
    const body = sql`SELECT s.*, ${name}::VARCHAR AS _source_file, ${sourceLine.expr} AS _source_line
      FROM ${ident(stage)} s ${sourceLine.join}`;
    check();
    // One statement commits the file: cancelling before it leaves nothing behind.
    if (options.append && (await csvColumns(db, options.table)).length > 0) {
      await db.query(sql`INSERT INTO ${ident(options.table)} BY NAME ${body}`);
    } else {
      await db.query(sql`CREATE OR REPLACE TABLE ${ident(options.table)} AS ${body}`);
    }
    onProgress?.({ bytesRead: total, bytesTotal: total, rows: staged });
    return {
      file: name,
      format: 'csv',
      bytes: total,
      inputRows: staged + rejected.length,
      stagedRows: staged,
      rejected,
      encoding,
      warnings,
      dialect: { delimiter: dialect.delimiter, quote: dialect.quote, escape: dialect.escape, header: dialect.header, newline: dialect.newline },
      columns: dialect.columns,
    };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    for (const t of [stage, linesTable, rejErrors, rejScans]) await db.query(sql`DROP TABLE IF EXISTS ${ident(t)}`).catch(() => {});
    await db.dropFile(fileName).catch(() => {});
  }
}

async function scanRecords(
  utf8: Uint8Array,
  dialect: CsvDialect,
  total: number,
  signal: AbortSignal | undefined,
  onProgress: StageCsvOptions['onProgress'],
  cancelled: () => ImportError,
): Promise<ScanResult> {
  const scanner = new CsvRecordScanner(utf8, {
    delimiter: new TextEncoder().encode(dialect.delimiter),
    quote: dialect.quote ? dialect.quote.charCodeAt(0) : -1,
    escape: dialect.escape ? dialect.escape.charCodeAt(0) : -1,
    comment: dialect.comment ? dialect.comment.charCodeAt(0) : -1,
    header: dialect.header,
    skipRows: dialect.skipRows,
  });
  for (let until = SCAN_SLICE_BYTES; !scanner.scanUntil(until); until += SCAN_SLICE_BYTES) {
    onProgress?.({ bytesRead: Math.round((scanner.bytesScanned / utf8.length) * total), bytesTotal: total, rows: scanner.recordsSoFar });
    // Yield so the page can paint progress and an abort can land between slices.
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (signal?.aborted) throw cancelled();
  }
  return scanner.result();
}

/** Match DuckDB's rejects to our records; the rest, in order, are the staged rows. */
function placeRecords(file: string, scan: ScanResult, rejects: Awaited<ReturnType<typeof readRejects>>, staged: number) {
  const rejectedIdx = rejects.map((r) => indexOfSorted(scan.recordDuckLine, r.duckLine));
  const agree = scan.records === staged + rejects.length && rejectedIdx.every((i) => i >= 0);
  const rejected: RejectedRow[] = rejects.map((r, k) => {
    const idx = rejectedIdx[k]!;
    const line = idx >= 0 ? scan.recordStartLine[idx]! : lineAtByte(scan, r.byte);
    return { file, line, reason: r.reason, raw: r.raw };
  });
  if (!agree) return { rejected, lines: null, agree };
  const lines = new Int32Array(staged);
  const isRejected = new Uint8Array(scan.records);
  for (const i of rejectedIdx) isRejected[i] = 1;
  let k = 0;
  for (let i = 0; i < scan.records; i++) if (!isRejected[i]) lines[k++] = scan.recordStartLine[i]!;
  return { rejected, lines, agree };
}

/** Physical line of a byte that is not a record start: the nearest record start before it. */
function lineAtByte(scan: ScanResult, byte: number): number {
  let lo = 0;
  let hi = scan.records - 1;
  let best = scan.headerLine ?? 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (scan.recordStartByte[mid]! <= byte) {
      best = scan.recordStartLine[mid]!;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

async function lineColumn(db: Db, table: string, lines: Int32Array | null, staged: number): Promise<{ expr: Sql; join: Sql }> {
  if (!lines || staged === 0) return { expr: sql`NULL::BIGINT`, join: sql`` };
  const ipc = tableToIPC(tableFromArrays({ line: lines }), 'stream');
  await db.insertArrowIpc(table, ipc, true);
  // Both sides are in file order; POSITIONAL JOIN pairs them without sorting or hashing.
  return { expr: sql`l.line::BIGINT`, join: sql`POSITIONAL JOIN ${ident(table)} l` };
}

function addScanWarnings(warnings: string[], scan: ScanResult, dialect: CsvDialect): void {
  if (!dialect.header) warnings.push(`No header row was detected; columns are named ${list(dialect.columns.slice(0, 3))}${dialect.columns.length > 3 ? ', …' : ''}.`);
  if (scan.headerFields) {
    scan.headerFields.forEach((raw, i) => {
      const used = dialect.columns[i];
      if (used !== undefined && used !== raw) {
        warnings.push(`Header column ${i + 1} ${raw.trim() === '' ? 'is blank' : `\`${raw}\` is a duplicate`}; it is named \`${used}\`.`);
      }
    });
  }
  if (scan.records === 0) warnings.push('The file has a header but no data rows: 0 rows loaded.');
  if (scan.blankLines > 0) {
    const sample = scan.blankLineSample.join(', ');
    warnings.push(`${scan.blankLines} blank line(s) skipped (line ${sample}${scan.blankLines > scan.blankLineSample.length ? ', …' : ''}); they hold no data.`);
  }
  if (scan.commentLines > 0) warnings.push(`${scan.commentLines} comment line(s) starting with \`${dialect.comment}\` skipped.`);
  if (scan.skippedLines > 0) warnings.push(`The first ${scan.skippedLines} line(s) before the header were skipped (title or notes).`);
  if (scan.unterminatedQuoteLine !== null) {
    warnings.push(`A quote opened on line ${scan.unterminatedQuoteLine} is never closed, so everything after it is one rejected record.`);
  }
}

function list(names: string[]): string {
  return names.length ? names.map((n) => `\`${n}\``).join(', ') : 'none';
}

/** DuckDB's first message line, minus its error class and our internal file name. */
function firstLine(e: unknown, file: string): string {
  const msg = e instanceof Error ? e.message : String(e);
  const line = msg.split('\n').find((l) => l.trim()) ?? msg;
  return line
    .replace(/^[A-Za-z ]*Error:\s*/, '')
    .replace(/"?callsight_(?:sniff|csv)_\d+\.csv"?/g, `"${file}"`)
    .replace(/\.$/, '')
    .trim();
}
