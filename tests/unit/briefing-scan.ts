/**
 * Test helper: scans every byte of a published briefing for what must never be in it. Call ids
 * are compared as whole tokens, block addresses as substrings (raw and HTML-escaped), and every
 * pair of adjacent decimal numbers with 4+ decimals against the input points rounded to 4
 * decimals; any number with 3+ decimals inside the input's longitude or latitude range fails too.
 */
import type { Db } from '../../src/data/db-types';
import { toRows } from '../../src/data/rows';
import { escapeHtml } from '../../src/export/escape';
import type { BriefingModel } from '../../src/export/briefing';

export interface ScanResult {
  found: string[];
  scanned: { ids: number; addresses: number; points: number };
}

export async function scanForLeaks(db: Db, files: Record<string, Uint8Array>, table = 'calls'): Promise<ScanResult> {
  const text = Object.entries(files).map(([p, b]) => [p, new TextDecoder().decode(b)] as const);
  const ids = new Set(toRows(await db.query(`SELECT DISTINCT call_id FROM ${table} WHERE call_id IS NOT NULL`)).map((r) => String(r.call_id)));
  const addresses = toRows(await db.query(`SELECT DISTINCT block_address FROM ${table} WHERE length(trim(block_address)) >= 6`)).map((r) => String(r.block_address).trim());
  const pts = toRows(await db.query(`SELECT DISTINCT round(lon, 4) AS lon, round(lat, 4) AS lat FROM ${table} WHERE lon IS NOT NULL AND lat IS NOT NULL AND isfinite(lon) AND isfinite(lat)`));
  const points = new Set(pts.map((r) => `${Number(r.lon).toFixed(4)},${Number(r.lat).toFixed(4)}`));
  const [bb] = toRows(await db.query(`SELECT min(lon) AS w, max(lon) AS e, min(lat) AS s, max(lat) AS n FROM ${table} WHERE lon IS NOT NULL AND NOT (lon = 0 AND lat = 0)`));
  const found: string[] = [];
  for (const [file, t] of text) {
    for (const token of t.match(/[A-Za-z0-9_-]+/g) ?? []) if (ids.has(token)) found.push(`${file}: call id ${token}`);
    for (const a of addresses) if (t.includes(a) || t.includes(escapeHtml(a))) found.push(`${file}: block address ${a}`);
    const decimals = [...t.matchAll(/-?\d+\.(\d+)/g)].map((m) => ({ v: Number(m[0]), places: m[1]!.length }));
    for (let i = 0; i + 1 < decimals.length; i++) {
      const [a, b] = [decimals[i]!, decimals[i + 1]!];
      if (a.places >= 4 && b.places >= 4 && (points.has(`${a.v.toFixed(4)},${b.v.toFixed(4)}`) || points.has(`${b.v.toFixed(4)},${a.v.toFixed(4)}`))) found.push(`${file}: coordinate pair ${a.v}, ${b.v}`);
    }
    for (const d of decimals) {
      const inLon = d.v >= Number(bb!.w) - 0.05 && d.v <= Number(bb!.e) + 0.05;
      const inLat = d.v >= Number(bb!.s) - 0.05 && d.v <= Number(bb!.n) + 0.05;
      if (d.places >= 3 && (inLon || inLat)) found.push(`${file}: number ${d.v} looks like a coordinate`);
    }
  }
  return { found: found.slice(0, 50), scanned: { ids: ids.size, addresses: addresses.length, points: points.size } };
}

/** The aggregates as a reader's script sees them: data.js evaluated for its global. */
export function publishedData(files: Record<string, Uint8Array>): Omit<BriefingModel, 'map'> {
  const js = new TextDecoder().decode(files['data.js']);
  const prefix = 'window.CALLSIGHT_BRIEFING = ';
  if (!js.startsWith(prefix)) throw new Error('data.js does not set window.CALLSIGHT_BRIEFING');
  return JSON.parse(js.slice(prefix.length).trim().replace(/;$/, ''));
}
