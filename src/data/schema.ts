import { AREA_HITS, AREA_LOOKUP, dropAreaHits, locateAreaHits } from './assign-areas';
import { reprojectColumns } from './coordinates';
import type { Db } from './db-types';
import { ImportError } from './errors';
import { scalar, toRows } from './rows';
import { ident, inList, join, type Sql, type SqlPart, sql, unsafeRaw } from './sql';
import { formatLabel, timestampSql } from './timestamp-formats';
import type { AreaFeature, CanonicalColumn, ColumnMapping, QualityReport, RejectedRow } from './types';

/**
 * Staging (all VARCHAR) → `raw_calls` (every staged row, typed, flagged) → `calls` (usable
 * rows, one per call_id, with derived hour/dow/area). Keeping `raw_calls` lets the quality
 * report and the rejects download explain every row without re-reading the file.
 *
 * Memory (issue #8): the engine must never hold three copies of the calls. So `raw_calls`
 * keeps the row's source text only for rejected rows (the rejects download is its only
 * reader), records which optional times failed to parse so `dropStaging` can free the text
 * staging table as soon as `raw_calls` exists, and loses its descriptive text columns once
 * `calls` holds them. Peak is then max(staging + raw_calls, raw_calls + calls).
 */
export type TimeField = 'received_at' | 'dispatched_at' | 'arrived_at' | 'closed_at';
const OPTIONAL_TIMES: TimeField[] = ['dispatched_at', 'arrived_at', 'closed_at'];
const TEXT_FIELDS = [
  'type_code',
  'type_text',
  'initial_type_code',
  'initial_type_text',
  'initial_priority',
  'priority',
  'disposition',
  'channel',
  'district',
  'beat',
  'block_address',
] as const satisfies readonly CanonicalColumn[];

/** Received times outside this window are almost always a wrong format or a 1900 placeholder. */
export const PLAUSIBLE_FROM = '1970-01-01';
export const PLAUSIBLE_TO = '2100-01-01';
/** Degrees from 0/0 below which a point is the "no location" sentinel (about 11 m). */
const ZERO_DEG = 1e-4;
const RAW_TEXT_CHARS = 500;
/** Staged types whose text form re-parses to the same TIMESTAMP (finer ones would round). */
const EXACT_TIMESTAMP_TYPES = new Set(['TIMESTAMP', 'TIMESTAMP_MS', 'TIMESTAMP_S']);

export interface FileRowCounts {
  input: number;
  loaded: number;
  rejected: number;
}

export interface BuildCallsResult {
  rows: { input: number; loaded: number; rejected: number; duplicates: number; calls: number };
  perFile: Record<string, FileRowCounts>;
  rejected: RejectedRow[];
  /** rows whose id was empty and got `<file>:<line>` instead */
  syntheticIds: number;
  /** optional timestamps that did not parse (set to NULL), per field */
  unparseableOptional: Partial<Record<TimeField, number>>;
  outOfRangeOptional: number;
  reprojection?: { projected: number; failed: number };
  /** location classes per loaded row, as QualityReport.geoRows */
  geoRows?: GeoCounts;
}

type GeoCounts = NonNullable<QualityReport['geoRows']>;

