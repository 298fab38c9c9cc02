import type { ColumnMapping } from '../data/types';
import { loadPersisted, MAPPINGS, type NamedMapping, savePersisted, type StorageLike } from './persist';

/**
 * The mapping an analyst confirmed is remembered per set of column names (validated
 * localStorage via persist.ts), so next month's export of the same system opens the review
 * with her choices, not the detector's guesses.
 */
export function columnsSignature(columns: readonly string[]): string {
  const text = [...columns].sort().join('\u0000');
  // FNV-1a, 32 bit: a short stable name; the column count guards against the odd collision
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `columns:${columns.length}:${h.toString(16).padStart(8, '0')}`;
}

function usedColumns(m: ColumnMapping): string[] {
  const loc = m.location;
  const fromLocation = loc.kind === 'lonlat' ? [loc.lon, loc.lat] : loc.kind === 'wkt' ? [loc.column] : loc.kind === 'projected' ? [loc.x, loc.y] : [];
  return [...Object.values(m.columns).filter((c): c is string => typeof c === 'string'), ...fromLocation];
}

export function recallMapping(columns: readonly string[], storage?: StorageLike | null): ColumnMapping | null {
  const { value } = loadPersisted(MAPPINGS, storage);
  const name = columnsSignature(columns);
  const hit = value.find((m) => m.name === name);
  if (!hit) return null;
  const present = new Set(columns);
  return usedColumns(hit.mapping).every((c) => present.has(c)) ? hit.mapping : null;
}

export function rememberMapping(columns: readonly string[], mapping: ColumnMapping, storage?: StorageLike | null): void {
  const { value } = loadPersisted(MAPPINGS, storage);
  const name = columnsSignature(columns);
  const next: NamedMapping[] = [{ name, mapping }, ...value.filter((m) => m.name !== name)].slice(0, 50);
  savePersisted(MAPPINGS, next, storage);
}
