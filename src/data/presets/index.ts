import type { CanonicalColumn, ColumnMapping, LocationSource } from '../types';
import nopd from './nopd.json';

/**
 * Mapping presets are data (JSON), validated at the edge like anything a user could hand us:
 * an allow-list of keys, type and size checks, no prototype keys. The same format is what
 * `exportMapping` writes, so an analyst's edited mapping can be shared and re-imported.
 * A preset column may list alternatives (e.g. `NOPD_Item` in the open data, `item_number` in
 * a derived extract); the first one present in the file is used.
 */
export class PresetError extends Error {
  constructor(message: string) {
    super(`Mapping file: ${message} Fix the JSON or export the mapping again from the mapping dialog.`);
    this.name = 'PresetError';
  }
}

type SourceField = Exclude<CanonicalColumn, 'lon' | 'lat'>;
const FIELDS: readonly SourceField[] = [
  'call_id', 'received_at', 'dispatched_at', 'arrived_at', 'closed_at', 'type_code', 'type_text', 'initial_type_code',
  'initial_type_text', 'initial_priority', 'priority', 'disposition', 'self_initiated', 'channel', 'district', 'beat', 'block_address',
];
const TIME_FIELDS = ['received_at', 'dispatched_at', 'arrived_at', 'closed_at'] as const;
const TOP_KEYS = new Set(['format', 'version', 'preset', 'label', 'columns', 'location', 'timestampFormats', 'timeZone', 'selfInitiatedTrue']);
const MAX_TEXT = 256;
const MAX_CRS = 1000;
const MAX_ALTERNATIVES = 8;
const FORMAT = /^(iso|epoch-s|epoch-ms|(%[YymdHIMSpf]|[ /:.\-T,])+)$/;

export function parsePreset(json: unknown, fileColumns?: readonly string[]): ColumnMapping {
  const o = record(json, 'the top level');
  if (o.format !== undefined && o.format !== 'callsight-mapping') throw new PresetError('`format` must be "callsight-mapping".');
  if (o.version !== undefined && o.version !== 1) throw new PresetError('`version` must be 1.');
  const columns: ColumnMapping['columns'] = {};
  const cols = record(o.columns ?? {}, '`columns`');
  for (const [k, v] of Object.entries(cols)) {
    if (!(FIELDS as readonly string[]).includes(k)) throw new PresetError(`\`columns\` has an unknown field \`${short(k)}\`.`);
    const options = Array.isArray(v) ? v : [v];
    if (options.length === 0 || options.length > MAX_ALTERNATIVES) throw new PresetError(`\`columns.${k}\` must name 1–${MAX_ALTERNATIVES} columns.`);
    const names = options.map((x) => text(x, `columns.${k}`));
    columns[k as SourceField] = (fileColumns && names.find((n) => fileColumns.includes(n))) || names[0]!;
  }
  if (!columns.received_at) throw new PresetError('`columns.received_at` is required: the column with the time each call was received.');
  const timestampFormats: ColumnMapping['timestampFormats'] = {};
  for (const [k, v] of Object.entries(record(o.timestampFormats ?? {}, '`timestampFormats`'))) {
    if (!(TIME_FIELDS as readonly string[]).includes(k)) throw new PresetError(`\`timestampFormats\` has an unknown field \`${short(k)}\`.`);
    const f = text(v, `timestampFormats.${k}`);
    if (!FORMAT.test(f)) throw new PresetError(`\`timestampFormats.${k}\` is not a supported date format (${short(f)}).`);
    timestampFormats[k as (typeof TIME_FIELDS)[number]] = f;
  }
  const timeZone = text(o.timeZone ?? 'UTC', 'timeZone');
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new PresetError(`\`timeZone\` ${short(timeZone)} is not an IANA time zone such as America/Chicago.`);
  }
  const mapping: ColumnMapping = { columns, location: parseLocation(o.location, fileColumns), timestampFormats, timeZone };
  if (o.selfInitiatedTrue !== undefined) {
    if (!Array.isArray(o.selfInitiatedTrue) || o.selfInitiatedTrue.length > 16) throw new PresetError('`selfInitiatedTrue` must be a list of up to 16 values.');
    mapping.selfInitiatedTrue = o.selfInitiatedTrue.map((v) => text(v, 'selfInitiatedTrue'));
  }
  if (o.preset !== undefined) mapping.preset = text(o.preset, 'preset');
  return mapping;
}