export async function buildCalls(
  db: Db,
  o: {
    staging: string;
    mapping: ColumnMapping;
    areas?: AreaFeature[];
    /** drop the staging table once `raw_calls` is built (the import does; tests may keep it) */
    dropStaging?: boolean;
    /** rows per pass when `raw_calls` and `calls` are built (default SORT_CHUNK_CALLS; tests force several) */
    sortChunkCalls?: number;
  },
): Promise<BuildCallsResult> {
  const { staging, mapping } = o;
  const sourceTypes = await stagingColumns(db, staging);
  const sourceColumns = [...sourceTypes.keys()];
  checkMapping(mapping, sourceColumns, staging);
  const src = sourceText(sourceTypes);
  const col = (name: string | undefined): Sql | null => (name ? src(name) : null);
  const text = (name: string | undefined): Sql => {
    const c = col(name);
    return c ? sql`NULLIF(trim(${c}), '')` : sql`CAST(NULL AS VARCHAR)`;
  };
  const time = (field: TimeField): Sql => {
    const name = mapping.columns[field];
    const c = col(name);
    const format = mapping.timestampFormats[field] ?? 'iso';
    if (name && format === 'iso' && EXACT_TIMESTAMP_TYPES.has(sourceTypes.get(name) ?? '')) {
      // A typed timestamp's text is ISO for years 1-9999 and parses back to the same value, so
      // the regex and re-parse (about 2 s per column at 1M rows) give exactly this; outside that
      // range the text is "(BC)" or "infinity", which the ISO path leaves unparsed too.
      const v = sql`s.${ident(name)}`;
      return sql`CASE WHEN ${v} BETWEEN TIMESTAMP '0001-01-01' AND TIMESTAMP '9999-12-31 23:59:59.999999' THEN CAST(${v} AS TIMESTAMP) END`;
    }
    return c ? timestampSql(c, format) : sql`CAST(NULL AS TIMESTAMP)`;
  };
  const present = (field: TimeField): Sql => {
    const name = mapping.columns[field];
    const c = col(name);
    if (!name || !c) return sql`false`;
    // A non-text value's text is never blank: only NULL is absent.
    if (sourceTypes.get(name) !== 'VARCHAR') return sql`s.${ident(name)} IS NOT NULL`;
    return sql`NULLIF(trim(${c}), '') IS NOT NULL`;
  };
  const idCol = col(mapping.columns.call_id);
  const recvName = mapping.columns.received_at!;
  const trues = (mapping.selfInitiatedTrue ?? ['Y', 'YES', 'TRUE', 'T', '1']).map((v) => v.trim().toUpperCase());
  const selfCol = col(mapping.columns.self_initiated);
  // The source row's text is built only for rejected rows (a CASE branch runs on the rows it
  // selects): built for every row it was 15 of the 24 s this statement took at 1M calls. The
  // source columns pass through the CTE untouched as _src_<i> for it.
  const passThrough = join(
    sourceColumns.map((c, i) => sql`s.${ident(c)} AS ${ident(`_src_${i}`)}`),
    ', ',
  );
  const srcOut = (c: string): Sql => {
    const v = ident(`_src_${sourceColumns.indexOf(c)}`);
    return sourceTypes.get(c) === 'VARCHAR' ? sql`${v}` : sql`CAST(${v} AS VARCHAR)`;
  };
  const rawText = join(
    sourceColumns.map((c) => sql`COALESCE(${srcOut(c)}, '')`),
    ` || ',' || `,
  );
  const receivedRaw = sql`NULLIF(trim(${srcOut(recvName)}), '')`;

  const xy = locationSql(mapping, src, sourceTypes);
  const typedRows = (range: Sql) => sql`
    SELECT CAST(s.rowid AS INTEGER) AS _row, s._source_file, CAST(s._source_line AS BIGINT) AS _source_line,
      ${idCol ? sql`NULLIF(trim(${idCol}), '')` : sql`CAST(NULL AS VARCHAR)`} AS _id,
      ${time('received_at')} AS received_at, NOT (${present('received_at')}) AS _received_missing,
      ${join(OPTIONAL_TIMES.map((f) => sql`${time(f)} AS ${ident(f)}`), ', ')},
      ${join(OPTIONAL_TIMES.map((f) => sql`${present(f)} AS ${ident(`_${f}_present`)}`), ', ')},
      ${xy.x} AS _x, ${xy.y} AS _y,
      ${join(TEXT_FIELDS.map((f) => sql`${text(mapping.columns[f])} AS ${ident(f)}`), ', ')},
      ${selfCol ? sql`CASE WHEN NULLIF(trim(${selfCol}), '') IS NULL THEN NULL ELSE upper(trim(${selfCol})) IN ${inList(trues)} END` : sql`CAST(NULL AS BOOLEAN)`} AS self_initiated,
      ${passThrough}
    FROM ${ident(staging)} s ${range}`;
  const plausible = (v: SqlPart) => sql`(${v} >= TIMESTAMP '${unsafeRaw(PLAUSIBLE_FROM)}' AND ${v} < TIMESTAMP '${unsafeRaw(PLAUSIBLE_TO)}')`;
  const label = formatLabel(mapping.timestampFormats.received_at ?? 'iso');
  // Lon/lat need no reprojection: their quality class and the swap are columns of this one
  // statement (three UPDATEs over every row cost about 2 s at 1M calls).
  const projected = mapping.location.kind === 'projected';
  const geo = projected
    ? sql`CAST(NULL AS DOUBLE) AS lon, CAST(NULL AS DOUBLE) AS lat, CAST(NULL AS VARCHAR) AS geo_quality`
    : sql`CASE WHEN _geo = 'swapped' THEN _y ELSE _x END AS lon, CASE WHEN _geo = 'swapped' THEN _x ELSE _y END AS lat, _geo AS geo_quality`;
  const rawCalls = (range: Sql) => sql`
    WITH t0 AS (${typedRows(range)}),
    t AS (SELECT *, ${projected ? sql`CAST(NULL AS VARCHAR)` : geoQualitySql(sql`_x`, sql`_y`)} AS _geo FROM t0)
    SELECT _row, _source_file, _source_line,
      COALESCE(_id, _source_file || ':' || CAST(_source_line AS VARCHAR)) AS call_id, _id IS NULL AS id_synthetic,
      CASE WHEN ${plausible(sql`received_at`)} THEN received_at END AS received_at,
      ${join(OPTIONAL_TIMES.map((f) => sql`CASE WHEN ${plausible(ident(f))} THEN ${ident(f)} END AS ${ident(f)}`), ', ')},
      ${join(OPTIONAL_TIMES.map((f) => sql`${ident(f)} IS NOT NULL AND NOT ${plausible(ident(f))} AS ${ident(`_${f}_out_of_range`)}`), ', ')},
      ${join(OPTIONAL_TIMES.map((f) => sql`${ident(`_${f}_present`)} AND ${ident(f)} IS NULL AS ${ident(`_${f}_unparseable`)}`), ', ')},
      _x, _y, ${geo},
      ${join(TEXT_FIELDS.map((f) => sql`${ident(f)}`), ', ')}, self_initiated,
      CASE WHEN _received_missing THEN 'missing' WHEN received_at IS NULL THEN 'unparseable'
           WHEN NOT ${plausible(sql`received_at`)} THEN 'out_of_range' ELSE 'ok' END AS ts_quality,
      CASE WHEN _received_missing THEN 'Column \`' || ${recvName} || '\` is empty; every call needs the time it was received.'
           WHEN received_at IS NULL THEN 'Column \`' || ${recvName} || '\` value \`' || left(${receivedRaw}, 80) || '\` is not a date in format ' || ${label}
           WHEN NOT ${plausible(sql`received_at`)} THEN 'Column \`' || ${recvName} || '\` value \`' || left(${receivedRaw}, 80) || '\` is outside 1970–2099; check the date format'
      END AS reject_reason,
      -- Only the rejects download reads the source text; a copy per loaded row doubled the table.
      CASE WHEN ${plausible(sql`received_at`)} IS NOT TRUE THEN left(${rawText}, ${unsafeRaw(String(RAW_TEXT_CHARS))}) END AS _raw_text
    FROM t`;
  await buildRawCalls(db, staging, rawCalls, o.sortChunkCalls ?? SORT_CHUNK_CALLS);
  if (o.dropStaging) await db.query(sql`DROP TABLE IF EXISTS ${ident(staging)}`);

  let reprojection: BuildCallsResult['reprojection'];
  if (projected && mapping.location.kind === 'projected') {
    reprojection = await reprojectColumns(db, { table: 'raw_calls', rowId: '_row', x: '_x', y: '_y', crs: mapping.location.crs, lon: 'lon', lat: 'lat' });
    await db.query(sql`UPDATE raw_calls SET geo_quality = ${geoQualitySql(sql`lon`, sql`lat`)}`);
    // A lone swapped row is corrected (its values prove which is which) but stays flagged.
    await db.query(`UPDATE raw_calls SET lon = lat, lat = lon WHERE geo_quality = 'swapped'`);
  }

  // Areas are located for every loaded row with a point (duplicates too: the quality report
  // counts rows) and joined into `calls` as it is created, instead of an UPDATE of every call.
  const withAreas = !!o.areas && o.areas.length > 0;
  if (withAreas) await locateAreaHits(db, o.areas!, { table: 'raw_calls', where: sql`reject_reason IS NULL AND geo_quality IN ('ok', 'swapped')` });
  const area = withAreas
    ? {
        from: sql`raw_calls r LEFT JOIN ${ident(AREA_HITS)} h ON h.row_id = r._row LEFT JOIN ${ident(AREA_LOOKUP)} l ON l.area_idx = h.area_idx`,
        columns: sql`l.area_id AS area_id, l.area_name AS area_name`,
        quality: sql`CASE WHEN h.area_idx < 0 AND r.geo_quality = 'ok' THEN 'outside_areas' ELSE r.geo_quality END`,
      }
    : { from: sql`raw_calls r`, columns: sql`CAST(NULL AS VARCHAR) AS area_id, CAST(NULL AS VARCHAR) AS area_name`, quality: sql`r.geo_quality` };

  // The first row of each call_id is kept: a narrow (call_id, _row) aggregate finds it, where a
  // window over the whole wide row would buffer every column of every row at once.
  const selectCalls = (keep: Sql, range: Sql) => sql`
    SELECT r.call_id, r.received_at, r.dispatched_at, r.arrived_at, r.closed_at,
      CASE WHEN r.geo_quality IN ('ok', 'swapped') THEN r.lon END AS lon,
      CASE WHEN r.geo_quality IN ('ok', 'swapped') THEN r.lat END AS lat,
      ${join(TEXT_FIELDS.map((f) => sql`r.${ident(f)}`), ', ')}, r.self_initiated, ${area.quality} AS geo_quality,
      CAST(hour(r.received_at) AS INTEGER) AS hour, CAST(isodow(r.received_at) - 1 AS INTEGER) AS dow,
      ${area.columns},
      r._source_file, r._source_line, r._row
    FROM ${area.from} WHERE r.reject_reason IS NULL
      AND r._row IN (${keep}) ${range}
    ORDER BY r.received_at, r._row`;
  const firstRows = sql`SELECT min(_row) FROM raw_calls WHERE reject_reason IS NULL GROUP BY call_id`;
  const bounds = await sortChunkBounds(db, o.sortChunkCalls ?? SORT_CHUNK_CALLS);
  if (bounds.length === 0) {
    await db.query(sql`CREATE OR REPLACE TABLE calls AS ${selectCalls(firstRows, sql``)}`);
  } else {
    await buildCallsInChunks(db, bounds, selectCalls);
  }
  // `calls` now holds the descriptive text; raw_calls keeps what the quality report reads.
  for (const f of [...TEXT_FIELDS, 'call_id', '_x', '_y']) await db.query(sql`ALTER TABLE raw_calls DROP COLUMN ${ident(f)}`);
  const geoRows = await geoRowCounts(db, withAreas);
  if (withAreas) await dropAreaHits(db);
  const result = await summarize(db, recvName);
  return { ...result, geoRows, unparseableOptional: await unparseableOptional(db, mapping), ...(reprojection ? { reprojection } : {}) };
}

