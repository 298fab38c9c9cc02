import type { MultiPolygon, Polygon } from 'geojson';

/**
 * Contracts between the import stages (see docs in README "Data flow").
 *
 *   file ──load-csv / load-parquet──► staging table (all VARCHAR source columns
 *                                      + _source_file VARCHAR, _source_line BIGINT)
 *        ──detect-mapping (pure)────► ColumnMapping (analyst reviews / edits)
 *        ──schema.buildCalls────────► table `calls` (canonical columns) + value-level rejects
 *        ──assign-areas─────────────► calls.area_id
 *
 * Every input row ends in exactly one of: loaded into `calls`, or a RejectedRow.
 */

/** One row that did not load, with where it was and why (shown and downloadable). */
export interface RejectedRow {
  file: string;
  /** 1-based physical line where the record starts (header is line 1 when present). */
  line: number;
  reason: string;
  /** The raw text of the record when available (truncated for display). */
  raw?: string;
}

export interface FileImportReport {
  file: string;
  format: 'csv' | 'parquet';
  bytes: number;
  /** Data records in the file (excluding header). inputRows = stagedRows + structural rejects. */
  inputRows: number;
  stagedRows: number;
  rejected: RejectedRow[];
  /** Encoding actually used to decode the file, e.g. utf-8, latin-1, utf-16. */
  encoding: string;
  /** Human-readable notes (e.g. "decoded as Latin-1", "BOM removed"). */
  warnings: string[];
  dialect?: { delimiter: string; quote: string; escape: string; header: boolean; newline?: string };
  columns: string[];
}

export type CanonicalColumn =
  | 'call_id'
  | 'received_at'
  | 'dispatched_at'
  | 'arrived_at'
  | 'closed_at'
  | 'lon'
  | 'lat'
  | 'type_code'
  | 'type_text'
  | 'initial_type_code'
  | 'initial_type_text'
  | 'initial_priority'
  | 'priority'
  | 'disposition'
  | 'self_initiated'
  | 'channel'
  | 'district'
  | 'beat'
  | 'block_address';

/** How location is encoded in the source. */
export type LocationSource =
  | { kind: 'lonlat'; lon: string; lat: string }
  | { kind: 'wkt'; column: string }
  | { kind: 'projected'; x: string; y: string; crs: string /* EPSG code or proj4 string, e.g. 'EPSG:3452' */ }
  | { kind: 'none' };

/**
 * Timestamp formats are DuckDB strptime patterns (e.g. '%m/%d/%Y %H:%M'), or the special
 * values 'iso' (DuckDB's own cast), 'epoch-s' and 'epoch-ms'.
 */
export type TimestampFormat = string;

export interface ColumnMapping {
  /** canonical column → source column (location handled by `location`). */
  columns: Partial<Record<Exclude<CanonicalColumn, 'lon' | 'lat'>, string>>;
  location: LocationSource;
  /** per timestamp column, the format that parses it */
  timestampFormats: Partial<Record<'received_at' | 'dispatched_at' | 'arrived_at' | 'closed_at', TimestampFormat>>;
  /** IANA zone of the wall-clock timestamps, a dataset setting (no conversion in SQL). */
  timeZone: string;
  /** Values of the self_initiated column that mean "officer-initiated" (e.g. ['Y']). */
  selfInitiatedTrue?: string[];
  /** Preset this mapping came from, if any. */
  preset?: string;
}

export interface QualityReport {
  files: FileImportReport[];
  rows: { input: number; loaded: number; rejected: number; duplicates: number };
  timeRange: { start: string | null; end: string | null };
  timeZone: string;
  geo: { valid: number; missing: number; zero: number; outside: number; swapped: number; outOfRange: number };
  /**
   * The same location classes counted in loaded rows (before de-duplication), as source READMEs
   * and records units count them; they sum to rows.loaded as `geo` sums to the distinct calls.
   * Optional only so hand-built reports (tests, briefing fixtures) stay valid; qualityReport fills it.
   */
  geoRows?: { valid: number; missing: number; zero: number; outside: number; swapped: number; outOfRange: number };
  timestamps: { unparseable: number; outOfRange: number };
  mapping: ColumnMapping;
  /** Set when the calls are a month range of a prepared archive (src/state/archive-import.ts). */
  archive?: { name: string; from: string; to: string; months: number; monthsInArchive: number; manifestRows: number; archiveRows: number };
}

/** A loaded area polygon (neighbourhood, district, beat), WGS 84. */
export interface AreaFeature {
  id: string;
  name: string;
  geometry: Polygon | MultiPolygon;
  /** true area in km², computed with Turf (never trusted from the file) */
  areaKm2: number;
  properties: Record<string, unknown>;
}

/** A GTFS stop (location_type 0/empty, or a parent station 1). */
export interface TransitStop {
  id: string;
  name: string;
  lon: number;
  lat: number;
  locationType: number;
  parentStation: string | null;
}
