import type { Db } from '../data/db-types';
import { exportParquet } from '../data/export-parquet';
import { getParquetWasm } from '../data/parquet-wasm';
import { parsePreset } from '../data/presets';
import { scalar, toRows } from '../data/rows';
import { ident, join, sql, unsafeRaw } from '../data/sql';
import type { FileImportReport, QualityReport, RejectedRow } from '../data/types';
import { isPlainObject, strictObject } from './persist';

/**
 * The loaded dataset, kept in this browser's storage so a reload (or a tab that crashed
 * mid-import) opens on it again without the file. What is kept: the canonical `calls` table
 * as Parquet (the app's own export path), the quality report and rejected rows, and the area
 * and GTFS files as they were dropped (re-parsed by their loaders on restore).
 *
 * Never half-used: data files are written under a new generation name, the manifest naming
 * them (with each file's SHA-256 and the row count) is written to a temporary name and renamed
 * over the old one last; only then are the old generation's files removed. On restore every
 * file must match its checksum and the rebuilt table its row count, or nothing is used.
 * Storage is treated as untrusted like localStorage (persist.ts): the manifest and metadata
 * go through allow-listed parsers.
 */
export interface CacheStore {
  read(name: string): Promise<Uint8Array | null>;
  write(name: string, bytes: Uint8Array): Promise<void>;
  /** replaces `to` with `from` in one step */
  rename(from: string, to: string): Promise<void>;
  remove(name: string): Promise<void>;
  list(): Promise<string[]>;
}

export const CACHE_FORMAT = 'callsight-dataset-cache';
export const CACHE_VERSION = 1;
export const MANIFEST = 'manifest.json';
/** Larger caches are not written: a reload then needs the file again (said in a notice). */
export const DEFAULT_CACHE_MAX_BYTES = 512 * 1024 ** 2;
/** Rejected rows kept for the download after a restore; the counts stay exact. */
export const MAX_CACHED_REJECTS = 10_000;
const MAX_META_BYTES = 64 * 1024 ** 2;
const MAX_MANIFEST_BYTES = 256 * 1024;

export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

export interface DatasetSnapshot {
  datasetName: string;
  report: QualityReport;
  rejected: RejectedRow[];
  areas: (NamedBytes & { label: string }) | null;
  gtfs: NamedBytes[];
}

export interface CacheInfo {
  datasetName: string;
  savedAt: string;
  rows: number;
  bytes: number;
}

export type SaveOutcome = { saved: true; info: CacheInfo } | { saved: false; reason: string };

type Role = 'calls' | 'meta' | 'areas' | 'gtfs';
interface FileEntry {
  role: Role;
  name: string;
  original: string;
  bytes: number;
  sha256: string;
}
interface Manifest {
  format: typeof CACHE_FORMAT;
  version: number;
  generation: string;
  savedAt: string;
  datasetName: string;
  rows: number;
  columns: { name: string; type: string }[];
  areasLabel: string | null;
  files: FileEntry[];
}

let generationCounter = 0;

/** The calls table as the cache keeps it: Parquet parts of consecutive row ranges. */
export interface CallsCopy {
  columns: { name: string; type: string }[];
  rows: number;
  parts: Uint8Array[];
}

/**
 * Rows per Parquet part. One `SELECT * FROM calls` of 1M calls held duckdb-wasm's one
 * connection for 7-10 s after the first map, so the analyst's first click waited for it; in
 * ranges, a dashboard query issued meanwhile runs between two parts, and each part's
 * Parquet write on the main thread is a short task instead of one long one.
 */
export const CACHE_PART_ROWS = 200_000;

/**
 * Reads `calls` for the cache. The import calls this once the new dataset's first views have
 * settled (import-flow.ts keepWhenDrawn), never beside that first refresh: duckdb-wasm has
 * one connection, and in the e2e runs a full-table export racing it stalled the refresh.
 */
