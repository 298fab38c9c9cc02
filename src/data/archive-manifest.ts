import { ImportError } from './errors';

/**
 * manifest.json of a prepared archive (scripts/prepare.ts: calls/year=YYYY/month=M/*.parquet),
 * read with an allow-list: only the fields below are kept, each checked for type and range,
 * so a hand-edited or hostile manifest cannot make the page read odd paths or promise
 * impossible row counts. Anything else in the file is ignored.
 */
export interface ArchiveFile {
  /** relative to the archive folder, always calls/year=YYYY/month=M/<name>.parquet */
  path: string;
  bytes: number;
}

export interface ArchivePartition {
  year: number;
  month: number;
  rows: number;
  /** null when the manifest predates per-file listings (the folder listing then decides) */
  bytes: number | null;
  files: ArchiveFile[] | null;
}

export type ArchiveColumnKey = 'id' | 'received' | 'lon' | 'lat' | 'type' | 'typeCode';

export interface ArchiveManifest {
  version: 1;
  createdAt: string | null;
  sources: string[];
  columns: Partial<Record<ArchiveColumnKey, string>>;
  rows: number;
  /** rows read by prepare; the difference to `rows` had no readable received time */
  inputRows: number | null;
  droppedRows: number | null;
  span: { start: string; end: string } | null;
  /** sorted oldest first, one per month */
  partitions: ArchivePartition[];
}

export const MANIFEST_LIMITS = {
  /** a manifest of 200 years × 12 months with a few files each is well under this */
  maxBytes: 2_000_000,
  maxPartitions: 2_400,
  maxFilesPerPartition: 1_000,
  maxRowsPerPartition: 1_000_000_000,
  maxBytesPerFile: 100_000_000_000,
  minYear: 1900,
  maxYear: 2200,
  maxText: 300,
  maxSources: 1_000,
} as const;

const COLUMN_KEYS: readonly ArchiveColumnKey[] = ['id', 'received', 'lon', 'lat', 'type', 'typeCode'];
const FILE_NAME = /^[A-Za-z0-9_.-]{1,120}\.parquet$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const NEXT_STEP = 'Open the folder written by `npm run prepare-archive`, or run it again to rewrite manifest.json.';

export function monthKey(p: { year: number; month: number }): string {
  return `${p.year}-${String(p.month).padStart(2, '0')}`;
}

