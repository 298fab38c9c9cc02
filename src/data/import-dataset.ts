import { toCsv } from '../export/csv';
import type { Db } from './db-types';
import { type DetectOptions, detectMapping, type MappingDetection } from './detect-mapping';
import { ImportError } from './errors';
import { stageCsv } from './load-csv';
import { stageParquet } from './load-parquet';
import { matchPreset } from './presets';
import { qualityReport } from './quality';
import { toRows } from './rows';
import { type BuildCallsResult, buildCalls } from './schema';
import { ident, join, sql, unsafeRaw } from './sql';
import type { AreaFeature, ColumnMapping, FileImportReport, QualityReport, RejectedRow } from './types';

/**
 * The whole import in one call, as the drop zone uses it: stage every file (same-schema
 * files stack into one staging table), take the analyst's mapping or a matching preset or a
 * detected one, build `raw_calls`/`calls`, assign areas, and report. Loaders and the build
 * are the ones the tests exercise; this only sequences them.
 */
export type Stager = (
  db: Db,
  file: { name: string; bytes: Uint8Array },
  o: { table: string; append: boolean; signal?: AbortSignal; typed?: boolean },
) => Promise<FileImportReport>;

export interface ImportProgress {
  phase: 'stage' | 'map' | 'build' | 'areas' | 'done';
  file?: string;
  filesDone: number;
  filesTotal: number;
}

export interface ImportOptions {
  mapping?: ColumnMapping;
  areas?: AreaFeature[];
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  timeZone?: string;
  /** Override the loaders (tests, or a worker-side loader). */
  stagers?: { csv: Stager; parquet: Stager };
}

export interface ImportResult {
  report: QualityReport;
  rejected: RejectedRow[];
  /** present when the mapping was detected or matched rather than given */
  detection?: MappingDetection;
  build: BuildCallsResult;
}

const STAGING = 'staging';
const SAMPLE_ROWS = 1000;
const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

export async function importDataset(db: Db, files: { name: string; bytes: Uint8Array }[], o: ImportOptions = {}): Promise<ImportResult> {
  if (files.length === 0) throw new ImportError('(no file)', 'No file was given.', 'Drop one or more CSV or Parquet call-log exports.');
  const stagers = o.stagers ?? { csv: stageCsv, parquet: stageParquet };
  const progress = (phase: ImportProgress['phase'], filesDone: number, file?: string) =>
    o.onProgress?.({ phase, filesDone, filesTotal: files.length, ...(file ? { file } : {}) });
  const cancelled = (file: string) => {
    if (o.signal?.aborted) throw new ImportError(file, 'Import cancelled.', 'Nothing was changed in the loaded dataset; drop the files again to retry.');
  };

  await db.query(sql`DROP TABLE IF EXISTS ${ident(STAGING)}`);
  const reports: FileImportReport[] = [];
  // Typed staging (load-parquet.ts) only when no CSV joins the same staging table: a CSV's
  // text appended into a typed column would be coerced instead of kept as written.
  const typed = files.every(isParquet);
  for (const [i, file] of files.entries()) {
    cancelled(file.name);
    progress('stage', i, file.name);
    const stage = isParquet(file) ? stagers.parquet : stagers.csv;
    reports.push(await stage(db, file, { table: STAGING, append: i > 0, typed, ...(o.signal ? { signal: o.signal } : {}) }));
  }

  cancelled(files[0]!.name);
  progress('map', files.length);
  let detection: MappingDetection | undefined;
  let mapping = o.mapping;
  if (!mapping) {
    const columns = reports[0]!.columns;
    const preset = matchPreset(columns);
    if (preset) {
      mapping = preset.mapping;
    } else {
      detection = detectMapping(columns, await sampleColumns(db, columns), detectOptions(o));
      mapping = detection.mapping;
      if (!mapping.columns.received_at) {
        throw new ImportError(files.map((f) => f.name).join(', '), detection.problems[0] ?? 'No received-time column was found.', 'Choose the columns in the mapping dialog.');
      }
    }
  }

  progress('build', files.length);
  const build = await buildCalls(db, { staging: STAGING, mapping, dropStaging: true, ...(o.areas ? { areas: o.areas } : {}) });
  const report = await qualityReport(db, reports, mapping, build, o.areas ? { areas: o.areas } : {});
  await db.query(sql`DROP TABLE IF EXISTS ${ident(STAGING)}`);
  progress('done', files.length);
  const rejected = [...reports.flatMap((r) => r.rejected), ...build.rejected];
  return { report, rejected, ...(detection ? { detection } : {}), build };
}

function isParquet(file: { name: string; bytes: Uint8Array }): boolean {
  if (/\.parquet$/i.test(file.name)) return true;
  return PARQUET_MAGIC.every((b, i) => file.bytes[i] === b);
}

function detectOptions(o: ImportOptions): DetectOptions {
  const out: DetectOptions = {};
  if (o.timeZone) out.timeZone = o.timeZone;
  if (o.areas?.length) {
    let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const a of o.areas) {
      const polys = a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates;
      for (const p of polys) {
        for (const [x, y] of p[0] ?? []) {
          w = Math.min(w, x!);
          e = Math.max(e, x!);
          s = Math.min(s, y!);
          n = Math.max(n, y!);
        }
      }
    }
    out.within = [w, s, e, n];
  }
  return out;
}

/** A seeded reservoir sample, so the same file always yields the same detected mapping. */
async function sampleColumns(db: Db, columns: string[]): Promise<Record<string, (string | null)[]>> {
  // As text, whatever the staged type: detection reads values the way the file would show them.
  const asText = join(
    columns.map((c) => sql`CAST(${ident(c)} AS VARCHAR) AS ${ident(c)}`),
    ', ',
  );
  const rows = toRows(await db.query(sql`SELECT ${asText} FROM ${ident(STAGING)} USING SAMPLE ${unsafeRaw(String(SAMPLE_ROWS))} ROWS (reservoir, 42)`));
  return Object.fromEntries(columns.map((c) => [c, rows.map((r) => (r[c] == null ? null : String(r[c])))]));
}

/**
 * Rejected rows as CSV for the records unit, formula-safe (src/export/csv.ts: OWASP CSV
 * injection guidance).
 */
export function rejectsToCsv(rejected: readonly RejectedRow[]): string {
  return toCsv(
    ['file', 'line', 'reason', 'raw'],
    rejected.map((r) => [r.file, r.line, r.reason, r.raw]),
  );
}