export async function readCallsForCache(db: Db, partRows = CACHE_PART_ROWS): Promise<CallsCopy | { skipped: string }> {
  const columns = toRows(await db.query(sql`SELECT column_name AS name, data_type AS type FROM duckdb_columns() WHERE table_name = ${'calls'} AND schema_name = ${'main'} AND database_name = current_database() ORDER BY column_index`)).map(
    (r) => ({ name: String(r.name), type: String(r.type) }),
  );
  // Never write what the next start-up would refuse (the same rule as persist.ts).
  const odd = columns.find((c) => !TYPES.has(c.type));
  if (odd) return { skipped: `column ${odd.name} has type ${odd.type}, which the cache cannot restore` };
  const rows = scalar(await db.query('SELECT count(*) FROM calls'));
  const parts: Uint8Array[] = [];
  // rowid ranges keep the physical order (calls is sorted by received time), and an empty
  // table still gets one part, so a restore always has a schema to read.
  for (let start = 0; start < rows || parts.length === 0; start += partRows) {
    parts.push(await exportParquet(db, sql`SELECT * FROM calls WHERE rowid >= ${start} AND rowid < ${start + partRows} ORDER BY rowid`));
    await new Promise((r) => setTimeout(r, 0));
  }
  return { columns, rows, parts };
}

export async function saveDataset(
  db: Db,
  store: CacheStore,
  snapshot: DatasetSnapshot,
  o: { maxBytes?: number; now?: Date; freeBytes?: number | null; partRows?: number } = {},
): Promise<SaveOutcome> {
  const copy = await readCallsForCache(db, o.partRows);
  if ('skipped' in copy) return { saved: false, reason: copy.skipped };
  return writeDataset(store, snapshot, copy, o);
}

/** The storage half of a save: no DuckDB, so it may run while the dashboard queries. */
export async function writeDataset(
  store: CacheStore,
  snapshot: DatasetSnapshot,
  copy: CallsCopy,
  o: { maxBytes?: number; now?: Date; freeBytes?: number | null } = {},
): Promise<SaveOutcome> {
  const maxBytes = o.maxBytes ?? DEFAULT_CACHE_MAX_BYTES;
  const { columns, rows, parts } = copy;
  const meta = new TextEncoder().encode(JSON.stringify({ report: snapshot.report, rejected: snapshot.rejected.slice(0, MAX_CACHED_REJECTS) }));
  const payload: { role: Role; original: string; bytes: Uint8Array }[] = [
    ...parts.map((bytes, i) => ({ role: 'calls' as const, original: parts.length === 1 ? 'calls.parquet' : `calls-${i + 1}.parquet`, bytes })),
    { role: 'meta', original: 'meta.json', bytes: meta },
    ...(snapshot.areas ? [{ role: 'areas' as const, original: snapshot.areas.name, bytes: snapshot.areas.bytes }] : []),
    ...snapshot.gtfs.map((f) => ({ role: 'gtfs' as const, original: f.name, bytes: f.bytes })),
  ];
  const total = payload.reduce((n, p) => n + p.bytes.byteLength, 0);
  if (total > maxBytes) return { saved: false, reason: `it needs ${mb(total)} and the cache is limited to ${mb(maxBytes)}` };
  if (o.freeBytes != null && total > o.freeBytes) return { saved: false, reason: `the browser has ${mb(o.freeBytes)} of storage left for this site and the dataset needs ${mb(total)}` };

  const now = o.now ?? new Date();
  const generation = `${now.getTime().toString(36)}-${(++generationCounter).toString(36)}`;
  const files: FileEntry[] = [];
  for (const [i, p] of payload.entries()) {
    const name = `${generation}-${i}-${p.role}.bin`;
    await store.write(name, p.bytes);
    files.push({ role: p.role, name, original: p.original.slice(0, 255), bytes: p.bytes.byteLength, sha256: await sha256(p.bytes) });
  }
  const manifest: Manifest = {
    format: CACHE_FORMAT,
    version: CACHE_VERSION,
    generation,
    savedAt: now.toISOString(),
    datasetName: snapshot.datasetName.slice(0, 500),
    rows,
    columns,
    areasLabel: snapshot.areas?.label.slice(0, 500) ?? null,
    files,
  };
  await store.write(`${MANIFEST}.tmp`, new TextEncoder().encode(JSON.stringify(manifest)));
  await store.rename(`${MANIFEST}.tmp`, MANIFEST);
  await removeUnreferenced(store, new Set(files.map((f) => f.name)));
  return { saved: true, info: { datasetName: manifest.datasetName, savedAt: manifest.savedAt, rows, bytes: total } };
}

export interface RestoredDataset {
  info: CacheInfo;
  report: QualityReport;
  rejected: RejectedRow[];
  areas: (NamedBytes & { label: string }) | null;
  gtfs: NamedBytes[];
}

export type RestoreOutcome = { restored: RestoredDataset } | { restored: null; problem?: string };