/**
 * Issue #8: sorting every call at once was the import's memory peak (the sort holds each row's
 * whole payload uncompressed: ~650 MB of wasm heap at 1M calls, ~3 GB at 5M). Received-time
 * ranges are disjoint and appended in ascending order, so sorting each range on its own gives
 * the very same table (same rows, same order) with one range's payload in the sort at a time.
 */
export const SORT_CHUNK_CALLS = 1_000_000;
const KEEP_ROWS = '_callsight_keep_rows';

/** Received-time bounds that split the loaded rows into ~chunkCalls each; [] when one pass does. */
async function sortChunkBounds(db: Db, chunkCalls: number): Promise<string[]> {
  const loaded = scalar(await db.query('SELECT count(*) FROM raw_calls WHERE reject_reason IS NULL'));
  const chunks = Math.ceil(loaded / Math.max(1, chunkCalls));
  if (chunks <= 1) return [];
  const fractions = Array.from({ length: chunks - 1 }, (_, i) => (i + 1) / chunks);
  // As text, so each bound goes back in as a parameter exactly (TIMESTAMP has microseconds).
  const rows = toRows(
    await db.query(sql`SELECT DISTINCT CAST(unnest(quantile_disc(received_at, ${unsafeRaw(`[${fractions.join(', ')}]`)})) AS VARCHAR) AS b
      FROM raw_calls WHERE reject_reason IS NULL ORDER BY b`),
  );
  return rows.map((r) => String(r.b));
}