export function parseArchiveManifest(text: string, fileName = 'manifest.json'): ArchiveManifest {
  const fail = (problem: string): never => {
    throw new ImportError(fileName, problem, NEXT_STEP);
  };
  if (text.length > MANIFEST_LIMITS.maxBytes) fail(`is ${text.length.toLocaleString('en-US')} characters long; an archive manifest is at most ${MANIFEST_LIMITS.maxBytes.toLocaleString('en-US')}.`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    fail('is not valid JSON.');
  }
  if (!isObject(raw)) return fail('does not hold a JSON object.');
  if (raw.version !== 1) fail(`has version ${short(raw.version)}; this app reads archive manifests of version 1.`);

  const int = (v: unknown, what: string, min: number, max: number): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) fail(`${what} is ${short(v)}; expected a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}.`);
    return v as number;
  };
  const text_ = (v: unknown, what: string): string => {
    if (typeof v !== 'string' || v.length === 0 || v.length > MANIFEST_LIMITS.maxText || hasControlCharacter(v)) fail(`${what} is ${short(v)}; expected a short line of text.`);
    return v as string;
  };

  if (!Array.isArray(raw.partitions) || raw.partitions.length === 0) fail('lists no month partitions.');
  const list = raw.partitions as unknown[];
  if (list.length > MANIFEST_LIMITS.maxPartitions) fail(`lists ${list.length.toLocaleString('en-US')} partitions; at most ${MANIFEST_LIMITS.maxPartitions.toLocaleString('en-US')} months are supported.`);
  const seen = new Set<string>();
  const partitions = list.map((p, i): ArchivePartition => {
    const at = `partition ${i + 1}`;
    if (!isObject(p)) return fail(`${at} is not an object.`);
    const year = int(p.year, `${at}: year`, MANIFEST_LIMITS.minYear, MANIFEST_LIMITS.maxYear);
    const month = int(p.month, `${at}: month`, 1, 12);
    const key = monthKey({ year, month });
    if (seen.has(key)) fail(`lists ${key} twice.`);
    seen.add(key);
    const rows = int(p.rows, `${key}: rows`, 0, MANIFEST_LIMITS.maxRowsPerPartition);
    let files: ArchiveFile[] | null = null;
    if (p.files !== undefined) {
      if (!Array.isArray(p.files) || p.files.length > MANIFEST_LIMITS.maxFilesPerPartition) fail(`${key}: files is not a list of at most ${MANIFEST_LIMITS.maxFilesPerPartition} files.`);
      const dir = `calls/year=${year}/month=${month}/`;
      files = (p.files as unknown[]).map((f, j) => {
        if (!isObject(f)) return fail(`${key}: file ${j + 1} is not an object.`);
        const path = text_(f.path, `${key}: file ${j + 1} path`);
        // Only the partition's own folder: no "..", no absolute paths, no other month's files.
        if (!path.startsWith(dir) || !FILE_NAME.test(path.slice(dir.length))) fail(`${key}: file path ${short(path)} is not a Parquet file inside ${dir}.`);
        return { path, bytes: int(f.bytes, `${key}: size of ${path}`, 0, MANIFEST_LIMITS.maxBytesPerFile) };
      });
    }
    const bytes = p.bytes === undefined ? (files ? files.reduce((n, f) => n + f.bytes, 0) : null) : int(p.bytes, `${key}: bytes`, 0, MANIFEST_LIMITS.maxBytesPerFile * MANIFEST_LIMITS.maxFilesPerPartition);
    if (files && bytes !== files.reduce((n, f) => n + f.bytes, 0)) fail(`${key}: bytes (${bytes}) is not the sum of its files' sizes.`);
    return { year, month, rows, bytes, files };
  });
  partitions.sort((a, b) => a.year - b.year || a.month - b.month);

  const total = partitions.reduce((n, p) => n + p.rows, 0);
  const rows = int(raw.rows, 'rows', 0, MANIFEST_LIMITS.maxRowsPerPartition * MANIFEST_LIMITS.maxPartitions);
  if (rows !== total) fail(`says ${rows.toLocaleString('en-US')} rows but its months add up to ${total.toLocaleString('en-US')}.`);
  const inputRows = raw.inputRows === undefined ? null : int(raw.inputRows, 'inputRows', rows, Number.MAX_SAFE_INTEGER);
  const droppedRows = raw.droppedRows === undefined ? null : int(raw.droppedRows, 'droppedRows', 0, Number.MAX_SAFE_INTEGER);
  if (inputRows !== null && droppedRows !== null && inputRows - rows !== droppedRows) fail(`says ${short(inputRows)} input rows, ${short(rows)} in months and ${short(droppedRows)} left out, which do not add up.`);

  let span: ArchiveManifest['span'] = null;
  if (raw.span !== undefined) {
    if (!isObject(raw.span) || typeof raw.span.start !== 'string' || typeof raw.span.end !== 'string' || !DAY.test(raw.span.start) || !DAY.test(raw.span.end) || raw.span.start > raw.span.end)
      fail(`span is ${short(raw.span)}; expected {"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}.`);
    span = { start: (raw.span as { start: string }).start, end: (raw.span as { end: string }).end };
  }
  const columns: ArchiveManifest['columns'] = {};
  if (isObject(raw.columns)) for (const k of COLUMN_KEYS) if (raw.columns[k] !== undefined) columns[k] = text_(raw.columns[k], `columns.${k}`);
  let sources: string[] = [];
  if (raw.sources !== undefined) {
    if (!Array.isArray(raw.sources) || raw.sources.length > MANIFEST_LIMITS.maxSources) fail(`sources is not a list of at most ${MANIFEST_LIMITS.maxSources} file names.`);
    sources = (raw.sources as unknown[]).map((s, i) => text_(s, `source ${i + 1}`));
  }
  let createdAt: string | null = null;
  if (raw.createdAt !== undefined) {
    const c = text_(raw.createdAt, 'createdAt');
    if (!/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(c) || Number.isNaN(Date.parse(c))) fail(`createdAt is ${short(c)}; expected an ISO date-time.`);
    createdAt = c;
  }
  return { version: 1, createdAt, sources, columns, rows, inputRows, droppedRows, span, partitions };
}

// A line break or NUL in a column name or path is never legitimate and would garble messages.
function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) < 0x20) return true;
  return false;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** a value quoted for a message, cut short: the analyst sees what is wrong, not a megabyte */
function short(v: unknown): string {
  const s = v === undefined ? 'missing' : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