/**
 * Rebuilds `calls` from the cache. Nothing in DuckDB changes unless every check passes; a
 * damaged cache is removed (it would fail the same way on every reload) and reported.
 */
export async function restoreDataset(db: Db, store: CacheStore): Promise<RestoreOutcome> {
  const raw = await store.read(MANIFEST);
  if (!raw) return { restored: null };
  const fail = async (problem: string): Promise<RestoreOutcome> => {
    await forgetDataset(store);
    return { restored: null, problem: `The dataset kept in this browser could not be restored: ${problem} It was removed; open the file again.` };
  };
  let manifest: Manifest;
  try {
    if (raw.byteLength > MAX_MANIFEST_BYTES) throw new Error('its manifest is larger than Callsight writes.');
    manifest = parseManifest(JSON.parse(new TextDecoder().decode(raw)));
  } catch (e) {
    return fail(message(e));
  }
  const bytesOf = new Map<FileEntry, Uint8Array>();
  for (const f of manifest.files) {
    const bytes = await store.read(f.name);
    if (!bytes || bytes.byteLength !== f.bytes || (await sha256(bytes)) !== f.sha256) return fail(`${f.original} is missing or damaged (checksum mismatch).`);
    bytesOf.set(f, bytes);
  }
  const file = (role: Role) => manifest.files.filter((f) => f.role === role);
  const calls = file('calls');
  const metaFile = file('meta')[0];
  if (calls.length === 0 || !metaFile) return fail('it has no calls table or no quality report.');
  let meta: { report: QualityReport; rejected: RejectedRow[] };
  try {
    if (metaFile.bytes > MAX_META_BYTES) throw new Error('its quality report is larger than Callsight writes.');
    meta = parseMeta(JSON.parse(new TextDecoder().decode(bytesOf.get(metaFile)!)));
  } catch (e) {
    return fail(message(e));
  }
  try {
    await rebuildCalls(
      db,
      calls.map((f) => bytesOf.get(f)!),
      manifest,
    );
  } catch (e) {
    return fail(message(e));
  }
  const areasFile = file('areas')[0];
  return {
    restored: {
      info: { datasetName: manifest.datasetName, savedAt: manifest.savedAt, rows: manifest.rows, bytes: manifest.files.reduce((n, f) => n + f.bytes, 0) },
      report: meta.report,
      rejected: meta.rejected,
      areas: areasFile ? { name: areasFile.original, bytes: bytesOf.get(areasFile)!, label: manifest.areasLabel ?? areasFile.original } : null,
      gtfs: file('gtfs').map((f) => ({ name: f.original, bytes: bytesOf.get(f)! })),
    },
  };
}

const RESTORING = '_callsight_restoring';

async function rebuildCalls(db: Db, parts: Uint8Array[], manifest: Manifest): Promise<void> {
  const pw = await getParquetWasm();
  await db.query(sql`DROP TABLE IF EXISTS ${ident(RESTORING)}`);
  try {
    // In manifest order: the parts are consecutive row ranges of the saved table.
    for (const [i, part] of parts.entries()) await db.insertArrowIpc(RESTORING, pw.readParquet(part).intoIPCStream(), i === 0);
    const present = new Set(toRows(await db.query(sql`SELECT column_name AS c FROM duckdb_columns() WHERE table_name = ${RESTORING} AND database_name = current_database()`)).map((r) => String(r.c)));
    const missing = manifest.columns.find((c) => !present.has(c.name));
    if (missing) throw new Error(`its calls table has no column ${missing.name}.`);
    const n = scalar(await db.query(sql`SELECT count(*) FROM ${ident(RESTORING)}`));
    if (n !== manifest.rows) throw new Error(`its calls table has ${n} rows where ${manifest.rows} were saved.`);
    // The Parquet round trip can change a type's width (TIMESTAMP → TIMESTAMP_MS): cast back.
    const select = join(
      manifest.columns.map((c) => sql`CAST(${ident(c.name)} AS ${typeSql(c.type)}) AS ${ident(c.name)}`),
      ', ',
    );
    await db.query(sql`CREATE OR REPLACE TABLE calls AS SELECT ${select} FROM ${ident(RESTORING)}`);
  } finally {
    await db.query(sql`DROP TABLE IF EXISTS ${ident(RESTORING)}`);
  }
}