/**
 * raw_calls in staged-row ranges of ~chunkRows: one statement over 5M staged rows grew the wasm
 * heap from 0.7 to 2.2 GB and ran out of memory under the tab's 2 GB limit (the new table seems
 * to stay uncompressed until it commits); each range commits before the next. Ranges of rowid
 * keep `_row` and the order, so the table is the same.
 */
async function buildRawCalls(db: Db, staging: string, rawCalls: (range: Sql) => Sql, chunkRows: number): Promise<void> {
  const lastRow = scalar(await db.query(sql`SELECT coalesce(max(rowid), -1) FROM ${ident(staging)}`));
  const step = Math.max(1, chunkRows);
  if (lastRow < step) {
    await db.query(sql`CREATE OR REPLACE TABLE raw_calls AS ${rawCalls(sql``)}`);
    return;
  }
  for (let from = 0; from <= lastRow; from += step) {
    const range = sql`WHERE s.rowid >= ${from} AND s.rowid < ${from + step}`;
    await db.query(from === 0 ? sql`CREATE OR REPLACE TABLE raw_calls AS ${rawCalls(range)}` : sql`INSERT INTO raw_calls ${rawCalls(range)}`);
  }
}

async function buildCallsInChunks(db: Db, bounds: string[], selectCalls: (keep: Sql, range: Sql) => Sql): Promise<void> {
  // The kept rows once (4 bytes each), not one call_id aggregate per range.
  await db.query(sql`CREATE OR REPLACE TEMP TABLE ${ident(KEEP_ROWS)} AS SELECT min(_row) AS _row FROM raw_calls WHERE reject_reason IS NULL GROUP BY call_id`);
  const keep = sql`SELECT _row FROM ${ident(KEEP_ROWS)}`;
  try {
    for (let i = 0; i <= bounds.length; i++) {
      const from = i > 0 ? sql`AND r.received_at >= CAST(${bounds[i - 1]!} AS TIMESTAMP)` : sql``;
      const to = i < bounds.length ? sql`AND r.received_at < CAST(${bounds[i]!} AS TIMESTAMP)` : sql``;
      const select = selectCalls(keep, sql`${from} ${to}`);
      await db.query(i === 0 ? sql`CREATE OR REPLACE TABLE calls AS ${select}` : sql`INSERT INTO calls ${select}`);
    }
  } finally {
    await db.query(sql`DROP TABLE IF EXISTS ${ident(KEEP_ROWS)}`);
  }
}

