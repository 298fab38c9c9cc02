import { buildAreaIndex } from './assign-areas';
import type { Db } from './db-types';
import { toRows } from './rows';
import type { BuildCallsResult } from './schema';
import type { AreaFeature, ColumnMapping, FileImportReport, QualityReport } from './types';

/**
 * The numbers the analyst sees after an import, read back from `raw_calls` and `calls` so
 * the report describes what is actually in the tables. Row counts include structural rejects
 * from the loaders; `geo` counts are per call (after de-duplication), as mapped; `geoRows`
 * counts the same classes in loaded rows, the way source READMEs and records units count
 * (New Orleans: 237 rows at 0,0 are 202 distinct calls). Pass the areas the calls were
 * assigned to, so duplicate rows whose point differs from their kept call are classed too.
 */
export async function qualityReport(
  db: Db,
  fileReports: FileImportReport[],
  mapping: ColumnMapping,
  build?: Pick<BuildCallsResult, 'unparseableOptional' | 'outOfRangeOptional' | 'geoRows'>,
  o: { areas?: readonly AreaFeature[] } = {},
): Promise<QualityReport> {
  const [raw] = toRows(
    await db.query(`SELECT count(*) AS staged,
        count(*) FILTER (WHERE reject_reason IS NOT NULL) AS rejected,
        count(*) FILTER (WHERE ts_quality = 'unparseable' OR ts_quality = 'missing') AS unparseable,
        count(*) FILTER (WHERE ts_quality = 'out_of_range') AS out_of_range
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
    // buildCalls counts the rows while their area outcome is at hand; read back otherwise.
    geoRows: build?.geoRows ?? (await geoRowCounts(db, o.areas)),
    timestamps: {
      unparseable: Number(raw?.unparseable ?? 0) + optionalUnparseable,
      outOfRange: Number(raw?.out_of_range ?? 0) + (build?.outOfRangeOptional ?? 0),
    },
    mapping,
  };
}

/**
 * Location classes per loaded row. Missing, 0,0, swapped and impossible points are row
 * properties already; "outside the areas" was decided per kept call. Whether a point lies in
 * an area depends only on the point, so a row takes the outcome of any call at the same
 * point; the few points no kept call has (a duplicate row with other coordinates) are
 * located here against the same areas.
 */
async function geoRowCounts(db: Db, areas: readonly AreaFeature[] | undefined): Promise<NonNullable<QualityReport['geoRows']>> {
  const matched = `
    WITH r AS (SELECT lon, lat, geo_quality FROM raw_calls WHERE reject_reason IS NULL),
    p AS (SELECT lon, lat, bool_or(geo_quality = 'outside_areas') AS outside
          FROM calls WHERE geo_quality IN ('ok', 'outside_areas') GROUP BY lon, lat)
    SELECT r.lon, r.lat, r.geo_quality, p.outside FROM r LEFT JOIN p ON r.lon = p.lon AND r.lat = p.lat`;
  const [c] = toRows(
    await db.query(`SELECT count(*) FILTER (WHERE geo_quality = 'ok' AND outside IS NOT TRUE) AS valid,
        count(*) FILTER (WHERE geo_quality = 'ok' AND outside) AS outside,
        count(*) FILTER (WHERE geo_quality = 'ok' AND outside IS NULL) AS unmatched,
        count(*) FILTER (WHERE geo_quality = 'missing') AS missing, count(*) FILTER (WHERE geo_quality = 'zero') AS zero,
        count(*) FILTER (WHERE geo_quality = 'swapped') AS swapped, count(*) FILTER (WHERE geo_quality = 'out_of_range') AS out_of_range
      FROM (${matched})`),
  );
  let valid = Number(c?.valid ?? 0);
  let outside = Number(c?.outside ?? 0);
  if (Number(c?.unmatched ?? 0) > 0 && areas && areas.length > 0) {
    const index = buildAreaIndex(areas);
    const points = toRows(await db.query(`SELECT lon, lat, count(*) AS n FROM (${matched}) WHERE geo_quality = 'ok' AND outside IS NULL GROUP BY lon, lat`));
    for (const pt of points) {
      if (index.locate(Number(pt.lon), Number(pt.lat)) < 0) {
        outside += Number(pt.n);
        valid -= Number(pt.n);
      }
    }
  }
  return {
    valid,
    missing: Number(c?.missing ?? 0),
    zero: Number(c?.zero ?? 0),
    outside,
    swapped: Number(c?.swapped ?? 0),
    outOfRange: Number(c?.out_of_range ?? 0),
  };
}