/** The column types `calls` is built with; anything else in a manifest is refused. */
const TYPES = new Set(['VARCHAR', 'TIMESTAMP', 'TIMESTAMP_MS', 'TIMESTAMP_S', 'TIMESTAMP_NS', 'DATE', 'DOUBLE', 'FLOAT', 'BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT']);

function typeSql(type: string) {
  if (!TYPES.has(type)) throw new Error(`its calls table has a column of type ${type.slice(0, 40)}, which Callsight never writes.`);
  // Safe as raw SQL: only the fixed names in TYPES get here.
  return unsafeRaw(type);
}

export async function forgetDataset(store: CacheStore): Promise<void> {
  // The manifest first: without it nothing below is ever read, even if a removal fails.
  await store.remove(MANIFEST).catch(() => {});
  for (const name of await store.list().catch(() => [] as string[])) await store.remove(name).catch(() => {});
}

/** True when a manifest is present, whether or not it is usable (restore then says why not). */
export async function hasCachedDataset(store: CacheStore): Promise<boolean> {
  return (await store.read(MANIFEST).catch(() => null)) !== null;
}

export async function cacheInfo(store: CacheStore): Promise<CacheInfo | null> {
  const raw = await store.read(MANIFEST).catch(() => null);
  if (!raw || raw.byteLength > MAX_MANIFEST_BYTES) return null;
  try {
    const m = parseManifest(JSON.parse(new TextDecoder().decode(raw)));
    return { datasetName: m.datasetName, savedAt: m.savedAt, rows: m.rows, bytes: m.files.reduce((n, f) => n + f.bytes, 0) };
  } catch {
    return null;
  }
}

async function removeUnreferenced(store: CacheStore, keep: Set<string>): Promise<void> {
  for (const name of await store.list()) {
    if (name !== MANIFEST && !keep.has(name)) await store.remove(name).catch(() => {});
  }
}

// ---- allow-listed parsers for what comes back from storage ------------------------------

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

function text(v: unknown, where: string, max = 500): string {
  if (typeof v !== 'string' || v.length > max) throw new Error(`${where} is not text of at most ${max} characters.`);
  return v;
}

function count(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new Error(`${where} is not a count.`);
  return v;
}

function list(v: unknown, where: string, max: number): unknown[] {
  if (!Array.isArray(v) || v.length > max) throw new Error(`${where} is not a list of at most ${max} entries.`);
  return v;
}

export function parseManifest(data: unknown): Manifest {
  const o = strictObject(data, ['format', 'version', 'generation', 'savedAt', 'datasetName', 'rows', 'columns', 'areasLabel', 'files'], 'its manifest');
  if (o.format !== CACHE_FORMAT) throw new Error('its manifest is not one Callsight writes.');
  if (o.version !== CACHE_VERSION) throw new Error(`it was written in format ${String(o.version).slice(0, 10)} by another version of Callsight.`);
  const savedAt = text(o.savedAt, 'its date', 30);
  if (!ISO.test(savedAt)) throw new Error('its date is not an ISO time.');
  const files = list(o.files, 'its file list', 200).map((f, i) => {
    const e = strictObject(f, ['role', 'name', 'original', 'bytes', 'sha256'], `file ${i + 1}`);
    if (!['calls', 'meta', 'areas', 'gtfs'].includes(e.role as string)) throw new Error(`file ${i + 1} has an unknown role.`);
    const name = text(e.name, `file ${i + 1}'s name`, 100);
    if (!/^[a-z0-9-]+\.bin$/.test(name)) throw new Error(`file ${i + 1}'s name is not one Callsight writes.`);
    const sha = text(e.sha256, `file ${i + 1}'s checksum`, 64);
    if (!/^[0-9a-f]{64}$/.test(sha)) throw new Error(`file ${i + 1}'s checksum is not SHA-256.`);
    return { role: e.role as Role, name, original: text(e.original, `file ${i + 1}'s original name`, 255), bytes: count(e.bytes, `file ${i + 1}'s size`), sha256: sha };
  });
  return {
    format: CACHE_FORMAT,
    version: CACHE_VERSION,
    generation: text(o.generation, 'its generation', 40),
    savedAt,
    datasetName: text(o.datasetName, 'its dataset name'),
    rows: count(o.rows, 'its row count'),
    columns: list(o.columns, 'its column list', 200).map((c, i) => {
      const e = strictObject(c, ['name', 'type'], `column ${i + 1}`);
      const type = text(e.type, `column ${i + 1}'s type`, 40);
      if (!TYPES.has(type)) throw new Error(`column ${i + 1} has type ${type}, which Callsight never writes.`);
      return { name: text(e.name, `column ${i + 1}'s name`, 128), type };
    }),
    areasLabel: o.areasLabel === null ? null : text(o.areasLabel, 'its areas label'),
    files,
  };
}