/**
 * The quality class of a point from its source x/y and its lon/lat: the same rules whether
 * lon/lat are the source values or a reprojection of them.
 */
function geoQualitySql(lon: Sql, lat: Sql): Sql {
  return sql`CASE
      WHEN _x IS NULL OR _y IS NULL THEN 'missing'
      WHEN (_x = 0 AND _y = 0) OR (abs(${lon}) < ${ZERO_DEG} AND abs(${lat}) < ${ZERO_DEG}) THEN 'zero'
      WHEN ${lon} IS NULL OR ${lat} IS NULL OR isnan(${lon}) OR isnan(${lat}) THEN 'out_of_range'
      WHEN abs(${lat}) > 90 AND abs(${lon}) <= 90 THEN 'swapped'
      WHEN abs(${lat}) > 90 OR abs(${lon}) > 180 THEN 'out_of_range'
      ELSE 'ok' END`;
}

/**
 * Location classes per loaded row (see QualityReport.geoRows), computed here while the area
 * outcome of every row is still at hand: kept rows are classed as their call in `calls`, the
 * duplicate rows (few) by their own point. Reading it back later meant joining every row to
 * the calls by point (3-5 s at 1M calls).
 */
async function geoRowCounts(db: Db, withAreas: boolean): Promise<GeoCounts> {
  const dupOutside = withAreas ? sql`(SELECT area_idx < 0 FROM ${ident(AREA_HITS)} h WHERE h.row_id = r._row)` : sql`false`;
  const [c] = toRows(
    await db.query(sql`
      WITH k AS (SELECT geo_quality AS g, false AS outside_row FROM calls),
      d AS (SELECT r.geo_quality AS g, ${dupOutside} AS outside_row FROM raw_calls r
            WHERE r.reject_reason IS NULL AND r._row NOT IN (SELECT _row FROM calls)),
      a AS (SELECT * FROM k UNION ALL SELECT * FROM d)
      SELECT count(*) FILTER (WHERE g = 'ok' AND outside_row IS NOT TRUE) AS valid,
        count(*) FILTER (WHERE g = 'outside_areas' OR (g = 'ok' AND outside_row)) AS outside,
        count(*) FILTER (WHERE g = 'missing') AS missing, count(*) FILTER (WHERE g = 'zero') AS zero,
        count(*) FILTER (WHERE g = 'swapped') AS swapped, count(*) FILTER (WHERE g = 'out_of_range') AS out_of_range
      FROM a`),
  );
  return {
    valid: Number(c?.valid ?? 0),
    missing: Number(c?.missing ?? 0),
    zero: Number(c?.zero ?? 0),
    outside: Number(c?.outside ?? 0),
    swapped: Number(c?.swapped ?? 0),
    outOfRange: Number(c?.out_of_range ?? 0),
  };
}

