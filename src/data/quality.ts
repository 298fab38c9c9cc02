import type { Db } from './db-types';
import { toRows } from './rows';
import type { BuildCallsResult } from './schema';
import type { ColumnMapping, FileImportReport, QualityReport } from './types';

/**
 * The numbers the analyst sees after an import, read back from `raw_calls` and `calls` so
 * the report describes what is actually in the tables. Row counts include structural rejects
 * from the loaders; geo counts are per call (after de-duplication), as mapped.
 */
export async function qualityReport(
  db: Db,
  fileReports: FileImportReport[],
  mapping: ColumnMapping,
  build?: Pick<BuildCallsResult, 'unparseableOptional' | 'outOfRangeOptional'>,
): Promise<QualityReport> {
  const [raw] = toRows(
    await db.query(`SELECT count(*) AS staged,
        count(*) FILTER (WHERE reject_reason IS NOT NULL) AS rejected,
        count(*) FILTER (WHERE ts_quality = 'unparseable' OR ts_quality = 'missing') AS unparseable,
        count(*) FILTER (WHERE ts_quality = 'out_of_range') AS out_of_range,
        count(*) FILTER (WHERE reject_reason IS NULL AND geo_quality = 'missing') AS geo_missing_rows,
        count(*) FILTER (WHERE reject_reason IS NULL AND geo_quality = 'zero') AS geo_zero_rows,
        count(*) FILTER (WHERE reject_reason IS NULL AND geo_quality = 'out_of_range') AS geo_out_of_range_rows
      FROM raw_calls`),
  );
  const [calls] = toRows(
    await db.query(`SELECT count(*) AS n, strftime(min(received_at), '%Y-%m-%dT%H:%M:%S') AS start, strftime(max(received_at), '%Y-%m-%dT%H:%M:%S') AS "end",
        count(*) FILTER (WHERE geo_quality = 'ok') AS valid, count(*) FILTER (WHERE geo_quality = 'missing') AS missing,
        count(*) FILTER (WHERE geo_quality = 'zero') AS zero, count(*) FILTER (WHERE geo_quality = 'outside_areas') AS outside,
        count(*) FILTER (WHERE geo_quality = 'swapped') AS swapped, count(*) FILTER (WHERE geo_quality = 'out_of_range') AS out_of_range
      FROM calls`),
  );
  const structural = fileReports.reduce((n, f) => n + f.rejected.length, 0);
  const staged = Number(raw?.staged ?? 0);
  const valueRejects = Number(raw?.rejected ?? 0);
  const loaded = staged - valueRejects;
  const optionalUnparseable = Object.values(build?.unparseableOptional ?? {}).reduce((a, b) => a + (b ?? 0), 0);
  return {
    files: fileReports,
    rows: { input: staged + structural, loaded, rejected: valueRejects + structural, duplicates: loaded - Number(calls?.n ?? 0) },
    timeRange: { start: (calls?.start as string | null) ?? null, end: (calls?.end as string | null) ?? null },
    timeZone: mapping.timeZone,
    geo: {
      valid: Number(calls?.valid ?? 0),
      missing: Number(calls?.missing ?? 0),
      zero: Number(calls?.zero ?? 0),
      outside: Number(calls?.outside ?? 0),
      swapped: Number(calls?.swapped ?? 0),
      outOfRange: Number(calls?.out_of_range ?? 0),
    },
    geoRows: {
      missing: Number(raw?.geo_missing_rows ?? 0),
      zero: Number(raw?.geo_zero_rows ?? 0),
      outOfRange: Number(raw?.geo_out_of_range_rows ?? 0),
    },
    timestamps: {
      unparseable: Number(raw?.unparseable ?? 0) + optionalUnparseable,
      outOfRange: Number(raw?.out_of_range ?? 0) + (build?.outOfRangeOptional ?? 0),
    },
    mapping,
  };
}