function counts<K extends string>(v: unknown, keys: readonly K[], where: string): Record<K, number> {
  const o = strictObject(v, keys, where);
  return Object.fromEntries(keys.map((k) => [k, count(o[k], `${where} ${k}`)])) as Record<K, number>;
}

const GEO_KEYS = ['valid', 'missing', 'zero', 'outside', 'swapped', 'outOfRange'] as const;

function parseFileReport(v: unknown, i: number): FileImportReport {
  const where = `file report ${i + 1}`;
  const o = strictObject(v, ['file', 'format', 'bytes', 'inputRows', 'stagedRows', 'rejected', 'encoding', 'warnings', 'dialect', 'columns'], where);
  if (o.format !== 'csv' && o.format !== 'parquet') throw new Error(`${where} has an unknown format.`);
  const out: FileImportReport = {
    file: text(o.file, `${where} file`),
    format: o.format,
    bytes: count(o.bytes, `${where} bytes`),
    inputRows: count(o.inputRows, `${where} inputRows`),
    stagedRows: count(o.stagedRows, `${where} stagedRows`),
    rejected: parseRejected(o.rejected ?? []),
    encoding: text(o.encoding, `${where} encoding`, 40),
    warnings: list(o.warnings, `${where} warnings`, 1000).map((w) => text(w, `${where} warning`, 2000)),
    columns: list(o.columns, `${where} columns`, 2000).map((c) => text(c, `${where} column`, 1000)),
  };
  if (o.dialect !== undefined) {
    const d = strictObject(o.dialect, ['delimiter', 'quote', 'escape', 'header', 'newline'], `${where} dialect`);
    if (typeof d.header !== 'boolean') throw new Error(`${where} dialect header is not true/false.`);
    out.dialect = { delimiter: text(d.delimiter, 'delimiter', 10), quote: text(d.quote, 'quote', 10), escape: text(d.escape, 'escape', 10), header: d.header };
    if (d.newline !== undefined) out.dialect.newline = text(d.newline, 'newline', 10);
  }
  return out;
}

function parseRejected(v: unknown): RejectedRow[] {
  return list(v, 'the rejected rows', MAX_CACHED_REJECTS).map((r, i) => {
    const o = strictObject(r, ['file', 'line', 'reason', 'raw'], `rejected row ${i + 1}`);
    const row: RejectedRow = { file: text(o.file, 'a rejected row file'), line: count(o.line, 'a rejected row line'), reason: text(o.reason, 'a rejected row reason', 2000) };
    if (o.raw !== undefined) row.raw = text(o.raw, 'a rejected row text', 100_000);
    return row;
  });
}

export function parseMeta(data: unknown): { report: QualityReport; rejected: RejectedRow[] } {
  const o = strictObject(data, ['report', 'rejected'], 'its metadata');
  const r = strictObject(o.report, ['files', 'rows', 'timeRange', 'timeZone', 'geo', 'geoRows', 'timestamps', 'mapping'], 'its quality report');
  const range = strictObject(r.timeRange, ['start', 'end'], 'its time range');
  const when = (v: unknown, where: string) => (v === null ? null : text(v, where, 40));
  const report: QualityReport = {
    files: list(r.files, 'its file reports', 1000).map(parseFileReport),
    rows: counts(r.rows, ['input', 'loaded', 'rejected', 'duplicates'], 'its row counts'),
    timeRange: { start: when(range.start, 'its start time'), end: when(range.end, 'its end time') },
    timeZone: text(r.timeZone, 'its time zone', 100),
    geo: counts(r.geo, GEO_KEYS, 'its location counts'),
    timestamps: counts(r.timestamps, ['unparseable', 'outOfRange'], 'its timestamp counts'),
    mapping: parsePreset(r.mapping),
  };
  if (r.geoRows !== undefined) report.geoRows = counts(r.geoRows, GEO_KEYS, 'its location row counts');
  if (!isPlainObject(r.mapping)) throw new Error('its mapping is not an object.');
  return { report, rejected: parseRejected(o.rejected) };
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function mb(n: number): string {
  return `${Math.max(1, Math.round(n / 1024 ** 2)).toLocaleString('en-US')} MB`;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