async function summarize(db: Db, recvName: string): Promise<BuildCallsResult> {
  const perFileRows = toRows(
    await db.query(`SELECT _source_file AS file, count(*) AS input, count(*) FILTER (WHERE reject_reason IS NOT NULL) AS rejected
      FROM raw_calls GROUP BY _source_file ORDER BY min(_row)`),
  );
  const perFile: Record<string, FileRowCounts> = {};
  let input = 0;
  let rejectedCount = 0;
  for (const r of perFileRows) {
    const f = { input: Number(r.input), rejected: Number(r.rejected), loaded: Number(r.input) - Number(r.rejected) };
    perFile[String(r.file)] = f;
    input += f.input;
    rejectedCount += f.rejected;
  }
  const loaded = input - rejectedCount;
  if (input > 0 && loaded === 0) {
    const first = toRows(await db.query('SELECT _source_file AS f, reject_reason AS r FROM raw_calls ORDER BY _row LIMIT 1'))[0]!;
    throw new ImportError(String(first.f), `No row has a usable received time (column \`${recvName}\`). First problem: ${first.r}.`, 'Choose the right column or date format in the mapping and import again.');
  }
  const calls = scalar(await db.query('SELECT count(*) FROM calls'));
  const rejected = toRows(
    await db.query('SELECT _source_file AS file, _source_line AS line, reject_reason AS reason, _raw_text AS raw FROM raw_calls WHERE reject_reason IS NOT NULL ORDER BY _row'),
  ).map((r) => ({ file: String(r.file), line: Number(r.line), reason: String(r.reason), raw: String(r.raw) }));
  const [counts] = toRows(
    await db.query(`SELECT count(*) FILTER (WHERE id_synthetic) AS synthetic,
      ${OPTIONAL_TIMES.map((f) => `count(*) FILTER (WHERE "_${f}_out_of_range") AS "${f}_oor"`).join(', ')}
      FROM raw_calls WHERE reject_reason IS NULL`),
  );
  return {
    rows: { input, loaded, rejected: rejectedCount, duplicates: loaded - calls, calls },
    perFile,
    rejected,
    syntheticIds: Number(counts?.synthetic ?? 0),
    unparseableOptional: {},
    outOfRangeOptional: OPTIONAL_TIMES.reduce((n, f) => n + Number(counts?.[`${f}_oor`] ?? 0), 0),
  };
}

