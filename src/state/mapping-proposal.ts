import type { CanonicalColumn, ColumnMapping } from '../data/types';

/**
 * What the mapping review dialog shows: the detected mapping plus, per source column, a few
 * sample values, and per canonical column how sure detection was (0–1).
 */
export interface MappingProposal {
  file: string;
  columns: string[];
  samples: Record<string, string[]>;
  mapping: ColumnMapping;
  confidence: Partial<Record<CanonicalColumn, number>>;
  /** detection notes the analyst should read (e.g. "two columns look like call ids") */
  problems: string[];
  /**
   * Offered when the dropped files have the same columns as the loaded dataset: the dialog
   * sets `chosen` (default false: the analyst ticks it, so a file is never merged by surprise) before it
   * confirms, and the import flow reads it back. A field rather than a second return value
   * so the reviewer keeps its one-mapping signature.
   */
  append?: { currentFiles: string[]; currentCalls: number; chosen: boolean };
}

/** Resolves with the confirmed (possibly edited) mapping, or null when the analyst cancels. */
export type MappingReviewer = (proposal: MappingProposal) => Promise<ColumnMapping | null>;

export const TIMESTAMP_FORMAT_CHOICES: { value: string; label: string }[] = [
  { value: 'iso', label: 'ISO 8601 (2022-01-31 13:05:00)' },
  { value: '%m/%d/%Y %H:%M', label: 'M/D/YYYY H:MM (24 h)' },
  { value: '%m/%d/%Y %I:%M %p', label: 'M/D/YYYY h:mm AM/PM' },
  { value: '%m/%d/%Y %H:%M:%S', label: 'M/D/YYYY H:MM:SS (24 h)' },
  { value: '%d/%m/%Y %H:%M', label: 'D/M/YYYY H:MM (24 h)' },
  { value: '%Y-%m-%dT%H:%M:%S', label: 'YYYY-MM-DDTHH:MM:SS' },
  { value: 'epoch-s', label: 'Unix seconds' },
  { value: 'epoch-ms', label: 'Unix milliseconds' },
];

/** Common projected systems for US municipal exports (state plane, US survey feet) and UTM. */
export const CRS_CHOICES: { value: string; label: string }[] = [
  { value: 'EPSG:3452', label: 'NAD83 / Louisiana South (ftUS) — EPSG:3452' },
  { value: 'EPSG:2229', label: 'NAD83 / California zone 5 (ftUS) — EPSG:2229' },
  { value: 'EPSG:2263', label: 'NAD83 / New York Long Island (ftUS) — EPSG:2263' },
  { value: 'EPSG:3435', label: 'NAD83 / Illinois East (ftUS) — EPSG:3435' },
  { value: 'EPSG:2278', label: 'NAD83 / Texas South Central (ftUS) — EPSG:2278' },
  { value: 'EPSG:32615', label: 'WGS 84 / UTM zone 15N — EPSG:32615' },
  { value: 'EPSG:3857', label: 'Web Mercator — EPSG:3857' },
];

export const MAPPABLE_COLUMNS: { key: Exclude<CanonicalColumn, 'lon' | 'lat'>; label: string; required?: boolean }[] = [
  { key: 'call_id', label: 'Call id', required: true },
  { key: 'received_at', label: 'Received at', required: true },
  { key: 'dispatched_at', label: 'Dispatched at' },
  { key: 'arrived_at', label: 'Arrived at' },
  { key: 'closed_at', label: 'Closed at' },
  { key: 'type_code', label: 'Type code' },
  { key: 'type_text', label: 'Type (text)' },
  { key: 'initial_type_code', label: 'Initial type code' },
  { key: 'initial_type_text', label: 'Initial type (text)' },
  { key: 'initial_priority', label: 'Initial priority' },
  { key: 'priority', label: 'Priority' },
  { key: 'disposition', label: 'Disposition' },
  { key: 'self_initiated', label: 'Self-initiated' },
  { key: 'channel', label: 'Channel' },
  { key: 'district', label: 'District' },
  { key: 'beat', label: 'Beat' },
  { key: 'block_address', label: 'Block address' },
];