function parseLocation(v: unknown, fileColumns?: readonly string[]): LocationSource {
  if (v === undefined) return { kind: 'none' };
  const o = record(v, '`location`');
  const pick = (key: string) => {
    const raw = o[key];
    const names = (Array.isArray(raw) ? raw : [raw]).slice(0, MAX_ALTERNATIVES).map((x) => text(x, `location.${key}`));
    return (fileColumns && names.find((n) => fileColumns.includes(n))) || names[0]!;
  };
  const allowed: Record<string, string[]> = { lonlat: ['kind', 'lon', 'lat'], wkt: ['kind', 'column'], projected: ['kind', 'x', 'y', 'crs'], none: ['kind'] };
  const keys = allowed[String(o.kind)];
  if (!keys || !Object.hasOwn(allowed, String(o.kind))) throw new PresetError('`location.kind` must be lonlat, wkt, projected or none.');
  const extra = Object.keys(o).find((k) => !keys.includes(k));
  if (extra) throw new PresetError(`\`location\` has an unknown field \`${short(extra)}\`.`);
  if (o.kind === 'lonlat') return { kind: 'lonlat', lon: pick('lon'), lat: pick('lat') };
  if (o.kind === 'wkt') return { kind: 'wkt', column: pick('column') };
  if (o.kind === 'projected') {
    const crs = text(o.crs, 'location.crs', MAX_CRS);
    if (!/^(EPSG:\d{4,6}|\+proj=[\w.+=\s,-]+)$/i.test(crs)) throw new PresetError('`location.crs` must be an EPSG code (EPSG:3452) or a proj4 string.');
    return { kind: 'projected', x: pick('x'), y: pick('y'), crs };
  }
  return { kind: 'none' };
}

/** The mapping as shareable JSON, in the format `parsePreset` reads. */
export function exportMapping(mapping: ColumnMapping): string {
  const out = {
    format: 'callsight-mapping',
    version: 1,
    ...(mapping.preset ? { preset: mapping.preset } : {}),
    columns: mapping.columns,
    location: mapping.location,
    timestampFormats: mapping.timestampFormats,
    timeZone: mapping.timeZone,
    ...(mapping.selfInitiatedTrue ? { selfInitiatedTrue: mapping.selfInitiatedTrue } : {}),
  };
  return JSON.stringify(out, null, 2);
}

export const BUILT_IN_PRESETS: Record<string, unknown> = { nopd };

/**
 * The built-in preset whose columns the file has: every required column (received time,
 * id, location) present and at least 80% of the rest. Null when none fits.
 */
export function matchPreset(columns: readonly string[]): { name: string; mapping: ColumnMapping; coverage: number } | null {
  let best: { name: string; mapping: ColumnMapping; coverage: number } | null = null;
  for (const [name, json] of Object.entries(BUILT_IN_PRESETS)) {
    const mapping = parsePreset(json, columns);
    const loc = mapping.location;
    const locCols = loc.kind === 'lonlat' ? [loc.lon, loc.lat] : loc.kind === 'wkt' ? [loc.column] : loc.kind === 'projected' ? [loc.x, loc.y] : [];
    const required = [mapping.columns.received_at, mapping.columns.call_id, ...locCols].filter((c): c is string => !!c);
    if (!required.every((c) => columns.includes(c))) continue;
    const named = Object.values(mapping.columns).filter((c): c is string => !!c);
    const coverage = named.filter((c) => columns.includes(c)).length / named.length;
    if (coverage >= 0.8 && (!best || coverage > best.coverage)) best = { name, mapping, coverage };
  }
  return best;
}

function record(v: unknown, where: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new PresetError(`${where} must be an object.`);
  for (const k of Object.keys(v)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') throw new PresetError(`${where} contains the forbidden key \`${k}\`.`);
  }
  if (where === 'the top level') {
    const extra = Object.keys(v).find((k) => !TOP_KEYS.has(k));
    if (extra) throw new PresetError(`unknown key \`${short(extra)}\`.`);
  }
  return v as Record<string, unknown>;
}

function text(v: unknown, where: string, max = MAX_TEXT): string {
  if (typeof v !== 'string' || v.length === 0) throw new PresetError(`\`${where}\` must be a non-empty text value.`);
  if (v.length > max) throw new PresetError(`\`${where}\` is longer than ${max} characters.`);
  if (v.includes('\u0000')) throw new PresetError(`\`${where}\` contains a NUL character.`);
  return v;
}

function short(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