/** Source x/y (or lon/lat) as DOUBLE, from whichever encoding the mapping names. */
function locationSql(mapping: ColumnMapping, src: (column: string) => Sql, types: Map<string, string>): { x: Sql; y: Sql } {
  const loc = mapping.location;
  // A DOUBLE's text is its shortest round-trip form, so parsing it back gives the same value.
  const num = (c: string) => (types.get(c) === 'DOUBLE' ? sql`s.${ident(c)}` : sql`TRY_CAST(trim(${src(c)}) AS DOUBLE)`);
  if (loc.kind === 'lonlat') return { x: num(loc.lon), y: num(loc.lat) };
  if (loc.kind === 'projected') return { x: num(loc.x), y: num(loc.y) };
  if (loc.kind === 'wkt') {
    const part = (i: number) =>
      sql`TRY_CAST(regexp_extract(${src(loc.column)}, '^\\s*[Pp][Oo][Ii][Nn][Tt]\\s*\\(\\s*([^\\s)]+)\\s+([^\\s)]+)\\s*\\)\\s*$', ${unsafeRaw(String(i))}) AS DOUBLE)`;
    return { x: part(1), y: part(2) };
  }
  return { x: sql`CAST(NULL AS DOUBLE)`, y: sql`CAST(NULL AS DOUBLE)` };
}

/** Source columns of the staging table with their types, in order (without _source_*). */
async function stagingColumns(db: Db, staging: string): Promise<Map<string, string>> {
  const rows = toRows(
    await db.query(sql`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ${staging} ORDER BY ordinal_position`),
  );
  return new Map(rows.filter((r) => !String(r.column_name).startsWith('_source_')).map((r) => [String(r.column_name), String(r.data_type)]));
}

/**
 * A source column as the text the staging contract promises. Typed Parquet staging keeps
 * numbers and timestamps in their own type; casting here, one vector at a time, gives the very
 * text the all-VARCHAR staging would have stored, without storing it.
 */
function sourceText(types: Map<string, string>): (column: string) => Sql {
  return (column) => (types.get(column) === 'VARCHAR' || !types.has(column) ? sql`s.${ident(column)}` : sql`CAST(s.${ident(column)} AS VARCHAR)`);
}

function checkMapping(mapping: ColumnMapping, columns: string[], staging: string): void {
  if (!mapping.columns.received_at) {
    throw new ImportError(staging, 'The mapping names no column for the time a call was received.', 'Pick the column that holds the call creation or received time.');
  }
  const named = [...Object.values(mapping.columns)];
  const loc = mapping.location;
  if (loc.kind === 'lonlat') named.push(loc.lon, loc.lat);
  if (loc.kind === 'projected') named.push(loc.x, loc.y);
  if (loc.kind === 'wkt') named.push(loc.column);
  const missing = named.filter((c): c is string => !!c && !columns.includes(c));
  if (missing.length > 0) {
    throw new ImportError(
      staging,
      `The mapping names column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `\`${c}\``).join(', ')} that the file does not have.`,
      'Choose the columns again in the mapping dialog (the file may come from a different export).',
    );
  }
}

/** Optional timestamps that were present but did not parse (stored as NULL), from raw_calls' flags. */
async function unparseableOptional(db: Db, mapping: ColumnMapping): Promise<Partial<Record<TimeField, number>>> {
  const fields = OPTIONAL_TIMES.filter((f) => mapping.columns[f]);
  if (fields.length === 0) return {};
  const [r] = toRows(
    await db.query(sql`SELECT ${join(fields.map((f) => sql`count(*) FILTER (WHERE ${ident(`_${f}_unparseable`)}) AS ${ident(f)}`), ', ')} FROM raw_calls`),
  );
  return Object.fromEntries(fields.map((f) => [f, Number(r?.[f] ?? 0)]));
}
